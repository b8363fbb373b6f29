import { lstat, mkdir, readdir, readlink, rename, symlink } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.js';
import { LocalStorage } from '../../storage/local/local-storage.js';
import { keptPartitions, parquetRowsUnder, STAGING_DIR, VERSIONS_DIR, type TablePublisher } from './table-publisher.js';

export { STAGING_DIR, VERSIONS_DIR };

const VERSIONS = VERSIONS_DIR;

/**
 * Atomic per-table publication on a local filesystem. A table `<output>/<name>` is a symlink to
 * `<output>/.versions/<name>/<version>`; writers fill a fresh version directory and publishing swaps
 * the link with one rename(2), so a reader or a killed process sees the old table or the new one,
 * never a half-written one.
 */
export class LocalTablePublisher implements TablePublisher {
  private readonly storage = new LocalStorage();

  constructor(private readonly output: string) {}

  /** A new, empty directory to write `table` into; nothing reads it until publish(). */
  async prepare(table: string, version: string): Promise<string> {
    await this.checkLayout([table]);
    const dir = path.join(this.output, VERSIONS, table, version);
    await this.storage.removeAll(dir);
    await mkdir(path.dirname(dir), { recursive: true });
    return dir;
  }

  /** Points `<output>/<table>` at the version directory, then prunes old versions. */
  async publish(table: string, version: string): Promise<void> {
    await this.checkLayout([table]);
    await this.adopt(table);
    const previous = await this.current(table);
    await this.pointAt(table, version);
    await this.prune(table, version, previous);
  }

  /** Points the table back at `version` (kept by publish's pruning), or removes its link. */
  async rollback(table: string, version: string | undefined): Promise<void> {
    if (version === undefined) await this.storage.removeAll(path.join(this.output, table));
    else await this.pointAt(table, version);
  }

  keepPartitions(table: string, version: string, from: string, replaced: readonly string[]): Promise<string[]> {
    const dir = (v: string): string => path.join(this.output, VERSIONS, table, v);
    return keptPartitions(this.storage, dir(from), dir(version), replaced);
  }

  /** Data rows in a prepared version, summed from its Parquet footers. */
  async rowsIn(table: string, version: string): Promise<number> {
    return parquetRowsUnder(this.storage, path.join(this.output, VERSIONS, table, version));
  }

  /**
   * `.versions`, `.versions/<table>` and `.staging` must be real directories (or absent), and
   * `<table>` a link into `.versions/<table>/`, a plain directory, or absent: a link planted at any of
   * them would make prepare write, and prune delete, outside the output.
   */
  async checkLayout(tables: readonly string[]): Promise<void> {
    const refuse = (what: string): never => {
      throw new AppError('OUTPUT_OVERLAPS', `output ${this.output}: ${what} is a link out of the output; remove it or choose another output`);
    };
    for (const dir of [VERSIONS, STAGING_DIR, ...tables.map((t) => path.join(VERSIONS, t))]) {
      if ((await lstat(path.join(this.output, dir)).catch(() => undefined))?.isSymbolicLink()) refuse(dir);
    }
    for (const t of tables) {
      const st = await lstat(path.join(this.output, t)).catch(() => undefined);
      if (!st?.isSymbolicLink()) continue;
      const target = await readlink(path.join(this.output, t));
      if (path.isAbsolute(target) || path.dirname(target) !== path.join(VERSIONS, t) || target.includes('..')) refuse(`${t} (-> ${target})`);
    }
  }

  /** Swaps the table's link to `version` with one rename(2). */
  private async pointAt(table: string, version: string): Promise<void> {
    const tmp = path.join(this.output, `.${table}.swap-${process.pid}-${Date.now()}`);
    await symlink(path.join(VERSIONS, table, version), tmp, 'dir');
    await rename(tmp, path.join(this.output, table));
  }

  /** Removes what an attempt that will not be published wrote for `table`. */
  async discard(table: string, version: string): Promise<void> {
    await this.removeUnpublished(table, (v) => v === version);
  }

  /** The link itself: it always points at the live version. */
  publishedLocation(table: string): string {
    return path.join(this.output, table);
  }

  /** The version a table's link points at, if it is published. */
  async current(table: string): Promise<string | undefined> {
    try {
      return path.basename(await readlink(path.join(this.output, table)));
    } catch {
      return undefined;
    }
  }

  /** Removes version directories of `table` that no link points at and that `keep` does not name. */
  async removeUnpublished(table: string, belongsToRun: (version: string) => boolean): Promise<void> {
    const live = await this.current(table);
    for (const v of await this.versions(table)) {
      if (v !== live && belongsToRun(v)) await this.storage.removeAll(path.join(this.output, VERSIONS, table, v));
    }
  }

  private async versions(table: string): Promise<string[]> {
    try {
      return await readdir(path.join(this.output, VERSIONS, table));
    } catch {
      return [];
    }
  }

  /**
   * Keeps the live version and the one it replaced (readers that resolved the link before the swap
   * may still be reading it); everything else goes, including what failed attempts left behind.
   */
  private async prune(table: string, live: string, previous: string | undefined): Promise<void> {
    const dir = path.join(this.output, VERSIONS, table);
    for (const v of await this.versions(table)) {
      if (v !== live && v !== previous) await this.storage.removeAll(path.join(dir, v));
    }
  }

  /** A table directory written by something else (an older layout, a Spark job) becomes a version first. */
  async adopt(table: string): Promise<void> {
    const link = path.join(this.output, table);
    const st = await lstat(link).catch(() => undefined);
    if (!st || st.isSymbolicLink()) return;
    const adopted = `adopted-${Date.now()}`;
    await mkdir(path.join(this.output, VERSIONS, table), { recursive: true });
    await rename(link, path.join(this.output, VERSIONS, table, adopted));
    await symlink(path.join(VERSIONS, table, adopted), link, 'dir');
  }
}
