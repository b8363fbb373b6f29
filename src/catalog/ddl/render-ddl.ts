import type { TableDef } from '../table-def.js';
import type { DdlDialect, DialectRenderer, RefreshOptions } from './dialect.js';
import { athenaRenderer } from './render-athena.js';
import { duckdbRenderer } from './render-duckdb.js';
import { hiveRenderer } from './render-hive.js';
import { impalaRenderer } from './render-impala.js';
import { sparkRenderer } from './render-spark.js';
import { trinoRenderer } from './render-trino.js';

export const RENDERERS: Record<DdlDialect, DialectRenderer> = {
  hive: hiveRenderer,
  impala: impalaRenderer,
  athena: athenaRenderer,
  spark: sparkRenderer,
  duckdb: duckdbRenderer,
  trino: trinoRenderer,
};

/** A script: the CREATE statement(s), then what makes the engine see the table's partitions. */
export function renderTableDdl(def: TableDef, dialect: DdlDialect): string {
  const r = RENDERERS[dialect];
  const statements = [...r.create(def), ...r.refresh(def, { newTable: true })];
  return `${statements.map((s) => `${s};`).join('\n\n')}\n`;
}

/** Refresh statements per engine, as a repair result reports them. */
export function refreshStatements(def: TableDef, options: RefreshOptions = {}): Record<'hive' | 'athena' | 'impala' | 'spark', string[]> {
  return {
    hive: hiveRenderer.refresh(def, options),
    athena: athenaRenderer.refresh(def, options),
    impala: impalaRenderer.refresh(def, options),
    spark: sparkRenderer.refresh(def, options),
  };
}
