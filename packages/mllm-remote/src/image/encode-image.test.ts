import type { RgbImage } from '@hoi/core/spec';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodeImage, hashRgbImage } from './encode-image.js';

function grey(width: number, height: number, value = 128): RgbImage {
  return { width, height, channels: 3, data: new Uint8Array(width * height * 3).fill(value) };
}

async function decode(dataUrl: string) {
  expect(dataUrl.startsWith('data:image/jpeg;base64,')).toBe(true);
  const buf = Buffer.from(dataUrl.slice('data:image/jpeg;base64,'.length), 'base64');
  const { data, info } = await sharp(buf).raw().toBuffer({ resolveWithObject: true });
  const px = (x: number, y: number) => [
    ...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3),
  ];
  return { info, px };
}

describe('encodeImage', () => {
  it('resizes a non-square image to the longest side, keeping aspect', async () => {
    const e = await encodeImage(grey(400, 200), { maxSide: 100, jpegQuality: 90 });
    expect([e.width, e.height]).toEqual([100, 50]);
    const d = await decode(e.dataUrl);
    expect([d.info.width, d.info.height]).toEqual([100, 50]);
  });

  it('never enlarges', async () => {
    const e = await encodeImage(grey(60, 30), { maxSide: 1000, jpegQuality: 90 });
    expect([e.width, e.height]).toEqual([60, 30]);
  });

  it('draws coloured rectangles where the boxes are (scaled)', async () => {
    const e = await encodeImage(grey(400, 200), {
      maxSide: 200,
      jpegQuality: 95,
      boxes: [{ box: [20, 20, 180, 180], color: 'red' }],
    });
    const d = await decode(e.dataUrl);
    const edge = d.px(10, 50); // left edge of the box at x = 20 * 0.5
    expect(edge[0]).toBeGreaterThan(200);
    expect(edge[1]).toBeLessThan(80);
    const inside = d.px(50, 50);
    expect(inside[0]).toBeLessThan(150);
  });

  it('crops a region and reports it', async () => {
    const img = grey(100, 50);
    // paint the right half white
    for (let y = 0; y < 50; y++)
      for (let x = 50; x < 100; x++) img.data.fill(255, (y * 100 + x) * 3, (y * 100 + x) * 3 + 3);
    const e = await encodeImage(img, { maxSide: 100, jpegQuality: 95, region: [60.5, 10, 90, 40.2] });
    expect(e.region).toEqual({ x: 60, y: 10, width: 30, height: 31 });
    const d = await decode(e.dataUrl);
    expect(d.px(15, 15)[0]).toBeGreaterThan(240);
  });

  it('rejects a tiny maxSide', async () => {
    await expect(encodeImage(grey(10, 10), { maxSide: 0, jpegQuality: 90 })).rejects.toThrow(/maxSide/);
  });
});

describe('hashRgbImage', () => {
  it('depends on pixels and size', () => {
    expect(hashRgbImage(grey(4, 2))).toBe(hashRgbImage(grey(4, 2)));
    expect(hashRgbImage(grey(4, 2))).not.toBe(hashRgbImage(grey(2, 4)));
    expect(hashRgbImage(grey(4, 2))).not.toBe(hashRgbImage(grey(4, 2, 1)));
  });
});
