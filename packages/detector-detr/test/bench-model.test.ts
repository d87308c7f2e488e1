import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RgbImage } from '@hoi/core/spec';
import { describe, expect, it } from 'vitest';
import { buildDetrR50LikeModel } from '../bench/detr-r50-like-model.js';
import { createDetrDetector } from '../src/index.js';

// The benchmark's model size is only honest if the builder reproduces the published sizes:
// ResNet-50 is 4.09 G multiply-adds at 224x224 (torchvision, fc included: 2 M), DETR-R50 41 M parameters.
describe('bench model: DETR-R50 structure', () => {
  it('counts ResNet-50 multiply-adds at 224 and DETR-R50 parameters; runs in the adapter', async () => {
    const m = buildDetrR50LikeModel(224, 224);
    expect(m.backboneMacs / 1e9).toBeCloseTo(4.09 - 0.002, 2);
    expect(m.parameters / 1e6).toBeCloseTo(41.5, 0);
    const dir = mkdtempSync(join(tmpdir(), 'hoi-detr-benchmodel-'));
    try {
      mkdirSync(join(dir, 'onnx'));
      writeFileSync(join(dir, 'onnx', 'model.onnx'), m.bytes);
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'detr' }));
      const detector = await createDetrDetector({
        model: dir,
        resize: { shortestEdge: 96, longestEdge: 160 },
      });
      const image: RgbImage = {
        width: 200,
        height: 120,
        channels: 3,
        data: new Uint8Array(200 * 120 * 3).fill(90),
      };
      const r = await detector.doDetect(image, { scoreThreshold: 0 });
      expect(r.providerMetadata?.detr).toMatchObject({ inputWidth: 160, inputHeight: 96 });
      expect(r.instances.length).toBeGreaterThan(0);
      for (const d of r.instances) expect(d.box.every(Number.isFinite)).toBe(true);
      await detector.dispose?.();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
