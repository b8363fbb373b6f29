import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A value as the Spark runner tags it (see spark-sql-runner.py). */
export type SparkValue =
  | null
  | boolean
  | string
  | { int: string }
  | { dec: string }
  | { float: number | string }
  | { date: string }
  | { ts: string }
  | { map: Record<string, SparkValue> }
  | { other: string }
  | SparkValue[];

export type SparkResult = { id: string; columns: string[]; rows: SparkValue[][] } | { id: string; error: string };

export interface SparkRunSpec {
  database?: string;
  /** Table name -> Parquet directory. */
  tables: Record<string, string>;
  queries: Array<{ id: string; sql: string }>;
  driverMemory?: string;
}

export const PYTHON = path.join(root, '.venv', 'bin', 'python');
const RUNNER = path.join(root, 'test', 'support', 'spark-sql-runner.py');

/** Runs all queries in one local Spark session (pyspark from the project's .venv). */
export async function runSparkSql(spec: SparkRunSpec, options: { timeoutMs?: number } = {}): Promise<Map<string, SparkResult>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lakegate-spark-'));
  try {
    const specFile = path.join(dir, 'spec.json');
    await writeFile(specFile, JSON.stringify({ ...spec, warehouse: path.join(dir, 'warehouse') }));
    const stdout = await run(PYTHON, [RUNNER, specFile], dir, options.timeoutMs ?? 600_000);
    const parsed = JSON.parse(stdout) as { results: SparkResult[] };
    return new Map(parsed.results.map((r) => [r.id, r]));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** True when the venv's Python can import pyspark. */
export async function sparkAvailable(): Promise<boolean> {
  if (!existsSync(PYTHON)) return false;
  try {
    await run(PYTHON, ['-c', 'import pyspark'], os.tmpdir(), 60_000);
    return true;
  } catch {
    return false;
  }
}

function run(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PYSPARK_PYTHON: cmd, TZ: 'UTC', SPARK_LOCAL_IP: '127.0.0.1' },
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-8000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${path.basename(cmd)} exited with ${code}: ${err}`));
    });
  });
}
