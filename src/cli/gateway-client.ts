import { AppError } from '../errors.js';

/** A gateway's answer that was not a success: its problem+json, or what stood in for it. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** A gateway out of reach, shedding load or rate-limiting: worth asking again later. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

export interface GatewayClientOptions {
  /** The gateway's base URL (LAKEGATE_URL). */
  url: string;
  /** An API key, sent as a Bearer token (LAKEGATE_TOKEN). */
  token?: string;
  /** Milliseconds one request may take (default 30 s). */
  timeoutMs?: number;
}

/**
 * The few calls the CLI makes to a gateway, over its REST API. A problem answer becomes a
 * GatewayError carrying the gateway's code and detail; a gateway that cannot be reached, one naming it.
 */
export class GatewayClient {
  private readonly base: string;

  constructor(private readonly o: GatewayClientOptions) {
    if (!/^https?:\/\/[^/]+/.test(o.url)) throw new AppError('VALIDATION_FAILED', `LAKEGATE_URL must be an http:// or https:// URL, got '${o.url}'`);
    this.base = o.url.replace(/\/+$/, '');
  }

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<{ status: number; body: T }> {
    const { signal } = options;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.o.token) headers.authorization = `Bearer ${this.o.token}`;
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.o.timeoutMs ?? 30_000);
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      const why = timeout.aborted ? 'no answer in time' : (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
      throw new GatewayError(0, 'UNREACHABLE', `the gateway at ${this.base} cannot be reached: ${why}`);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const p = (parsed ?? {}) as { code?: string; detail?: string; title?: string };
      throw new GatewayError(res.status, p.code ?? `HTTP_${res.status}`, p.detail ?? p.title ?? (text.slice(0, 200) || res.statusText));
    }
    return { status: res.status, body: parsed as T };
  }
}
