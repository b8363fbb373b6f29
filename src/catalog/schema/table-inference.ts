import type { StorageEntry } from '../../storage/storage.js';
import { checkPartitionValue, HIVE_DEFAULT_PARTITION, type HiveType } from '../ddl/hive-type.js';
import { isJunkName, parseSegment } from '../partition/partition-path.js';
import type { ColumnDef } from '../table-def.js';

/** The directories of a file below `base`, or undefined when the file is junk or outside. */
export function dirsOf(file: StorageEntry, base: string): string[] | undefined {
  const root = base.replace(/\/+$/, '');
  if (!file.location.startsWith(`${root}/`)) return undefined;
  const parts = file.location.slice(root.length + 1).split('/');
  return parts.some(isJunkName) ? undefined : parts.slice(0, -1);
}

const fits = (t: HiveType, values: string[]): boolean => values.every((v) => checkPartitionValue(t, v).ok);
const prim = (name: 'INT' | 'BIGINT' | 'DATE' | 'STRING'): HiveType => ({ kind: 'primitive', name, params: [] });

/** The narrowest of INT, BIGINT, DATE, STRING that every value casts to. */
function inferKeyType(values: string[]): string {
  const real = values.filter((v) => v !== HIVE_DEFAULT_PARTITION);
  if (real.length === 0) return 'STRING';
  for (const name of ['INT', 'BIGINT', 'DATE'] as const) if (fits(prim(name), real)) return name;
  return 'STRING';
}

/**
 * Partition keys implied by Hive-style directories: the `k=v` chain above the first data file (in
 * path order), typed from the values seen at each level across all files with the same chain.
 */
export function inferPartitionKeys(files: readonly StorageEntry[], base: string): ColumnDef[] {
  const chains = files.map((f) => dirsOf(f, base)).filter((d): d is string[] => d !== undefined);
  chains.sort((a, b) => (a.join('/') < b.join('/') ? -1 : 1));
  const first = chains.find((d) => d.every((s) => parseSegment(s) !== undefined));
  if (!first || first.length === 0) return [];
  const names = first.map((s) => parseSegment(s)!.key.toLowerCase());
  const values: string[][] = names.map(() => []);
  for (const d of chains) {
    if (d.length !== names.length) continue;
    const segs = d.map(parseSegment);
    if (segs.every((s, i) => s !== undefined && s.key.toLowerCase() === names[i])) segs.forEach((s, i) => values[i]!.push(s!.value));
  }
  return names.map((name, i) => ({ name, type: inferKeyType(values[i]!) }));
}

/** The first data file (in path order) below `base` whose directories are a partition path for `keys`. */
export function sampleDataFile(files: readonly StorageEntry[], base: string, keys: readonly ColumnDef[]): StorageEntry | undefined {
  const candidates = files
    .filter((f) => {
      const d = dirsOf(f, base);
      return d !== undefined && d.length === keys.length && d.every((s, i) => parseSegment(s)?.key.toLowerCase() === keys[i]!.name);
    })
    .sort((a, b) => (a.location < b.location ? -1 : 1));
  return candidates[0];
}

/** Files below `base` that are data: junk (`_SUCCESS`, `.crc`, `_temporary/`, hidden) excluded. */
export function dataFiles(files: readonly StorageEntry[], base: string): StorageEntry[] {
  return files.filter((f) => dirsOf(f, base) !== undefined);
}
