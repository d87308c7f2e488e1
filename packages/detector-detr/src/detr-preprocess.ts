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
    const raw = { raw: { width: image.width, height: image.height, channels: 3 as const } };
    const sx = resized.width / image.width;
    const sy = resized.height / image.height;
    // Enlarging: PIL's bilinear is plain interpolation at pixel centres, which sharp's affine with
    // the bilinear interpolator and a half-pixel offset reproduces. Shrinking: PIL filters with a
    // triangle as wide as the scale, like libvips' linear reduce kernel.
    let buf =
      sx >= 1 && sy >= 1
        ? await sharp(image.data, raw)
            .affine(
              [
                [sx, 0],
                [0, sy],
              ],
              { interpolator: 'bilinear', odx: (sx - 1) / 2, ody: (sy - 1) / 2 },
            )
            .raw()
            .toBuffer({ resolveWithObject: true })
        : undefined;
    if (buf?.info.width !== resized.width || buf.info.height !== resized.height) {
      // Shrinking, or (never seen) an affine canvas of another size: resize exactly.
      buf = await sharp(image.data, raw)
        .resize(resized.width, resized.height, { fit: 'fill', kernel: 'linear' })
        .raw()
        .toBuffer({ resolveWithObject: true });
    }
    pixels = new Uint8Array(buf.data.buffer, buf.data.byteOffset, buf.data.byteLength);
  }
  const plane = padded.width * padded.height;
  const mean = prep.normalize?.mean ?? [0, 0, 0];
  const std = prep.normalize?.std ?? [1, 1, 1];
  // value = (p * rescale - mean) / std, tabulated per channel for the 256 byte values.
  const lut = new Float32Array(768);
  for (let c = 0; c < 3; c++) {
    for (let v = 0; v < 256; v++) lut[c * 256 + v] = (v * prep.rescaleFactor - mean[c]!) / std[c]!;
  }
  const rw = resized.width;
  for (let y = 0; y < resized.height; y++) {
    let o = offset + y * padded.width;
    const end = o + rw;
    let src = y * rw * 3;
    for (; o < end; o++, src += 3) {
      out[o] = lut[pixels[src]!]!;
      out[o + plane] = lut[256 + pixels[src + 1]!]!;
      out[o + 2 * plane] = lut[512 + pixels[src + 2]!]!;
    }
    if (mask) mask.fill(1n, maskOffset + y * padded.width, maskOffset + y * padded.width + rw);
  }
}
