import { describe, expect, it } from 'vitest';
import { decodeDetrOutputs } from './detr-postprocess.js';

const names = { logits: 'logits', boxes: 'pred_boxes' };
const box = [0.5, 0.5, 0.5, 0.5];

describe('decodeDetrOutputs', () => {
  it('empty outputs give no detections', () => {
    for (const activation of ['softmax', 'sigmoid'] as const) {
      expect(
        decodeDetrOutputs(names, new Float32Array(), new Float32Array(), 0, 3, {
          activation,
          scoreThreshold: 0,
          topK: 10,
        }),
      ).toEqual([]);
    }
  });

  it('softmax: ties between queries keep query order; ties between classes take the lower index', () => {
    const logits = Float32Array.from([2, 2, 0, 2, 2, 0]);
    const r = decodeDetrOutputs(names, logits, Float32Array.from([...box, ...box]), 2, 3, {
      activation: 'softmax',
      scoreThreshold: 0,
      topK: 10,
    });
    expect(r.map((d) => [d.queryIndex, d.classIndex])).toEqual([
      [0, 0],
      [1, 0],
    ]);
    expect(r[0]!.score).toBeCloseTo(Math.exp(2) / (2 * Math.exp(2) + 1), 9);
    expect(r[0]!.boxXyxyNormalized).toEqual([0.25, 0.25, 0.75, 0.75]);
  });

  it('sigmoid: threshold is inclusive and top-k cuts after sorting', () => {
    const logits = Float32Array.from([0, 1, -1, 2]);
    const all = decodeDetrOutputs(names, logits, Float32Array.from([...box, ...box]), 2, 2, {
      activation: 'sigmoid',
      scoreThreshold: 0.5,
      topK: 10,
    });
    expect(all.map((d) => [d.queryIndex, d.classIndex])).toEqual([
      [1, 1],
      [0, 1],
      [0, 0],
    ]);
    expect(all[2]!.score).toBe(0.5);
    const top1 = decodeDetrOutputs(names, logits, Float32Array.from([...box, ...box]), 2, 2, {
      activation: 'sigmoid',
      scoreThreshold: 0,
      topK: 1,
    });
    expect(top1).toHaveLength(1);
  });

  it('NaN in boxes names the boxes tensor', () => {
    expect(() =>
      decodeDetrOutputs(names, Float32Array.from([1, 2]), Float32Array.from([0, Number.NaN, 0, 0]), 1, 2, {
        activation: 'sigmoid',
        scoreThreshold: 0,
        topK: 1,
      }),
    ).toThrow(/`pred_boxes`.*NaN at flat index 1/);
  });
});
