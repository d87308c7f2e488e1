import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RgbImage } from '@hoi/core/spec';
import { describe, expect, it } from 'vitest';
import { buildYolov8LikeModel } from '../bench/yolov8-like-model.js';
import { createYoloDetector } from '../src/index.js';

// The benchmark's model sizes are only honest if the builder reproduces YOLOv8's published
// size: Ultralytics reports 8.7 / 28.6 GFLOPs (2 x multiply-adds) and 3.2 / 11.2 M parameters.
describe('bench model: YOLOv8 layer structure', () => {
  it.each([
    ['n', 8.7, 3.2],
    ['s', 28.6, 11.2],
  ] as const)('yolov8%s-like counts %f GFLOPs and %f M parameters at 640', (scale, gflops, mparams) => {
    const m = buildYolov8LikeModel(scale);
    expect((2 * m.macs) / 1e9).toBeCloseTo(gflops, 1);
    expect(m.parameters / 1e6).toBeCloseTo(mparams, 0);
  });

  it('is a valid YOLOv8-style export the adapter runs on a non-square image', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoi-yolo-benchmodel-'));
    try {
      const path = join(dir, 'm.onnx');
      writeFileSync(path, buildYolov8LikeModel('n').bytes);
      const detector = await createYoloDetector({ model: path });
      const image: RgbImage = {
        width: 320,
        height: 200,
        channels: 3,
        data: new Uint8Array(320 * 200 * 3).fill(90),
      };
      const r = await detector.doDetect(image, { scoreThreshold: 0 });
      expect(r.providerMetadata?.yolo).toMatchObject({ headLayout: 'channels-first', inputWidth: 640 });
      expect(detector.labels.length).toBe(80);
      for (const d of r.instances) {
        expect(d.box.every(Number.isFinite)).toBe(true);
        expect(d.box[2]).toBeLessThanOrEqual(320);
      }
      await detector.dispose?.();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
