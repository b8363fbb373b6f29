/** murmur3's 32-bit finalizer: a bijection on uint32 with full avalanche. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const GOLDEN = 0x9e3779b9;
const TWO_POW_32 = 4_294_967_296;

/**
 * Counter-based random numbers: draw k of row i is a hash of (seed, stream, i, k). A row's values do
 * not depend on the rows before it, so any row range can be generated on its own and a split output
 * holds exactly the rows of the single file. `row(i)` selects the row; `float()` and `int(n)` then
 * draw its numbers in order.
 *
 * @example const r = new RowRandom(42, 0); r.row(7); const pick = r.int(10);
 */
export class RowRandom {
  private readonly key: number;
  private base = 0;
  private mask = 0;
  private k = 0;

  /** `stream` separates independent sequences for the same seed (rows, customers). */
  constructor(seed: number, stream: number) {
    this.key = fmix32(fmix32(seed >>> 0) ^ Math.imul(stream + 1, GOLDEN));
  }

  /** Starts the draws of row `i` (a non-negative integer below 2^53). */
  row(i: number): void {
    const hi = Math.floor(i / TWO_POW_32);
    // For i < 2^32 `base` is a bijection of i: no two rows share a starting point.
    this.base = fmix32(((i >>> 0) ^ this.key) + fmix32(hi ^ 0x5bd1e995));
    this.mask = fmix32(this.base ^ GOLDEN);
    this.k = 0;
  }

  /** The next 32 random bits of the row, as an unsigned integer. */
  uint32(): number {
    return (fmix32((this.base + Math.imul(++this.k, GOLDEN)) >>> 0) ^ this.mask) >>> 0;
  }

  /** A uniform number in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** A uniform integer in [0, n), n ≤ 2^32. */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }
}
