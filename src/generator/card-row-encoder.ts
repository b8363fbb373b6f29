import { CARD_DOMAIN, type CardDomain } from '../domain/card-domain.js';
import { RowRandom } from './row-random.js';
import { weightedPicker } from './weighted-picker.js';

/** What decides the rows: the same options give the same row for the same id. */
export interface CardRowOptions {
  seed: number;
  /** The calendar year of the timestamps. */
  year: number;
  /** How many distinct cards (number and type) the rows draw from. */
  customers: number;
  /** Defaults to ddl/card-domain.json. */
  domain?: CardDomain;
}

/** The largest id `TXN` + 10 digits can hold. */
export const MAX_ROW_ID = 9_999_999_999;

const ID_DIGITS = 10;
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Strings encoded once into one contiguous byte array: compact, so a row's copies stay in cache. */
class Segments {
  readonly bytes: Uint8Array;
  /** Segment k is bytes[starts[k], starts[k + 1]). */
  readonly starts: Int32Array;
  readonly longest: number;

  constructor(texts: readonly string[]) {
    const encoded = texts.map((t) => Buffer.from(t, 'utf8'));
    this.bytes = Buffer.concat(encoded);
    this.starts = new Int32Array(texts.length + 1);
    encoded.forEach((b, k) => (this.starts[k + 1] = this.starts[k]! + b.length));
    this.longest = encoded.reduce((m, b) => Math.max(m, b.length), 0);
  }

  get count(): number {
    return this.starts.length - 1;
  }

  /** Copies segment k to buf at p and returns the offset after it. */
  put(buf: Uint8Array, p: number, k: number): number {
    const bytes = this.bytes;
    for (let j = this.starts[k]!, end = this.starts[k + 1]!; j < end; j++) buf[p++] = bytes[j]!;
    return p;
  }
}

interface Category {
  minAmount: number;
  maxAmount: number;
  mean: number;
  std: number;
  /** Where the category's merchants begin in the merchant segments, and how many it has. */
  firstMerchant: number;
  merchantCount: number;
}

/**
 * Encodes card-transaction CSV rows straight into UTF-8 bytes. Every text field (cards, merchants,
 * days, times, statuses and regions) is encoded once up front, so a row is a few small copies plus the
 * id and amount digits. Row `i` depends only on the options and `i` (see RowRandom).
 */
export class CardRowEncoder {
  /** An upper bound on the bytes of one row, newline included. */
  readonly maxRowBytes: number;
  private readonly random: RowRandom;
  /** `,card_no,card_type,` per customer, and whether its card is a credit card. */
  private readonly customers: Segments;
  private readonly credit: Uint8Array;
  private readonly categories: Category[];
  /** `merchant,sub_category,category,` per merchant of every category. */
  private readonly merchants: Segments;
  private readonly pickCategory: (u: number) => number;
  private readonly pickHour: (u: number) => number;
  private readonly pickStatus: (u: number) => number;
  private readonly pickRegion: (u: number) => number;
  private readonly regionCount: number;
  /** `status,region\n` at status * regionCount + region. */
  private readonly statusRegions: Segments;
  /** `YYYY-MM-DD ` per day of the year, `HH:` per hour, `MM:SS` per second of the hour. */
  private readonly days: Segments;
  private readonly hours: Segments;
  private readonly minuteSeconds: Segments;
  /** `,N,` per installment choice, then `,0,` for rows that cannot pay in installments. */
  private readonly installments: Segments;
  private readonly installmentChoices: number;
  private readonly installmentMinAmount: number;

  constructor(opts: CardRowOptions) {
    const d = opts.domain ?? CARD_DOMAIN;
    if (!Number.isInteger(opts.customers) || opts.customers < 1) throw new RangeError(`customers must be a positive integer, got ${opts.customers}`);
    this.random = new RowRandom(opts.seed, 0);
    const cards = new RowRandom(opts.seed, 1);
    const pickCardType = weightedPicker(d.cardTypes.map((t) => t.weight));
    const customers = Array.from({ length: opts.customers }, (_, c) => {
      cards.row(c);
      const cardNo = `****-****-****-${pad(cards.int(10_000), 4)}`;
      return { cardNo, cardType: d.cardTypes[pickCardType(cards.float())]!.name };
    });
    this.customers = new Segments(customers.map((c) => `,${c.cardNo},${c.cardType},`));
    this.credit = Uint8Array.from(customers, (c) => (c.cardType === d.creditCardType ? 1 : 0));
    let firstMerchant = 0;
    this.categories = d.categories.map((c) => {
      const cat = {
        minAmount: c.minAmount,
        maxAmount: c.maxAmount,
        mean: (c.minAmount + c.maxAmount) / 3,
        std: (c.maxAmount - c.minAmount) / 4,
        firstMerchant,
        merchantCount: c.merchants.length,
      };
      firstMerchant += c.merchants.length;
      return cat;
    });
    this.merchants = new Segments(d.categories.flatMap((c) => c.merchants.map((m) => `${m.name},${m.subCategory},${c.name},`)));
    this.pickCategory = weightedPicker(d.categories.map((c) => c.weight));
    this.pickHour = weightedPicker(d.hourWeights);
    this.pickStatus = weightedPicker(d.approvalStatuses.map((s) => s.weight));
    this.pickRegion = weightedPicker(d.regions.map((r) => r.weight));
    this.regionCount = d.regions.length;
    this.statusRegions = new Segments(d.approvalStatuses.flatMap((s) => d.regions.map((r) => `${s.name},${r.name}\n`)));
    const start = Date.UTC(opts.year, 0, 1);
    const dayCount = Math.round((Date.UTC(opts.year + 1, 0, 1) - start) / 86_400_000);
    this.days = new Segments(Array.from({ length: dayCount }, (_, i) => `${new Date(start + i * 86_400_000).toISOString().slice(0, 10)} `));
    this.hours = new Segments(Array.from({ length: 24 }, (_, h) => `${pad(h)}:`));
    this.minuteSeconds = new Segments(Array.from({ length: 3600 }, (_, s) => `${pad(Math.floor(s / 60))}:${pad(s % 60)}`));
    this.installments = new Segments([...d.installmentChoices, 0].map((n) => `,${n},`));
    this.installmentChoices = d.installmentChoices.length;
    this.installmentMinAmount = d.installmentMinAmount;
    const amountDigits = String(Math.max(...d.categories.map((c) => c.maxAmount))).length;
    this.maxRowBytes = [this.days, this.hours, this.minuteSeconds, this.customers, this.merchants, this.installments, this.statusRegions]
      .reduce((n, s) => n + s.longest, 'TXN,'.length + ID_DIGITS + amountDigits);
  }

  /**
   * Writes rows `from`, `from + 1`, ... (ids, 1-based) before `to` into `buf` from offset 0, as many as
   * fit. Returns the next row to write and the bytes written.
   */
  fill(buf: Uint8Array, from: number, to: number): { next: number; length: number } {
    const r = this.random;
    let p = 0;
    let i = from;
    for (; i < to && p + this.maxRowBytes <= buf.length; i++) {
      r.row(i);
      const customer = r.int(this.customers.count);
      const cat = this.categories[this.pickCategory(r.float())]!;
      p = writeId(buf, p, i);
      p = this.days.put(buf, p, r.int(this.days.count));
      p = this.hours.put(buf, p, this.pickHour(r.float()));
      p = this.minuteSeconds.put(buf, p, r.int(3600));
      p = this.customers.put(buf, p, customer);
      p = this.merchants.put(buf, p, cat.firstMerchant + r.int(cat.merchantCount));
      const z = Math.sqrt(-2 * Math.log(1 - r.float())) * Math.cos(2 * Math.PI * r.float());
      const rounded = Math.round((cat.mean + cat.std * z) / 100) * 100;
      const amount = Math.min(cat.maxAmount, Math.max(cat.minAmount, rounded));
      p = writeDigits(buf, p, amount);
      const installments = this.credit[customer] === 1 && amount >= this.installmentMinAmount;
      p = this.installments.put(buf, p, installments ? r.int(this.installmentChoices) : this.installmentChoices);
      p = this.statusRegions.put(buf, p, this.pickStatus(r.float()) * this.regionCount + this.pickRegion(r.float()));
    }
    return { next: i, length: p };
  }
}

/** `TXN` and `id` zero-padded to 10 digits, then a comma. */
function writeId(buf: Uint8Array, p: number, id: number): number {
  buf[p] = 0x54; // T
  buf[p + 1] = 0x58; // X
  buf[p + 2] = 0x4e; // N
  let n = id;
  for (let j = p + 2 + ID_DIGITS; j > p + 2; j--) {
    const q = Math.floor(n / 10);
    buf[j] = 0x30 + n - q * 10;
    n = q;
  }
  buf[p + 3 + ID_DIGITS] = 0x2c; // ,
  return p + 4 + ID_DIGITS;
}

/** The decimal digits of a non-negative integer. */
function writeDigits(buf: Uint8Array, p: number, n: number): number {
  let len = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) len++;
  for (let j = p + len - 1; j >= p; j--) {
    const q = Math.floor(n / 10);
    buf[j] = 0x30 + n - q * 10;
    n = q;
  }
  return p + len;
}
