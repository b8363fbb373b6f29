import type { Logger } from 'pino';

/** Fields every audit line has. */
interface AuditBase {
  /** The API key's name (`anonymous` without keys, `system` for work no request started). */
  key: string;
  requestId?: string;
  durationMs: number;
  /** `ok`, a problem code (`SQL_NOT_ALLOWED`, `RATE_LIMITED`, ...), or a run's final status. */
  outcome: string;
  status?: number;
}

export interface QueryAudit extends AuditBase {
  route: string;
  /** The canned query's name for GET /analytics/:name. */
  name?: string;
  engine?: string;
  tables: string[];
  /** sha256 of the SQL with its literals replaced (sql-fingerprint.ts); the SQL itself is never logged. */
  sqlFingerprint?: string;
  rows?: number;
  cacheHit?: boolean;
}

export interface PipelineAudit extends AuditBase {
  event: 'submit' | 'finish';
  runId?: string;
  engine?: string;
  stages?: string[];
  tables?: string[];
  rows?: number;
}

export interface CatalogAudit extends AuditBase {
  action: 'create' | 'delete' | 'repair';
  table?: string;
  added?: number;
  removed?: number;
  dryRun?: boolean;
}

/**
 * One structured log line per query, pipeline run (submit and finish) and catalog change: who, what,
 * how long, how it ended. Lines carry `audit: <kind>` so they can be filtered from the request log.
 * By construction they hold no token, no SQL text and no literal value.
 */
export class AuditLog {
  private readonly log: Logger;

  constructor(logger: Logger) {
    // Audit lines are written whatever LOG_LEVEL says, unless logging is off altogether.
    this.log = logger.level === 'silent' ? logger : logger.child({}, { level: 'info' });
  }

  query(a: QueryAudit): void {
    this.log.info({ audit: 'query', ...a }, 'audit query');
  }

  pipeline(a: PipelineAudit): void {
    this.log.info({ audit: 'pipeline', ...a }, `audit pipeline ${a.event}`);
  }

  catalog(a: CatalogAudit): void {
    this.log.info({ audit: 'catalog', ...a }, `audit catalog ${a.action}`);
  }
}
