/** S3 URLs are parsed in src/storage/location.ts (one owner for locations); kept so the EMR imports resolve. */
export { isS3Url, parseS3Url, s3Join, type S3Location } from '../../storage/location.js';
