import type { RgbImage } from '../spec/image.js';

/**
 * A deterministic non-square test image: a colour gradient with a few solid rectangles, so detectors
 * and recognizers have structure to look at without reading any file.
 */
export function createSyntheticImage(width: number, height: number, seed = 1): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x * 255) / Math.max(1, width - 1);
      data[i + 1] = (y * 255) / Math.max(1, height - 1);
      data[i + 2] = ((x + y) * seed * 7) % 256;
    }
  }
  const rect = (x0: number, y0: number, x1: number, y1: number, rgb: [number, number, number]) => {
    for (let y = Math.floor(y0 * height); y < Math.floor(y1 * height); y++) {
      for (let x = Math.floor(x0 * width); x < Math.floor(x1 * width); x++)
        data.set(rgb, (y * width + x) * 3);
    }
  };
  rect(0.1, 0.2, 0.35, 0.9, [200, 40, 40]);
  rect(0.5, 0.55, 0.9, 0.8, [40, 40, 200]);
  return { width, height, channels: 3, data };
}

/** A uniform image (nothing to detect). */
export function createUniformImage(width: number, height: number, value = 128): RgbImage {
  return { width, height, channels: 3, data: new Uint8Array(width * height * 3).fill(value) };
}
