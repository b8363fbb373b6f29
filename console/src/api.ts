/** The gateway's error body (RFC 9457 problem+json with a stable `code`). */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code: string;
  detail?: string;
  position?: { line: number; column: number };
  [key: string]: unknown;
}

/** A request the gateway refused or failed, with its problem. */
export class ApiError extends Error {
  constructor(
    readonly problem: Problem,
    /** The answer's Retry-After, in seconds, when it had one. */
    readonly retryAfter?: number,
  ) {
    super(problem.detail ?? problem.title ?? problem.code);
  }
  get code(): string {
    return this.problem.code;
  }
  get status(): number {
    return this.problem.status;
  }
}

const KEY = 'lakegate.apiKey';

/** The API key of this tab: entered once, kept in sessionStorage, sent as a Bearer token. */
export const apiKey = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (token: string): void => sessionStorage.setItem(KEY, token),
  clear: (): void => sessionStorage.removeItem(KEY),
};

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** What to ask for; the answer is parsed accordingly. Default JSON. */
  accept?: 'json' | 'text' | 'csv';
}

const ACCEPT = { json: 'application/json', text: 'text/plain', csv: 'text/csv' } as const;

/** How far the gateway's clock is ahead of this browser's, from the last answer's Date header (1 s precision). */
let clockSkewMs = 0;

/** The gateway's time now, as far as its last answer tells: durations of running work are measured on its clock. */
export function serverNow(): number {
  return Date.now() + clockSkewMs;
}

/** A random hex token (crypto.randomUUID exists only on https and localhost pages; this works on plain http too). */
export function randomToken(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Calls the gateway (same origin). Non-2xx answers throw ApiError; a 401 also tells the shell to ask for a key. */
export async function request(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: ACCEPT[options.accept ?? 'json'] };
  const token = apiKey.get();
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    signal: options.signal ?? null,
  });
  const date = Date.parse(res.headers.get('date') ?? '');
  if (Number.isFinite(date)) clockSkewMs = date - Date.now();
  if (res.ok) return res;
  let problem: Problem;
  try {
    problem = (await res.json()) as Problem;
  } catch {
    problem = { status: res.status, code: 'HTTP_' + res.status, detail: res.statusText };
  }
  if (res.status === 401) window.dispatchEvent(new CustomEvent('lakegate:unauthorized'));
  const after = Number(res.headers.get('retry-after'));
  throw new ApiError(problem, Number.isFinite(after) && after > 0 ? after : undefined);
}

/** GET/POST answering JSON. */
export async function getJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await (await request(path, options)).json()) as T;
}

/** GET answering text (DDL, logs). */
export async function getText(path: string, options: RequestOptions = {}): Promise<string> {
  return (await request(path, { ...options, accept: options.accept ?? 'text' })).text();
}

/** A query string from defined values. */
export function qs(params: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Answers that say "ask again later": rate limited, shedding load or restarting, or no answer at all. */
export function isTransient(err: unknown): boolean {
  if (err instanceof ApiError) return err.status === 429 || err.status === 503;
  return err instanceof TypeError; // fetch's network failure
}

/** How long a transient failure asks to wait: its Retry-After (at most a minute), else 2 s. */
export function retryDelayMs(err: unknown): number {
  const after = err instanceof ApiError ? err.retryAfter : undefined;
  return after === undefined ? 2000 : Math.min(after, 60) * 1000;
}

/** What an error says to a person: the problem's code and detail. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return err.message;
  return String(err);
}
