import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadDdlDir } from '../catalog/ddl/ddl-loader.js';
import type { TableDef } from '../catalog/table-def.js';
import { joinLocation } from '../storage/location.js';

/**
 * The card tables as ddl/ defines them: schema (ddl/<table>.sql) and, for derived tables, the
 * engine-neutral SELECT that computes them (ddl/transforms/<table>.sql). Loaded once at start.
 */
export class TableRegistry {
  private constructor(
    private readonly defs: Map<string, TableDef>,
    private readonly transforms: Map<string, string>,
    readonly ddlDir: string,
  ) {}

  static async load(ddlDir: string, opts: { warehouse: string; database: string }): Promise<TableRegistry> {
    const defs = new Map<string, TableDef>();
    const transforms = new Map<string, string>();
    for (const def of await loadDdlDir(ddlDir, opts)) {
      defs.set(def.name, def);
      const file = path.join(ddlDir, 'transforms', `${def.name}.sql`);
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text !== undefined) transforms.set(def.name, text.trim());
    }
    return new TableRegistry(defs, transforms, ddlDir);
  }

  names(): string[] {
    return [...this.defs.keys()];
  }

  /** The definition of `name`, located under `output` (a pipeline run's output) when given. */
  table(name: string, output?: string): TableDef {
    const def = this.defs.get(name);
    if (!def) throw new Error(`no ddl/ definition for table ${name}`);
    return output === undefined ? def : { ...def, location: joinLocation(output, name) };
  }

  /** The transform SELECT of a derived table, with `:year` bound to a validated integer. */
  transform(name: string, params: { year: number }): string {
    const sql = this.transforms.get(name);
    if (sql === undefined) throw new Error(`no ddl/transforms/${name}.sql`);
    if (!Number.isInteger(params.year)) throw new Error('year must be an integer');
    return sql.replace(/:year\b/g, String(params.year));
  }
}
