import type { RgbImage } from '@hoi/core/spec';
import sharp from 'sharp';
import type { DetrPreprocessing } from './detr-config.js';

/**
 * Resizes an RGB image and writes it normalised, planar (CHW) float32, into one batch slot of
 * `out` laid out as `[3, paddedHeight, paddedWidth]` starting at `offset`, top-left aligned (the
 * padding, already zero in `out`, goes right and bottom, as transformers pads). Writes 1 into
 * `mask` (`[paddedHeight, paddedWidth]` at `maskOffset`) over the image when a mask is given.
 *
 * Resampling: sharp's `linear` kernel, which low-pass filters when shrinking like PIL's BILINEAR
 * that transformers uses; values can differ from PIL by a grey level or so on edges.
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
  let pixels: Uint8Array;
  if (resized.width === image.width && resized.height === image.height) {
    pixels = image.data;
  } else {
    const buf = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .resize(resized.width, resized.height, { fit: 'fill', kernel: 'linear' })
      .raw()
      .toBuffer();
    pixels = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  const plane = padded.width * padded.height;
  const mean = prep.normalize?.mean ?? [0, 0, 0];
  const std = prep.normalize?.std ?? [1, 1, 1];
  // value = (p * rescale - mean) / std = p * a + b, per channel.
  const a = [0, 1, 2].map((c) => prep.rescaleFactor / std[c]!);
  const b = [0, 1, 2].map((c) => -mean[c]! / std[c]!);
  const [a0, a1, a2] = a as [number, number, number];
  const [b0, b1, b2] = b as [number, number, number];
  for (let y = 0; y < resized.height; y++) {
    const row = offset + y * padded.width;
    let src = y * resized.width * 3;
    for (let x = 0; x < resized.width; x++, src += 3) {
      const o = row + x;
      out[o] = pixels[src]! * a0 + b0;
      out[o + plane] = pixels[src + 1]! * a1 + b1;
      out[o + 2 * plane] = pixels[src + 2]! * a2 + b2;
    }
    if (mask) mask.fill(1n, maskOffset + y * padded.width, maskOffset + y * padded.width + resized.width);
  }
}
