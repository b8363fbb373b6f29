import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { TableDef } from '../catalog/table-def.js';
import { AppError } from '../errors.js';
import type { QueryColumn } from '../engines/engine.js';

/** A result as the JSON answer and the cache hold it. */
export interface MaterializedResult {
  columns: QueryColumn[];
  rows: unknown[][];
  truncated: boolean;
  dataScannedBytes: number | null;
}

/** What a cache key is made of: the executed SQL on one engine, its row limit and the tables it read. */
export interface CacheKeyParts {
  engine: string;
  maxRows: number;
  executed: string;
  tables: TableDef[];
}

/**
 * Results keyed by the executed SQL, the row limit and the state of every table read (`tableState`:
 * its catalog version and the live version of its files), charged by their estimated memory.
 */
export class ResultCache {
  private readonly lru: LRUCache<string, MaterializedResult> | undefined;

  constructor(
    private readonly o: { entries: number; bytes: number; tableState: (def: TableDef) => Promise<string> },
  ) {
    this.lru = o.entries > 0 ? new LRUCache({ max: o.entries, maxSize: o.bytes, sizeCalculation: (r) => cachedSize.get(r) ?? o.bytes + 1 }) : undefined;
  }

  get enabled(): boolean {
    return this.lru !== undefined;
  }

  get(key: string): MaterializedResult | undefined {
    return this.lru?.get(key);
  }

  set(key: string, result: MaterializedResult): void {
    this.lru?.set(key, result);
  }

  /** Normalized executed SQL + row limit + the state of each table read (see `tableState`). */
  async keyFor(p: CacheKeyParts): Promise<string> {
    // The executed text as it is: squashing whitespace would merge 'a  b' and 'a b' inside literals.
    const parts = [p.engine, String(p.maxRows), p.executed];
    for (const t of [...p.tables].sort((a, b) => a.name.localeCompare(b.name))) {
      parts.push(`${t.database}.${t.name}@${await this.o.tableState(t)}`);
    }
    return createHash('sha256').update(parts.join('\n')).digest('hex');
  }
}

/** Sizes measured while a result was materialized (what the result cache charges it). */
export const cachedSize = new WeakMap<MaterializedResult, number>();

/** Running sizes of a result: about its JSON text (escapes not counted), and about its memory. */
export interface Size {
  json: number;
  memory: number;
}

/**
 * Adds a value to `size`: 16 bytes of memory a value (lists and structs element by element) and two a
 * character of text; in JSON, its text. One pass that allocates nothing, as rows arrive (a 2,000-column
 * result has millions of values, and this runs on the event loop).
 */
export function measure(v: unknown, size: Size): void {
  size.memory += 16;
  if (v === null || v === undefined) size.json += 5;
  else if (typeof v === 'string') {
    // UTF-8 bytes, and what escaping adds (up to 6 bytes for a control character): the cap is on bytes sent.
    size.json += Buffer.byteLength(v, 'utf8') + 3 + (NEEDS_ESCAPE.test(v) ? escapeBytes(v) : 0);
    size.memory += 2 * v.length;
  } else if (typeof v === 'number') size.json += digits(v) + 1;
  else if (typeof v === 'boolean') size.json += 6;
  else if (typeof v === 'bigint') size.json += 21;
  else if (Array.isArray(v)) {
    size.json += 2;
    for (const x of v) measure(x, size);
  } else if (typeof v === 'object') {
    size.json += 2;
    for (const k in v) {
      size.json += k.length + 3;
      size.memory += 2 * k.length;
      measure((v as Record<string, unknown>)[k], size);
    }
  } else size.json += 5;
}

const NEEDS_ESCAPE = /[\u0000-\u001f"\\]/;

/** Bytes JSON escaping adds to a string: 5 for a control character (\u00XX), 1 for `"` and `\`. */
function escapeBytes(v: string): number {
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20) n += 5;
    else if (c === 0x22 || c === 0x5c) n += 1;
  }
  return n;
}

/** Characters of a number's JSON text, without building it. */
function digits(n: number): number {
  if (!Number.isFinite(n)) return 4;
  if (!Number.isInteger(n)) return 24;
  const a = Math.abs(n);
  return (a < 10 ? 1 : Math.floor(Math.log10(a)) + 1) + (n < 0 ? 1 : 0);
}

/** RESULT_TOO_LARGE: a JSON answer past LAKEGATE_QUERY_MAX_RESULT_MB; the streamed formats have no such cap. */
export function resultTooLarge(cap: number): AppError {
  const mb = Math.round((cap / 1024 / 1024) * 100) / 100;
  return new AppError('RESULT_TOO_LARGE', `the JSON result exceeds ${mb} MB (LAKEGATE_QUERY_MAX_RESULT_MB); ask for CSV or NDJSON (Accept: text/csv or application/x-ndjson), which stream without this limit, or lower maxRows`, {
    details: { maxResultBytes: cap, streamingFormats: ['text/csv', 'application/x-ndjson'] },
  });
}

