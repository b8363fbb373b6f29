import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const specPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../openapi.yaml');

let spec: JsonObject | undefined;
/** The parsed openapi.yaml (read once). */
export function openapiSpec(): JsonObject {
  spec ??= parse(readFileSync(specPath, 'utf8')) as JsonObject;
  return spec;
}

export function openapiText(): string {
  return readFileSync(specPath, 'utf8');
}

function resolveRef(ref: string): Json {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`);
  let node: Json = openapiSpec();
  for (const part of ref.slice(2).split('/')) {
    node = (node as JsonObject)[part] as Json;
    if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return node;
}

/** Inlines every local $ref so that the schema can be handed to Fastify's validator as is. */
function inline(node: Json, depth = 0): Json {
  if (depth > 50) throw new Error('openapi $ref nesting too deep');
  if (Array.isArray(node)) return node.map((n) => inline(n, depth + 1));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') return inline(resolveRef(node.$ref), depth + 1);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) out[k] = inline(v, depth + 1);
  return out;
}

function findOperation(operationId: string): JsonObject {
  const paths = openapiSpec().paths as JsonObject;
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item as JsonObject)) {
      if ((op as JsonObject).operationId === operationId) return op as JsonObject;
    }
  }
  throw new Error(`no operation ${operationId} in openapi.yaml`);
}

export interface RouteSchema {
  body?: Json;
  params?: Json;
  querystring?: Json;
}

/**
 * The request schemas of an openapi.yaml operation in Fastify's route-schema shape
 * (body from requestBody, params and querystring from the parameters), refs inlined.
 */
export function routeSchema(operationId: string): RouteSchema {
  const op = inline(findOperation(operationId)) as JsonObject;
  const schema: RouteSchema = {};
  const body = (op.requestBody as JsonObject | undefined)?.content as JsonObject | undefined;
  const json = body?.['application/json'] as JsonObject | undefined;
  if (json?.schema) schema.body = json.schema;
  for (const where of ['path', 'query'] as const) {
    const params = ((op.parameters as JsonObject[] | undefined) ?? []).filter((p) => p.in === where);
    if (params.length === 0) continue;
    const properties: JsonObject = {};
    const required: string[] = [];
    for (const p of params) {
      properties[p.name as string] = p.schema as Json;
      if (p.required === true) required.push(p.name as string);
    }
    const obj: JsonObject = { type: 'object', properties, required };
    if (where === 'path') schema.params = obj;
    else schema.querystring = obj;
  }
  return schema;
}
