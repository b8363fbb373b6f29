/**
 * What an API key may do. `admin` grants everything; the others grant the routes listed for them in
 * ROUTE_SCOPES.
 */
export const SCOPES = ['query', 'pipelines', 'catalog', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * A route needs no key (`public`); takes a key if one is sent and checks it, but answers without one
 * too (`optional`); or needs a key holding one of the listed scopes (admin always passes).
 */
export type RouteAccess = 'public' | 'optional' | readonly Scope[];

/**
 * The one table of access rules: `METHOD /route/pattern` (Fastify's pattern, as registered) -> access.
 * A pattern ending in `/*` covers every route below that prefix. HEAD follows its GET. A registered
 * route missing here is admin-only (and test/auth/route-scopes.test.ts fails).
 */
export const ROUTE_SCOPES: Readonly<Record<string, RouteAccess>> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /docs': 'public',
  'GET /docs/*': 'public',
  // The console's page and scripts hold no data; what it shows comes from the routes below, with the key it is given.
  'GET /': 'public',
  'GET /console': 'public',
  'GET /console/*': 'public', // every GET below /console/ is public: put no data route there
  // Who the key is and what it may do, so a client (the console) offers only that; without a key it
  // says whether the gateway wants one.
  'GET /whoami': 'optional',
  'GET /metrics': ['admin'],

  'POST /query': ['query'],
  'POST /query/translate': ['query'],
  'GET /engines': ['query'],
  'POST /query/explain': ['query'],
  'GET /analytics': ['query'],
  'GET /analytics/:name': ['query'],

  // Reading the catalog: BI users (query) and the operators who change it (catalog).
  'GET /tables': ['query', 'catalog'],
  'GET /tables/:name': ['query', 'catalog'],
  'GET /tables/:name/partitions': ['query', 'catalog'],
  'GET /tables/:name/ddl': ['query', 'catalog'],
  'GET /tables/:name/validate': ['query', 'catalog'],
  'POST /tables': ['catalog'],
  'DELETE /tables/:name': ['catalog'],
  'POST /tables/:name/repair': ['catalog'],

  'POST /pipelines/run': ['pipelines'],
  'GET /pipelines/runs': ['pipelines'],
  'GET /pipelines/runs/:runId': ['pipelines'],
  'POST /pipelines/runs/:runId/cancel': ['pipelines'],
  'GET /pipelines/runs/:runId/logs': ['pipelines'],
};

/** The access rule of a registered route, or undefined when the table has none. */
export function routeAccess(method: string, url: string): RouteAccess | undefined {
  const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const exact = ROUTE_SCOPES[`${m} ${url}`];
  if (exact !== undefined) return exact;
  for (const [pattern, access] of Object.entries(ROUTE_SCOPES)) {
    if (!pattern.endsWith('/*')) continue;
    const [pm, prefix] = pattern.slice(0, -2).split(' ') as [string, string];
    if (pm === m && url.startsWith(`${prefix}/`)) return access;
  }
  return undefined;
}

/** Whether a key holding `held` passes `access`. */
export function allows(held: ReadonlySet<Scope>, access: RouteAccess): boolean {
  if (access === 'public' || access === 'optional' || held.has('admin')) return true;
  return access.some((s) => held.has(s));
}
