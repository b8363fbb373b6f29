import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCardCsv } from '../../src/generator/card-generator.js';
import { spawnCli, type CliProcess } from '../support/cli-process.js';
import { spawnGateway, type GatewayProcess } from '../support/gateway-process.js';

const TOKEN = 'cron-token-0123456789abcdef';

// `lakegate pipelines ...` as cron or a Kubernetes Job runs it: a process, against a gateway process
// that wants an API key, judged by its exit code and what the gateway recorded.
describe('lakegate pipelines (the CLI for cron, Kubernetes Jobs and CI)', () => {
  let gw: GatewayProcess;
  let dir: string;
  let good: string;

  const lakegate = (args: string[], env: Record<string, string> = {}): CliProcess =>
    spawnCli(['pipelines', ...args], { LAKEGATE_URL: gw.url, LAKEGATE_TOKEN: TOKEN, ...env });
  const runOf = async (id: string): Promise<Record<string, any>> =>
    (await (await fetch(`${gw.url}/pipelines/runs/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as Record<string, any>;
  const runs = async (): Promise<Array<Record<string, any>>> =>
    ((await (await fetch(`${gw.url}/pipelines/runs?limit=200`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { runs: Array<Record<string, any>> }).runs;

  const gatewayEnv = (): Record<string, string> => ({ LAKEGATE_HOME: path.join(dir, 'home'), LAKEGATE_API_KEYS: `cron:${TOKEN}:pipelines`, LAKEGATE_STAGE_RETRIES: '0', LAKEGATE_PROGRESS_INTERVAL_MS: '100' });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lakegate-cli-'));
    gw = await spawnGateway(gatewayEnv());
    good = path.join(dir, 'good.csv');
    await generateCardCsv({ records: 3_000, output: good, seed: 11 });
  }, 120_000);
  afterAll(async () => {
    await gw?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 when the run succeeds, the run id alone on stdout and each stage on stderr', async () => {
    const cli = lakegate(['run', '--input', good, '--year', '2024', '--stages', 'quality,etl,quarterly', '--wait', '--poll-interval', '50']);
    expect(await cli.exit, cli.stderr()).toBe(0);
    const id = cli.stdout().trim();
    expect(id).toMatch(/^run_/);
    for (const stage of ['quality', 'etl', 'quarterly']) expect(cli.stderr()).toMatch(new RegExp(`${id}: ${stage} succeeded in \\d+\\.\\d s`));
    expect(cli.stderr()).toMatch(new RegExp(`${id}: succeeded\\n$`));
    const run = await runOf(id);
    expect(run.status).toBe('succeeded');
    expect(run.stages.map((s: any) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'skipped']);
    // status reads it back.
    const status = lakegate(['status', id]);
    expect(await status.exit).toBe(0);
    expect(status.stdout()).toMatch(new RegExp(`^${id}: succeeded\\n  quality succeeded`));
  });

  it('exits 3 when quality FAILs, naming the check, and the gateway\'s run is halted', async () => {
    const dup = path.join(dir, 'dup.csv');
    const lines = (await readFile(good, 'utf8')).trimEnd().split('\n');
    await writeFile(dup, [...lines, lines[1]!].join('\n') + '\n');
    const cli = lakegate(['run', '--input', dup, '--wait', '--poll-interval', '50']);
    expect(await cli.exit, cli.stderr()).toBe(3);
    expect(cli.stderr()).toMatch(/halted: quality FAIL: duplicate_transaction_id \(1 transaction_ids occur more than once \(1 rows beyond/);
    expect((await runOf(cli.stdout().trim())).status).toBe('halted');
  });

  it('exits 1 when the run fails, with the gateway\'s reason', async () => {
    const cut = path.join(dir, 'cut.csv.gz');
    const whole = gzipSync(await readFile(good));
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const cli = lakegate(['run', '--input', cut, '--wait', '--poll-interval', '50']);
    expect(await cli.exit, cli.stderr()).toBe(1);
    expect(cli.stderr()).toMatch(/: failed: .*not a complete gzip stream/);
    expect((await runOf(cli.stdout().trim())).status).toBe('failed');
  }, 180_000);

  it.each(['SIGINT', 'SIGTERM'] as const)('cancels the run and exits 130 on %s while waiting', async (signal) => {
    const big = path.join(dir, 'big.csv');
    await generateCardCsv({ records: 400_000, output: big, seed: 12 });
    const cli = lakegate(['run', '--input', big, '--output', `wh-${signal}`, '--wait', '--poll-interval', '50']);
    for (const deadline = Date.now() + 60_000; !/ running/.test(cli.stderr()) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
    cli.kill(signal);
    expect(await cli.exit, cli.stderr()).toBe(130);
    expect(cli.stderr()).toMatch(/interrupted; cancelling the run\n.*: cancelled\n$/);
    expect((await runOf(cli.stdout().trim())).status).toBe('cancelled');
  });

  it('submits once for one idempotency key however often it is retried', async () => {
    const args = ['run', '--input', good, '--output', 'wh-idem', '--stages', 'quality', '--idempotency-key', 'cron-2024-06-01'];
    const first = lakegate([...args, '--wait', '--poll-interval', '50']);
    expect(await first.exit, first.stderr()).toBe(0);
    const again = lakegate([...args, '--wait', '--poll-interval', '50']);
    expect(await again.exit, again.stderr()).toBe(0);
    expect(again.stdout()).toBe(first.stdout());
    expect(again.stderr()).toMatch(/submitted before/);
    expect((await runs()).filter((r) => r.idempotencyKey === 'cron-2024-06-01')).toHaveLength(1);
  });

  it('exits 2 on a refused request or bad usage, and 1 when the gateway cannot be reached', async () => {
    const wrongKey = lakegate(['status', 'run_x'], { LAKEGATE_TOKEN: 'not-a-key-0123456789' });
    expect(await wrongKey.exit).toBe(2);
    expect(wrongKey.stderr()).toMatch(/^lakegate: UNAUTHORIZED: /);
    const missing = lakegate(['run', '--input', path.join(dir, 'nowhere.csv')]);
    expect(await missing.exit).toBe(2);
    expect(missing.stderr()).toMatch(/^lakegate: INPUT_NOT_FOUND: /);
    const usage = lakegate(['run', '--year', '2024']);
    expect(await usage.exit).toBe(2);
    expect(usage.stderr()).toMatch(/--input is required/);
    const down = lakegate(['status', 'run_x'], { LAKEGATE_URL: 'http://127.0.0.1:9' });
    expect(await down.exit).toBe(1);
    expect(down.stderr()).toMatch(/UNREACHABLE: the gateway at http:\/\/127\.0\.0\.1:9 cannot be reached/);
  });

  it('keeps following a run through a gateway restart, and exits 1 with the reason the restart gave it', async () => {
    const big = path.join(dir, 'big-restart.csv');
    await generateCardCsv({ records: 400_000, output: big, seed: 13 });
    const cli = lakegate(['run', '--input', big, '--output', 'wh-restart', '--wait', '--poll-interval', '50']);
    for (const deadline = Date.now() + 60_000; !/ running/.test(cli.stderr()) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
    await gw.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    gw = await spawnGateway({ PORT: new URL(gw.url).port, ...gatewayEnv() });
    expect(await cli.exit, cli.stderr()).toBe(1);
    expect(cli.stderr()).toMatch(/UNREACHABLE: the gateway at .* cannot be reached: .*; asking again/);
    expect(cli.stderr()).toMatch(new RegExp(`${cli.stdout().trim()}: failed: `));
    expect((await runOf(cli.stdout().trim())).status).toBe('failed');
  }, 180_000);
});
