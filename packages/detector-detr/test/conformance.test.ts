import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertDetectorConformance } from '@hoi/core/test';
import { describe, it } from 'vitest';
import { createDetrDetector } from '../src/index.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

describe('@hoi/core conformance kit', () => {
  it.each([
    ['detr-tiny', undefined],
    ['deformable-tiny', undefined],
    ['rt-detr-tiny', undefined],
    ['combined-boxes-logits.onnx', ['person', 'cup', 'laptop']],
    ['separate-boxes-scores.onnx', ['person', 'cup', 'laptop']],
    ['detr-random-coco.onnx', undefined],
  ])('%s conforms to detector spec v1', async (model, classNames) => {
    const detector = await createDetrDetector({
      model: join(FIXTURES, model),
      classNames,
      onWarning: () => {},
    });
    try {
      await assertDetectorConformance(detector);
    } finally {
      await detector.dispose?.();
    }
  });
});
