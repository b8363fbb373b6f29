import { describeError, getJson, qs } from '../api.js';
import { chartFor } from '../analytics-charts.js';
import { dataGrid, isNumericType } from '../components/data-grid.js';
import { field, h, replace, select } from '../dom.js';
import { latestOnly, type PageContext } from '../page.js';
import type { Chart } from '../components/chart.js';
import type { AnalyticsList, AnalyticsParam, EngineInfo, QueryResult } from '../types.js';

type Query = AnalyticsList['queries'][number];

/** #/analytics[/name]: the canned queries; one with a form for its parameters, a chart and its table. */
export async function analyticsPage(root: HTMLElement, ctx: PageContext, [name]: string[]): Promise<void> {
  const [{ queries }, { engines }] = await Promise.all([
    getJson<AnalyticsList>('/analytics', { signal: ctx.signal }),
    getJson<{ engines: EngineInfo[] }>('/engines', { signal: ctx.signal }),
  ]);
  const nav = h(
    'ul',
    { class: 'table-list' },
    queries.map((q) => h('li', null, h('a', { href: `#/analytics/${encodeURIComponent(q.name)}`, 'aria-current': q.name === name ? 'page' : undefined }, q.name))),
  );
  const detail = h('section', { class: 'analytics-detail', 'aria-label': 'Canned query' });
  replace(root, h('h1', null, 'Analytics'), h('div', { class: 'split' }, h('aside', { class: 'sidebar', 'aria-label': 'Canned queries' }, nav), detail));
  const query = queries.find((q) => q.name === name);
  if (!query) {
    replace(detail, h('p', { class: 'muted' }, name ? `No canned query ${name}.` : 'Pick a canned query.'), h('ul', null, queries.map((q) => h('li', null, h('strong', null, q.name), ` — ${q.description}`))));
    return;
  }
  analyticsForm(detail, ctx, query, engines.filter((e) => e.executes).map((e) => e.name));
}

function paramControl(p: AnalyticsParam): HTMLInputElement | HTMLSelectElement {
  const initial = p.default === undefined || p.default === null ? '' : String(p.default);
  if (p.enum) return select(p.required ? p.enum : ['', ...p.enum], initial, { name: p.name });
  const type = p.type === 'date' ? 'date' : p.type === 'integer' ? 'number' : 'text';
  return h('input', { type, name: p.name, required: p.required, value: initial, min: p.minimum, max: p.maximum });
}

function analyticsForm(root: HTMLElement, ctx: PageContext, query: Query, engines: string[]): void {
  const controls = query.parameters.map((p) => [p, paramControl(p)] as const);
  const engine = select(engines, engines[0], { name: 'engine' });
  const out = h('div', { class: 'analytics-out' });
  const status = h('p', { role: 'status', 'aria-live': 'polite' });
  let finalize = (): void => {};
  // The last Run wins: an earlier answer still on its way is dropped.
  const nextRun = latestOnly(ctx.signal);
  ctx.signal.addEventListener('abort', () => finalize());
  const run = async (): Promise<void> => {
    const signal = nextRun();
    const params: Record<string, string> = { engine: engine.value };
    for (const [p, c] of controls) if (c.value !== '') params[p.name] = c.value;
    replace(status, 'Running…');
    try {
      const r = await getJson<QueryResult>(`/analytics/${encodeURIComponent(query.name)}${qs(params)}`, { signal });
      const columns = r.columns.map((c) => ({ name: c.name, numeric: isNumericType(c.type) }));
      const values = r.rows.map((row) => Object.fromEntries(columns.map((c, i) => [c.name, c.numeric && row[i] !== null ? Number(row[i]) : row[i]])));
      const spec = chartFor(query.name, columns);
      // Vega is loaded on the first chart (a chunk of its own), not with the console. A console
      // updated since this page was opened may not have it any more: the table still shows.
      let chart: Chart | undefined;
      let chartError: string | undefined;
      if (spec && values.length) {
        try {
          chart = await (await import('../components/chart.js')).drawChart(spec, values);
        } catch (err) {
          chartError = `The chart could not be drawn (${describeError(err)}); reload the page to get the console's current version.`;
        }
      }
      if (signal.aborted) return chart?.finalize();
      finalize();
      finalize = () => chart?.finalize();
      replace(status, `${r.rowCount.toLocaleString('en')} rows on ${r.engine}`);
      replace(
        out,
        h('div', { class: 'chart-and-table' }, chart ? h('figure', null, chart.dom, h('figcaption', { class: 'sr-only' }, spec!.title)) : h('p', { class: chartError ? 'warning' : 'muted' }, chartError ?? 'No rows to draw.'), h('div', { class: 'table-view' }, dataGrid(r.columns, r.rows, `${query.name} result`, 380))),
      );
    } catch (err) {
      if (!signal.aborted) replace(status, h('span', { class: 'error', role: 'alert' }, describeError(err)));
    }
  };
  const form = h(
    'form',
    {
      class: 'analytics-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        void run();
      },
    },
    h('div', { class: 'toolbar' }, controls.map(([p, c]) => field(`${p.name}${p.required ? '' : ' (optional)'}`, c)), field('Engine', engine), h('button', { type: 'submit', class: 'primary' }, 'Run')),
  );
  replace(root, h('h2', null, query.name), h('p', null, query.description), form, status, out);
  // A query with nothing to ask runs at once.
  if (query.parameters.every((p) => !p.required || (p.default !== undefined && p.default !== null))) void run();
}
