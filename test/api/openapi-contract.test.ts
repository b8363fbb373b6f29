import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openapiSpec, routeSchema } from '../../src/api/openapi-schema.js';

describe('openapi.yaml', () => {
  it('matches the committed generated types (run npm run gen:api after editing it)', () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'oa-')), 'types.ts');
    execFileSync(path.resolve('node_modules/.bin/openapi-typescript'), ['openapi.yaml', '-o', out], { stdio: 'ignore' });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync('src/api/openapi-types.ts', 'utf8'));
  });

  it('is OpenAPI 3.1 and every operation has an id and a problem response for errors', () => {
    const spec = openapiSpec() as any;
    expect(spec.openapi).toBe('3.1.0');
    for (const [p, item] of Object.entries<any>(spec.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        expect(op.operationId, `${method} ${p}`).toBeTruthy();
        expect(() => routeSchema(op.operationId)).not.toThrow();
      }
    }
  });

  it('inlines $refs into the Fastify request schema', () => {
    const s = routeSchema('runPipeline') as any;
    expect(s.body.required).toEqual(['input']);
    expect(s.body.properties.engine.enum).toEqual(['local', 'spark', 'emr']);
  });
});
