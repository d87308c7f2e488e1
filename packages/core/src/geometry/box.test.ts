import { describe, expect, it } from 'vitest';
import { boxArea, clipBox, cxcywhToXyxy, scaleBox, unionBox } from './box.js';

describe('clipBox', () => {
  it.each([
    { box: [10, 20, 30, 40], w: 640, h: 427, expected: [10, 20, 30, 40] },
    { box: [-5, 10, 700, 500], w: 640, h: 427, expected: [0, 10, 640, 427] },
    { box: [700, 500, 800, 600], w: 640, h: 427, expected: [640, 427, 640, 427] },
    { box: [-10, -10, -1, -1], w: 427, h: 640, expected: [0, 0, 0, 0] },
  ])('clips $box to $w x $h', ({ box, w, h, expected }) => {
    expect(clipBox(box, w, h)).toEqual(expected);
  });
});

describe('scaleBox', () => {
  it.each([
    { box: [64, 42.7, 640, 427], from: [640, 427], to: [320, 640], expected: [32, 64, 320, 640] },
    { box: [10, 10, 20, 20], from: [100, 100], to: [100, 100], expected: [10, 10, 20, 20] },
    { box: [0, 0, 0, 0], from: [640, 427], to: [1, 1], expected: [0, 0, 0, 0] },
  ])('$box from $from to $to', ({ box, from, to, expected }) => {
    const s = scaleBox(box, { width: from[0]!, height: from[1]! }, { width: to[0]!, height: to[1]! });
    for (let i = 0; i < 4; i++) expect(s[i]).toBeCloseTo(expected[i]!, 9);
  });
});

describe('box helpers', () => {
  it.each([
    { box: [0, 0, 10, 5], plusOne: false, area: 50 },
    { box: [0, 0, 10, 5], plusOne: true, area: 66 },
    { box: [3, 3, 3, 3], plusOne: false, area: 0 },
    { box: [3, 3, 3, 3], plusOne: true, area: 1 },
    { box: [5, 5, 2, 8], plusOne: false, area: 0 }, // inverted -> 0, not negative
  ])('boxArea($box, plusOne=$plusOne) = $area', ({ box, plusOne, area }) => {
    expect(boxArea(box, plusOne)).toBe(area);
  });

  it('cxcywhToXyxy and unionBox', () => {
    expect(cxcywhToXyxy(50, 40, 20, 10)).toEqual([40, 35, 60, 45]);
    expect(unionBox([0, 5, 10, 10], [5, 0, 20, 8])).toEqual([0, 0, 20, 10]);
    expect(unionBox([1, 1, 2, 2], [1, 1, 2, 2])).toEqual([1, 1, 2, 2]);
  });
});
