import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { components } from '../api/openapi-types.js';
import { AppError } from '../errors.js';
import type { QueryParams } from '../query/query-service.js';

export type AnalyticsParam = components['schemas']['AnalyticsParam'];

export interface CannedQuery {
  name: string;
  description: string;
  parameters: AnalyticsParam[];
  /** Hive-dialect SQL with `:name` placeholders, bound by the SQL layer (never pasted). */
  sql: string;
}

const PARAM_LINE = /^--\s*param:\s*([a-z_][a-z0-9_]*)\s+(string|integer|date)\s+(required|optional)((?:\s+[a-z]+=\S+)*)\s*(?:"([^"]*)")?\s*$/i;

/** Parses one queries/*.sql file: `-- description:` and `-- param:` header lines, then the SQL. */
export function parseCannedQuery(name: string, text: string): CannedQuery {
  const parameters: AnalyticsParam[] = [];
  let description = '';
  for (const line of text.split('\n')) {
    const d = /^--\s*description:\s*(.*)$/.exec(line);
    if (d) description = d[1]!.trim();
    if (!/^--\s*param:/.test(line)) continue;
    const m = PARAM_LINE.exec(line.trim());
    if (!m) throw new Error(`queries/${name}.sql: cannot read parameter line '${line}'`);
    const p: AnalyticsParam = { name: m[1]!, type: m[2] as AnalyticsParam['type'], required: m[3] === 'required' };
    for (const opt of (m[4] ?? '').trim().split(/\s+/).filter(Boolean)) {
      const [k, v] = opt.split('=') as [string, string];
      if (k === 'min') p.minimum = Number(v);
      else if (k === 'max') p.maximum = Number(v);
      else if (k === 'default') p.default = p.type === 'integer' ? Number(v) : v;
      else if (k === 'enum') p.enum = v.split('|');
      else throw new Error(`queries/${name}.sql: unknown parameter option ${k}`);
    }
    if (m[5]) p.description = m[5];
    parameters.push(p);
  }
  // The header comments document the file; the SQL sent on is the statement alone.
  const sql = text.split('\n').filter((l) => !/^--/.test(l.trim())).join('\n').trim();
  return { name, description, parameters, sql };
}

export async function loadCannedQueries(dir: string): Promise<Map<string, CannedQuery>> {
  const out = new Map<string, CannedQuery>();
  for (const f of (await readdir(dir)).filter((x) => x.endsWith('.sql')).sort()) {
    const name = f.slice(0, -4);
    out.set(name, parseCannedQuery(name, await readFile(path.join(dir, f), 'utf8')));
  }
  return out;
}

function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Checks query-string values against the declared parameters and returns typed values to bind. */
export function bindParams(q: CannedQuery, raw: Record<string, string | undefined>): QueryParams {
  const unknown = Object.keys(raw).filter((k) => !q.parameters.some((p) => p.name === k));
  if (unknown.length) throw new AppError('VALIDATION_FAILED', `unknown parameter(s) ${unknown.join(', ')} for ${q.name}; it takes ${q.parameters.map((p) => p.name).join(', ') || 'none'}`);
  const out: QueryParams = {};
  for (const p of q.parameters) {
    const v = raw[p.name];
    if (v === undefined || v === '') {
      if (p.required) throw new AppError('VALIDATION_FAILED', `parameter '${p.name}' is required (${p.type})`);
      out[p.name] = (p.default as string | number | undefined) ?? null;
      continue;
    }
    if (p.type === 'integer') {
      const n = Number(v);
      if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n)) throw new AppError('VALIDATION_FAILED', `parameter '${p.name}' must be an integer, got '${v}'`);
      if ((p.minimum !== undefined && n < p.minimum) || (p.maximum !== undefined && n > p.maximum)) {
        throw new AppError('VALIDATION_FAILED', `parameter '${p.name}' must be between ${p.minimum ?? '-inf'} and ${p.maximum ?? 'inf'}, got ${n}`);
      }
      out[p.name] = n;
    } else if (p.type === 'date') {
      if (!isRealDate(v)) throw new AppError('VALIDATION_FAILED', `parameter '${p.name}' must be a date YYYY-MM-DD, got '${v}'`);
      out[p.name] = v;
    } else {
      if (v.length > 200) throw new AppError('VALIDATION_FAILED', `parameter '${p.name}' is longer than 200 characters`);
      if (p.enum && !p.enum.includes(v)) throw new AppError('VALIDATION_FAILED', `parameter '${p.name}' must be one of ${p.enum.join(', ')}`);
      out[p.name] = v;
    }
  }
  return out;
}
