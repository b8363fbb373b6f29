import net from 'node:net';
import { AppError } from '../errors.js';
import type { ApiKeys } from './api-keys.js';

/** Whether `host` (what the gateway is asked to listen on) is reachable only from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || /^::ffff:127\./.test(h) || /^0{0,4}(:0{0,4}){6}:0{0,3}1$/.test(h);
  return false;
}

/**
 * A gateway without API keys serves everything to everyone, so it may only listen on loopback.
 * Throws the startup error server.ts prints before exiting.
 */
export function assertSafeExposure(host: string, keys: ApiKeys): void {
  if (!keys.empty || isLoopbackHost(host)) return;
  throw new AppError(
    'VALIDATION_FAILED',
    `refusing to listen on ${host} without API keys: anyone who can reach it could run queries and pipelines. ` +
      'Set LAKEGATE_API_KEYS (name:token:scopes entries), or listen on loopback (HOST=127.0.0.1).',
  );
}
