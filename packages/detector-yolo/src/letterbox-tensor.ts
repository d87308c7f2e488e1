import { type LetterboxTransform, resizeBilinearToPlanar } from '@hoi/core';
import type { RgbImage } from '@hoi/core/spec';

/** Ultralytics pads letterboxed images with this gray level. */
export const LETTERBOX_PAD_VALUE = 114;

/**
 * Resizes raw RGB with bilinear interpolation at pixel centres and no low-pass filter, the rule of
 * OpenCV's `INTER_LINEAR` that Ultralytics resizes with (see {@link resizeBilinearToPlanar}: 11-bit
 * fixed-point weights like OpenCV, edge pixels repeated), returning HWC bytes. The detector itself
 * resizes straight into its float input; this is the same resampler for callers that want bytes.
 */
export async function resizeBilinearRgb(image: RgbImage, width: number, height: number): Promise<Uint8Array> {
  const planar = new Float32Array(3 * width * height);
  resizeBilinearToPlanar(
    image.data,
    image.width,
    image.height,
    width,
    height,
    planar,
    0,
    width,
    width * height,
    BYTE_LUT,
  );
  const out = new Uint8Array(3 * width * height);
  const plane = width * height;
  for (let i = 0, o = 0; i < plane; i++, o += 3) {
    out[o] = planar[i]!;
    out[o + 1] = planar[plane + i]!;
    out[o + 2] = planar[2 * plane + i]!;
  }
  return out;
}

/**
 * Letterboxes an RGB image into a model input and writes it as planar (CHW) float32 in [0, 1] at
 * `offset` of `out` (one batch slot of `3 x targetHeight x targetWidth`).
 *
 * Geometry (resized size, padding) is exactly Ultralytics' `LetterBox`, computed by core's
 * `computeLetterbox`; pixels are resized by the OpenCV `INTER_LINEAR` rule straight into the float
 * planes ({@link resizeBilinearToPlanar}, one pass, no intermediate image). An image that needs no
 * resize (e.g. 640x427 into 640x640) is copied bit-exactly.
 */
export async function letterboxToTensor(
  image: RgbImage,
  t: LetterboxTransform,
  out: Float32Array,
  offset: number,
): Promise<void> {
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
  const start = offset + top * tw + left;
  if (t.resizedWidth !== image.width || t.resizedHeight !== image.height) {
    // Resize, HWC -> CHW and / 255 in one pass.
    resizeBilinearToPlanar(
      image.data,
      image.width,
      image.height,
      rw,
      t.resizedHeight,
      out,
      start,
      tw,
      plane,
      UNIT_LUT,
    );
    return;
  }
  const pixels = image.data;
  const lut = UNIT_LUT;
  for (let y = 0; y < t.resizedHeight; y++) {
    let o = start + y * tw;
    const end = o + rw;
    let src = y * rw * 3;
    for (; o < end; o++, src += 3) {
      out[o] = lut[pixels[src]!]!;
      out[o + plane] = lut[pixels[src + 1]!]!;
      out[o + 2 * plane] = lut[pixels[src + 2]!]!;
    }
  }
}

/** byte / 255 for every byte value, as float32, repeated for the three channels. */
const UNIT_LUT = Float32Array.from({ length: 768 }, (_, i) => (i % 256) / 255);
/** The byte itself, for {@link resizeBilinearRgb}. */
const BYTE_LUT = Float32Array.from({ length: 768 }, (_, i) => i % 256);
