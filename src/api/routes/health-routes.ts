import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';
import { AppError } from '../../errors.js';

export default async function healthRoutes(app: FastifyInstance, services: Services): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok', version: services.version }));
  app.get('/readyz', async () => {
    if (!services.isReady()) throw new AppError('OVERLOADED', 'starting: catalog or engines not open yet');
    return { status: 'ok', version: services.version };
  });
}
