import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test/fixtures.js';
import { groupBy, sortByScoreDescending } from './score-order.js';

const reference = (order: Int32Array, score: Float64Array) =>
  Array.from(order).sort((a, b) => score[b]! - score[a]! || order.indexOf(a) - order.indexOf(b));

describe('sortByScoreDescending', () => {
  it.each([
    ['empty', []],
    ['one', [0.5]],
    ['ties keep input order', [0.5, 0.7, 0.5, 0.7, 0.5]],
    [
      'signs, zeros and extremes',
      [-1, 0, -0, 1e-310, -1e-310, 3, -3, 1e300, -1e300, 0.1, 0.30000000000000004, 0.3],
    ],
  ])('%s', (_, values) => {
    const score = Float64Array.from(values);
    const order = Int32Array.from(values.map((_, k) => values.length - 1 - k)); // not the identity
    expect(Array.from(sortByScoreDescending(order, score))).toEqual(reference(order, score));
  });

  it('matches a comparator sort on 5,000 random scores with many ties', () => {
    const rand = seededRandom(7);
    const score = Float64Array.from({ length: 5000 }, () => Math.round(rand() * 50) / 50 - 0.3);
    const order = Int32Array.from({ length: 5000 }, (_, k) => (k * 7919) % 5000);
    expect(Array.from(sortByScoreDescending(order, score))).toEqual(reference(order, score));
  });
});

describe('groupBy', () => {
  it('is a stable counting sort with bucket starts', () => {
    const key = Int32Array.from([2, 0, 2, 1, 0]);
    const { sorted, start } = groupBy(Int32Array.from([4, 3, 2, 1, 0]), key, 4);
    expect(Array.from(sorted)).toEqual([4, 1, 3, 2, 0]);
    expect(Array.from(start)).toEqual([0, 2, 3, 5, 5]);
  });
  it('handles empty input', () => {
    const { sorted, start } = groupBy(new Int32Array(0), new Int32Array(0), 2);
    expect(sorted.length).toBe(0);
    expect(Array.from(start)).toEqual([0, 0, 0]);
  });
});
