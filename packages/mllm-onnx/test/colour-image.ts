import type { RgbImage } from '@hoi/core';

/**
 * A 64 x 48 (non-square) test image: grey everywhere, a red block at x 48-64, y 0-24 and a green block at
 * x 48-64, y 24-48. Boxes: 0 person (left half), 1 the red block, 2 the green block.
 */
export function colourImage(): { image: RgbImage; boxes: [number, number, number, number][] } {
  const width = 64;
  const height = 48;
  const data = new Uint8Array(width * height * 3).fill(128);
  for (let y = 0; y < height; y++) {
    for (let x = 48; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = y < 24 ? 255 : 0;
      data[i + 1] = y < 24 ? 0 : 255;
      data[i + 2] = 0;
    }
  }
  return {
    image: { width, height, channels: 3, data },
    boxes: [
      [0, 0, 32, 48],
      [48, 0, 64, 24],
      [48, 24, 64, 48],
    ],
  };
}
