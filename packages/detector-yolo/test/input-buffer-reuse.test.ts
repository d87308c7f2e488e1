import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Detector, RgbImage } from '@hoi/core/spec';
import { encodeModel, node, tensor, valueInfo } from '@hoi/onnx-graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createYoloDetector } from '../src/index.js';

/**
 * A one-anchor YOLOv8-style head whose class score is the mean of the whole model input, so a
 * detection's score shows exactly which pixels (image and gray padding) the model was fed.
 */
function meanEchoModel(): Uint8Array {
  return encodeModel({
    nodes: [
      node('ReduceMean', ['images'], ['m4'], { axes: [1, 2, 3], keepdims: 1 }),
      node('Reshape', ['m4', 'shape'], ['score']),
      node('Mul', ['score', 'zero'], ['z']),
      node('Add', ['z', 'box'], ['boxes']),
      node('Concat', ['boxes', 'score'], ['output0'], { axis: 1 }),
    ],
    initializers: [
      tensor('shape', [3], [-1, 1, 1], true),
      tensor('zero', [], [0]),
      tensor('box', [1, 4, 1], [320, 320, 100, 100]),
    ],
    inputs: [valueInfo('images', ['batch', 3, 640, 640])],
    outputs: [valueInfo('output0', ['batch', 5, 1])],
  });
}

function noisyImage(width: number, height: number, seed: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = ((i + seed) * 2654435761) >>> 24;
  return { width, height, channels: 3, data };
}

// Sizes that need resizing, so preprocessing awaits sharp and calls interleave.
const A = noisyImage(900, 500, 1);
const B = noisyImage(500, 900, 7);
const C = noisyImage(640, 427, 3);

describe('model-input buffer kept between calls', () => {
  let dir: string;
  let model: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hoi-yolo-reuse-'));
    model = join(dir, 'echo.onnx');
    writeFileSync(model, meanEchoModel());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const scoreOf = (r: { instances: { score: number }[] }) => r.instances[0]!.score;

  it('gives every call, sequential or concurrent, exactly what a fresh detector sees', async () => {
    const expected = new Map<RgbImage, number>();
    for (const image of [A, B, C]) {
      const fresh: Detector = await createYoloDetector({
        model,
        classNames: ['thing'],
        headLayout: 'channels-first',
      });
      expected.set(image, scoreOf(await fresh.doDetect(image, { scoreThreshold: 0 })));
      await fresh.dispose?.();
    }
    // The three images really differ, so a stale or shared buffer would show.
    expect(new Set(expected.values()).size).toBe(3);

    const detector = await createYoloDetector({ model, classNames: ['thing'], headLayout: 'channels-first' });
    const opts = { scoreThreshold: 0 };
    for (const image of [A, B, C, A])
      expect(scoreOf(await detector.doDetect(image, opts))).toBe(expected.get(image));
    // Same-size calls in flight together: each batch awaits sharp between its images.
    const [ab, b, ca, c, ba] = await Promise.all([
      detector.doDetectBatch!([A, B], opts),
      detector.doDetect(B, opts),
      detector.doDetectBatch!([C, A], opts),
      detector.doDetect(C, opts),
      detector.doDetectBatch!([B, A], opts),
    ]);
    expect(ba!.map(scoreOf)).toEqual([expected.get(B), expected.get(A)]);
    expect(ab!.map(scoreOf)).toEqual([expected.get(A), expected.get(B)]);
    expect(scoreOf(b!)).toBe(expected.get(B));
    expect(ca!.map(scoreOf)).toEqual([expected.get(C), expected.get(A)]);
    expect(scoreOf(c!)).toBe(expected.get(C));
    await detector.dispose?.();
  });
});
