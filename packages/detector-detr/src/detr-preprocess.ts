import { resizeBilinearToPlanar } from '@hoi/core';
import type { RgbImage } from '@hoi/core/spec';
import sharp from 'sharp';
import type { DetrPreprocessing } from './detr-config.js';

/**
 * Resizes an RGB image and writes it normalised, planar (CHW) float32, into one batch slot of
 * `out` laid out as `[3, paddedHeight, paddedWidth]` starting at `offset`, top-left aligned (the
 * padding, already zero in `out`, goes right and bottom, as transformers pads). Writes 1 into
 * `mask` (`[paddedHeight, paddedWidth]` at `maskOffset`) over the image when a mask is given.
 *
 * Resampling as PIL's BILINEAR, which transformers uses: when enlarging, bilinear at pixel centres
 * written straight into the float planes ({@link resizeBilinearToPlanar}; within 1 level of the
 * float rule, edges included);
 * when shrinking, sharp's `linear` reduce kernel, a triangle filter as wide as the scale like PIL's.
 */
export async function preprocessDetrImage(
  image: RgbImage,
  resized: { width: number; height: number },
  prep: DetrPreprocessing,
  padded: { width: number; height: number },
  out: Float32Array,
  offset: number,
  mask?: BigInt64Array,
  maskOffset = 0,
): Promise<void> {
  const plane = padded.width * padded.height;
  const mean = prep.normalize?.mean ?? [0, 0, 0];
  const std = prep.normalize?.std ?? [1, 1, 1];
  // value = (p * rescale - mean) / std, tabulated per channel for the 256 byte values.
  const lut = new Float32Array(768);
  for (let c = 0; c < 3; c++) {
    for (let v = 0; v < 256; v++) lut[c * 256 + v] = (v * prep.rescaleFactor - mean[c]!) / std[c]!;
  }
  const rw = resized.width;
  if (mask) {
    for (let y = 0; y < resized.height; y++) {
      mask.fill(1n, maskOffset + y * padded.width, maskOffset + y * padded.width + rw);
    }
  }
  const sx = resized.width / image.width;
  const sy = resized.height / image.height;
  if ((sx !== 1 || sy !== 1) && sx >= 1 && sy >= 1) {
    // Enlarging: PIL's bilinear is plain interpolation at pixel centres with the edge repeated,
    // done here with the layout change and normalisation in the same pass.
    resizeBilinearToPlanar(
      image.data,
      image.width,
      image.height,
      rw,
      resized.height,
      out,
      offset,
      padded.width,
      plane,
      lut,
    );
    return;
  }
  let pixels: Uint8Array;
  if (sx === 1 && sy === 1) {
    pixels = image.data;
  } else {
    // Shrinking: PIL filters with a triangle as wide as the scale, like libvips' linear reduce kernel.
    const buf = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .resize(resized.width, resized.height, { fit: 'fill', kernel: 'linear' })
      .raw()
      .toBuffer();
    pixels = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  for (let y = 0; y < resized.height; y++) {
    let o = offset + y * padded.width;
    const end = o + rw;
    let src = y * rw * 3;
    for (; o < end; o++, src += 3) {
      out[o] = lut[pixels[src]!]!;
      out[o + plane] = lut[256 + pixels[src + 1]!]!;
      out[o + 2 * plane] = lut[512 + pixels[src + 2]!]!;
    }
  }
}
