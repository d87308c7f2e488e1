import { describe, expect, it } from 'vitest';
import { iou } from './iou.js';

describe('iou', () => {
  it.each([
    { name: 'identical', a: [0, 0, 10, 10], b: [0, 0, 10, 10], cont: 1, plusOne: 1 },
    { name: 'disjoint', a: [0, 0, 10, 10], b: [20, 20, 30, 30], cont: 0, plusOne: 0 },
    // continuous: inter 4x4=16, areas 81 -> 16/146; plusOne: inter 5x5=25, areas 100 -> 25/175
    { name: 'partial overlap', a: [0, 0, 9, 9], b: [5, 5, 14, 14], cont: 16 / 146, plusOne: 25 / 175 },
    // sharing the edge x=1: no area in continuous coordinates, one shared pixel column with plusOne
    { name: 'touching edge', a: [0, 0, 1, 1], b: [1, 0, 2, 1], cont: 0, plusOne: 2 / 6 },
    { name: 'touching corner', a: [0, 0, 1, 1], b: [1, 1, 2, 2], cont: 0, plusOne: 1 / 7 },
    // zero-width box [1,1,1,5]: empty in continuous coordinates, a 1x5 pixel column with plusOne
    { name: 'zero-width', a: [1, 1, 1, 5], b: [0, 0, 3, 3], cont: 0, plusOne: 3 / 18 },
    { name: 'both empty', a: [2, 2, 2, 2], b: [2, 2, 2, 2], cont: 0, plusOne: 1 },
    // contained: inter = small area
    { name: 'contained', a: [0, 0, 10, 10], b: [2, 2, 4, 7], cont: 10 / 100, plusOne: 18 / 121 },
  ])('$name', ({ a, b, cont, plusOne }) => {
    expect(iou(a, b)).toBeCloseTo(cont, 12);
    expect(iou(b, a)).toBeCloseTo(cont, 12);
    expect(iou(a, b, { plusOne: true })).toBeCloseTo(plusOne, 12);
    expect(iou(b, a, { plusOne: true })).toBeCloseTo(plusOne, 12);
  });
});
