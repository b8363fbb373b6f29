import { readFileSync } from 'node:fs';

/** One CSV row as the domain defines it, parsed with plain string handling (independent of DuckDB). */
export interface CsvRow {
  transaction_id: string;
  transaction_date: string;
  card_no: string;
  card_type: string;
  merchant: string;
  sub_category: string;
  category: string;
  amount: number;
  installment_months: number;
  approval_status: string;
  region: string;
  year: number;
  month: number;
  hour: number;
  day: string;
  quarter: string;
}

export function readCardCsv(file: string): CsvRow[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const cols = header!.split(',');
  return lines.map((line) => {
    const v = line.split(',');
    const o: Record<string, string> = {};
    cols.forEach((c, i) => (o[c] = v[i]!));
    const date = o.transaction_date!;
    const month = Number(date.slice(5, 7));
    return {
      ...(o as unknown as CsvRow),
      amount: Number(o.amount),
      installment_months: Number(o.installment_months),
      year: Number(date.slice(0, 4)),
      month,
      hour: Number(date.slice(11, 13)),
      day: date.slice(0, 10),
      quarter: `Q${Math.ceil(month / 3)}`,
    };
  });
}

/** Groups rows by a key and folds each group. */
export function groupBy<T, K extends string>(rows: T[], key: (r: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    const g = m.get(k);
    if (g) g.push(r);
    else m.set(k, [r]);
  }
  return m;
}

export const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
export const distinct = <T>(xs: T[]): number => new Set(xs).size;
