/**
 * How each canned query (queries/*.sql) is drawn: a Vega-Lite view of its result columns. Data, not
 * code: a new canned query gets a chart by adding an entry here; without one it is drawn as bars of its
 * first column against its first numeric column.
 */
export interface ChartSpec {
  title: string;
  mark: Record<string, unknown>;
  encoding: Record<string, unknown>;
}

const q = (field: string, title: string) => ({ field, type: 'quantitative', title });
const o = (field: string, title: string, extra: Record<string, unknown> = {}) => ({ field, type: 'ordinal', title, ...extra });
const n = (field: string, title: string) => ({ field, type: 'nominal', title });
const HOURS = Array.from({ length: 24 }, (_, i) => i);

export const CHARTS: Readonly<Record<string, ChartSpec>> = {
  'daily-top5': {
    title: 'Top 5 categories by approved amount, per day',
    mark: { type: 'bar' },
    encoding: {
      x: o('txn_date', 'day'),
      xOffset: o('rank', 'rank'),
      y: q('total_amount', 'approved amount'),
      color: n('category', 'category'),
      tooltip: [o('txn_date', 'day'), o('rank', 'rank'), n('category', 'category'), q('total_amount', 'approved amount'), q('transaction_count', 'transactions')],
    },
  },
  'hourly-share': {
    title: 'Share of approved transactions by hour of day',
    mark: { type: 'bar' },
    encoding: {
      x: o('hour', 'hour of day', { scale: { domain: HOURS } }),
      y: q('share_pct', 'share (%)'),
      color: n('time_slot', 'time slot'),
      tooltip: [o('hour', 'hour'), n('time_slot', 'time slot'), q('share_pct', 'share (%)'), q('transaction_count', 'transactions')],
    },
  },
  'regional-trends': {
    title: 'Approved amount per month, one line per region',
    mark: { type: 'line', point: true },
    encoding: {
      x: o('month', 'month'),
      y: q('total_amount', 'approved amount'),
      color: n('region', 'region'),
      tooltip: [n('region', 'region'), o('month', 'month'), q('total_amount', 'approved amount'), q('mom_growth_pct', 'month-over-month (%)')],
    },
  },
  'monthly-trend': {
    title: 'Approved amount per month',
    mark: { type: 'line', point: true },
    encoding: { x: o('txn_month', 'month'), y: q('total_amount', 'approved amount'), tooltip: [o('txn_month', 'month'), q('total_amount', 'approved amount'), q('mom_growth_pct', 'month-over-month (%)')] },
  },
  'quarterly-growth': {
    title: 'Approved amount per quarter',
    mark: { type: 'bar' },
    encoding: { x: o('quarter', 'quarter'), y: q('total_amount', 'approved amount'), tooltip: [o('quarter', 'quarter'), q('total_amount', 'approved amount'), q('qoq_growth_pct', 'quarter-over-quarter (%)')] },
  },
  'merchant-top': {
    title: 'Top merchants by approved revenue',
    mark: { type: 'bar' },
    encoding: { y: { ...n('merchant', 'merchant'), sort: '-x' }, x: q('total_revenue', 'approved revenue'), color: n('category', 'category'), tooltip: [n('merchant', 'merchant'), n('category', 'category'), q('total_revenue', 'revenue')] },
  },
};

/** The chart of a canned query, or bars of its first column against its first numeric one. */
export function chartFor(name: string, columns: readonly { name: string; numeric: boolean }[]): ChartSpec | undefined {
  const known = CHARTS[name];
  if (known) return known;
  const x = columns[0];
  const y = columns.find((c) => c.numeric && c !== x);
  if (!x || !y) return undefined;
  return { title: name, mark: { type: 'bar' }, encoding: { x: o(x.name, x.name), y: q(y.name, y.name) } };
}
