import { describe, expect, it } from 'vitest';
import { mropePositionIds } from './mrope.js';

describe('mropePositionIds', () => {
  it.each([
    { name: 'empty', ids: [], grid: undefined, start: 0, t: [], h: [], w: [], next: 0 },
    {
      name: 'text only, offset start',
      ids: [5, 6, 7],
      grid: undefined,
      start: 4,
      t: [4, 5, 6],
      h: [4, 5, 6],
      w: [4, 5, 6],
      next: 7,
    },
    {
      // 2 text, a 1x2x3 image (non-square), 1 text: image offset 2, rows 2..3, cols 2..4, then max+1 = 5
      name: 'text, non-square image, text',
      ids: [1, 2, 9, 9, 9, 9, 9, 9, 3],
      grid: { t: 1, h: 2, w: 3 },
      start: 0,
      t: [0, 1, 2, 2, 2, 2, 2, 2, 5],
      h: [0, 1, 2, 2, 2, 3, 3, 3, 5],
      w: [0, 1, 2, 3, 4, 2, 3, 4, 5],
      next: 6,
    },
  ])('$name', ({ ids, grid, start, t, h, w, next }) => {
    const r = mropePositionIds(ids, 9, grid, start);
    expect(r.positions).toEqual([t, h, w]);
    expect(r.next).toBe(next);
  });
});
