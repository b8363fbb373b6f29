/**
 * How the web console's result grid behaves with large results, in Debian's chromium: a gateway
 * process (sample data, no keys) answers `SELECT ... LIMIT N`; the bench clicks Run and measures the
 * time until the grid is on screen (query, JSON transfer and parsing included), the rows the DOM holds,
 * and, over 60 scroll steps across the whole result, the mean step and Chromium's long animation frames.
 *
 *   npx tsx bench/console-grid-bench.ts [--rows 10000,100000] [--records 120000]
 *
 * Needs the console built (npm run build:console) and /usr/bin/chromium (scripts/setup-chromium.sh).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from '../test/support/browser.js';
import { requestJson, spawnGateway } from '../test/support/gateway-process.js';
import { until } from '../test/support/until.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000,10000,100000' }, records: { type: 'string', default: '120000' } } });
const sizes = values.rows!.split(',').map(Number);
const home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-grid-bench-'));
const gw = await spawnGateway({ LAKEGATE_HOME: home, LAKEGATE_SAMPLE: 'on', LAKEGATE_SAMPLE_RECORDS: values.records!, LAKEGATE_QUERY_MAX_RESULT_MB: '512' });
const browser = await launchChromium();
try {
  await until('the sample run succeeded', async () => ((await requestJson(`${gw.url}/pipelines/runs`)).runs?.[0]?.status === 'succeeded' ? true : undefined), 600_000, 500);
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(`${gw.url}/console/#/query`);
  console.log('| rows | click to grid on screen | rows in the DOM | scroll step (two frames) | long frames (> 50 ms) in 60 steps | longest |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const n of sizes) {
    await page.getByRole('textbox', { name: 'SQL', exact: true }).click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(`SELECT * FROM card_analytics.partitioned_transactions ORDER BY transaction_id LIMIT ${n}`);
    await page.getByLabel('Max rows').fill(String(n));
    const started = Date.now();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator(`[role="table"][aria-label="Query result"][aria-rowcount="${n + 1}"]`).waitFor({ timeout: 300_000 });
    const shown = Date.now() - started;
    // A string: the bench is compiled without the DOM's types. Long animation frames (over 50 ms, as
    // Chromium reports them) during the scroll are the jank a user would see.
    const steps = (await page.evaluate(`(async () => {
      const grid = document.querySelector('[role="table"][aria-label="Query result"]');
      const long = [];
      const observer = new PerformanceObserver((list) => long.push(...list.getEntries().map((e) => e.duration)));
      observer.observe({ type: 'long-animation-frame' });
      const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const started = performance.now();
      for (let i = 1; i <= 60; i++) {
        grid.scrollTop = (grid.scrollHeight * i) / 60;
        await frame();
      }
      const elapsed = performance.now() - started;
      await new Promise((r) => setTimeout(r, 100));
      observer.disconnect();
      return { perStep: elapsed / 60, long, dom: grid.querySelectorAll('[role="row"]').length };
    })()`)) as { perStep: number; long: number[]; dom: number };
    const worst = steps.long.length ? `${Math.max(...steps.long).toFixed(0)} ms` : '—';
    console.log(`| ${n.toLocaleString('en')} | ${(shown / 1000).toFixed(2)} s | ${steps.dom} | ${steps.perStep.toFixed(1)} ms | ${steps.long.length} | ${worst} |`);
  }
} finally {
  await browser.close();
  await gw.kill();
  await rm(home, { recursive: true, force: true });
}
