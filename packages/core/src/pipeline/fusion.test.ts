import { describe, expect, it } from 'vitest';
import { fuseScores, topK } from './fusion.js';

describe('fuseScores', () => {
  it.each([
    [{ action: 0.5, object: 0.8, human: 0.9, interactiveness: 1 }, 1, 0.36],
    [{ action: 0, object: 0.8, human: 0.9, interactiveness: 1 }, 1, 0],
    [{ action: 0.5, object: 0.5, human: 1, interactiveness: 0.5 }, 2, 0.125 ** 2],
  ])('%o ^ %d', (f, e, expected) => {
    expect(fuseScores(f, e)).toBeCloseTo(expected, 12);
  });

  it('a shared exponent keeps the ranking', () => {
    const a = { action: 0.3, object: 0.9, human: 0.8, interactiveness: 0.7 };
    const b = { action: 0.6, object: 0.4, human: 0.8, interactiveness: 0.9 };
    expect(fuseScores(a) > fuseScores(b)).toBe(fuseScores(a, 1.3) > fuseScores(b, 1.3));
  });
});

describe('topK', () => {
  it.each([
    { scores: [], k: 3, out: [] },
    { scores: [0.1, 0.9, 0.5], k: 2, out: [1, 2] },
    { scores: [0.5, 0.5, 0.7, 0.5], k: 3, out: [2, 0, 1] },
    { scores: [0.2, 0.3], k: 0, out: [] },
    { scores: [0.2, 0.3], k: 10, out: [1, 0] },
  ])('$scores k=$k', ({ scores, k, out }) => {
    expect(topK(scores, k)).toEqual(out);
  });
});

describe('topK against a full sort', () => {
  it.each([
    { n: 6300, k: 100, levels: 0 },
    { n: 500, k: 100, levels: 7 }, // many ties across the threshold
    { n: 50, k: 50, levels: 3 },
    { n: 10, k: 3, levels: 1 }, // all equal
  ])('n=$n k=$k', ({ n, k, levels }) => {
    let s = 12345;
    const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const scores = Array.from({ length: n }, () => (levels ? Math.floor(rand() * levels) / levels : rand()));
    const reference = scores
      .map((v, i) => i)
      .sort((a, b) => scores[b]! - scores[a]! || a - b)
      .slice(0, k);
    expect(topK(scores, k)).toEqual(reference);
  });

  it('ranks NaN last', () => {
    expect(topK([Number.NaN, 0.5, 0.1], 3)).toEqual([1, 2, 0]);
  });
});
