/** Moved to src/storage/location.ts (one owner for locations); kept so older imports still resolve. */
export { isS3, isUnderRoots, joinLocation, locationUri, parseS3, resolveLocation } from '../../storage/location.js';
