import { parse, View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { compile, type TopLevelSpec } from 'vega-lite';
import { h } from '../dom.js';
import type { ChartSpec } from '../analytics-charts.js';

export interface Chart {
  readonly dom: HTMLElement;
  finalize(): void;
}

/**
 * Draws a Vega-Lite chart as SVG (each bar and point an element with an ARIA role and description).
 * Expressions run in Vega's interpreter, not through `new Function`, so the page's CSP needs no
 * 'unsafe-eval'.
 */
export async function drawChart(spec: ChartSpec, values: Record<string, unknown>[]): Promise<Chart> {
  const container = h('div', { class: 'chart' });
  const lite = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: spec.title,
    title: spec.title,
    width: 560,
    height: 300,
    data: { values },
    mark: spec.mark,
    encoding: spec.encoding,
    config: { font: 'system-ui, sans-serif', axis: { labelColor: '#333', titleColor: '#222' }, legend: { labelColor: '#333', titleColor: '#222' } },
  } as unknown as TopLevelSpec;
  const view = new View(parse(compile(lite).spec, undefined, { ast: true }), { expr: expressionInterpreter, renderer: 'svg', container, hover: true });
  await view.runAsync();
  return { dom: container, finalize: () => view.finalize() };
}
