import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.js';
import { SCOPES, type Scope } from './route-scopes.js';

/** Per-key caps; absent fields fall back to the gateway's own limits. */
export interface KeyLimits {
  /** Requests per minute (overrides LAKEGATE_RATE_LIMIT_PER_MINUTE for this key; 0 = unlimited). */
  rpm?: number;
  /** Largest maxRows this key may ask for, and its default when it asks for none. */
  maxRows?: number;
  /** Largest timeoutMs this key may ask for, and its default when it asks for none. */
  timeoutMs?: number;
  /** Largest maxScanBytes this key may ask for, and its budget when it asks for none (engines that bill by scan). */
  maxScanBytes?: number;
}

/** The caller a request was authenticated as. Never holds the token. */
export interface Principal {
  name: string;
  scopes: ReadonlySet<Scope>;
  limits: KeyLimits;
}

interface StoredKey extends Principal {
  digest: Buffer;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const TOKEN = /^[A-Za-z0-9._~+/=-]{16,512}$/;
const LIMIT_NAMES = ['rpm', 'maxRows', 'timeoutMs', 'maxScanBytes'] as const;

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

function invalid(entry: number, why: string): AppError {
  return new AppError('VALIDATION_FAILED', `LAKEGATE_API_KEYS entry ${entry}: ${why} (expected name:token:scope+scope[:rpm=N+maxRows=N+timeoutMs=N+maxScanBytes=N])`);
}

function parseLimits(raw: string | undefined, entry: number): KeyLimits {
  const limits: KeyLimits = {};
  if (raw === undefined) return limits;
  for (const part of raw.split('+')) {
    const [k, v, extra] = part.split('=');
    if (!(LIMIT_NAMES as readonly string[]).includes(k ?? '') || v === undefined || extra !== undefined) {
      throw invalid(entry, `unknown limit '${part}'; use ${LIMIT_NAMES.join(', ')}`);
    }
    const n = Number(v);
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || (n === 0 && k !== 'rpm')) throw invalid(entry, `limit ${k} must be a positive integer, got '${v}'`);
    limits[k as (typeof LIMIT_NAMES)[number]] = n;
  }
  return limits;
}

/**
 * The API keys of LAKEGATE_API_KEYS: comma-separated `name:token:scopes[:limits]` entries, scopes out
 * of query, pipelines, catalog, admin joined by `+`, e.g.
 * `bi:Xk9...:query:maxRows=50000+timeoutMs=60000+maxScanBytes=10000000000,airflow:Q2f...:pipelines+query`.
 * Tokens are kept only as SHA-256 digests and compared in constant time.
 */
export class ApiKeys {
  private constructor(private readonly keys: StoredKey[]) {}

  /** Parses the raw variable; a malformed entry is a startup error naming the entry (never its token). */
  static parse(raw: string): ApiKeys {
    const keys: StoredKey[] = [];
    const entries = raw.split(',').map((e) => e.trim()).filter((e) => e !== '');
    entries.forEach((text, i) => {
      const entry = i + 1;
      const fields = text.split(':');
      if (fields.length < 3 || fields.length > 4) throw invalid(entry, `has ${fields.length} ':'-separated fields`);
      const [name, token, scopeText, limitText] = fields as [string, string, string, string | undefined];
      if (!NAME.test(name)) throw invalid(entry, `key name '${name}' must match ${NAME.source}`);
      if (!TOKEN.test(token)) throw invalid(entry, `the token of '${name}' must be 16 to 512 characters of [A-Za-z0-9._~+/=-]`);
      const scopes = new Set<Scope>();
      for (const s of scopeText.split('+')) {
        if (!(SCOPES as readonly string[]).includes(s)) throw invalid(entry, `unknown scope '${s}' for '${name}'; use ${SCOPES.join(', ')}`);
        scopes.add(s as Scope);
      }
      const d = digest(token);
      if (keys.some((k) => k.name === name)) throw invalid(entry, `key name '${name}' is used twice`);
      if (keys.some((k) => k.digest.equals(d))) throw invalid(entry, `the token of '${name}' is also another key's token`);
      keys.push({ name, scopes, limits: parseLimits(limitText, entry), digest: d });
    });
    return new ApiKeys(keys);
  }

  /** No keys configured: the gateway is open (and server.ts keeps it on loopback). */
  get empty(): boolean {
    return this.keys.length === 0;
  }

  get size(): number {
    return this.keys.length;
  }

  /** The key whose token this is. Every key is compared, in constant time, whatever matches. */
  authenticate(token: string): Principal | undefined {
    const d = digest(token);
    let found: StoredKey | undefined;
    for (const k of this.keys) {
      if (timingSafeEqual(k.digest, d)) found = k;
    }
    return found && { name: found.name, scopes: found.scopes, limits: found.limits };
  }
}
