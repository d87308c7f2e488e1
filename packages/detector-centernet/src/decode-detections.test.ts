import { COCO_80_LABELS, HoiError, letterboxBox } from '@hoi/core';
import { describe, expect, it } from 'vitest';
import { type DecodeOptions, decodeDetections } from './decode-detections.js';
import { computeInputTransform } from './input-transform.js';

const base: DecodeOptions = {
  labels: COCO_80_LABELS,
  scoreThreshold: 0.2,
  iouThreshold: 0.5,
  maxDetections: 100,
};

/** Builds a raw [N, 6] output from rows of x1, y1, x2, y2 (model pixels), score, class. */
const raw = (...rows: number[][]) => Float32Array.from(rows.flat());

describe('decodeDetections', () => {
  it('returns no instances for no rows', () => {
    const t = computeInputTransform('letterbox', 640, 427, 512, 512);
    expect(decodeDetections(new Float32Array(0), t, base)).toEqual([]);
  });

  it.each([
    [640, 427],
    [427, 640],
    [1352, 900],
  ])('maps letterboxed boxes back to exact source pixels on %i x %i', (w, h) => {
    const t = computeInputTransform('letterbox', w, h, 512, 512);
    // Source boxes known by construction, sent through the forward letterbox, then decoded.
    const sources = [
      [0, 0, w, h],
      [w * 0.25, h * 0.125, w * 0.5, h * 0.75],
      [10, 20, 30, 40],
    ];
    const rows = sources.map((b, i) => [...letterboxBox(b, t!.letterbox!), 0.9 - i * 0.1, 0]);
    const out = decodeDetections(Float64Array.from(rows.flat()), t, { ...base, iouThreshold: 1 });
    expect(out).toHaveLength(3);
    for (const [i, d] of out.entries()) {
      for (const [k, v] of d.box.entries()) expect(v).toBeCloseTo(sources[i]![k]!, 9);
    }
  });

  it('clips boxes reaching into the padding and drops boxes lying wholly in it', () => {
    // 640x427: the image occupies model rows 85..427; rows 0..85 are padding.
    const t = computeInputTransform('letterbox', 640, 427, 512, 512);
    const out = decodeDetections(
      raw(
        [-20, 60, 100, 200, 0.9, 0], // starts above and left of the image
        [0, 0, 512, 80, 0.8, 33], // wholly in the top padding
        [400, 400, 530, 500, 0.7, 2], // past the right and bottom edges
      ),
      t,
      base,
    );
    expect(out.map((d) => d.label)).toEqual(['person', 'car']);
    expect(out[0]!.box[0]).toBe(0);
    expect(out[0]!.box[1]).toBe(0);
    expect(out[1]!.box[2]).toBe(640);
    expect(out[1]!.box[3]).toBe(427);
  });

  it('thresholds (inclusive), sorts by score and keeps the model order on ties', () => {
    const t = computeInputTransform('stretch', 512, 512, 512, 512);
    const out = decodeDetections(
      raw(
        [0, 0, 10, 10, 0.3, 0],
        [20, 20, 30, 30, 0.5, 1],
        [40, 40, 50, 50, 0.3, 2],
        [60, 60, 70, 70, 0.19, 3],
        [80, 80, 90, 90, 0.2, 4],
      ),
      t,
      base,
    );
    expect(out.map((d) => [d.label, d.data?.classIndex])).toEqual([
      ['bicycle', 1],
      ['person', 0],
      ['car', 2],
      ['airplane', 4],
    ]);
  });

  it('suppresses overlaps within a class only (class-wise NMS)', () => {
    const t = computeInputTransform('stretch', 512, 512, 512, 512);
    const out = decodeDetections(
      raw(
        [0, 0, 100, 100, 0.9, 0],
        [5, 5, 100, 100, 0.8, 0], // IoU 0.9 with the first person: dropped
        [5, 5, 100, 100, 0.7, 33], // same place, other class: kept
        [200, 200, 300, 300, 0.6, 0],
      ),
      t,
      base,
    );
    expect(out.map((d) => `${d.label} ${d.score.toFixed(1)}`)).toEqual([
      'person 0.9',
      'kite 0.7',
      'person 0.6',
    ]);
  });

  it('honours maxDetections (0 included) and a class subset', () => {
    const t = computeInputTransform('stretch', 512, 512, 512, 512);
    const rows = raw([0, 0, 10, 10, 0.9, 0], [20, 20, 30, 30, 0.8, 33], [40, 40, 50, 50, 0.7, 33]);
    expect(decodeDetections(rows, t, { ...base, maxDetections: 2 })).toHaveLength(2);
    expect(decodeDetections(rows, t, { ...base, maxDetections: 0 })).toEqual([]);
    const kites = decodeDetections(rows, t, { ...base, allowedClasses: new Set([33]) });
    expect(kites.map((d) => d.label)).toEqual(['kite', 'kite']);
  });

  it.each([
    ['a row length that is not 6', Float32Array.from([1, 2, 3, 4, 5, 6, 7]), /\[1, N, 6\]/],
    ['NaN', raw([0, 0, Number.NaN, 10, 0.9, 0]), /finite numbers.*row 0, column 2/],
    ['a class index past the labels', raw([0, 0, 10, 10, 0.9, 80]), /\[0, 79\].*80 at row 0/],
    ['a fractional class index', raw([0, 0, 10, 10, 0.9, 1.5]), /1.5 at row 0/],
  ])('rejects %s with an error naming the tensor', (_name, rows, message) => {
    const t = computeInputTransform('stretch', 512, 512, 512, 512);
    try {
      decodeDetections(rows, t, base);
      expect.unreachable();
    } catch (error) {
      expect(HoiError.isInstance(error)).toBe(true);
      expect((error as HoiError).name).toBe('HoiUnexpectedModelOutputError');
      expect((error as Error).message).toContain('tower_0/detections');
      expect((error as Error).message).toMatch(message);
    }
  });
});
