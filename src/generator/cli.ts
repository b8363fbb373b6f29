import { parseArgs } from 'node:util';
import { generateCardCsv } from './card-generator.js';

const usage = `usage: npm run generate -- --records N --output PATH [--seed S] [--year Y] [--customers C] [--files F] [--gzip] [--quiet]
  --files 1 (default): PATH is the file to write (name it .csv.gz with --gzip)
  --files F > 1:       PATH is a directory; rows are split evenly, in id order, over
                       PATH/part-00000-of-0000F.csv ... (.csv.gz with --gzip), each with the header`;

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer, got '${raw}'\n${usage}`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: {
    records: { type: 'string' },
    output: { type: 'string' },
    seed: { type: 'string' },
    year: { type: 'string' },
    customers: { type: 'string' },
    files: { type: 'string' },
    gzip: { type: 'boolean' },
    quiet: { type: 'boolean' },
  },
});
if (!values.output) {
  console.error(usage);
  process.exit(2);
}
const records = positiveInt('records', values.records, 1_000_000);
const started = performance.now();
const result = await generateCardCsv({
  records,
  output: values.output,
  seed: positiveInt('seed', values.seed, 42),
  year: positiveInt('year', values.year, 2024),
  customers: positiveInt('customers', values.customers, 10_000),
  files: positiveInt('files', values.files, 1),
  gzip: values.gzip ?? false,
  onProgress: values.quiet ? undefined : (n, total) => process.stderr.write(`\r${n.toLocaleString('en')} / ${total.toLocaleString('en')} rows`),
});
const secs = (performance.now() - started) / 1000;
const where = result.paths.length === 1 ? values.output : `${result.paths.length} files in ${values.output}`;
console.error(
  `\nwrote ${result.rows.toLocaleString('en')} rows (${(result.bytes / 1e6).toFixed(1)} MB of CSV) to ${where} in ${secs.toFixed(1)} s` +
    ` (${Math.round(result.rows / secs).toLocaleString('en')} rows/s)`,
);
