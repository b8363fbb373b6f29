import { parentPort } from 'node:worker_threads';
import { AppError } from '../errors.js';
import { translatePortable, type PortableTranslateRequest, type WorkerAnswer } from './translator-pool.js';

/** The worker side of TranslatorPool: translates what it is sent, one request at a time. */
parentPort!.on('message', ({ id, request }: { id: number; request: PortableTranslateRequest }) => {
  let answer: WorkerAnswer;
  try {
    answer = { id, result: translatePortable(request) };
  } catch (err) {
    answer = err instanceof AppError
      ? { id, error: { code: err.code, message: err.message, details: err.details } }
      : { id, error: { message: err instanceof Error ? err.message : String(err) } };
  }
  parentPort!.postMessage(answer);
});
