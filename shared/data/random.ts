/**
 * A small seeded random number generator, so that a split made today is made identically tomorrow, in the
 * browser worker, the Node worker and the CLI alike. Math.random cannot be seeded; this can.
 *
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit state advanced by a Weyl sequence (+0x6D2B79F5) and
 * mixed by two multiply-xorshift rounds. Period 2^32, passes gjrand and PractRand to 2^32 bytes; plenty for
 * shuffling a few million row indices. The seed is any integer, reduced to 32 bits (`seed >>> 0`).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffles `items` in place (Fisher–Yates, from the end) with `random` in [0, 1); returns it. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(items: T, random: () => number): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}

/**
 * Splits `total` whole items into parts proportional to `fractions` (which must sum to 1) by the largest
 * remainder method: each part gets the floor of its quota, and the items left over go one each to the parts
 * with the largest fractional remainders (ties to the earlier part). Every part is then within one item of its
 * exact quota, and the parts sum to `total`.
 */
export function largestRemainder(total: number, fractions: readonly number[]): number[] {
  const quotas = fractions.map((f) => total * f);
  const counts = quotas.map((q) => Math.floor(q + 1e-9));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = quotas
    .map((q, i) => ({ i, rest: q - Math.floor(q + 1e-9) }))
    .sort((a, b) => (Math.abs(b.rest - a.rest) > 1e-9 ? b.rest - a.rest : a.i - b.i));
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k]!.i]! += 1;
  return counts;
}
