import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../data/random.js';
import { compareCodePoints, medianOf, medianSorted, quantileOf, quantileSorted, sortedPresent } from './stats.js';

describe('selection statistics', () => {
  it('medianOf and quantileOf agree exactly with the sorted definitions, ties and gaps included', () => {
    const r = mulberry32(21);
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + Math.floor(r() * 300);
      const distinct = 1 + Math.floor(r() * 20);
      const values = Float64Array.from({ length: n }, () => (r() < 0.1 ? Number.NaN : trial % 2 === 0 ? Math.floor(r() * distinct) : r() * 100 - 50));
      const sorted = sortedPresent(values);
      const before = values.slice();
      expect(medianOf(values)).toBe(medianSorted(sorted));
      for (const q of [0, 0.01, 0.25, 0.5, 0.75, 0.99, 1]) expect(quantileOf(values, q)).toBe(quantileSorted(sorted, q));
      expect(Array.from(values)).toEqual(Array.from(before)); // the input is not reordered
    }
    expect(medianOf(Float64Array.of(Number.NaN))).toBeNaN();
  });

  it('orders strings by code point, as Python does', () => {
    const words = ['b', 'a', 'ab', '\u{1F600}', '\uFF21', 'é', 'Z', ''];
    expect([...words].sort(compareCodePoints)).toEqual(['', 'Z', 'a', 'ab', 'b', 'é', '\uFF21', '\u{1F600}']);
  });
});
