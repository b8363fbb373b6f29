import type { FastifyInstance } from 'fastify';
import { ApiKeys } from '../../auth/api-keys.js';
import type { Services } from '../../services.js';
import { installAudit } from './audit-plugin.js';
import { installAuth } from './auth-plugin.js';
import { installDocs } from './docs-plugin.js';
import { installLimits } from './limits-plugin.js';
import { installMetrics } from './metrics-plugin.js';
import { installRequestContext } from './request-context-plugin.js';

/**
 * Everything a shared gateway puts in front of its routes, in the order the hooks must run:
 * request context, overload shedding, authentication and scopes, rate limits, metrics and audit;
 * then /metrics and /docs. Call it before registering the routes. Answers the API keys it enforces.
 */
export async function installGatewayPlugins(app: FastifyInstance, services: Services): Promise<ApiKeys> {
  const keys = ApiKeys.parse(services.config.apiKeys);
  installRequestContext(app);
  // Rate limits attach to each route (so they run after auth, which is instance-wide); shedding does not.
  const limitAnonymous = await installLimits(app, services.config.protection, keys);
  installAuth(app, keys, services.logger, limitAnonymous);
  installMetrics(app, services.telemetry);
  installAudit(app, services.telemetry.audit, services.analytics);
  await installDocs(app);
  return keys;
}
