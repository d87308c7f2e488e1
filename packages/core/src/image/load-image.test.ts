import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadImage } from './load-image.js';

const dir = mkdtempSync(join(tmpdir(), 'hoi-load-image-'));

async function png(width: number, height: number, channels: 1 | 3 | 4, fill: number[]): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * channels);
  for (let i = 0; i < width * height; i++) raw.set(fill, i * channels);
  return sharp(raw, { raw: { width, height, channels } }).png().toBuffer();
}

describe('loadImage', () => {
  it.each([
    { name: 'RGB PNG, landscape', make: () => png(7, 3, 3, [10, 20, 30]), size: [7, 3], pixel: [10, 20, 30] },
    {
      name: 'RGBA PNG, portrait: alpha dropped',
      make: () => png(3, 7, 4, [10, 20, 30, 0]),
      size: [3, 7],
      pixel: [10, 20, 30],
    },
    { name: 'grey PNG: expanded to RGB', make: () => png(5, 2, 1, [77]), size: [5, 2], pixel: [77, 77, 77] },
  ])('$name', async ({ make, size, pixel }) => {
    const img = await loadImage(await make());
    expect([img.width, img.height]).toEqual(size);
    expect(img.channels).toBe(3);
    expect(img.data.length).toBe(size[0]! * size[1]! * 3);
    expect([...img.data.subarray(0, 3)]).toEqual(pixel);
    expect(img.name).toBe('<buffer>');
  });

  it('applies EXIF orientation (6: rotate 90 degrees clockwise)', async () => {
    const raw = Buffer.alloc(4 * 2 * 3);
    raw.set([255, 0, 0], 0); // top-left red
    const jpeg = await sharp(raw, { raw: { width: 4, height: 2, channels: 3 } })
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const img = await loadImage(jpeg);
    expect([img.width, img.height]).toEqual([2, 4]);
  });

  it('reads a file path and names the result after it', async () => {
    const file = join(dir, 'a.png');
    writeFileSync(file, await png(4, 2, 3, [1, 2, 3]));
    const img = await loadImage(file);
    expect(img.name).toBe(file);
    expect(img.width).toBe(4);
  });

  it('passes decoded RGB through, after checking it', async () => {
    const data = new Uint8Array(6 * 4 * 3);
    const img = await loadImage({ width: 6, height: 4, channels: 3, data });
    expect(img.data).toBe(data);
    await expect(loadImage({ width: 6, height: 5, channels: 3, data })).rejects.toMatchObject({
      argument: 'image.data',
    });
  });

  it.each([
    { name: 'missing file', input: () => join(dir, 'nope.jpg'), match: /no such file/ },
    { name: 'a folder', input: () => dir, match: /folder/ },
    { name: 'zero bytes', input: () => new Uint8Array(0), match: /empty/ },
    { name: 'not an image', input: () => Buffer.from('hello, not an image'), match: /not a readable image/ },
    {
      name: 'truncated JPEG',
      input: async () =>
        (
          await sharp({ create: { width: 64, height: 48, channels: 3, background: '#f00' } })
            .jpeg()
            .toBuffer()
        ).subarray(0, 200),
      match: /decode|readable/,
    },
  ])('refuses $name with a HoiImageDecodeError', async ({ input, match }) => {
    await expect(loadImage(await input())).rejects.toMatchObject({
      name: 'HoiImageDecodeError',
      message: expect.stringMatching(match),
    });
  });

  it('refuses an image over the pixel limit from its header, without decoding it', async () => {
    const big = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    await expect(loadImage(big, { maxPixels: 1_000_000 })).rejects.toMatchObject({
      name: 'HoiImageDecodeError',
      message: expect.stringContaining('3000 x 2000 = 6000000 pixels is over the limit of 1000000'),
    });
  });

  it.each([0, -1, Number.NaN])('rejects maxPixels = %s', async (maxPixels) => {
    await expect(loadImage(new Uint8Array(3), { maxPixels })).rejects.toMatchObject({
      argument: 'maxPixels',
    });
  });
});
