import { isS3Url, normalizeS3Url } from '../../storage/location.js';
import { LRUCache } from 'lru-cache';
import { isJunkName, partitionPath } from '../../catalog/partition/partition-path.js';
import type { PartitionDef, TableDef } from '../../catalog/table-def.js';
import { abortError } from '../../errors.js';
import { findCatalogTable, type TableScanFilter } from '../../sql/index.js';
import { mapLimit } from '../../storage/concurrency.js';
import type { Storage } from '../../storage/storage.js';
import { prunePartitions } from './partition-pruning.js';

/** What the query would read of one table. */
export interface TableScan {
  /** `database.name`. */
  name: string;
  /** Registered partitions: how many, how many are left after pruning, and those (first `listCap`, by path). Zeros for an unpartitioned table. */
  partitions: { total: number; read: number; list: string[] };
  /** Bytes of the data files in the partitions read (the table's files when it has no partitions). */
  estimatedBytes: number;
}

export interface ScanEstimate {
  tables: TableScan[];
  estimatedBytes: number;
}

export interface ScanEstimatorOptions {
  /** Every registered partition of a table. */
  partitions: (def: TableDef) => Promise<PartitionDef[]>;
  /** The storage that lists a location (local or S3); throws for one the gateway may not read. */
  storageFor: (location: string) => Promise<Storage>;
  /** Changes whenever the table's definition, partitions or files change (QueryServiceOptions.tableState): listings are kept under it. */
  tableState: (def: TableDef) => Promise<string>;
  /** Partitions named per table in an estimate (default 100). */
  listCap?: number;
  /**
   * How long a listing is reused (default 60 s): files written into a registered partition in place
   * change no table state, and are counted once the listing expires.
   */
  listingTtlMs?: number;
}

/** One version of a table as listed: its registered partitions and the bytes of data files directly in each directory. */
interface Listing {
  partitions: PartitionDef[];
  bytesByDir: Map<string, number>;
}

const LISTINGS_IN_FLIGHT = 8;
const dirOf = (location: string): string => location.slice(0, location.lastIndexOf('/'));
/** One spelling per place: `s3a://` and `s3n://` (as Glue may hold them) are the `s3://` the listing answers. */
const trimSlash = (location: string): string => (isS3Url(location) ? normalizeS3Url(location) : location).replace(/\/+$/, '');

/**
 * Estimates the bytes a query reads: for each catalog table, the registered partitions left after
 * pruning with the query's partition filters, then the sizes of the data files in them (what an
 * engine that reads the metastore's partitions scans at most; Parquet column pruning makes it read
 * less). Files directly in a partition's directory count, as in partition discovery; hidden and
 * underscore names (`.x`, `_SUCCESS`, `_temporary/`) and checksums do not. A table's listing is
 * kept per table state for a minute, so a repeated query lists nothing.
 */
export class ScanEstimator {
  private readonly listings: LRUCache<string, Listing>;
  private readonly listCap: number;

  constructor(private readonly o: ScanEstimatorOptions) {
    this.listCap = o.listCap ?? 100;
    this.listings = new LRUCache({ max: 256, ttl: o.listingTtlMs ?? 60_000 });
  }

  async estimate(defs: readonly TableDef[], filters: readonly TableScanFilter[], signal?: AbortSignal): Promise<ScanEstimate> {
    const tables = await mapLimit(defs, LISTINGS_IN_FLIGHT, (def) => this.tableScan(def, filters.filter((f) => findCatalogTable(defs, f.table) === def), signal));
    return { tables, estimatedBytes: tables.reduce((n, t) => n + t.estimatedBytes, 0) };
  }

  private async tableScan(def: TableDef, refs: readonly TableScanFilter[], signal?: AbortSignal): Promise<TableScan> {
    const { partitions, bytesByDir } = await this.listing(def, signal);
    const name = `${def.database}.${def.name}`;
    if (def.partitionKeys.length === 0) {
      return { name, partitions: { total: 0, read: 0, list: [] }, estimatedBytes: bytesByDir.get(trimSlash(def.location)) ?? 0 };
    }
    // A table read twice (a self-join, a subquery) reads what either reference keeps; an unfiltered reference keeps all.
    const read = new Set<PartitionDef>();
    for (const ref of refs.length ? refs : [{ filters: [] }]) for (const p of prunePartitions(def.partitionKeys, partitions, ref.filters)) read.add(p);
    const paths = [...read].map((p) => partitionPath(def.partitionKeys, p.values)).sort();
    const bytes = [...read].reduce((n, p) => n + (bytesByDir.get(trimSlash(p.location)) ?? 0), 0);
    return { name, partitions: { total: partitions.length, read: read.size, list: paths.slice(0, this.listCap) }, estimatedBytes: bytes };
  }

  private async listing(def: TableDef, signal?: AbortSignal): Promise<Listing> {
    const state = await this.o.tableState(def);
    const key = `${def.database}.${def.name}@${state}`;
    const kept = this.listings.get(key);
    if (kept) return kept;
    const partitions = def.partitionKeys.length ? await this.o.partitions(def) : [];
    const base = trimSlash(def.location);
    // The table's location is listed once; partitions registered elsewhere (another prefix) on their own.
    const outside = [...new Set(partitions.map((p) => trimSlash(p.location)).filter((l) => l !== base && !l.startsWith(`${base}/`)))];
    // A file is counted once: a location below another listed one is not listed again.
    const listed = [base, ...outside.filter((l) => !outside.some((r) => r !== l && l.startsWith(`${r}/`)))];
    const bytesByDir = new Map<string, number>();
    await mapLimit(listed, LISTINGS_IN_FLIGHT, async (location) => {
      if (signal?.aborted) throw abortError(signal);
      const storage = await this.o.storageFor(location);
      for (const f of await storage.listRecursive(location, { prune: isJunkName, ...(signal ? { signal } : {}) })) {
        if (isJunkName(f.name)) continue;
        const dir = dirOf(f.location);
        bytesByDir.set(dir, (bytesByDir.get(dir) ?? 0) + (f.size ?? 0));
      }
    });
    const listing = { partitions, bytesByDir };
    // Kept only if the table did not change while it was listed.
    if ((await this.o.tableState(def)) === state) this.listings.set(key, listing);
    return listing;
  }
}
