import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Detector, RgbImage } from '@hoi/core/spec';
import { encodeModel, node, tensor, valueInfo } from '@hoi/onnx-graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetrDetector } from '../src/index.js';

/**
 * A one-query sigmoid head whose logit is the mean of pixel_values plus the mean of pixel_mask, so a
 * detection's score shows exactly what the model was fed, padding and mask included.
 */
function meanEchoModel(): Uint8Array {
  return encodeModel({
    nodes: [
      node('ReduceMean', ['pixel_values'], ['pm'], { axes: [1, 2, 3], keepdims: 0 }),
      node('Cast', ['pixel_mask'], ['maskf'], { to: 1 }),
      node('ReduceMean', ['maskf'], ['mm'], { axes: [1, 2], keepdims: 0 }),
      node('Add', ['pm', 'mm'], ['s']),
      node('Reshape', ['s', 'shape'], ['logits']),
      node('Mul', ['logits', 'zero'], ['z']),
      node('Add', ['z', 'box'], ['pred_boxes']),
    ],
    initializers: [
      tensor('shape', [3], [-1, 1, 1], true),
      tensor('zero', [], [0]),
      tensor('box', [1, 1, 4], [0.5, 0.5, 0.25, 0.25]),
    ],
    inputs: [
      valueInfo('pixel_values', ['batch', 3, 'height', 'width']),
      valueInfo('pixel_mask', ['batch', 'height', 'width'], 7),
    ],
    outputs: [valueInfo('logits', ['batch', 1, 1]), valueInfo('pred_boxes', ['batch', 1, 4])],
  });
}

function noisyImage(width: number, height: number, seed: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = ((i + seed) * 2654435761) >>> 24;
  return { width, height, channels: 3, data };
}

// Resized (so preprocessing awaits sharp and calls interleave); batches of A and B need padding.
const A = noisyImage(300, 200, 1);
const B = noisyImage(200, 300, 7);
const C = noisyImage(240, 180, 3);

describe('input and pixel_mask buffers kept between calls', () => {
  let dir: string;
  let model: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hoi-detr-reuse-'));
    model = join(dir, 'echo.onnx');
    writeFileSync(model, meanEchoModel());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const create = () =>
    createDetrDetector({
      model,
      classNames: ['thing'],
      scoreActivation: 'sigmoid',
      resize: { shortestEdge: 256, longestEdge: 400 },
    });
  const scoresOf = (r: { instances: { score: number }[] }[]) => r.map((x) => x.instances[0]!.score);
  const opts = { scoreThreshold: 0 };

  it('gives every call, sequential or concurrent, exactly what a fresh detector sees', async () => {
    // Expected results from fresh detectors: singles, and batches (padding lowers the means).
    const fresh = async (images: RgbImage[]) => {
      const d: Detector = await create();
      const r =
        images.length === 1 ? [await d.doDetect(images[0]!, opts)] : await d.doDetectBatch!(images, opts);
      await d.dispose?.();
      return scoresOf(r);
    };
    const [a, b, c, ab, ba, ca] = [
      await fresh([A]),
      await fresh([B]),
      await fresh([C]),
      await fresh([A, B]),
      await fresh([B, A]),
      await fresh([C, A]),
    ];
    // The images really differ, and padding in a batch shows, so a stale or shared buffer would show.
    expect(new Set([a![0], b![0], c![0]]).size).toBe(3);
    expect(ab![1]).not.toBe(b![0]);

    const detector = await create();
    // Same buffer size, padding in other places: stale pixels or mask would change the means.
    expect(scoresOf(await detector.doDetectBatch!([A, B], opts))).toEqual(ab);
    expect(scoresOf(await detector.doDetectBatch!([B, A], opts))).toEqual(ba);
    for (const [image, want] of [
      [A, a],
      [B, b],
      [C, c],
      [A, a],
    ] as const) {
      expect(scoresOf([await detector.doDetect(image, opts)])).toEqual(want);
    }
    // Same-size calls in flight together: each batch awaits sharp between its images.
    const [r1, r2, r3, r4, r5] = await Promise.all([
      detector.doDetectBatch!([A, B], opts),
      detector.doDetect(B, opts),
      detector.doDetectBatch!([C, A], opts),
      detector.doDetect(C, opts),
      detector.doDetectBatch!([B, A], opts),
    ]);
    expect(scoresOf(r5!)).toEqual(ba);
    expect(scoresOf(r1!)).toEqual(ab);
    expect(scoresOf([r2!])).toEqual(b);
    expect(scoresOf(r3!)).toEqual(ca);
    expect(scoresOf([r4!])).toEqual(c);
    await detector.dispose?.();
  });
});
