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

describe('preprocessDetrImage resampling (PIL bilinear when enlarging)', () => {
  it('40x30 -> 64x48 is within 1 gray level of bilinear at pixel centres (interior)', async () => {
    const w = 40;
    const h = 30;
    const tw = 64;
    const th = 48;
    const data = new Uint8Array(w * h * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
    const out = new Float32Array(3 * tw * th);
    const prep = { resize: { width: tw, height: th }, rescaleFactor: 1 };
    await preprocessDetrImage(
      { width: w, height: h, channels: 3, data },
      { width: tw, height: th },
      prep,
      { width: tw, height: th },
      out,
      0,
    );
    const px = (x: number, y: number) => data[(y * w + x) * 3]!;
    let max = 0;
    for (let y = 2; y < th - 2; y++) {
      for (let x = 2; x < tw - 2; x++) {
        const fx = Math.min(Math.max(((x + 0.5) * w) / tw - 0.5, 0), w - 1);
        const fy = Math.min(Math.max(((y + 0.5) * h) / th - 0.5, 0), h - 1);
        const x0 = Math.floor(fx);
        const y0 = Math.floor(fy);
        const x1 = Math.min(x0 + 1, w - 1);
        const y1 = Math.min(y0 + 1, h - 1);
        const top = px(x0, y0) * (1 - (fx - x0)) + px(x1, y0) * (fx - x0);
        const bottom = px(x0, y1) * (1 - (fx - x0)) + px(x1, y1) * (fx - x0);
        const ref = Math.round(top * (1 - (fy - y0)) + bottom * (fy - y0));
        max = Math.max(max, Math.abs(out[y * tw + x]! - ref));
      }
    }
    expect(max).toBeLessThanOrEqual(1);
  });
});

describe('preprocessDetrImage enlarging at the borders', () => {
  it.each([
    [40, 30, 64, 48],
    [5, 3, 9, 7],
    [30, 40, 31, 60],
  ])(
    '%ix%i -> %ix%i: every pixel, edges included, within 1 level of bilinear with the edge repeated',
    async (w, h, tw, th) => {
      const data = new Uint8Array(w * h * 3);
      for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
      const plane = (tw + 2) * (th + 1);
      const out = new Float32Array(3 * plane);
      await preprocessDetrImage(
        { width: w, height: h, channels: 3, data },
        { width: tw, height: th },
        { resize: { width: tw, height: th }, rescaleFactor: 1 },
        { width: tw + 2, height: th + 1 },
        out,
        0,
      );
      let max = 0;
      for (let y = 0; y < th; y++) {
        const fy = Math.min(Math.max(((y + 0.5) * h) / th - 0.5, 0), h - 1);
        const y0 = Math.floor(fy);
        const y1 = Math.min(y0 + 1, h - 1);
        for (let x = 0; x < tw; x++) {
          const fx = Math.min(Math.max(((x + 0.5) * w) / tw - 0.5, 0), w - 1);
          const x0 = Math.floor(fx);
          const x1 = Math.min(x0 + 1, w - 1);
          for (let c = 0; c < 3; c++) {
            const px = (xx: number, yy: number) => data[(yy * w + xx) * 3 + c]!;
            const top = px(x0, y0) * (1 - (fx - x0)) + px(x1, y0) * (fx - x0);
            const bottom = px(x0, y1) * (1 - (fx - x0)) + px(x1, y1) * (fx - x0);
            const ref = Math.round(top * (1 - (fy - y0)) + bottom * (fy - y0));
            max = Math.max(max, Math.abs(out[c * plane + y * (tw + 2) + x]! - ref));
          }
        }
        // Padding to the right stays zero.
        expect(out[y * (tw + 2) + tw]).toBe(0);
      }
      expect(max).toBeLessThanOrEqual(1);
    },
  );
});
