import { describe, expect, it } from 'vitest';
import { computeResizedSize } from './resize-size.js';

describe('computeResizedSize (transformers get_size_with_aspect_ratio)', () => {
  it.each([
    // width, height, rule, expected width, height
    [640, 427, { shortestEdge: 800, longestEdge: 1333 }, 1199, 800],
    [427, 640, { shortestEdge: 800, longestEdge: 1333 }, 800, 1199],
    [1280, 720, { shortestEdge: 800, longestEdge: 1333 }, 1333, 750],
    [720, 1280, { shortestEdge: 800, longestEdge: 1333 }, 750, 1333],
    [800, 800, { shortestEdge: 800, longestEdge: 1333 }, 800, 800],
    [800, 600, { shortestEdge: 600 }, 800, 600],
    [100, 50, { shortestEdge: 800 }, 1600, 800],
    [640, 427, { width: 640, height: 640 }, 640, 640],
    [1, 1, { shortestEdge: 800, longestEdge: 1333 }, 800, 800],
  ])('%ix%i with %j -> %ix%i', (w, h, rule, ew, eh) => {
    expect(computeResizedSize(w, h, rule)).toEqual({ width: ew, height: eh });
  });

  it('rounds the longest-edge-limited size half to even like Python', () => {
    // 4000x1000 with max 1000: raw shortest 250 exactly; 4010x1000 -> 249.37 -> 249.
    expect(computeResizedSize(4000, 1000, { shortestEdge: 800, longestEdge: 1000 })).toEqual({
      width: 1000,
      height: 250,
    });
    expect(computeResizedSize(4010, 1000, { shortestEdge: 800, longestEdge: 1000 })).toEqual({
      width: 1000,
      height: 249,
    });
  });
});
