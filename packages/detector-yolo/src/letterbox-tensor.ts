import type { LetterboxTransform } from '@hoi/core';
import type { RgbImage } from '@hoi/core/spec';
import sharp from 'sharp';

/** Ultralytics pads letterboxed images with this gray level. */
export const LETTERBOX_PAD_VALUE = 114;

/**
 * Resizes raw RGB with bilinear interpolation at pixel centres and no low-pass filter, the rule of
 * OpenCV's `INTER_LINEAR` that Ultralytics resizes with: sharp's `affine` with the bilinear
 * interpolator, offset by half a pixel so output pixel x samples source (x + 0.5) / scale - 0.5.
 * (sharp's `resize` filters when shrinking, which OpenCV does not: 1.3 gray levels off on average.)
 * Measured against a direct implementation of that rule: identical for 2x shrinking, within 1 gray
 * level elsewhere; when enlarging, the outermost 1-2 pixels blend with black beyond the edge (up to
 * 10 levels) where OpenCV repeats the edge pixel.
 */
export async function resizeBilinearRgb(image: RgbImage, width: number, height: number): Promise<Uint8Array> {
  const sx = width / image.width;
  const sy = height / image.height;
  const buf = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .affine(
      [
        [sx, 0],
        [0, sy],
      ],
      { interpolator: 'bilinear', odx: (sx - 1) / 2, ody: (sy - 1) / 2 },
    )
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (buf.info.width !== width || buf.info.height !== height || buf.info.channels !== 3) {
    // Never seen (300 random sizes checked); resize exactly rather than misplace pixels.
    const exact = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .resize(width, height, { fit: 'fill', kernel: 'linear' })
      .raw()
      .toBuffer();
    return new Uint8Array(exact.buffer, exact.byteOffset, exact.byteLength);
  }
  return new Uint8Array(buf.data.buffer, buf.data.byteOffset, buf.data.byteLength);
}

/**
 * Letterboxes an RGB image into a model input and writes it as planar (CHW) float32 in [0, 1] at
 * `offset` of `out` (one batch slot of `3 x targetHeight x targetWidth`).
 *
 * Geometry (resized size, padding) is exactly Ultralytics' `LetterBox`, computed by core's
 * `computeLetterbox`; pixels are resized by {@link resizeBilinearRgb} (OpenCV `INTER_LINEAR` rule).
 * An image that needs no resize (e.g. 640x427 into 640x640) is copied bit-exactly.
 */
export async function letterboxToTensor(
  image: RgbImage,
  t: LetterboxTransform,
  out: Float32Array,
  offset: number,
): Promise<void> {
  const pixels =
    t.resizedWidth === image.width && t.resizedHeight === image.height
      ? image.data
      : await resizeBilinearRgb(image, t.resizedWidth, t.resizedHeight);
  const tw = t.targetWidth;
  const plane = tw * t.targetHeight;
  const pad = LETTERBOX_PAD_VALUE / 255;
  const rw = t.resizedWidth;
  const top = t.padTop + 0;
  const left = t.padLeft + 0;
  // Padding only where there is no image (native fills), then one pass over the pixels.
  for (let c = 0; c < 3; c++) {
    const p0 = offset + c * plane;
    out.fill(pad, p0, p0 + top * tw);
    out.fill(pad, p0 + (top + t.resizedHeight) * tw, p0 + plane);
    for (let y = 0; y < t.resizedHeight; y++) {
      const row = p0 + (y + top) * tw;
      out.fill(pad, row, row + left);
      out.fill(pad, row + left + rw, row + tw);
    }
  }
  const lut = UNIT_LUT;
  for (let y = 0; y < t.resizedHeight; y++) {
    let o = offset + (y + top) * tw + left;
    const end = o + rw;
    let src = y * rw * 3;
    for (; o < end; o++, src += 3) {
      out[o] = lut[pixels[src]!]!;
      out[o + plane] = lut[pixels[src + 1]!]!;
      out[o + 2 * plane] = lut[pixels[src + 2]!]!;
    }
  }
}

/** byte / 255 for every byte value, as float32. */
const UNIT_LUT = Float32Array.from({ length: 256 }, (_, i) => i / 255);
