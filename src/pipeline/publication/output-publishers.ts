import type { S3Client } from '@aws-sdk/client-s3';
import { AppError } from '../../errors.js';
import { isS3 } from '../../storage/location.js';
import { LocalTablePublisher } from './local-table-publisher.js';
import { S3TablePublisher } from './s3-table-publisher.js';
import type { TablePublisher } from './table-publisher.js';

/** The publisher of each kind of output: links under a local directory, manifests under an s3:// prefix. */
export function outputPublishers(s3?: S3Client): (output: string) => TablePublisher {
  return (output) => {
    if (!isS3(output)) return new LocalTablePublisher(output);
    if (!s3) throw new AppError('NOT_IMPLEMENTED', 'this gateway has no S3 client for s3:// outputs');
    return new S3TablePublisher(s3, output);
  };
}
