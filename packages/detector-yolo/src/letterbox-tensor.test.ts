import { computeLetterbox } from '@hoi/core';
import { describe, expect, it } from 'vitest';
import { letterboxToTensor, resizeBilinearRgb } from './letterbox-tensor.js';

function image(width: number, height: number, rgb: [number, number, number]) {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) data.set(rgb, i);
  return { width, height, channels: 3 as const, data };
}

describe('letterboxToTensor', () => {
  it.each([
    // source w, h, target, pad top, pad left, resized w, h
    [640, 427, 640, 106, 0, 640, 427],
    [427, 640, 640, 0, 106, 427, 640],
    [1280, 720, 640, 140, 0, 640, 360],
    [4, 2, 8, 2, 0, 8, 4],
  ])(
    '%ix%i into %i: gray 114 padding, image centred, CHW in [0, 1]',
    async (w, h, size, top, left, rw, rh) => {
      const t = computeLetterbox(w, h, size, size);
      // `+ 0` turns core's -0 padding (Math.round(-0.1)) into 0 for toEqual.
      expect([t.padTop, t.padLeft, t.resizedWidth, t.resizedHeight].map((v) => v + 0)).toEqual([
        top,
        left,
        rw,
        rh,
      ]);
      const out = new Float32Array(2 * 3 * size * size).fill(-1);
      await letterboxToTensor(image(w, h, [255, 0, 51]), t, out, 3 * size * size);
      expect(out[0]).toBe(-1); // slot 0 untouched
      const plane = size * size;
      const at = (c: number, y: number, x: number) => out[3 * plane + c * plane + y * size + x]!;
      expect(at(0, 0, 0)).toBeCloseTo(top > 0 || left > 0 ? 114 / 255 : 1, 6);
      const cy = top + Math.floor(rh / 2);
      const cx = left + Math.floor(rw / 2);
      expect([at(0, cy, cx), at(1, cy, cx), at(2, cy, cx)].map((v) => Math.round(v * 255))).toEqual([
        255, 0, 51,
      ]);
      expect(at(2, size - 1, size - 1)).toBeCloseTo(
        t.padBottom > 0 || t.padRight > 0 ? 114 / 255 : 51 / 255,
        6,
      );
    },
  );

  it('copies an image that needs no resize bit-exactly', async () => {
    const img = image(3, 2, [0, 0, 0]);
    img.data.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    const t = computeLetterbox(3, 2, 3, 3);
    const out = new Float32Array(27);
    await letterboxToTensor(img, t, out, 0);
    // pad top 0 (round(0.4)), bottom 1: rows 0-1 image, row 2 gray.
    expect(Array.from(out.subarray(0, 9), (v) => Math.round(v * 255))).toEqual([
      1, 4, 7, 10, 13, 16, 114, 114, 114,
    ]);
  });
});

/** The OpenCV INTER_LINEAR rule written out: sample (x + 0.5) / scale - 0.5, clamp to the image. */
function referenceBilinear(img: { width: number; height: number; data: Uint8Array }, w: number, h: number) {
  const out = new Uint8Array(w * h * 3);
  const px = (x: number, y: number, c: number) => img.data[(y * img.width + x) * 3 + c]!;
  for (let y = 0; y < h; y++) {
    const fy = Math.min(Math.max(((y + 0.5) * img.height) / h - 0.5, 0), img.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, img.height - 1);
    for (let x = 0; x < w; x++) {
      const fx = Math.min(Math.max(((x + 0.5) * img.width) / w - 0.5, 0), img.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, img.width - 1);
      for (let c = 0; c < 3; c++) {
        const top = px(x0, y0, c) * (1 - (fx - x0)) + px(x1, y0, c) * (fx - x0);
        const bottom = px(x0, y1, c) * (1 - (fx - x0)) + px(x1, y1, c) * (fx - x0);
        out[(y * w + x) * 3 + c] = Math.round(top * (1 - (fy - y0)) + bottom * (fy - y0));
      }
    }
  }
  return out;
}

describe('resizeBilinearRgb (OpenCV INTER_LINEAR rule)', () => {
  const noisy = (width: number, height: number) => {
    const data = new Uint8Array(width * height * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
    return { width, height, channels: 3 as const, data };
  };

  it.each([
    // source, target, max interior difference
    [64, 40, 32, 20, 0], // 2x shrink: exact (OpenCV averages 2x2 blocks, so does bilinear at centres)
    [100, 60, 37, 22, 1],
    [60, 100, 22, 37, 1],
    [40, 30, 64, 48, 1], // enlarging
  ])('%ix%i -> %ix%i within %i gray level(s) of the rule', async (w, h, tw, th, tolerance) => {
    const img = noisy(w, h);
    const ours = await resizeBilinearRgb(img, tw, th);
    const ref = referenceBilinear(img, tw, th);
    expect(ours.length).toBe(tw * th * 3);
    let max = 0;
    for (let y = 2; y < th - 2; y++) {
      for (let x = 2; x < tw - 2; x++) {
        for (let c = 0; c < 3; c++) {
          const i = (y * tw + x) * 3 + c;
          max = Math.max(max, Math.abs(ours[i]! - ref[i]!));
        }
      }
    }
    expect(max).toBeLessThanOrEqual(tolerance);
  });
});

describe('resizeBilinearRgb at the borders', () => {
  it.each([
    [40, 30, 64, 48],
    [100, 60, 37, 22],
    [7, 5, 3, 2],
    [1, 1, 4, 3],
  ])(
    '%ix%i -> %ix%i: every pixel, edges included, within 1 level of the rule (edge pixels repeat)',
    async (w, h, tw, th) => {
      const data = new Uint8Array(w * h * 3);
      for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
      const img = { width: w, height: h, channels: 3 as const, data };
      const ours = await resizeBilinearRgb(img, tw, th);
      const ref = referenceBilinear(img, tw, th);
      let max = 0;
      for (let i = 0; i < ref.length; i++) max = Math.max(max, Math.abs(ours[i]! - ref[i]!));
      expect(max).toBeLessThanOrEqual(1);
    },
  );

  it('a resized letterbox matches the byte resize, / 255, in every plane', async () => {
    const data = new Uint8Array(90 * 50 * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * 40503) & 255;
    const img = { width: 90, height: 50, channels: 3 as const, data };
    const t = computeLetterbox(90, 50, 64, 64);
    const out = new Float32Array(3 * 64 * 64);
    await letterboxToTensor(img, t, out, 0);
    const bytes = await resizeBilinearRgb(img, t.resizedWidth, t.resizedHeight);
    const plane = 64 * 64;
    for (let y = 0; y < t.resizedHeight; y++) {
      for (let x = 0; x < t.resizedWidth; x++) {
        for (let c = 0; c < 3; c++) {
          const v = out[c * plane + (y + t.padTop) * 64 + x + t.padLeft]!;
          expect(v).toBe(Math.fround(bytes[(y * t.resizedWidth + x) * 3 + c]! / 255));
        }
      }
    }
  });
});
