import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DetectedInstance, InteractionCandidate, InteractionPair, RgbImage } from '@hoi/core';
import { writeDualEncoderFixture } from '../scripts/dual-encoder-fixture.js';
import { createDualEncoderRecognizer } from '../src/index.js';
import { matmulTransposed } from '../src/vector-math.js';
import { median, type Row, seededImage, timeIt } from './bench-utils.js';

/**
 * Dual encoder, random-weight CLIP layout (ViT width 384, 4 layers, 224 px, 16-px patches): one image
 * encoding + pooling for 1, 10 and 100 pairs vs cropping each pair's union box and encoding it.
 */
export async function benchDualEncoder(reps: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hoi-bench-dual-'));
  try {
    writeDualEncoderFixture(dir, { family: 'clip', kind: 'random' });
    const rec = await createDualEncoderRecognizer({ model: dir });
    const image: RgbImage = seededImage(640, 480, 1);
    const instances: DetectedInstance[] = [];
    for (let i = 0; i < 20; i++) {
      const x = (i * 29) % 500;
      const y = (i * 53) % 360;
      instances.push({
        box: [x, y, x + 80 + (i % 5) * 10, y + 100 + (i % 3) * 15],
        label: i < 10 ? 'person' : 'cup',
        score: 0.9,
      });
    }
    const candidates: InteractionCandidate[] = Array.from({ length: 15 }, (_, k) => ({
      verb: `v${k}`,
      object: 'cup',
      phrase: `holding cup number ${k}`,
    }));
    const allPairs: InteractionPair[] = [];
    for (let h = 0; h < 10; h++)
      for (let o = 10; o < 20; o++)
        allPairs.push({ subject: h, object: o, candidates: candidates.map((_, k) => k) });
    await rec.doRecognize({ image, instances, pairs: allPairs.slice(0, 1), candidates }); // warm-up, fills the text cache
    const rows: Row[] = [];
    const ours: Record<number, number> = {};
    // Interleaved (1, 10, 100, 1, 10, 100, ...) so load from other processes hits every size alike.
    const times: Record<number, number[]> = { 1: [], 10: [], 100: [] };
    for (let r = 0; r < reps; r++) {
      for (const n of [1, 10, 100]) {
        const pairs = allPairs.slice(0, n);
        times[n]!.push(...(await timeIt(1, () => rec.doRecognize({ image, instances, pairs, candidates }))));
      }
    }
    for (const n of [1, 10, 100]) {
      ours[n] = median(times[n]!);
      rows.push({ name: `dual encoder, ${n} pairs (one encoding)`, ms: ours[n]! });
    }
    // Baseline: crop the union box of every pair, encode the crop, match.
    const text = await rec.model.embedTexts(candidates.map((c) => `a photo of a person ${c.phrase}.`));
    const crop = async (n: number) => {
      for (const pair of allPairs.slice(0, n)) {
        const a = instances[pair.subject]!.box;
        const b = instances[pair.object]!.box;
        const u = [
          Math.min(a[0], b[0]),
          Math.min(a[1], b[1]),
          Math.max(a[2], b[2]),
          Math.max(a[3], b[3]),
        ].map(Math.round) as number[];
        const emb = await rec.model.encodeImageGlobal(cropImage(image, u));
        matmulTransposed(emb, text.data, text.dim);
      }
    };
    for (const n of [1, 10, 100]) {
      const ms = median(await timeIt(n === 100 ? 1 : reps, () => crop(n)));
      rows.push({ name: `crop-and-encode baseline, ${n} pairs`, ms });
      if (n === 100) {
        rows.push({
          name: 'ratio: ours 100 pairs / ours 1 pair (target <= 1.3)',
          ratio: ours[100]! / ours[1]!,
        });
        rows.push({
          name: 'ratio: crop baseline / ours at 100 pairs (target >= 20)',
          ratio: ms / ours[100]!,
        });
      }
    }
    await rec.dispose?.();
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function cropImage(image: RgbImage, [x1, y1, x2, y2]: number[]): RgbImage {
  const w = Math.max(1, x2! - x1!);
  const h = Math.max(1, y2! - y1!);
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const src = ((y1! + y) * image.width + x1!) * 3;
    data.set(image.data.subarray(src, src + w * 3), y * w * 3);
  }
  return { width: w, height: h, channels: 3, data };
}
