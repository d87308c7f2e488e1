import { mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { HoiResult, RgbImage } from '@hoi/core/spec';
import sharp from 'sharp';
import { type OverlayOptions, overlaySvg } from './overlay-svg.js';

/** PNG name for an image in the visualisation folder: `<name>.hoi.png`. */
export function visualizationName(imagePath: string): string {
  return `${basename(imagePath, extname(imagePath))}.hoi.png`;
}

/**
 * Draws a result record over its decoded image (sharp composites the SVG overlay) and writes a PNG
 * into `dir`. Returns the file written.
 */
export async function writeVisualization(
  image: RgbImage,
  result: HoiResult,
  dir: string,
  options: OverlayOptions & { fileName?: string } = {},
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, options.fileName ?? visualizationName(result.image));
  const svg = Buffer.from(overlaySvg(result, options));
  await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .composite([{ input: svg, top: 0, left: 0 }])
    .png()
    .toFile(file);
  return file;
}
