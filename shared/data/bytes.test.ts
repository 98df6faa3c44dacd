import { describe, expect, it } from 'vitest';
import { concatBytes } from './bytes.js';

describe('concatBytes', () => {
  it('joins parts in order, returns a lone part as it is, and gives an empty array for none', () => {
    expect([...concatBytes([Uint8Array.of(1, 2), Uint8Array.of(), Uint8Array.of(3)])]).toEqual([1, 2, 3]);
    const only = Uint8Array.of(9);
    expect(concatBytes([only])).toBe(only);
    expect(concatBytes([]).byteLength).toBe(0);
  });
});
