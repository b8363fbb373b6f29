/**
 * Picks an index with probability weights[i] / sum(weights) from a uniform number in [0, 1), in O(1)
 * expected time: a guide table says where in the cumulative weights the search for each of
 * `weights.length * 4` equal slices of [0, 1) starts, so the scan after it is a step or two. The same
 * draw picks the same index as a binary search over the cumulative weights would.
 *
 * @example const pick = weightedPicker([35, 15, 50]); pick(0.4) // 1
 */
export function weightedPicker(weights: readonly number[]): (u: number) => number {
  if (weights.length === 0 || weights.some((w) => !(w >= 0)) || !weights.some((w) => w > 0)) {
    throw new Error(`weights must be non-negative with a positive sum: ${weights.join(',')}`);
  }
  const cum = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => (cum[i] = total += w));
  const last = weights.length - 1;
  const slices = weights.length * 4;
  const guide = new Int32Array(slices);
  for (let s = 0, i = 0; s < slices; s++) {
    // Stop a hair early: a guide entry may start the scan too soon, never too late.
    while (i < last && cum[i]! < (s / slices) * total * (1 - 1e-9)) i++;
    guide[s] = i;
  }
  return (u: number) => {
    const x = u * total;
    let i = guide[Math.floor(u * slices)]!;
    while (i < last && cum[i]! <= x) i++;
    return i;
  };
}
