import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COCO_80_CATEGORY_IDS, clipBox } from '@hoi/core';
import type { Detector } from '@hoi/core/spec';
import { DetrImageProcessor, Tensor } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetrDetector } from '../src/index.js';

const MODEL = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'detr-random-coco.onnx');

/**
 * The same logits through transformers.js' DETR `post_process_object_detection` and through this
 * adapter must give the same classes, scores and boxes. The fixture holds a random 100-query COCO
 * head (91 ids + "no object"); transformers keeps the unused COCO ids (label "N/A"), which this adapter
 * never reports, so those are removed from its side before comparing.
 */
describe('DETR post-processing matches @huggingface/transformers', () => {
  let detector: Detector;
  let hfInputs: { logits: Tensor; pred_boxes: Tensor };
  beforeAll(async () => {
    detector = await createDetrDetector({ model: MODEL, onWarning: () => {} });
    const session = await ort.InferenceSession.create(MODEL);
    const out = await session.run({
      pixel_values: new ort.Tensor('float32', new Float32Array(3 * 8 * 8), [1, 3, 8, 8]),
    });
    const t = (name: string) => {
      const v = out[name] as ort.Tensor;
      return new Tensor('float32', v.data as Float32Array, v.dims as number[]);
    };
    hfInputs = { logits: t('logits'), pred_boxes: t('pred_boxes') };
    await session.release();
  });
  afterAll(() => detector.dispose?.());

  const realIds = new Set(COCO_80_CATEGORY_IDS);

  it.each([
    [640, 427, 0.5],
    [427, 640, 0.5],
    [640, 427, 0.7],
    [1280, 720, 0.9],
  ])('%ix%i at threshold %f', async (width, height, threshold) => {
    const processor = new DetrImageProcessor({});
    const [hf] = processor.post_process_object_detection(hfInputs, threshold, [[height, width]]) as {
      boxes: number[][];
      classes: number[];
      scores: number[];
    }[];
    const expected = hf!.classes
      .map((c, i) => ({
        classIndex: c,
        score: hf!.scores[i]!,
        box: clipBox(hf!.boxes[i]!, width, height),
        i,
      }))
      .filter((d) => realIds.has(d.classIndex))
      .sort((a, b) => b.score - a.score || a.i - b.i);

    const image = { width, height, channels: 3 as const, data: new Uint8Array(width * height * 3) };
    const ours = await detector.doDetect(image, { scoreThreshold: threshold, maxDetections: 1000 });

    if (threshold === 0.5) expect(expected.length).toBeGreaterThan(3); // the check is not vacuous
    expect(ours.instances.map((d) => d.data?.classIndex)).toEqual(expected.map((d) => d.classIndex));
    ours.instances.forEach((d, k) => {
      expect(d.score).toBeCloseTo(expected[k]!.score, 6);
      for (const [j, v] of d.box.entries()) expect(v).toBeCloseTo(expected[k]!.box[j]!, 4);
    });
  });
});
