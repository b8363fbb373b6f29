import { AppError } from '../errors.js';
import type { Query, TableRef } from './ir.js';
import { mapQuery, type TableItem } from './ir-walk.js';
import type { TableResolver } from './resolve.js';
import { validateSql } from './validate.js';

/** Views may name views; past this depth (or on a cycle) the definition is refused. */
const MAX_VIEW_DEPTH = 8;

export interface ExpandedQuery {
  query: Query;
  /** The tables read once every view is replaced by its query (views excluded), in order of appearance. */
  tables: TableRef[];
  warnings: string[];
}

const same = (a: TableRef, b: TableRef): boolean => a.name === b.name && a.database === b.database;

/**
 * Replaces every reference to a view by the view's query, as a derived table under the reference's
 * alias (or the view's name, so that `v.col` still resolves). A view's query is validated in its own
 * dialect as any query is; the tables it reads are resolved as its references are, so its own bare
 * names follow the request's default database too.
 */
export function expandViews(query: Query, tables: readonly TableRef[], resolve: TableResolver): ExpandedQuery {
  const read: TableRef[] = [];
  const warnings = new Set<string>();
  const note = (ref: TableRef): void => {
    if (!read.some((r) => same(r, ref))) read.push(ref);
  };
  const expand = (q: Query, refs: readonly TableRef[], path: string[]): Query => {
    const views = new Map<string, Query>();
    for (const ref of refs) {
      const hit = resolve(ref);
      if (!hit || !('view' in hit)) {
        note(ref);
        continue;
      }
      const shown = ref.database ? `${ref.database}.${ref.name}` : ref.name;
      if (path.includes(shown) || path.length >= MAX_VIEW_DEPTH) {
        throw new AppError('SQL_NOT_ALLOWED', `view ${shown} refers to itself, or views nest deeper than ${MAX_VIEW_DEPTH}: ${[...path, shown].join(' -> ')}`);
      }
      const body = validateSql(hit.view.sql, hit.view.dialect);
      for (const w of body.warnings) warnings.add(w);
      views.set(key(ref), expand(body.query, body.tables, [...path, shown]));
    }
    if (views.size === 0) return q;
    return mapQuery(q, (e) => e, (item: TableItem) => {
      const view = views.get(key(item.ref));
      return view ? { kind: 'derived', query: view, alias: item.alias ?? item.ref.name } : item;
    });
  };
  const expanded = expand(query, tables, []);
  return { query: expanded, tables: read, warnings: [...warnings] };
}

const key = (ref: TableRef): string => `${ref.database ?? ''}.${ref.name}`;
