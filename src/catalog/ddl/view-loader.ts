import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.js';
import { validateSql, type SqlDialectName } from '../../sql/index.js';

/** A view of the gateway's: a SELECT over catalog tables, expanded into the queries that name it. */
export interface ViewDef {
  database: string;
  name: string;
  /** The SELECT, in `dialect`. */
  sql: string;
  dialect: SqlDialectName;
  /** The `-- ` lines before the statement. */
  comment?: string;
}

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const CREATE_VIEW = new RegExp(`^CREATE\\s+(?:OR\\s+REPLACE\\s+)?VIEW\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(${IDENT})\\.(${IDENT})\\s+AS\\s+([\\s\\S]+?)\\s*;?\\s*$`, 'i');

/**
 * One `CREATE VIEW db.name AS SELECT ...` in Hive SQL, as ddl/ files are written. The SELECT must
 * pass the gateway's validation and name every table with its database, so that a view reads the
 * same whatever default database the query that names it has.
 */
export function parseViewDdl(text: string): ViewDef {
  const lines = text.split('\n');
  const comment = lines.filter((l) => /^\s*--/.test(l)).map((l) => l.replace(/^\s*--\s?/, '')).join('\n').trim();
  const statement = lines.filter((l) => !/^\s*--/.test(l)).join('\n').trim();
  const m = CREATE_VIEW.exec(statement);
  if (!m) throw new AppError('VALIDATION_FAILED', 'expected one CREATE VIEW <database>.<name> AS SELECT ...');
  const view: ViewDef = { database: m[1]!.toLowerCase(), name: m[2]!.toLowerCase(), sql: m[3]!, dialect: 'hive' };
  const bare = validateSql(view.sql, view.dialect).tables.filter((t) => t.database === undefined);
  if (bare.length > 0) throw new AppError('VALIDATION_FAILED', `view ${view.database}.${view.name} names ${bare.map((t) => t.name).join(', ')} without a database`);
  return comment === '' ? view : { ...view, comment };
}

/** Every `*.sql` view of a directory (sorted by name); an error names the file. */
export async function loadViewDir(dir: string): Promise<ViewDef[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const views: ViewDef[] = [];
  for (const file of files) {
    try {
      views.push(parseViewDdl(await readFile(path.join(dir, file), 'utf8')));
    } catch (err) {
      if (err instanceof AppError) throw new AppError(err.code, `${file}: ${err.message}`, { cause: err, details: { ...err.details, file } });
      throw err;
    }
  }
  return views;
}
