import type { LetterboxTransform } from '@hoi/core';
import type { RgbImage } from '@hoi/core/spec';
import sharp from 'sharp';

/** Ultralytics pads letterboxed images with this gray level. */
export const LETTERBOX_PAD_VALUE = 114;

/**
 * Letterboxes an RGB image into a model input and writes it as planar (CHW) float32 in [0, 1] at
 * `offset` of `out` (one batch slot of `3 x targetHeight x targetWidth`).
 *
 * Geometry (resized size, padding) is exactly Ultralytics' `LetterBox`, computed by core's
 * `computeLetterbox`. Pixels: sharp's `linear` kernel. Ultralytics resizes with OpenCV
 * `INTER_LINEAR`, which does not low-pass filter when shrinking; libvips does (like PIL), so shrunk
 * images are slightly smoother than Ultralytics' (a few grey levels on edges). An image that needs no
 * resize (e.g. 640x427 into 640x640) is copied bit-exactly.
 */
export async function letterboxToTensor(
  image: RgbImage,
  t: LetterboxTransform,
  out: Float32Array,
  offset: number,
): Promise<void> {
  let pixels: Uint8Array;
  if (t.resizedWidth === image.width && t.resizedHeight === image.height) {
    pixels = image.data;
  } else {
    const buf = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .resize(t.resizedWidth, t.resizedHeight, { fit: 'fill', kernel: 'linear' })
      .raw()
      .toBuffer();
    pixels = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
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
