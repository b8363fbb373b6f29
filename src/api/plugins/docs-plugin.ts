import swagger, { type StaticDocumentSpec } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { openapiSpec } from '../openapi-schema.js';

/**
 * GET /docs: the API reference rendered from openapi.yaml (static mode: the file is the contract,
 * nothing is derived from the routes), with /docs/json and /docs/yaml. The UI's assets ship inside
 * @fastify/swagger-ui, so it works offline; the online spec validator is turned off.
 */
export async function installDocs(app: FastifyInstance): Promise<void> {
  // openapi.yaml is an OpenAPI document (test/api/openapi-contract.test.ts); the plugin's type names 3.0 only.
  const document = structuredClone(openapiSpec()) as unknown as StaticDocumentSpec['document'];
  await app.register(swagger, { mode: 'static', specification: { document } });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { validatorUrl: null, deepLinking: true } });
}
