import { describe, expect, it } from 'vitest';
import { weightedPicker } from '../../src/generator/weighted-picker.js';

/** The index whose cumulative-weight interval holds u * total, by a plain scan. */
function scan(weights: number[], u: number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let cum = 0;
  for (let i = 0; i < weights.length; i++) if (u * total < (cum += weights[i]!)) return i;
  return weights.findLastIndex((w) => w > 0);
}

describe('weightedPicker', () => {
  it('picks what a scan of the cumulative weights picks, zero weights never', () => {
    const cases = [[35, 15, 25, 8, 5, 5, 4, 3], [2, 1, 1, 1, 1, 1, 3, 5, 8, 7, 6, 8, 15, 12, 8, 7, 6, 8, 12, 15, 12, 10, 8, 5], [0, 3, 0, 0, 1, 0], [1], [0.1, 0.7, 0.2]];
    for (const w of cases) {
      const pick = weightedPicker(w);
      // Every 32-bit-resolution boundary region: slice edges and cumulative edges, plus a sweep.
      const total = w.reduce((a, b) => a + b, 0);
      const edges = w.map((_, i) => w.slice(0, i + 1).reduce((a, b) => a + b, 0) / total);
      const us = [0, 1 - 2 ** -32, ...edges.flatMap((e) => [e - 2 ** -32, e, e + 2 ** -32]).filter((u) => u >= 0 && u < 1)];
      for (let k = 0; k < 100_000; k++) us.push(k / 100_000);
      expect(us.filter((u) => pick(u) !== scan(w, u)), `weights ${w}`).toEqual([]);
    }
  });

  it('refuses weights that cannot be drawn from', () => {
    for (const w of [[], [0, 0], [1, -1], [1, Number.NaN]]) expect(() => weightedPicker(w)).toThrow(/weights/);
  });
});
