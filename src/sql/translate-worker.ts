import { parentPort } from 'node:worker_threads';
import { AppError } from '../errors.js';
import { catalogResolver } from './resolve.js';
import { translate } from './translate.js';
import type { PortableTranslateRequest, WorkerAnswer } from './translator-pool.js';

/** The worker side of TranslatorPool: translates what it is sent, one request at a time. */
parentPort!.on('message', ({ id, request }: { id: number; request: PortableTranslateRequest }) => {
  let answer: WorkerAnswer;
  try {
    const { tables, ...rest } = request;
    answer = { id, result: translate({ ...rest, ...(tables ? { resolveTable: catalogResolver(tables) } : {}) }) };
  } catch (err) {
    answer = err instanceof AppError
      ? { id, error: { code: err.code, message: err.message, details: err.details } }
      : { id, error: { message: err instanceof Error ? err.message : String(err) } };
  }
  parentPort!.postMessage(answer);
});
