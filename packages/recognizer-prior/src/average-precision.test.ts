import { describe, expect, it } from 'vitest';
import { averagePrecision } from './average-precision.js';

describe('averagePrecision (all-point, ties as one block)', () => {
  it.each([
    { name: 'empty', scores: [], labels: [], ap: 0 },
    { name: 'no positives', scores: [0.3, 0.2], labels: [0, 0], ap: 0 },
    { name: 'perfect ranking', scores: [0.9, 0.8, 0.1], labels: [1, 1, 0], ap: 1 },
    { name: 'worst ranking', scores: [0.9, 0.8, 0.1], labels: [0, 0, 1], ap: 1 / 3 },
    // Ranks: + - + : recall 0.5 at precision 1, recall 1 at precision 2/3.
    { name: 'interleaved', scores: [3, 2, 1], labels: [1, 0, 1], ap: 0.5 * 1 + 0.5 * (2 / 3) },
    { name: 'constant scores = positive rate', scores: [0.5, 0.5, 0.5, 0.5], labels: [1, 0, 0, 0], ap: 0.25 },
    { name: 'tie block after a hit', scores: [0.9, 0.5, 0.5], labels: [1, 1, 0], ap: 0.5 + 0.5 * (2 / 3) },
  ])('$name', ({ scores, labels, ap }) => {
    expect(averagePrecision(scores, labels)).toBeCloseTo(ap, 12);
  });

  it('does not depend on the input order of tied items', () => {
    expect(averagePrecision([0.5, 0.5, 0.1], [0, 1, 1])).toBe(averagePrecision([0.5, 0.5, 0.1], [1, 0, 1]));
  });
});
