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
  const th = t.targetHeight;
  const plane = tw * th;
  const pad = LETTERBOX_PAD_VALUE / 255;
  out.fill(pad, offset, offset + 3 * plane);
  const rw = t.resizedWidth;
  const inv = 1 / 255;
  for (let y = 0; y < t.resizedHeight; y++) {
    const row = (y + t.padTop) * tw + t.padLeft + offset;
    let src = y * rw * 3;
    for (let x = 0; x < rw; x++, src += 3) {
      const o = row + x;
      out[o] = pixels[src]! * inv;
      out[o + plane] = pixels[src + 1]! * inv;
      out[o + 2 * plane] = pixels[src + 2]! * inv;
    }
  }
}
