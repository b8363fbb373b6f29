import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, seriousViolations, watchedPage, type WatchedPage } from '../support/browser.js';
import { generateCardCsv } from '../../src/generator/card-generator.js';
import { groupBy, readCardCsv, sum } from '../support/card-csv.js';
import { spawnGateway, type GatewayProcess } from '../support/gateway-process.js';
import { until } from '../support/until.js';

const ADMIN = 'console-admin-0123456789abcdef';
const ANALYST = 'console-analyst-0123456789abcdef';

/**
 * The web console in headless Chromium against a live gateway process (API keys on) whose sample run
 * has published the tables. Every journey fails on a console error, an uncaught exception or a request
 * to anything but loopback, and checks the page with axe-core; each page's screenshot goes to
 * artifacts/console/.
 */
describe('web console', () => {
  let dir: string;
  let home: string;
  let gw: GatewayProcess;
  let browser: Browser;
  let w: WatchedPage;

  const api = async (p: string, init: RequestInit = {}, token = ADMIN): Promise<any> => {
    const res = await fetch(`${gw.url}${p}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
    return res.headers.get('content-type')?.includes('json') ? res.json() : res.text();
  };

  /** Opens the console, signs in with `token` and waits for the shell. */
  const signIn = async (token: string, hash = ''): Promise<Page> => {
    w = await watchedPage(browser);
    await w.page.goto(`${gw.url}/${hash}`);
    await w.page.getByLabel('API key').fill(token);
    await w.page.getByRole('button', { name: 'Sign in' }).click();
    await w.page.getByRole('navigation', { name: 'Console sections' }).waitFor();
    return w.page;
  };

  /** axe and the screenshot of the page as it is, then what the page must not have done. */
  const checkPage = async (name: string): Promise<void> => {
    await screenshot(w.page, name);
    expect(await seriousViolations(w.page)).toEqual([]);
    expect(w.problems).toEqual([]);
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lakegate-console-'));
    home = path.join(dir, 'home');
    gw = await spawnGateway({
      LAKEGATE_HOME: home,
      LAKEGATE_SAMPLE: 'on',
      LAKEGATE_SAMPLE_RECORDS: '20000',
      LAKEGATE_API_KEYS: `ops:${ADMIN}:admin,analyst:${ANALYST}:query`,
      LAKEGATE_STAGE_RETRIES: '0',
    });
    await until('the sample run succeeded', async () => ((await api('/pipelines/runs')).runs?.[0]?.status === 'succeeded' ? true : undefined), 180_000, 500);
    browser = await launchChromium();
  }, 240_000);

  afterEach(async () => {
    await w?.context.close();
  });

  afterAll(async () => {
    await browser?.close();
    await gw?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('asks for the API key, refuses a wrong one, and passes the sign-in page through axe', async () => {
    w = await watchedPage(browser);
    await w.page.goto(`${gw.url}/`);
    expect(new URL(w.page.url()).pathname).toBe('/console/');
    await w.page.getByLabel('API key').fill('not-a-key-0123456789');
    await w.page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => w.page.getByRole('alert').textContent()).toContain('not valid');
    // The one error this journey makes on purpose: the gateway refusing the wrong key.
    expect(w.problems).toEqual([expect.stringContaining('status of 401')]);
    w.problems.length = 0;
    await checkPage('sign-in');
  });

  it('opens a table and shows its partitions, as many as the folders the pipeline wrote', async () => {
    const page = await signIn(ADMIN);
    await page.getByRole('link', { name: 'Tables' }).click();
    await page.getByLabel(/Search \d+ tables/).fill('partitioned');
    await page.getByRole('link', { name: /^partitioned_transactions/ }).click();
    const folders = await partitionFolders(path.join(home, 'warehouse', 'partitioned_transactions'));
    expect(folders.length).toBeGreaterThan(1);
    await expect.poll(() => page.getByTestId('partitions-summary').textContent()).toMatch(new RegExp(`^${folders.length} partitions`));
    await expect.poll(() => page.getByTestId('partition-count').textContent()).toBe(String(folders.length));
    const grid = page.getByRole('table', { name: 'Partitions of partitioned_transactions' });
    expect(await grid.getAttribute('aria-rowcount')).toBe(String(folders.length + 1));
    await expect.poll(() => page.getByLabel('DDL').textContent()).toContain('CREATE EXTERNAL TABLE');
    await page.getByLabel('Dialect', { exact: true }).selectOption('trino');
    await expect.poll(() => page.getByLabel('DDL').textContent()).toContain("format = 'PARQUET'");
    await w.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gw.url });
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Copied.' }).count()).toBe(1);
    expect(await page.evaluate(() => (globalThis as any).navigator.clipboard.readText())).toBe(await api('/tables/partitioned_transactions/ddl?dialect=trino'));
    await page.getByRole('button', { name: 'Validate against the files' }).click();
    await expect.poll(() => page.locator('.validate').textContent()).toContain('the declared schema matches');
    await checkPage('tables');
  });

  it('translates Hive SQL to Trino as it is typed, runs it, and shows the rows /query returns', async () => {
    const page = await signIn(ADMIN, 'console/#/query');
    const sql = "SELECT `category`, count(*) AS n, sum(amount) AS total\nFROM card_analytics.partitioned_transactions\nWHERE approval_status = 'approved'\nGROUP BY `category`\nORDER BY total DESC, `category`";
    await page.getByLabel('Written in').selectOption('hive');
    await page.getByLabel('Preview as').selectOption('trino');
    await typeSql(page, sql);
    const translated = await api('/query/translate', { method: 'POST', body: JSON.stringify({ sql, from: 'hive', to: 'trino' }) });
    expect(translated.sql).toContain('"category"');
    expect(translated.sql).not.toContain('`');
    await expect.poll(async () => squash(await page.getByRole('textbox', { name: 'Translated SQL' }).innerText())).toBe(squash(translated.sql));
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: /rows/ }).first().textContent()).toMatch(/^\d+ rows/);

    // What the CSV says, computed here, and what /query answers: the grid shows both.
    const approved = readCardCsv(path.join(home, 'sample', 'card_transactions.csv')).filter((r) => r.approval_status === 'approved');
    const byCategory = groupBy(approved, (r) => r.category);
    const expected = [...byCategory].map(([c, rs]) => [c, String(rs.length), String(sum(rs.map((r) => r.amount)))]);
    expected.sort((a, b) => Number(b[2]) - Number(a[2]) || (a[0]! < b[0]! ? -1 : 1));
    const viaApi = await api('/query', { method: 'POST', body: JSON.stringify({ sql, dialect: 'hive' }) });
    expect(viaApi.rows.map((r: unknown[]) => r.map(String))).toEqual(expected);
    expect(await gridRows(page, 'Query result')).toEqual(expected);
    await checkPage('query');
  });

  it('marks a syntax error at its position in the editor', async () => {
    const page = await signIn(ADMIN, 'console/#/query');
    await typeSql(page, 'SELECT category\nFROM card_analytics.partitioned_transactions\nWHERE GROUP BY category');
    // The live preview finds it first.
    await expect.poll(() => page.locator('.preview-note .error').textContent()).toContain('SQL_SYNTAX');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('SQL_SYNTAX');
    const mark = page.locator('.cm-lintRange-error');
    await expect.poll(() => mark.count()).toBe(1);
    await expect.poll(() => w.problems.length).toBe(2);
    // The mark is on line 3, where the gateway says the error is.
    const problem = await api('/query', { method: 'POST', body: JSON.stringify({ sql: 'SELECT category\nFROM card_analytics.partitioned_transactions\nWHERE GROUP BY category' }) });
    expect(problem.position.line).toBe(3);
    expect(await page.locator('.cm-line').nth(2).locator('.cm-lintRange-error').count()).toBe(1);
    // The page's own requests were refused with 400 (the preview's and the run's), on purpose.
    expect(w.problems.every((p) => p.includes('status of 400'))).toBe(true);
    w.problems.length = 0;
    await checkPage('query-error');
  });

  it('keeps 10,000 rows in a grid that draws only what is in view, cancels a long query, and downloads CSV', async () => {
    const page = await signIn(ADMIN, 'console/#/query');
    await typeSql(page, 'SELECT transaction_id, amount FROM card_analytics.partitioned_transactions ORDER BY transaction_id LIMIT 10000');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const grid = page.getByRole('table', { name: 'Query result' });
    await grid.waitFor();
    expect(await grid.getAttribute('aria-rowcount')).toBe('10001');
    expect(await grid.getByRole('row').count()).toBeLessThan(80);
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const last = grid.locator('[aria-rowindex="10001"]');
    await last.waitFor();
    const ids = readCardCsv(path.join(home, 'sample', 'card_transactions.csv')).map((r) => r.transaction_id).sort();
    expect(await last.getByRole('cell').first().textContent()).toBe(ids[9999]);
    expect(await grid.getByRole('row').count()).toBeLessThan(80);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trimEnd().split(/\r?\n/);
    expect(lines).toHaveLength(10001);
    expect(lines[0]).toBe('transaction_id,amount');
    expect(lines[10000]!.split(',')[0]).toBe(ids[9999]);

    await typeSql(page, 'SELECT count(*) FROM card_analytics.partitioned_transactions a CROSS JOIN card_analytics.partitioned_transactions b CROSS JOIN card_analytics.partitioned_transactions c');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Cancel' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Cancelled' }).count()).toBe(1);
    // The gateway stopped it (the browser left, the engine was interrupted) long before its 30 s timeout.
    await expect.poll(async () => /lakegate_query_duration_seconds_count\{engine="duckdb",outcome="cancelled"\} 1/.test(await api('/metrics')), { timeout: 10_000 }).toBe(true);
    expect(await page.getByRole('button', { name: 'Run', exact: true }).isEnabled()).toBe(true);
    await expect.poll(() => page.locator('ol.history li').first().textContent()).toContain('cancelled');
    expect(w.problems).toEqual([]);
  });

  it('draws daily top 5 as one bar per day and rank, with the table beside it', async () => {
    const approved = readCardCsv(path.join(home, 'sample', 'card_transactions.csv')).filter((r) => r.approval_status === 'approved');
    const days = [...new Set(approved.map((r) => r.day))].sort().slice(0, 7);
    const expectedBars = days.reduce((n, d) => n + Math.min(5, new Set(approved.filter((r) => r.day === d).map((r) => r.category)).size), 0);
    const page = await signIn(ADMIN, 'console/#/analytics/daily-top5');
    await page.getByLabel('from').fill(days[0]!);
    await page.getByLabel('to').fill(days[6]!);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const bars = page.locator('.chart svg [aria-roledescription="bar"]');
    await expect.poll(() => bars.count()).toBe(expectedBars);
    expect(await page.getByRole('table', { name: 'daily-top5 result' }).getAttribute('aria-rowcount')).toBe(String(expectedBars + 1));
    await checkPage('analytics-daily-top5');

    await page.getByRole('link', { name: 'hourly-share' }).click();
    await page.getByRole('heading', { name: 'hourly-share' }).waitFor();
    await page.getByLabel('year').fill(days[0]!.slice(0, 4));
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => bars.count()).toBe(new Set(approved.filter((r) => r.day.startsWith(days[0]!.slice(0, 4))).map((r) => r.hour)).size);
    // The hour axis has all 24 hours, whichever have transactions.
    expect(await page.locator('.chart svg [aria-roledescription="axis"]').first().getAttribute('aria-label')).toMatch(/24 values: 0, 1, 2, .*23/);
    await page.getByRole('link', { name: 'regional-trends' }).click();
    await page.getByRole('heading', { name: 'regional-trends' }).waitFor();
    await page.getByLabel('year').fill(days[0]!.slice(0, 4));
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const regions = new Set(approved.filter((r) => r.day.startsWith(days[0]!.slice(0, 4))).map((r) => r.region)).size;
    await expect.poll(() => page.locator('.chart svg [aria-roledescription="line mark"]').count()).toBe(regions);
    await checkPage('analytics-regional-trends');
  });

  it('starts a run from the form and follows it to succeeded, with its stages and quality checks', async () => {
    const page = await signIn(ADMIN, 'console/#/runs');
    await page.getByRole('table', { name: 'Pipeline runs, newest first' }).waitFor();
    await checkPage('runs');
    await page.getByLabel(/^Input/).fill(path.join(home, 'sample', 'card_transactions.csv'));
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/#\/runs\/[A-Za-z0-9_-]+$/);
    const runId = decodeURIComponent(page.url().split('#/runs/')[1]!);
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          const status = (await page.getByTestId('run-status').textContent()) ?? '';
          seen.add(status);
          return status;
        },
        { timeout: 120_000, interval: 100 },
      )
      .toBe('succeeded');
    expect([...seen].some((s) => s === 'queued' || s === 'running')).toBe(true);
    const run = await api(`/pipelines/runs/${runId}`);
    expect(run.status).toBe('succeeded');
    expect(await page.locator('li.stage').count()).toBe(4);
    expect(await page.locator('li.stage .badge').allTextContents()).toEqual(run.stages.map((s: { status: string }) => s.status));
    const checks = page.locator('table.checks tbody tr');
    expect(await checks.count()).toBe(run.quality.checks.length);
    expect(await checks.locator('td:nth-child(2)').allTextContents()).toEqual(run.quality.checks.map((c: { status: string }) => c.status));
    await expect.poll(() => page.getByLabel('Run log').textContent()).not.toBe('');
    expect(await page.getByRole('button', { name: 'Cancel run' }).isHidden()).toBe(true);
    await checkPage('run');
  }, 180_000);

  it('starts one run for a double click, and cancels it from its page while it runs', async () => {
    // Big enough to be running for many seconds (400,000 rows take about 4).
    const big = path.join(dir, 'big.csv');
    await generateCardCsv({ records: 2_500_000, output: big, seed: 16 });
    const before = (await api('/pipelines/runs?limit=200')).runs.length;
    const page = await signIn(ADMIN, 'console/#/runs');
    await page.getByLabel(/^Input/).fill(big);
    await page.getByRole('button', { name: 'Start run' }).dblclick();
    await page.waitForURL(/#\/runs\/[A-Za-z0-9_-]+$/);
    const runId = decodeURIComponent(page.url().split('#/runs/')[1]!);
    expect((await api('/pipelines/runs?limit=200')).runs.length).toBe(before + 1);
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 30_000 }).toBe('running');
    // The running stage shows the engine's progress as it moves.
    const progress = page.locator('li.stage progress');
    await expect.poll(async () => Number((await progress.count()) ? await progress.first().getAttribute('value') : 0), { timeout: 20_000 }).toBeGreaterThan(0);
    expect((await api(`/pipelines/runs/${runId}`)).status).toBe('running');
    await screenshot(page, 'run-in-progress');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toBe('cancelled');
    expect((await api(`/pipelines/runs/${runId}`)).status).toBe('cancelled');
    expect(await page.getByRole('button', { name: 'Cancel run' }).isHidden()).toBe(true);
    expect(w.problems).toEqual([]);
  }, 120_000);

  it('repairs a table: the dry run shows the partition that landed, Apply registers it', async () => {
    const location = path.join(home, 'warehouse', 'partitioned_transactions');
    const folders = await partitionFolders(location);
    // New data lands: a copy of an existing partition under a month the pipeline never wrote.
    await cp(path.join(location, folders[0]!), path.join(location, 'txn_year=2031', 'txn_month=1'), { recursive: true });
    const page = await signIn(ADMIN, 'console/#/tables/partitioned_transactions');
    await page.getByRole('button', { name: 'Repair (dry run)' }).click();
    await expect.poll(() => page.locator('ul.diff').textContent()).toContain('+ txn_year=2031/txn_month=1');
    expect((await api('/tables/partitioned_transactions/partitions?txn_year=2031')).partitions).toEqual([]);
    await checkPage('tables-repair-dry-run');
    // Ticking "drop missing" after the dry run withdraws its Apply: Apply does what the dry run showed.
    await page.getByLabel('Also drop partitions whose folder is gone').check();
    expect(await page.getByRole('button', { name: /^Apply/ }).count()).toBe(0);
    await page.getByLabel('Also drop partitions whose folder is gone').uncheck();
    await page.getByRole('button', { name: 'Repair (dry run)' }).click();
    await page.getByRole('button', { name: /^Apply 1 changes$/ }).waitFor();
    // More lands between the dry run and Apply: Apply registers it too, and says so.
    await cp(path.join(location, folders[0]!), path.join(location, 'txn_year=2031', 'txn_month=2'), { recursive: true });
    await page.getByRole('button', { name: /^Apply 1 changes$/ }).click();
    await expect.poll(() => page.locator('.repair-result .surprises').textContent()).toContain('Also applied: + txn_year=2031/txn_month=2');
    await expect.poll(() => page.getByTestId('partitions-summary').textContent()).toMatch(new RegExp(`^${folders.length + 2} partitions`));
    expect(await page.getByTestId('partition-count').textContent()).toBe(String(folders.length + 2));
    expect((await api('/tables/partitioned_transactions/partitions?txn_year=2031')).partitions).toHaveLength(2);
    expect(w.problems).toEqual([]);
  });

  it('shows a query-scope key no Repair and no Run controls', async () => {
    const page = await signIn(ANALYST, 'console/#/tables/partitioned_transactions');
    await page.getByRole('heading', { name: 'card_analytics.partitioned_transactions' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Console sections' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Tables', 'Query', 'Analytics']);
    expect(await page.getByRole('button', { name: /Repair|Apply/ }).count()).toBe(0);
    await screenshot(page, 'tables-query-scope');
    // Runs are not offered, nor reachable by their address.
    const runId = (await api('/pipelines/runs')).runs[0].runId;
    for (const hash of ['#/runs', `#/runs/${runId}`]) {
      await page.goto(`${gw.url}/console/${hash}`);
      await page.waitForURL(/#\/tables$/);
      await page.getByRole('heading', { name: 'Tables', level: 1 }).waitFor();
    }
    await checkPage('tables-query-scope-runs-refused');

    // Signing out, even while a query runs, forgets the key and everything typed with it.
    await page.getByRole('link', { name: 'Query' }).click();
    await typeSql(page, 'SELECT count(*) FROM card_analytics.partitioned_transactions a CROSS JOIN card_analytics.partitioned_transactions b CROSS JOIN card_analytics.partitioned_transactions c');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Cancel' }).isEnabled()).toBe(true);
    const stored = () => page.evaluate(() => Object.keys((globalThis as any).sessionStorage).filter((k: string) => k.startsWith('lakegate.')).sort());
    expect(await stored()).toEqual(['lakegate.apiKey', 'lakegate.query.draft']);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    await page.waitForTimeout(300);
    expect(await stored()).toEqual([]);
    expect(w.problems).toEqual([]);
  });

  it('keeps following a run through answers of 503 (a gateway restarting or shedding load)', async () => {
    const runId = (await api('/pipelines/runs')).runs[0].runId;
    w = await watchedPage(browser);
    let refused = 0;
    await w.context.route(`**/pipelines/runs/${runId}`, (route) => (refused++ < 2 ? route.fulfill({ status: 503, headers: { 'retry-after': '1', 'content-type': 'application/problem+json' }, body: JSON.stringify({ status: 503, code: 'OVERLOADED', detail: 'shedding load' }) }) : route.fallback()));
    await w.page.goto(`${gw.url}/console/#/runs/${runId}`);
    await w.page.getByLabel('API key').fill(ADMIN);
    await w.page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => w.page.getByRole('status').filter({ hasText: 'Waiting for the gateway' }).count()).toBe(1);
    await expect.poll(() => w.page.getByTestId('run-status').textContent(), { timeout: 10_000 }).toBe((await api(`/pipelines/runs/${runId}`)).status);
    expect(refused).toBeGreaterThanOrEqual(3);
    // The two refusals, on purpose.
    expect(w.problems).toEqual([expect.stringContaining('status of 503'), expect.stringContaining('status of 503')]);
  });
});

/** Replaces the SQL editor's text, as one edit (the preview translates it once). */
async function typeSql(page: Page, sql: string): Promise<void> {
  await page.getByRole('textbox', { name: 'SQL', exact: true }).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(sql);
}

/** The text of a grid's body rows in view, cell by cell. */
async function gridRows(page: Page, name: string): Promise<string[][]> {
  const rows = page.getByRole('table', { name }).locator('.grid-body [role="row"]');
  return Promise.all((await rows.all()).map((r) => r.getByRole('cell').allTextContents()));
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** The partition folders under a table's location (key=value/key=value), listed from the disk. */
async function partitionFolders(location: string): Promise<string[]> {
  const out: string[] = [];
  for (const year of await readdir(location)) {
    if (!year.includes('=')) continue;
    for (const month of await readdir(path.join(location, year))) if (month.includes('=')) out.push(`${year}/${month}`);
  }
  return out.sort();
}
