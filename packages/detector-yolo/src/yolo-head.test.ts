import { describe, expect, it } from 'vitest';
import { decodeYoloHead, resolveYoloHeadShape } from './yolo-head.js';

describe('resolveYoloHeadShape', () => {
  it.each([
    ['v8 COCO', [1, 84, 8400], undefined, 'channels-first', 8400, 80],
    ['v8 two classes', [1, 6, 8400], 2, 'channels-first', 8400, 2],
    ['v8 transposed, names known', [1, 8400, 7], 3, 'anchors-first', 8400, 3],
    ['v8 transposed COCO', [1, 8400, 84], undefined, 'anchors-first', 8400, 80],
    ['v5 COCO', [1, 25200, 85], undefined, 'objectness', 25200, 80],
    ['v5 COCO with names', [1, 25200, 85], 80, 'objectness', 25200, 80],
    ['v5 one class', [1, 25200, 6], 1, 'objectness', 25200, 1],
    ['NMS export', [1, 300, 6], 80, 'nms', 300, 80],
    ['NMS export, names unknown', [1, 300, 6], undefined, 'nms', 300, 0],
  ] as const)('%s', (_, dims, known, layout, numBoxes, numClasses) => {
    expect(resolveYoloHeadShape('output0', dims, known)).toEqual({ layout, numBoxes, numClasses });
  });

  it.each([[[1, 84]], [[84, 8400, 1, 1]], [[1, 0, 8400]], [[1, 3, 50]]])(
    'rejects %j naming the tensor',
    (dims) => {
      expect(() => resolveYoloHeadShape('output0', dims, undefined)).toThrow(/`output0`/);
    },
  );

  it('honours a forced layout', () => {
    expect(resolveYoloHeadShape('o', [1, 10, 8], undefined, 'anchors-first').layout).toBe('anchors-first');
  });
});

describe('decodeYoloHead', () => {
  // Two anchors, two classes, channels-first: rows cx, cy, w, h, class 0, class 1.
  const cf = Float32Array.from([10, 50, 20, 50, 4, 10, 4, 10, 0.5, 0.5, 0.5, 0.75]);

  it('empty head gives no candidates', () => {
    const shape = { layout: 'channels-first' as const, numBoxes: 0, numClasses: 2 };
    expect(decodeYoloHead('o', new Float32Array(), shape, { scoreThreshold: 0 })).toEqual({
      boxes: [],
      scores: [],
      classIndices: [],
    });
  });

  it('channels-first: ties go to the lower class index', () => {
    const r = decodeYoloHead(
      'o',
      cf,
      { layout: 'channels-first', numBoxes: 2, numClasses: 2 },
      { scoreThreshold: 0.5 },
    );
    expect(r.boxes).toEqual([
      [8, 18, 12, 22],
      [45, 45, 55, 55],
    ]);
    expect(r.scores).toEqual([0.5, 0.75]);
    expect(r.classIndices).toEqual([0, 1]);
  });

  it('anchors-first gives the same as channels-first', () => {
    const af = Float32Array.from([10, 20, 4, 4, 0.5, 0.5, 50, 50, 10, 10, 0.5, 0.75]);
    const r = decodeYoloHead(
      'o',
      af,
      { layout: 'anchors-first', numBoxes: 2, numClasses: 2 },
      { scoreThreshold: 0.5 },
    );
    expect(r.classIndices).toEqual([0, 1]);
    expect(r.boxes[1]).toEqual([45, 45, 55, 55]);
  });

  it('objectness multiplies and filters on objectness first; allowed classes', () => {
    const v5 = Float32Array.from([10, 10, 2, 2, 0.5, 0.9, 0.1, 20, 20, 2, 2, 0.2, 1, 1]);
    const shape = { layout: 'objectness' as const, numBoxes: 2, numClasses: 2 };
    const r = decodeYoloHead('o', v5, shape, { scoreThreshold: 0.25 });
    expect(r.scores).toHaveLength(1);
    expect(r.scores[0]).toBeCloseTo(0.45, 6);
    const onlyClass1 = decodeYoloHead('o', v5, shape, {
      scoreThreshold: 0.01,
      allowedClasses: Uint8Array.from([0, 1]),
    });
    expect(onlyClass1.classIndices).toEqual([1, 1]);
    expect(onlyClass1.scores[0]).toBeCloseTo(0.05, 6);
  });

  it('nms rows pass through with the threshold', () => {
    const rows = Float32Array.from([1, 2, 3, 4, 0.9, 7, 0, 0, 0, 0, 0, 0]);
    const r = decodeYoloHead(
      'o',
      rows,
      { layout: 'nms', numBoxes: 2, numClasses: 80 },
      { scoreThreshold: 0.25 },
    );
    expect(r).toEqual({ boxes: [[1, 2, 3, 4]], scores: [rows[4]], classIndices: [7] });
  });

  it('throws on NaN naming the tensor', () => {
    const bad = cf.slice();
    bad[3] = Number.NaN;
    expect(() =>
      decodeYoloHead(
        'output0',
        bad,
        { layout: 'channels-first', numBoxes: 2, numClasses: 2 },
        { scoreThreshold: 0 },
      ),
    ).toThrow(/`output0`.*NaN at flat index 3/);
  });

  it.each([
    // flat index of the NaN, threshold, allowed classes
    [9, 0.25, undefined], // class 0 score of anchor 1, below-threshold path
    [11, 0, undefined], // last class score
    [10, 0.25, Uint8Array.from([1, 0])], // in a class the caller excluded
    [8, 0.25, Uint8Array.from([0, 1])],
  ])('channels-first: a NaN class score at %i is found (threshold %f, allowed %j)', (index, thr, allowed) => {
    const bad = cf.slice();
    bad[index] = Number.NaN;
    expect(() =>
      decodeYoloHead(
        'output0',
        bad,
        { layout: 'channels-first', numBoxes: 2, numClasses: 2 },
        { scoreThreshold: thr, allowedClasses: allowed },
      ),
    ).toThrow(new RegExp(`NaN at flat index ${index}`));
  });
});
