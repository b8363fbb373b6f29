import type { StorageEntry } from '../../storage/storage.js';
import { checkPartitionValue, HIVE_DEFAULT_PARTITION, type HiveType } from '../ddl/hive-type.js';
import { parseHiveType } from '../ddl/hive-ddl-parser.js';
import type { ColumnDef, PartitionDef } from '../table-def.js';
import { isJunkName, parseSegment } from './partition-path.js';

/** A directory that was not taken as a partition, relative to the table location, and why. */
export interface Skipped {
  path: string;
  reason: string;
}

export interface DiscoveredPartition extends PartitionDef {
  /** Escaped relative path as found on storage (`txn_year=2024/txn_month=01`). */
  path: string;
  /** Typed identity: equal for `txn_month=01` and `txn_month=1`. */
  identity: string;
  files: number;
  bytes: number;
}

/** Parsed partition key types, reused by discovery, filters and identity. */
export class PartitionKeys {
  readonly types: HiveType[];
  constructor(readonly keys: readonly ColumnDef[]) {
    this.types = keys.map((k) => parseHiveType(k.type));
  }

  /**
   * The typed identity of one key's value (a value that does not cast keeps its text). The empty
   * value is Hive's default partition: `k=` and `k=__HIVE_DEFAULT_PARTITION__` are one partition.
   */
  valueIdentity(index: number, raw: string): string {
    const check = checkPartitionValue(this.types[index]!, raw);
    const identity = check.ok ? check.canonical : raw;
    return identity === '' ? HIVE_DEFAULT_PARTITION : identity;
  }

  /** The typed identity of a set of values, all keys. */
  identity(values: Record<string, string>): string {
    return this.keys.map((k, i) => this.valueIdentity(i, values[k.name] ?? '')).join('\u0000');
  }

  /** Keeps partitions whose value equals the filter's for every filtered key (typed equality); unknown keys match nothing. */
  filter<P extends PartitionDef>(partitions: P[], filter: Record<string, string>): P[] {
    const want = Object.entries(filter).map(([k, v]) => {
      const i = this.keys.findIndex((key) => key.name === k.toLowerCase());
      return { name: k.toLowerCase(), i, value: i === -1 ? v : this.valueIdentity(i, v) };
    });
    if (want.length === 0) return partitions;
    if (want.some((w) => w.i === -1)) return [];
    return partitions.filter((p) => want.every((w) => this.valueIdentity(w.i, p.values[w.name] ?? '') === w.value));
  }
}

/**
 * Groups a recursive file listing of a table location into partitions. A partition is a directory
 * path `k1=v1/.../kn=vn` matching the keys in order (names case-insensitive, values Hive-unescaped
 * and castable to the key's type) that directly holds at least one data file: an empty directory is
 * not a partition. Junk names are ignored silently; everything else that does not fit is reported
 * in `skipped`, once per offending directory.
 */
export function discoverPartitions(files: readonly StorageEntry[], location: string, keys: PartitionKeys): { partitions: DiscoveredPartition[]; skipped: Skipped[] } {
  const base = location.replace(/\/+$/, '');
  const n = keys.keys.length;
  const skipped = new Map<string, string>();
  const byPath = new Map<string, DiscoveredPartition>();
  for (const f of files) {
    if (!f.location.startsWith(`${base}/`)) continue;
    const parts = f.location.slice(base.length + 1).split('/');
    if (parts.some(isJunkName)) continue;
    const dirs = parts.slice(0, -1);
    const problem = checkDirs(dirs, keys);
    if (problem) {
      if (!skipped.has(problem.path)) skipped.set(problem.path, problem.reason);
      continue;
    }
    const rel = dirs.join('/');
    let p = byPath.get(rel);
    if (!p) {
      const values: Record<string, string> = {};
      dirs.forEach((d, i) => (values[keys.keys[i]!.name] = parseSegment(d)!.value));
      p = { values, location: f.location.slice(0, base.length + 1 + rel.length), path: rel, identity: keys.identity(values), files: 0, bytes: 0 };
      byPath.set(rel, p);
    }
    p.files++;
    p.bytes += f.size ?? 0;
  }
  // Two spellings of one typed value (`m=01`, `m=1`) would be one partition twice: keep the first by path.
  const byIdentity = new Map<string, DiscoveredPartition>();
  for (const p of [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const first = byIdentity.get(p.identity);
    if (first) skipped.set(p.path, `same partition values as ${first.path}`);
    else byIdentity.set(p.identity, p);
  }
  return {
    partitions: [...byIdentity.values()],
    skipped: [...skipped].map(([path, reason]) => ({ path: path || '.', reason })).sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
}

/** Why a file's directory chain is not a partition path, reported at the first directory that is wrong. */
function checkDirs(dirs: string[], keys: PartitionKeys): Skipped | undefined {
  const n = keys.keys.length;
  for (let i = 0; i < Math.min(dirs.length, n); i++) {
    const key = keys.keys[i]!;
    const path = dirs.slice(0, i + 1).join('/');
    const seg = parseSegment(dirs[i]!);
    if (!seg || seg.key.toLowerCase() !== key.name) {
      return { path, reason: `expected a directory '${key.name}=<${key.type}>' but found '${dirs[i]}'` };
    }
    const check = checkPartitionValue(keys.types[i]!, seg.value);
    if (!check.ok) return { path, reason: `${key.name}: ${check.reason}` };
  }
  if (dirs.length < n) return { path: dirs.join('/'), reason: `data files outside a partition directory (expected ${n} levels: ${keys.keys.map((k) => k.name).join('/')})` };
  if (dirs.length > n) return { path: dirs.slice(0, n + 1).join('/'), reason: 'directory below a partition: its files are not part of the partition' };
  return undefined;
}
