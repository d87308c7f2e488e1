import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertDetectorConformance } from '@hoi/core/test';
import { describe, it } from 'vitest';
import { createYoloDetector } from '../src/index.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

describe('@hoi/core conformance kit', () => {
  it.each([
    ['yolov8-dynamic.onnx', undefined],
    ['yolov5-static.onnx', undefined],
    ['yolo-nms-static.onnx', undefined],
    ['yolo-world-static.onnx', ['person', 'skateboard', 'helmet']],
    ['yolo-anchors-first-static.onnx', undefined],
    ['yolov8-batch2-static.onnx', undefined],
  ])('%s conforms to detector spec v1', async (file, classNames) => {
    const detector = await createYoloDetector({ model: join(FIXTURES, file), classNames });
    try {
      await assertDetectorConformance(detector);
    } finally {
      await detector.dispose?.();
    }
  });
});
