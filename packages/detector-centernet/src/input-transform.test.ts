import { describe, expect, it } from 'vitest';
import { computeInputTransform, modelBoxToSource } from './input-transform.js';

describe('computeInputTransform', () => {
  // Expected values from the reference preprocessing of MB3-CenterNet: scale = min(512/w, 512/h),
  // w' = round(w * scale), h' = round(h * scale), left/top pad = (512 - w') // 2, (512 - h') // 2.
  const reference = (w: number, h: number) => {
    const scale = Math.min(512 / w, 512 / h);
    const rw = Math.round(w * scale);
    const rh = Math.round(h * scale);
    return { rw, rh, padLeft: Math.floor((512 - rw) / 2), padTop: Math.floor((512 - rh) / 2) };
  };

  it.each([
    [1352, 900],
    [900, 1352],
    [640, 427],
    [427, 640],
    [1280, 720],
    [512, 512],
    [300, 200],
    [1, 1000],
    [333, 334],
  ])('letterbox of %i x %i matches the reference centring', (w, h) => {
    const t = computeInputTransform('letterbox', w, h, 512, 512);
    const r = reference(w, h);
    expect([t.resizedWidth, t.resizedHeight, t.padLeft, t.padTop]).toEqual([r.rw, r.rh, r.padLeft, r.padTop]);
    expect(t.padLeft + t.resizedWidth).toBeLessThanOrEqual(512);
    expect(t.padTop + t.resizedHeight).toBeLessThanOrEqual(512);
  });

  it('stretch fills the whole input without padding', () => {
    const t = computeInputTransform('stretch', 640, 427, 512, 512);
    expect([t.padLeft, t.padTop, t.resizedWidth, t.resizedHeight]).toEqual([0, 0, 512, 512]);
    expect(t.letterbox).toBeUndefined();
  });
});

describe('modelBoxToSource', () => {
  it.each([
    // mode, source size, model box, expected source box (hand-computed)
    // 640x427 letterbox: scale 0.8, resized 512x342, pad top 85; sy = 342/427.
    ['letterbox', 640, 427, [0, 85, 512, 427], [0, 0, 640, 427]],
    ['letterbox', 640, 427, [80, 85 + 171, 160, 427], [100, 213.5, 200, 427]],
    // 427x640 letterbox: resized 342x512, pad left 85.
    ['letterbox', 427, 640, [85, 0, 427, 512], [0, 0, 427, 640]],
    ['letterbox', 427, 640, [85 + 171, 256, 427, 384], [213.5, 320, 427, 480]],
    // stretch: independent axis scales 640/512 and 427/512.
    ['stretch', 640, 427, [0, 0, 512, 512], [0, 0, 640, 427]],
    ['stretch', 640, 427, [256, 128, 384, 256], [320, 106.75, 480, 213.5]],
  ] as const)('%s %i x %i maps %j to %j', (mode, w, h, modelBox, expected) => {
    const t = computeInputTransform(mode, w, h, 512, 512);
    const box = modelBoxToSource(modelBox, t);
    for (const [i, v] of box.entries()) expect(v).toBeCloseTo(expected[i]!, 9);
  });
});
