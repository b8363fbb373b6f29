import { hiveRenderer } from '../../catalog/ddl/render-hive.js';
import { impalaRenderer } from '../../catalog/ddl/render-impala.js';
import { backtick } from '../../catalog/ddl/sql-text.js';
import type { TableDef } from '../../catalog/table-def.js';
import type { EngineTablesMode } from '../../config.js';
import { isS3, realLocalPath } from '../../storage/location.js';
import type { CatalogChange } from '../engine.js';

export interface SyncPlan {
  dialect: 'hive' | 'impala';
  mode: EngineTablesMode;
  /** The engine's database (LAKEGATE_<ENGINE>_DATABASE): tables are made and refreshed there. */
  database: string;
  change: CatalogChange;
  /** Whether the engine has not seen this table yet (Impala must INVALIDATE METADATA it). */
  isNew: (def: TableDef) => boolean;
}

const RENDERERS = { hive: hiveRenderer, impala: impalaRenderer } as const;

/**
 * The definition as the engine must see it: in the engine's database, and a local location as its
 * real path (published tables are links to version folders; the engine must read the version the link
 * points to now, and a later publication swaps the link, which the next change re-creates).
 */
async function engineDef(def: TableDef, database: string, mode: EngineTablesMode): Promise<TableDef> {
  const location = mode === 'managed' && !isS3(def.location) ? await realLocalPath(def.location) : def.location;
  return { ...def, database, location };
}

/**
 * The statements that make one engine's tables follow the catalog, a step at a time (TableFollower runs
 * them table by table). `shared`: the dialect's refresh of each changed table (Hive MSCK REPAIR TABLE
 * for partitioned tables; Impala REFRESH, or INVALIDATE METADATA for a table new to it), nothing for a
 * dropped one. `managed`: the database first, then each changed table dropped and created again from
 * its definition (external: dropping keeps the files) and its partitions registered; dropped tables are
 * dropped. The engine checks that a table it drops is external before running these.
 */
export function syncSteps(plan: Omit<SyncPlan, 'change'>): {
  begin: () => string[];
  replace: (def: TableDef) => Promise<string[]>;
  drop: (name: string) => string[];
} {
  const { dialect, mode, database } = plan;
  const renderer = RENDERERS[dialect];
  const table = (name: string): string => `${backtick(database)}.${backtick(name)}`;
  if (mode === 'shared') {
    return { begin: () => [], replace: async (def) => renderer.refresh(await engineDef(def, database, mode), { newTable: plan.isNew(def) }), drop: () => [] };
  }
  return {
    begin: () => [`CREATE DATABASE IF NOT EXISTS ${backtick(database)}`],
    replace: async (def) => {
      const own = await engineDef(def, database, mode);
      return [`DROP TABLE IF EXISTS ${table(def.name)}`, ...renderer.create(own), ...renderer.refresh(own)];
    },
    drop: (name) => [`DROP TABLE IF EXISTS ${table(name)}`],
  };
}

/** Every statement of a change in order, as the engine runs them when nothing fails (golden-tested). */
export async function syncStatements(plan: SyncPlan): Promise<string[]> {
  const { change } = plan;
  if (change.changed.length === 0 && change.dropped.length === 0) return [];
  const steps = syncSteps(plan);
  const out = steps.begin();
  for (const d of change.dropped) out.push(...steps.drop(d.name));
  for (const def of change.changed) out.push(...(await steps.replace(def)));
  return out;
}
