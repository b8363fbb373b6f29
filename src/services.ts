import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AthenaClient } from '@aws-sdk/client-athena';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from 'pino';
import { loadViewDir } from './catalog/ddl/view-loader.js';
import { loadCannedQueries, type CannedQuery } from './analytics/canned-queries.js';
import type { Config } from './config.js';
import type { CatalogService } from './catalog/catalog-service.js';
import type { CatalogStore } from './catalog/catalog-store.js';
import type { TableDef } from './catalog/table-def.js';
import { CachedCatalogStore } from './catalog/cached-catalog-store.js';
import { DefaultCatalogService } from './catalog/default-catalog-service.js';
import { GlueCatalogStore } from './catalog/glue/glue-catalog-store.js';
import { LocalCatalogStore } from './catalog/local/local-catalog-store.js';
import { AthenaQueryEngine } from './engines/athena/athena-engine.js';
import { DuckDBQueryEngine } from './engines/duckdb/duckdb-engine.js';
import { engineSyncHook } from './engines/engine-sync.js';
import { createHiveServer2Engine } from './engines/hiveserver2/index.js';
import { ImpalaQueryEngine } from './engines/impala/impala-engine.js';
import { TrinoQueryEngine } from './engines/trino/trino-engine.js';
import type { QueryEngine, QueryEngineName } from './engines/engine.js';
import { createEmrJobBackend } from './jobs/emr/create-emr-job-backend.js';
import { LocalJobBackend } from './jobs/local/local-job-backend.js';
import { findSparkSubmit } from './jobs/spark/spark-install.js';
import { SparkJobBackend } from './jobs/spark/spark-job-backend.js';
import type { JobBackend, PipelineEngine } from './pipeline/pipeline-types.js';
import { outputPublishers } from './pipeline/publication/output-publishers.js';
import { currentContext } from './observability/request-context.js';
import { Telemetry } from './observability/telemetry.js';
import { PipelineService } from './pipeline/pipeline-service.js';
import { liveVersionOf } from './pipeline/publication/live-version.js';
import { RunStore } from './pipeline/run-store.js';
import { TableRegistry } from './pipeline/table-registry.js';
import { QueryService } from './query/query-service.js';
import { ScanEstimator } from './query/scan/scan-estimator.js';
import { TranslatorPool } from './sql/index.js';
import { ConsoleAssets } from './console/console-assets.js';
import { LocalStorage } from './storage/local/local-storage.js';
import { S3Storage } from './storage/s3/s3-storage.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Everything routes call. Built once by createServices; the only place that picks implementations. */
export interface Services {
  config: Config;
  logger: Logger;
  version: string;
  tables: TableRegistry;
  pipelines: PipelineService;
  catalog: CatalogService;
  query: QueryService;
  analytics: Map<string, CannedQuery>;
  /** Metrics and the audit log. */
  telemetry: Telemetry;
  /** The web console's built files (console/dist), served at /console/. */
  consoleAssets: ConsoleAssets;
  isReady(): boolean;
  close(): Promise<void>;
}

/** SDK client settings from the standard AWS environment (the credential chain is the SDK's own). */
function awsClientConfig(config: Config): { region: string; endpoint?: string; forcePathStyle?: boolean } {
  return config.aws.endpoint ? { region: config.aws.region, endpoint: config.aws.endpoint, forcePathStyle: true } : { region: config.aws.region };
}

/**
 * Loads ddl/ into the catalog at start: tables the catalog does not have yet are registered (and
 * their partitions discovered), so the card tables are queryable before the first pipeline run.
 */
async function registerDeclaredTables(catalog: CatalogService, tables: TableRegistry, logger: Logger): Promise<void> {
  try {
    const known = new Set((await catalog.store.listTables()).map((t) => t.name));
    const missing = tables.names().filter((n) => !known.has(n)).map((n) => tables.table(n));
    if (missing.length === 0) return;
    await catalog.registerAndRepair(missing);
    logger.info({ tables: missing.map((d) => d.name) }, 'registered ddl/ tables in the catalog');
  } catch (err) {
    logger.warn({ err }, 'could not register every ddl/ table at start; they register after the next pipeline run');
  }
}

/**
 * Where pipelines can run: always the embedded engine; Spark when a spark-submit is found (SPARK_HOME
 * or the project's .venv); EMR when LAKEGATE_S3_STAGING is set.
 */
async function jobBackends(config: Config, tables: TableRegistry, s3: S3Client, logger: Logger): Promise<Partial<Record<PipelineEngine, JobBackend>>> {
  const backends: Partial<Record<PipelineEngine, JobBackend>> = {
    local: new LocalJobBackend({
      tables,
      s3,
      scratchDir: config.homeDirs.scratch,
      memoryLimit: config.pipeline.memoryLimit,
      tempDir: path.join(config.homeDirs.tmp, 'pipeline'),
      benchmarkSampleRows: config.pipeline.benchmarkSampleRows,
      progressIntervalMs: config.pipeline.progressIntervalMs,
    }),
  };
  const spark = findSparkSubmit({ root: ROOT, sparkHome: config.spark.home });
  if (spark) {
    backends.spark = new SparkJobBackend({ sparkSubmit: spark.sparkSubmit, python: spark.python, sparkDir: path.join(ROOT, 'spark'), ddlDir: path.join(ROOT, 'ddl'), master: config.spark.master });
  } else {
    logger.info('no spark-submit found (SPARK_HOME or .venv): engine spark answers 501');
  }
  if (config.emr.s3Staging) {
    backends.emr = await createEmrJobBackend(config, {
      sparkDir: path.join(ROOT, 'spark'),
      ddlDir: path.join(ROOT, 'ddl'),
      clusterSpecFile: path.join(ROOT, 'spark', 'emr-cluster.json'),
    });
  }
  return backends;
}

export async function createServices(config: Config, logger: Logger): Promise<Services> {
  if (!config.warehouse.startsWith('s3://')) await mkdir(config.warehouse, { recursive: true });
  const aws = awsClientConfig(config);
  const s3Client = new S3Client(aws);
  const database = config.catalog.glueDatabase;
  const tables = await TableRegistry.load(path.join(ROOT, 'ddl'), { warehouse: config.warehouse, database });

  const backing: CatalogStore =
    config.catalog.kind === 'glue'
      ? new GlueCatalogStore({ client: new GlueClient(aws), database })
      : await LocalCatalogStore.open({ dir: config.homeDirs.catalog, database });
  // Every query reads the table list. The local store is ours alone, so writes through it are the only
  // changes and the copy can live; Glue is shared with other writers (and its failures must show), so
  // it is read every time.
  const store = new CachedCatalogStore(backing, config.catalog.kind === 'glue' ? 0 : 60_000);
  const listDefinitions = async () => store.listTables();
  const engines: Partial<Record<QueryEngineName, QueryEngine>> = {
    duckdb: new DuckDBQueryEngine({ listTables: listDefinitions, memoryLimit: config.query.memoryLimit, localRoots: config.localRoots }),
    athena: new AthenaQueryEngine({
      client: new AthenaClient(aws),
      workgroup: config.athena.workgroup,
      outputLocation: config.athena.outputLocation,
      database,
    }),
    // Without LAKEGATE_IMPALA_HOST, Impala only translates (501 with the SQL it would run).
    impala: config.impala ? createHiveServer2Engine('impala', 'impala', config.impala) : new ImpalaQueryEngine(),
    ...(config.hive ? { hive: createHiveServer2Engine('hive', 'hive', config.hive) } : {}),
    ...(config.trino ? { trino: new TrinoQueryEngine(config.trino) } : {}),
  };
  const catalog = new DefaultCatalogService({
    store,
    storage: { local: new LocalStorage(), s3: new S3Storage({ client: s3Client }) },
    warehouse: config.warehouse,
    database,
    localRoots: config.localRoots,
    // Only engines with tables of their own follow the catalog; with none, nothing runs after a change.
    ...(Object.values(engines).some((e) => e.onCatalogChange) ? { engineSync: engineSyncHook(Object.values(engines), logger) } : {}),
  });

  await registerDeclaredTables(catalog, tables, logger);
  // Engines with tables of their own get every catalog table once at start (in the background: an
  // engine that is down must not keep the gateway from starting; the next change retries it).
  void catalog
    .syncEngines((await store.listTables()).map((d) => d.name), 'startup')
    .catch((err: unknown) => logger.warn({ err }, 'engine tables did not follow the catalog at start'));

  const telemetry = new Telemetry(logger);
  const runs = await RunStore.open(config.homeDirs.runs);
  const publishers = outputPublishers(s3Client);
  const runLog = (runId: string, line: string): void => {
    logger.info({ runId }, line);
    void runs.appendLog(runId, line).catch(() => undefined);
  };
  const pipelines = new PipelineService({
    store: runs,
    tables,
    catalog,
    s3: s3Client,
    backends: await jobBackends(config, tables, s3Client, logger),
    warehouse: config.warehouse,
    localRoots: config.localRoots,
    ...(config.pipeline.inputRoots ? { inputRoots: config.pipeline.inputRoots } : {}),
    maxInputFiles: config.pipeline.maxInputFiles,
    stageRetries: config.pipeline.stageRetries,
    retryDelayMs: config.pipeline.retryDelayMs,
    timeoutMs: config.pipeline.timeoutMs,
    maxActiveRuns: config.pipeline.maxActiveRuns,
    progressIntervalMs: config.pipeline.progressIntervalMs || 500,
    publishers,
    ...(config.pipeline.faultKillAt ? { killAt: config.pipeline.faultKillAt } : {}),
    home: config.home,
    reserved: Object.values(config.homeDirs),
    log: runLog,
    observer: telemetry,
  });
  const recovered = await pipelines.recover();
  if (recovered > 0) logger.warn({ recovered }, 'marked runs interrupted by a restart as failed');

  // Long SQL texts are translated on a worker thread, so that parsing them never holds /healthz.
  const translator = new TranslatorPool();
  // The versions of a listing that carried them (Glue: every query lists first) need no read per table.
  const tableState = async (def: TableDef): Promise<string> => `${store.listedVersion(def.name) ?? (await store.tableVersion(def.name))}:${await liveVersionOf(def.location)}`;
  const query = new QueryService({
    engines,
    translator,
    tables: listDefinitions,
    tableState,
    scan: new ScanEstimator({ partitions: (def) => store.listPartitions(def.name, undefined, def), storageFor: (location) => catalog.storageFor(location), tableState }),
    limits: config.query,
    observer: telemetry,
    caps: () => currentContext()?.principal?.limits,
    ...(config.compat ? { views: await loadViewDir(path.join(ROOT, 'ddl', 'compat', config.compat)) } : {}),
  });
  telemetry.watch({ queueDepth: () => query.queueDepth, engines: Object.values(engines) });
  const analytics = await loadCannedQueries(path.join(ROOT, 'queries'));

  let ready = true;
  return {
    config,
    logger,
    version: '0.1.0',
    tables,
    pipelines,
    catalog,
    query,
    analytics,
    telemetry,
    consoleAssets: new ConsoleAssets(path.join(ROOT, 'console', 'dist')),
    isReady: () => ready,
    close: async () => {
      ready = false;
      await pipelines.close();
      await Promise.all(Object.values(engines).map((e) => e.close()));
      await translator.close();
      await store.close();
    },
  };
}
