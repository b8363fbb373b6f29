import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/hive-corpus');

export interface CorpusQuery {
  id: string;
  sql: string;
  /** `-- families: date, cast` header: which function families the query exercises. */
  families: string[];
  /** `-- tolerance: 0.05` header: relative tolerance for approximate results (default 1e-9). */
  tolerance: number;
  /** `-- from: spark` header: the source dialect (default hive); Spark runs the query as it is either way. */
  from: 'hive' | 'spark';
  /**
   * `-- refused: trino: <why>` headers (one per target): the query has no faithful translation to that
   * target, and translating it there must fail with SQL_UNTRANSLATABLE.
   */
  refused: Partial<Record<string, string>>;
}

/** Every `*.sql` file of the Hive corpus, in name order. Headers are `-- key: value` comment lines. */
export function loadCorpus(): CorpusQuery[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const sql = readFileSync(path.join(CORPUS_DIR, file), 'utf8').trim();
      const header = (name: string): string | undefined => new RegExp(`^--\\s*${name}:\\s*(.+)$`, 'im').exec(sql)?.[1]?.trim();
      return {
        id: file.replace(/\.sql$/, ''),
        sql,
        families: (header('families') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
        tolerance: Number(header('tolerance') ?? '1e-9'),
        from: header('from') === 'spark' ? 'spark' : 'hive',
        refused: Object.fromEntries([...sql.matchAll(/^--\s*refused:\s*(\w+):\s*(.+)$/gim)].map((m) => [m[1]?.toLowerCase(), m[2]?.trim()])),
      };
    });
}
