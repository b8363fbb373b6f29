import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCardCsv } from '../../src/generator/card-generator.js';
import { spawnGateway, type GatewayProcess } from '../support/gateway-process.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const AIRFLOW = path.join(ROOT, '.venv-airflow', 'bin', 'airflow');
const TOKEN = 'airflow-token-0123456789abcdef';

// examples/airflow/dags/lakegate_card_pipeline.py run by a real Airflow 3 (`airflow dags test`, SQLite
// metadata under a temporary AIRFLOW_HOME; installed by scripts/setup-python.sh airflow) against a
// gateway process that wants an API key (the connection's password, sent as a Bearer token).
describe('the Airflow DAG lakegate_card_pipeline', () => {
  let gw: GatewayProcess;
  let dir: string;
  let good: string;

  const airflow = (args: string[], env: Record<string, string> = {}): Promise<{ code: number; output: string }> =>
    new Promise((resolve) => {
      execFile(AIRFLOW, args, {
        cwd: dir,
        timeout: 240_000,
        maxBuffer: 64 * 1024 * 1024,
        env: {
          ...process.env,
          AIRFLOW_HOME: path.join(dir, 'airflow'),
          AIRFLOW__CORE__DAGS_FOLDER: path.join(ROOT, 'examples', 'airflow', 'dags'),
          AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
          AIRFLOW_CONN_LAKEGATE_DEFAULT: `http://:${TOKEN}@${new URL(gw.url).host}`,
          LAKEGATE_DAG_POLL_SECONDS: '0.5',
          // Plain log lines: no colours, no tracebacks wrapped to a terminal's width.
          NO_COLOR: '1',
          FORCE_COLOR: '',
          TERM: 'dumb',
          COLUMNS: '1000',
          ...env,
        },
      }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: `${stdout}\n${stderr}` }));
    });
  const dagTest = (conf: Record<string, unknown>, extra: string[] = [], env: Record<string, string> = {}) =>
    airflow(['dags', 'test', 'lakegate_card_pipeline', ...extra, '-c', JSON.stringify(conf)], env);
  const runs = async (): Promise<Array<Record<string, any>>> =>
    ((await (await fetch(`${gw.url}/pipelines/runs?limit=200`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { runs: Array<Record<string, any>> }).runs;
  const runOf = (output: string): string => /lakegate run (run_\S+) \(/.exec(output)?.[1] ?? 'none';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lakegate-airflow-'));
    gw = await spawnGateway({ LAKEGATE_HOME: path.join(dir, 'home'), LAKEGATE_API_KEYS: `airflow:${TOKEN}:pipelines+query`, LAKEGATE_STAGE_RETRIES: '0' });
    good = path.join(dir, 'good.csv');
    await generateCardCsv({ records: 3_000, output: good, seed: 21 });
    const migrated = await airflow(['db', 'migrate']);
    expect(migrated.code, migrated.output.slice(-3000)).toBe(0);
  }, 240_000);
  afterAll(async () => {
    await gw?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs the four stages on a good CSV, validates the tables and reads the hourly share: one succeeded gateway run', async () => {
    const { code, output } = await dagTest({ input: good, year: 2024 });
    expect(code, output.slice(-5000)).toBe(0);
    const all = await runs();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ runId: runOf(output), status: 'succeeded', year: 2024 });
    expect(all[0]!.stages.map((s: any) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(output).toMatch(/partitioned_transactions: ok, 12 files checked/);
    expect(output).toMatch(/hourly-share 2024: 24 hours/);
  }, 300_000);

  it('fails the DAG run on a duplicated transaction id, the quality reason in the task log, the gateway run halted', async () => {
    const dup = path.join(dir, 'dup.csv');
    const lines = (await readFile(good, 'utf8')).trimEnd().split('\n');
    await writeFile(dup, [...lines, lines[5]!].join('\n') + '\n');
    const { code, output } = await dagTest({ input: dup, year: 2024 });
    expect(code, output.slice(-5000)).not.toBe(0);
    expect(output, output.slice(-4000)).toMatch(/\[error\s*\] lakegate run run_\S+ halted: .*quality FAIL: duplicate_transaction_id FAIL \(1 transaction_ids occur more than once/);
    // The task that cancels the run of a failed wait ran, and found it ended.
    expect(output).toMatch(/the wait failed: lakegate run run_\S+ had already ended/);
    const run = (await runs()).find((r) => r.runId === runOf(output));
    expect(run?.status).toBe('halted');
    expect(run?.stages.map((s: any) => s.status)).toEqual(['failed', 'skipped', 'skipped', 'skipped']);
  }, 300_000);

  it('submits one gateway run for one logical date, however often the DAG runs for it', async () => {
    const conf = { input: good, year: 2024, stages: ['quality'] };
    const first = await dagTest(conf, ['2024-06-01']);
    expect(first.code, first.output.slice(-5000)).toBe(0);
    const again = await dagTest(conf, ['2024-06-01']);
    expect(again.code, again.output.slice(-5000)).toBe(0);
    expect(runOf(again.output)).toBe(runOf(first.output));
    expect((await runs()).filter((r) => r.runId === runOf(first.output))).toHaveLength(1);
    const keys = (await runs()).map((r) => r.idempotencyKey).filter((k) => typeof k === 'string' && k.startsWith('airflow-'));
    expect(new Set(keys).size).toBe(keys.length);
  }, 300_000);

  it('cancels the gateway run when the wait times out', async () => {
    const big = path.join(dir, 'big.csv');
    await generateCardCsv({ records: 400_000, output: big, seed: 22 });
    const { code, output } = await dagTest({ input: big, year: 2024 }, [], { LAKEGATE_DAG_TIMEOUT_SECONDS: '1' });
    expect(code, output.slice(-5000)).not.toBe(0);
    expect(output).toMatch(/(the wait timed out|the run took more than 0:00:01): cancelled lakegate run run_\S+ \(cancelled\)/);
    expect((await runs()).find((r) => r.runId === runOf(output))?.status).toBe('cancelled');
  }, 300_000);

  it('refuses a connection with a login, which would go as Basic auth over the key, without retrying', async () => {
    const { code, output } = await dagTest({ input: good, year: 2024, stages: ['quality'] }, [], { AIRFLOW_CONN_LAKEGATE_DEFAULT: `http://lakegate:${TOKEN}@${new URL(gw.url).host}` });
    expect(code).not.toBe(0);
    expect(output).toMatch(/connection lakegate_default: leave the login empty and put the API key in the password/);
    expect(output).not.toMatch(/up_for_retry/);
  }, 300_000);
});
