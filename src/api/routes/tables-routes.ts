import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import type { CatalogService, CreateTableRequest } from '../../catalog/catalog-service.js';
import { DDL_DIALECTS } from '../../catalog/ddl/dialect.js';
import { checkName } from '../../catalog/table-request.js';
import { routeSchema } from '../openapi-schema.js';
import type { components } from '../openapi-types.js';

/** What these routes need from the services (Services satisfies it once it has `catalog`). */
export interface TablesRouteServices {
  catalog: CatalogService;
}

type NameParams = { name: string };

/**
 * Names and dialects are checked before schema validation so that a bad one answers INVALID_NAME
 * or UNKNOWN_DIALECT (not the generic VALIDATION_FAILED the schema's pattern would give).
 */
async function checkNames(request: FastifyRequest): Promise<void> {
  const params = request.params as Partial<NameParams> | undefined;
  if (params?.name !== undefined) checkName(params.name);
  const body = request.body as { name?: unknown } | undefined;
  if (body && typeof body === 'object' && typeof body.name === 'string') checkName(body.name);
  const dialect = (request.query as { dialect?: unknown } | undefined)?.dialect;
  if (dialect !== undefined && !(DDL_DIALECTS as readonly unknown[]).includes(dialect)) {
    throw new AppError('UNKNOWN_DIALECT', `unknown dialect '${String(dialect)}'; use one of ${DDL_DIALECTS.join(', ')}`);
  }
}

/** Aborts when the client goes away before the answer is sent, so long listings stop early. */
function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new AppError('BAD_REQUEST', 'the client closed the connection'));
  });
  return controller.signal;
}

export default async function tablesRoutes(app: FastifyInstance, services: TablesRouteServices): Promise<void> {
  const { catalog } = services;
  const opts = (operationId: string) => ({ schema: routeSchema(operationId), preValidation: checkNames });

  app.get('/tables', opts('listTables'), async () => ({ tables: await catalog.listTables() }));

  app.post<{ Body: CreateTableRequest }>('/tables', opts('createTable'), async (request, reply) => {
    const { table, created } = await catalog.createTable(request.body, { signal: clientGone(reply) });
    return reply.code(created ? 201 : 200).send(table);
  });

  app.get<{ Params: NameParams }>('/tables/:name', opts('getTable'), async (request, reply) =>
    catalog.getTable(request.params.name, { stats: true, signal: clientGone(reply) }),
  );

  app.delete<{ Params: NameParams }>('/tables/:name', opts('deleteTable'), async (request, reply) => {
    await catalog.dropTable(request.params.name);
    return reply.code(204).send();
  });

  app.get<{ Params: NameParams; Querystring: Record<string, string> }>('/tables/:name/partitions', opts('listPartitions'), async (request) => ({
    partitions: await catalog.listPartitions(request.params.name, request.query),
  }));

  // The repair body is optional: no body means the defaults (Fastify would validate `undefined` against the object schema).
  const repairOpts = {
    schema: routeSchema('repairTable'),
    preValidation: async (request: FastifyRequest) => {
      request.body ??= {};
      await checkNames(request);
    },
  };
  app.post<{ Params: NameParams; Body: Partial<components['schemas']['RepairRequest']> | undefined }>('/tables/:name/repair', repairOpts, async (request, reply) =>
    catalog.repair(request.params.name, { dryRun: request.body?.dryRun ?? false, dropMissing: request.body?.dropMissing ?? false, signal: clientGone(reply) }),
  );

  app.get<{ Params: NameParams; Querystring: { dialect?: string } }>('/tables/:name/ddl', opts('getTableDdl'), async (request, reply) => {
    const text = await catalog.ddl(request.params.name, request.query.dialect ?? 'hive');
    return reply.type('text/plain; charset=utf-8').send(text);
  });

  app.get<{ Params: NameParams }>('/tables/:name/validate', opts('validateTable'), async (request, reply) =>
    catalog.validate(request.params.name, { signal: clientGone(reply) }),
  );
}
