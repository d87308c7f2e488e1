import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '@hoi/core';
import type { BoxXyxy, RgbImage } from '@hoi/core/spec';
import sharp from 'sharp';

/** A box to draw as a coloured rectangle, in source-image pixels. */
export interface DrawnBox {
  box: BoxXyxy;
  /** CSS colour, e.g. `red`. */
  color: string;
}

/** How {@link encodeImage} prepares the image the server sees. */
export interface EncodeImageOptions {
  /** Longest side of the sent image in pixels; smaller images are not enlarged. */
  maxSide: number;
  /** JPEG quality 1-100. */
  jpegQuality: number;
  /** Region to send, in source pixels (a crop); the whole image when absent. */
  region?: BoxXyxy;
  /** Rectangles drawn on the sent image. */
  boxes?: readonly DrawnBox[];
}

/** What went over the wire: the data URL plus the sent pixel size (the size the server's processor sees). */
export interface EncodedImage {
  dataUrl: string;
  width: number;
  height: number;
  /** The region of the source image shown, in source pixels (integers). */
  region: { x: number; y: number; width: number; height: number };
}

/**
 * Encodes an RGB image (or a crop of it) as a JPEG data URL resized to `maxSide`, optionally with boxes
 * drawn on it. The rectangles are an SVG overlay composited by sharp after resizing, so line width is in
 * sent pixels and stays visible on large photos.
 */
export async function encodeImage(image: RgbImage, options: EncodeImageOptions): Promise<EncodedImage> {
  if (!(options.maxSide >= 16))
    throw new InvalidArgumentError('image.maxSide', 'a number >= 16', options.maxSide);
  const region = integerRegion(options.region, image);
  const scale = Math.min(1, options.maxSide / Math.max(region.width, region.height));
  const width = Math.max(1, Math.round(region.width * scale));
  const height = Math.max(1, Math.round(region.height * scale));
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  if (options.region)
    pipeline = pipeline.extract({
      left: region.x,
      top: region.y,
      width: region.width,
      height: region.height,
    });
  const resized = await pipeline.resize(width, height, { fit: 'fill' }).raw().toBuffer();
  let out = sharp(resized, { raw: { width, height, channels: 3 } });
  if (options.boxes && options.boxes.length > 0) {
    const sx = width / region.width;
    const sy = height / region.height;
    const stroke = Math.max(3, Math.round(Math.max(width, height) / 150));
    const rects = options.boxes
      .map(({ box, color }) => {
        const x1 = (box[0] - region.x) * sx;
        const y1 = (box[1] - region.y) * sy;
        const w = Math.max(1, (box[2] - box[0]) * sx);
        const h = Math.max(1, (box[3] - box[1]) * sy);
        return `<rect x="${x1.toFixed(1)}" y="${y1.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" fill="none" stroke="${escapeXml(color)}" stroke-width="${stroke}"/>`;
      })
      .join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${rects}</svg>`;
    out = out.composite([{ input: Buffer.from(svg), top: 0, left: 0 }]);
  }
  // Full-resolution colour only when thin coloured lines must survive; 4:2:0 keeps plain photos ~30% smaller.
  const chromaSubsampling = options.boxes && options.boxes.length > 0 ? '4:4:4' : '4:2:0';
  const jpeg = await out.jpeg({ quality: options.jpegQuality, chromaSubsampling }).toBuffer();
  return { dataUrl: `data:image/jpeg;base64,${jpeg.toString('base64')}`, width, height, region };
}

/** Content hash of a decoded image (pixels and size): the image part of the response-cache key. */
export function hashRgbImage(image: RgbImage): string {
  return createHash('sha256').update(`${image.width}x${image.height}:`).update(image.data).digest('hex');
}

function integerRegion(box: BoxXyxy | undefined, image: RgbImage) {
  if (!box) return { x: 0, y: 0, width: image.width, height: image.height };
  const x = Math.max(0, Math.min(image.width - 1, Math.floor(box[0])));
  const y = Math.max(0, Math.min(image.height - 1, Math.floor(box[1])));
  const x2 = Math.max(x + 1, Math.min(image.width, Math.ceil(box[2])));
  const y2 = Math.max(y + 1, Math.min(image.height, Math.ceil(box[3])));
  return { x, y, width: x2 - x, height: y2 - y };
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
