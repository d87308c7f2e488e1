import { describe, expect, it } from 'vitest';
import { nms } from './nms.js';

const A = [0, 0, 10, 10];
const A2 = [1, 0, 11, 10]; // IoU with A = 90/110 > 0.5
const B = [20, 20, 30, 30]; // disjoint from A
const HALF = [0, 0, 20, 10]; // IoU with A = 100/200 = 0.5 exactly

describe('nms', () => {
  it.each([
    { name: 'empty input', boxes: [], scores: [], options: {}, keep: [] },
    { name: 'one box', boxes: [A], scores: [0.3], options: {}, keep: [0] },
    {
      name: 'suppresses the lower of an overlapping pair',
      boxes: [A, A2],
      scores: [0.6, 0.9],
      options: {},
      keep: [1],
    },
    {
      name: 'keeps disjoint boxes, best first',
      boxes: [A, B],
      scores: [0.2, 0.8],
      options: {},
      keep: [1, 0],
    },
    {
      name: 'IoU equal to the threshold is kept',
      boxes: [A, HALF],
      scores: [0.9, 0.8],
      options: {},
      keep: [0, 1],
    },
    {
      name: 'IoU above a lower threshold is suppressed',
      boxes: [A, HALF],
      scores: [0.9, 0.8],
      options: { iouThreshold: 0.4 },
      keep: [0],
    },
    {
      name: 'ties keep input order (identical boxes)',
      boxes: [A, A, A],
      scores: [0.5, 0.5, 0.5],
      options: {},
      keep: [0],
    },
    {
      name: 'ties keep input order (disjoint boxes)',
      boxes: [B, A, [40, 40, 50, 50]],
      scores: [0.5, 0.5, 0.5],
      options: {},
      keep: [0, 1, 2],
    },
    {
      name: 'class-wise: different groups do not suppress each other',
      boxes: [A, A2, B],
      scores: [0.9, 0.8, 0.7],
      options: { groups: [1, 2, 1] },
      keep: [0, 1, 2],
    },
    {
      name: 'class-wise with string groups suppresses within a group',
      boxes: [A, A2, A],
      scores: [0.9, 0.8, 0.7],
      options: { groups: ['person', 'cup', 'person'] },
      keep: [0, 1],
    },
    {
      name: 'class-agnostic suppresses across labels',
      boxes: [A, A2, B],
      scores: [0.9, 0.8, 0.7],
      options: {},
      keep: [0, 2],
    },
    {
      name: 'maxKeep stops early',
      boxes: [A, B, [40, 40, 50, 50]],
      scores: [0.1, 0.3, 0.2],
      options: { maxKeep: 2 },
      keep: [1, 2],
    },
    { name: 'maxKeep 0', boxes: [A], scores: [1], options: { maxKeep: 0 }, keep: [] },
  ])('$name', ({ boxes, scores, options, keep }) => {
    expect(nms(boxes, scores, options)).toEqual(keep);
  });

  it('a suppressed box does not suppress others (greedy order)', () => {
    // A (0.9) suppresses A2 (0.8); C overlaps A2 but not A, so C stays.
    const C = [9, 0, 19, 10]; // IoU(A2, C) = 20/180 < 0.5 with default; use a lower threshold
    expect(nms([A, A2, C], [0.9, 0.8, 0.7], { iouThreshold: 0.1 })).toEqual([0, 2]);
  });
});
