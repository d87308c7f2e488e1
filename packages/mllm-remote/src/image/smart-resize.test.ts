import { describe, expect, it } from 'vitest';
import { qwenSmartResize } from './smart-resize.js';

describe('qwenSmartResize', () => {
  it.each([
    // width, height, expected width, expected height (hand-computed from the Qwen2.5-VL rule)
    [640, 480, 644, 476],
    [1280, 720, 1288, 728],
    [28, 28, 56, 56], // below min pixels: scaled up
    [1000, 1000, 1008, 1008],
    [300, 700, 308, 700],
    [42, 42, 56, 56], // 42/28 = 1.5 rounds to even 2 -> 56
  ])('%ix%i -> %ix%i', (w, h, ew, eh) => {
    expect(qwenSmartResize(w, h)).toEqual({ width: ew, height: eh });
  });

  it('caps the pixel count and keeps multiples of the factor (non-square)', () => {
    const r = qwenSmartResize(4000, 3000, { maxPixels: 1_003_520 });
    expect(r.width % 28).toBe(0);
    expect(r.height % 28).toBe(0);
    expect(r.width * r.height).toBeLessThanOrEqual(1_003_520);
    expect(r).toEqual({ width: 1148, height: 840 });
  });

  it('rejects empty images and extreme aspect ratios', () => {
    expect(() => qwenSmartResize(0, 10)).toThrow(/positive/);
    expect(() => qwenSmartResize(10000, 10)).toThrow(/aspect/);
  });
});
