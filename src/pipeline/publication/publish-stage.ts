import { AppError, abortError } from '../../errors.js';
import { withRowCountChecks } from '../quality-rules.js';
import { STAGE_TABLES, YEAR_PARTITIONED_TABLES, type JobSession, type PublicationJournal, type StageContext, type StageName, type StageOutcome, type StagePublication, type StageTarget } from '../pipeline-types.js';
import { versionName, type TablePublisher } from './table-publisher.js';

/**
 * Runs one stage attempt on a job session and publishes what the session reports having written.
 * The session only writes, to the fresh locations the target gives it; this decides what becomes
 * live. A quality FAIL, an abort or an error discards every version the attempt prepared; otherwise
 * the reported tables are published as one commit (publishStage) and the outcome says where they live.
 */
export async function runPublishedStage(
  session: JobSession,
  stage: StageName,
  ctx: Omit<StageContext, 'target'>,
  o: { publisher: TablePublisher; journal: PublicationJournal },
): Promise<StageOutcome> {
  const version = versionName(ctx.runId, ctx.attempt);
  // One location per table of the stage, prepared once: asking again must not empty what was written.
  const prepared = new Map<string, Promise<string>>();
  const target: StageTarget = {
    version,
    location: (table) => {
      if (!STAGE_TABLES[stage].includes(table)) return Promise.reject(new AppError('INTERNAL', `stage ${stage} does not write ${table}`));
      let at = prepared.get(table);
      if (!at) prepared.set(table, (at = o.publisher.prepare(table, version)));
      return at;
    },
  };
  // Nothing of an attempt that is not published stays behind (a retry writes a new version).
  const discard = async (tables: Iterable<string>): Promise<void> => {
    for (const t of tables) await o.publisher.discard?.(t, version).catch(() => undefined);
  };
  try {
    const outcome = await session.runStage(stage, { ...ctx, target });
    // A cancel or timeout wins over what the attempt found.
    if (ctx.signal.aborted) throw abortError(ctx.signal);
    // Jobs that compute quality themselves (Spark, EMR) leave the row-count checks to publication.
    if (outcome.quality) outcome.quality = withRowCountChecks(outcome.quality, outcome.rows, ctx.rows);
    if (outcome.quality?.overall === 'FAIL') {
      ctx.log('quality FAIL: nothing is published and the run stops here');
      await discard(prepared.keys());
      return { ...outcome, tables: [] };
    }
    const stray = outcome.tables.filter((t) => !prepared.has(t));
    if (stray.length > 0) throw new AppError('INTERNAL', `the ${stage} job reported ${stray.join(', ')}, which it was given no location for`);
    // Prepared but not reported (a job that wrote fewer tables than it was given): not published, so not kept.
    await discard([...prepared.keys()].filter((t) => !outcome.tables.includes(t)));
    if (outcome.tables.length === 0) return outcome;
    await publishStage(o.publisher, outcome.tables, version, { ...(outcome.tableRows ? { rows: outcome.tableRows } : {}), allowEmpty: ctx.rows.rules.allowEmpty, journal: o.journal, log: ctx.log, year: ctx.year });
    const locations: Record<string, string> = {};
    for (const t of outcome.tables) {
      const at = o.publisher.publishedLocation?.(t, version);
      if (at) locations[t] = at;
    }
    return { ...outcome, ...(Object.keys(locations).length > 0 ? { locations } : {}) };
  } catch (err) {
    await discard(prepared.keys());
    throw err;
  }
}

export interface PublishStageOptions {
  /** Rows written per table when the writer knows them; otherwise the publisher counts them. */
  rows?: Record<string, number>;
  /** Whether an empty table may replace a live one (the run's allowEmpty). */
  allowEmpty: boolean;
  journal: PublicationJournal;
  log?: (line: string) => void;
  /** The run's year: its partition of a year-partitioned table is replaced even when the stage wrote no rows to it. */
  year?: number;
}

/**
 * Publishes every table a stage wrote as one commit: the intent (version, tables, the versions they
 * replace) is recorded in the run before the first swap, each swap after it happens, and the outcome
 * after the last. A failure part-way points the swapped tables back, so a stage is either live as a
 * whole or not at all; after a crash, recovery does the same from the recorded intent
 * (`rollBackPublication`). An empty table is never published unless the run allows it.
 */
export async function publishStage(publisher: TablePublisher, tables: readonly string[], version: string, o: PublishStageOptions): Promise<void> {
  if (!o.allowEmpty) await refuseEmpty(publisher, tables, version, o.rows);
  await publisher.checkLayout?.(tables);
  const previous: Record<string, string | null> = {};
  for (const t of tables) {
    // A plain directory becomes a version first, so that a roll-back has it to return to.
    await publisher.adopt?.(t);
    previous[t] = (await publisher.current?.(t)) ?? null;
    // A table of one partition per year keeps the years this stage did not write.
    const from = previous[t];
    if (YEAR_PARTITIONED_TABLES.has(t) && from && from !== version && publisher.keepPartitions) {
      const kept = await publisher.keepPartitions(t, version, from, o.year === undefined ? [] : [`txn_year=${o.year}`]);
      if (kept.length > 0) o.log?.(`${t}: kept ${kept.join(', ')} from ${from}`);
    }
  }
  const record: StagePublication = { version, tables: [...tables], previous, state: 'publishing', published: [] };
  await o.journal({ ...record });
  try {
    for (const t of tables) {
      await publisher.publish(t, version);
      record.published = [...record.published!, t];
      await o.journal({ ...record });
    }
  } catch (err) {
    await undoPublication(publisher, record, o);
    throw err;
  }
  await o.journal({ ...record, state: 'published' });
}

/**
 * Rolls a publication back and records that it was; a roll-back that fails leaves the record as it
 * was, so that the next start (recovery) tries again from the same intent.
 */
export async function undoPublication(publisher: TablePublisher, record: StagePublication, o: Pick<PublishStageOptions, 'journal' | 'log'>): Promise<string[]> {
  let undone: string[];
  try {
    undone = await rollBackPublication(publisher, record);
  } catch (e) {
    o.log?.(`could not roll back ${record.version}: ${(e as Error).message}; the next start tries again`);
    return [];
  }
  await o.journal({ ...record, state: 'rolledBack' }).catch(() => undefined);
  if (undone.length > 0) o.log?.(`rolled back ${undone.join(', ')} to the versions they had before`);
  return undone;
}

/** Points every table the publication swapped back at the version it replaced. */
export async function rollBackPublication(publisher: TablePublisher, p: StagePublication): Promise<string[]> {
  if (!publisher.rollback || !publisher.current) return [];
  const undone: string[] = [];
  for (const t of p.tables) {
    if ((await publisher.current(t)) !== p.version) continue;
    await publisher.rollback(t, p.previous[t] ?? undefined);
    undone.push(t);
  }
  return undone;
}

async function refuseEmpty(publisher: TablePublisher, tables: readonly string[], version: string, rows: Record<string, number> = {}): Promise<void> {
  const empty: string[] = [];
  for (const t of tables) {
    const n = rows[t] ?? (await publisher.rowsIn?.(t, version));
    if (n === 0) empty.push(t);
  }
  if (empty.length > 0) {
    throw new AppError('EMPTY_OUTPUT', `the stage wrote no rows to ${empty.join(', ')}; nothing was published (the live tables are unchanged). Send allowEmpty: true to publish empty tables`, {
      details: { emptyTables: empty },
    });
  }
}
