import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardDomain, Weighted } from '../../src/domain/card-domain.js';
import { generateCardCsv } from '../../src/generator/card-generator.js';
import { tempDir } from '../catalog/support/lake.js';

// Every row within ddl/card-domain.json, and the shares its weights promise, checked against the JSON as
// this test reads it (only its type comes from src/).
const domain = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../ddl/card-domain.json'), 'utf8')) as CardDomain;
const RECORDS = 200_000;
/** A data row by column name; parsed by plain splitting (the generator writes no quoting). */
interface Row {
  id: string; date: string; cardNo: string; cardType: string; merchant: string; sub: string; category: string;
  amount: number; installment: number; status: string; region: string;
}
let rows: Row[];
let cleanup: () => Promise<void>;

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = await tempDir('lakegate-gen-'));
  const file = path.join(dir, 'card.csv');
  await generateCardCsv({ records: RECORDS, output: file, seed: 2024, year: 2023 });
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  expect(header).toBe('transaction_id,transaction_date,card_no,card_type,merchant,sub_category,category,amount,installment_months,approval_status,region');
  expect(lines.filter((l) => l.split(',').length !== 11)).toEqual([]);
  rows = lines.map((line) => {
    const [id, date, cardNo, cardType, merchant, sub, category, amount, installment, status, region] = line.split(',');
    return { id: id!, date: date!, cardNo: cardNo!, cardType: cardType!, merchant: merchant!, sub: sub!, category: category!,
      amount: Number(amount), installment: Number(installment), status: status!, region: region! };
  });
});
afterAll(() => cleanup());

/** Observed share of each key against weight / total weight. */
function expectShares(keys: string[], weights: [string, number][], tolerance = 0.005): void {
  const total = weights.reduce((n, [, w]) => n + w, 0);
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  expect([...counts.keys()].filter((k) => !weights.some(([name]) => name === k))).toEqual([]);
  for (const [name, w] of weights) expect(Math.abs((counts.get(name) ?? 0) / keys.length - w / total)).toBeLessThan(tolerance);
}

describe('generated rows against the card domain', () => {
  it('has unique ids 1..N and timestamps that are real instants of the year', () => {
    expect(rows).toHaveLength(RECORDS);
    expect(new Set(rows.map((r) => r.id)).size).toBe(RECORDS);
    expect(rows.every((r, i) => r.id === `TXN${String(i + 1).padStart(10, '0')}`)).toBe(true);
    expect(rows.filter((r) => !/^2023-\d\d-\d\d ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(r.date))).toEqual([]);
    const days = [...new Set(rows.map((r) => r.date.slice(0, 10)))];
    expect(days.filter((d) => new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) !== d)).toEqual([]);
    expect(days).toHaveLength(365);
  });

  it('keeps every field in its domain', () => {
    const cardNo = new RegExp(domain.cardNoPattern);
    const merchants = new Set(domain.categories.flatMap((c) => c.merchants.map((m) => `${m.name}|${m.subCategory}|${c.name}`)));
    const names = (w: Weighted[]): Set<string> => new Set(w.map((x) => x.name));
    const [cardTypes, statuses, regions] = [names(domain.cardTypes), names(domain.approvalStatuses), names(domain.regions)];
    const bad = rows.filter(
      (r) =>
        !cardNo.test(r.cardNo) || !cardTypes.has(r.cardType) || !merchants.has(`${r.merchant}|${r.sub}|${r.category}`) ||
        !statuses.has(r.status) || !regions.has(r.region),
    );
    expect(bad).toEqual([]);
  });

  it('rounds amounts to 100 within the category range, clamped to its bounds', () => {
    const range = new Map(domain.categories.map((c) => [c.name, c]));
    const bad = rows.filter((r) => {
      const c = range.get(r.category)!;
      const inRange = Number.isInteger(r.amount) && r.amount >= c.minAmount && r.amount <= c.maxAmount;
      return !inRange || (r.amount % 100 !== 0 && r.amount !== c.minAmount && r.amount !== c.maxAmount);
    });
    expect(bad).toEqual([]);
  });

  it('pays in installments only on credit cards from the minimum amount, with the choices weighted by repetition', () => {
    const eligible = (r: Row): boolean => r.cardType === domain.creditCardType && r.amount >= domain.installmentMinAmount;
    expect(rows.filter((r) => !eligible(r) && r.installment !== 0)).toEqual([]);
    const choices = [...new Set(domain.installmentChoices)];
    const weights = choices.map((c) => [String(c), domain.installmentChoices.filter((x) => x === c).length] as [string, number]);
    expectShares(rows.filter(eligible).map((r) => String(r.installment)), weights, 0.02);
  });

  it('draws categories, statuses, regions and hours with the domain weights', () => {
    expectShares(rows.map((r) => r.category), domain.categories.map((c) => [c.name, c.weight]));
    expectShares(rows.map((r) => r.status), domain.approvalStatuses.map((s) => [s.name, s.weight]));
    expectShares(rows.map((r) => r.region), domain.regions.map((s) => [s.name, s.weight]));
    expectShares(rows.map((r) => String(Number(r.date.slice(11, 13)))), domain.hourWeights.map((w, h) => [String(h), w]));
    // Card types are drawn per card (10,000 cards), so their row shares vary more.
    expectShares(rows.map((r) => r.cardType), domain.cardTypes.map((t) => [t.name, t.weight]), 0.03);
  });

  it('gives each category the mean of a normal(mean (min+max)/3, sd (max-min)/4) rounded to 100 and clamped', () => {
    for (const c of domain.categories) {
      const amounts = rows.filter((r) => r.category === c.name).map((r) => r.amount);
      const mean = (c.minAmount + c.maxAmount) / 3;
      const sd = (c.maxAmount - c.minAmount) / 4;
      // Midpoint rule over ±8 sd in steps of 10 amount units.
      let expected = 0;
      for (let x = mean - 8 * sd + 5; x < mean + 8 * sd; x += 10) {
        const v = Math.min(c.maxAmount, Math.max(c.minAmount, Math.round(x / 100) * 100));
        expected += (10 * v * Math.exp(-(((x - mean) / sd) ** 2) / 2)) / (sd * Math.sqrt(2 * Math.PI));
      }
      const observed = amounts.reduce((n, a) => n + a, 0) / amounts.length;
      expect(Math.abs(observed - expected) / expected, c.name).toBeLessThan(0.03);
    }
  });
});
