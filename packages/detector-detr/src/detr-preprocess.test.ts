import { describe, expect, it } from 'vitest';
import { defaultPreprocessing } from './detr-config.js';
import { preprocessDetrImage } from './detr-preprocess.js';

const solid = (width: number, height: number, rgb: number[]) => {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) data.set(rgb, i);
  return { width, height, channels: 3 as const, data };
};

describe('preprocessDetrImage', () => {
  it('normalises with ImageNet statistics, pads right/bottom with 0 and writes the mask', async () => {
    const prep = defaultPreprocessing('detr');
    const out = new Float32Array(3 * 4 * 5);
    const mask = new BigInt64Array(4 * 5);
    await preprocessDetrImage(
      solid(3, 2, [255, 128, 0]),
      { width: 3, height: 2 },
      prep,
      { width: 5, height: 4 },
      out,
      0,
      mask,
    );
    const plane = 20;
    expect(out[0]).toBeCloseTo((1 - 0.485) / 0.229, 5);
    expect(out[plane]).toBeCloseTo((128 / 255 - 0.456) / 0.224, 5);
    expect(out[2 * plane]).toBeCloseTo(-0.406 / 0.225, 5);
    expect(out[3]).toBe(0); // right padding
    expect(out[2 * 5]).toBe(0); // bottom padding
    expect(Array.from(mask, Number)).toEqual([1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('rescale only (RT-DETR) and a resize of a non-square image', async () => {
    const prep = defaultPreprocessing('rt_detr');
    const out = new Float32Array(3 * 6 * 6);
    await preprocessDetrImage(
      solid(4, 2, [51, 102, 204]),
      { width: 6, height: 6 },
      prep,
      { width: 6, height: 6 },
      out,
      0,
    );
    expect(
      Array.from(
        out.filter((_, i) => i % 36 === 7),
        (v) => Math.round(v * 255),
      ),
    ).toEqual([51, 102, 204]);
  });
});
