import { isS3, realLocalPath } from '../../storage/location.js';

/**
 * What identifies the content a table location serves now, for caches keyed by it. A local table
 * published by a pipeline is a link to `.versions/<table>/<version>`; its real path names that version,
 * and also notices a link swapped anywhere above it. An S3 table's catalog location is the version's
 * own prefix, so the catalog's version already changes with each publication: nothing to add.
 */
export async function liveVersionOf(location: string): Promise<string> {
  return isS3(location) ? '' : realLocalPath(location);
}
