/**
 * The card generator's throughput: rows/s for one plain file, N plain parts, one gzip file and N gzip
 * parts, each written to a fresh temporary directory (removed after each run). Prints the best and the
 * median of the runs, wall clock and per CPU second (all of the process's threads, zlib's included),
 * and the load average, since another job on the machine lowers the wall figures.
 *
 *   npx tsx bench/generator-bench.ts [--records 5000000] [--files 4] [--runs 3] [--dir /tmp]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateCardCsv } from '../src/generator/card-generator.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '5000000' },
    files: { type: 'string', default: '4' },
    runs: { type: 'string', default: '3' },
    dir: { type: 'string', default: os.tmpdir() },
  },
});
const records = Number(values.records);
const parts = Number(values.files);
const runs = Number(values.runs);

const layouts = [
  { name: 'plain, 1 file', files: 1, gzip: false },
  { name: `plain, ${parts} files`, files: parts, gzip: false },
  { name: 'gzip, 1 file', files: 1, gzip: true },
  { name: `gzip, ${parts} files`, files: parts, gzip: true },
];

/** One run: rows per wall second and per CPU second. */
async function measure(files: number, gzip: boolean): Promise<{ wall: number; cpu: number }> {
  const dir = await mkdtemp(path.join(values.dir, 'lakegate-gen-bench-'));
  try {
    const output = files === 1 ? path.join(dir, gzip ? 'card.csv.gz' : 'card.csv') : dir;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await generateCardCsv({ records, output, seed: 42, files, gzip });
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return { wall: records / wall, cpu: records / ((cpu.user + cpu.system) / 1e6) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en').padStart(10);
console.log(`generator, ${records.toLocaleString('en')} rows, ${runs} runs each, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log('layout             best rows/s  median rows/s  median rows per CPU s');
for (const l of layouts) {
  const results: { wall: number; cpu: number }[] = [];
  for (let r = 0; r < runs; r++) results.push(await measure(l.files, l.gzip));
  results.sort((a, b) => b.wall - a.wall);
  const median = results[Math.floor(results.length / 2)]!;
  console.log(`${l.name.padEnd(18)} ${fmt(results[0]!.wall)}  ${fmt(median.wall)}     ${fmt(median.cpu)}`);
}
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
