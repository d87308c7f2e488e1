/**
 * Bilinear resize of HWC RGB bytes straight into planar (CHW) float32, in one pass over the output.
 *
 * The rule is OpenCV's `INTER_LINEAR` (which Ultralytics resizes with), also PIL's BILINEAR when
 * enlarging (which transformers' Python image processors use): output pixel x samples source x' = (x + 0.5) * srcWidth / dstWidth - 0.5, clamped to
 * the image (edge pixels repeat), between the two nearest pixels, no low-pass filter when shrinking.
 * Like OpenCV, weights are 11-bit fixed point and each channel is rounded to a byte; the byte then
 * goes through `lut[channel * 256 + byte]` (scaling and normalisation in one look-up).
 *
 * Hand-written because no library does resize + layout change + normalisation in one pass: sharp's
 * `affine` (used before) needs a second pass over an intermediate image, and measured here it was
 * slower overall (letterbox of 1280x720 -> 640x360: 7.1 -> 6.8 ms CPU; 480x360 -> 640x480: 8.8 ->
 * 5.7 ms; DETR's 1280x720 -> 1333x750 with normalisation: 23.5 -> 19.6 ms), and blends the outermost
 * pixels with black where OpenCV and PIL repeat the edge. Shared by the ONNX detectors. Against the float rule it
 * differs by at most 1 level (rounding of the fixed-point weights); exact for 2x shrinking.
 *
 * Writes rows `0..dstHeight-1` at `out[offset + y * rowStride + x]` (channel 0), `+ plane` (1) and
 * `+ 2 * plane` (2).
 */
export function resizeBilinearToPlanar(
  src: Uint8Array,
  srcWidth: number,
  srcHeight: number,
  dstWidth: number,
  dstHeight: number,
  out: Float32Array,
  offset: number,
  rowStride: number,
  plane: number,
  lut: Float32Array,
): void {
  if (dstWidth <= 0 || dstHeight <= 0) return;
  // Per output column: byte offset of the left source pixel and the weight of its right neighbour.
  // At the right edge the pair is shifted one pixel left with all weight on the right one, so the
  // right neighbour is always at +3 bytes (a 1-pixel-wide source uses the same pixel twice).
  const xLeft = new Int32Array(dstWidth);
  const xWeight = new Int32Array(dstWidth);
  for (let x = 0; x < dstWidth; x++) {
    const fx = Math.min(Math.max(((x + 0.5) * srcWidth) / dstWidth - 0.5, 0), srcWidth - 1);
    let x0 = Math.floor(fx);
    let w = Math.round((fx - x0) * ONE);
    if (x0 >= srcWidth - 1 && srcWidth > 1) {
      x0 = srcWidth - 2;
      w = ONE;
    }
    xLeft[x] = x0 * 3;
    xWeight[x] = w;
  }
  const step = srcWidth > 1 ? 3 : 0;
  if (srcHeight >= 2 * dstHeight) {
    // Shrinking 2x or more vertically: consecutive output rows never share a source row, so both
    // rows are interpolated and blended in one loop without storing them.
    for (let y = 0; y < dstHeight; y++) {
      const fy = Math.min(Math.max(((y + 0.5) * srcHeight) / dstHeight - 0.5, 0), srcHeight - 1);
      const y0 = Math.floor(fy);
      const y1 = Math.min(y0 + 1, srcHeight - 1);
      const wy = Math.round((fy - y0) * ONE);
      const base0 = y0 * srcWidth * 3;
      const base1 = y1 * srcWidth * 3;
      blendSourceRows(
        src,
        base0,
        base1,
        dstWidth,
        xLeft,
        step,
        xWeight,
        ONE - wy,
        wy,
        out,
        offset + y * rowStride,
        plane,
        lut,
      );
    }
    return;
  }
  // Two horizontally interpolated source rows (values x ONE), reused by consecutive output rows.
  let top = new Int32Array(dstWidth * 3);
  let bottom = new Int32Array(dstWidth * 3);
  let topY = -1;
  let bottomY = -1;
  for (let y = 0; y < dstHeight; y++) {
    const fy = Math.min(Math.max(((y + 0.5) * srcHeight) / dstHeight - 0.5, 0), srcHeight - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, srcHeight - 1);
    const wy = Math.round((fy - y0) * ONE);
    if (topY !== y0) {
      if (bottomY === y0) {
        const t = top;
        top = bottom;
        bottom = t;
        bottomY = -1;
      } else interpolateRow(src, y0 * srcWidth * 3, dstWidth, xLeft, step, xWeight, top);
      topY = y0;
    }
    const o = offset + y * rowStride;
    if (wy === 0) {
      // Exactly on a source row (e.g. 3x shrinking): the row below is not needed.
      roundRow(top, dstWidth * 3, out, o, plane, lut);
      continue;
    }
    if (bottomY !== y1) {
      interpolateRow(src, y1 * srcWidth * 3, dstWidth, xLeft, step, xWeight, bottom);
      bottomY = y1;
    }
    blendRows(top, bottom, ONE - wy, wy, dstWidth * 3, out, o, plane, lut);
  }
}

/** Fixed-point one: 11 bits, as OpenCV's INTER_RESIZE_COEF_BITS. 255 x ONE x ONE fits in int32. */
const ONE = 2048;
const HALF = (ONE * ONE) / 2;
const SHIFT = 22; // log2(ONE * ONE)

function interpolateRow(
  src: Uint8Array,
  base: number,
  dstWidth: number,
  xLeft: Int32Array,
  step: number,
  xWeight: Int32Array,
  row: Int32Array,
): void {
  for (let x = 0, i = 0; x < dstWidth; x++, i += 3) {
    const w = xWeight[x]!;
    const v = ONE - w;
    const a = base + xLeft[x]!;
    const b = a + step;
    row[i] = src[a]! * v + src[b]! * w;
    row[i + 1] = src[a + 1]! * v + src[b + 1]! * w;
    row[i + 2] = src[a + 2]! * v + src[b + 2]! * w;
  }
}

/** Interpolates two source rows horizontally and blends them vertically, straight to the output. */
function blendSourceRows(
  src: Uint8Array,
  base0: number,
  base1: number,
  dstWidth: number,
  xLeft: Int32Array,
  step: number,
  xWeight: Int32Array,
  wTop: number,
  wBottom: number,
  out: Float32Array,
  o: number,
  plane: number,
  lut: Float32Array,
): void {
  for (let x = 0; x < dstWidth; x++, o++) {
    const w = xWeight[x]!;
    const v = ONE - w;
    const a = base0 + xLeft[x]!;
    const b = a + step;
    const c = base1 + xLeft[x]!;
    const d = c + step;
    out[o] =
      lut[((src[a]! * v + src[b]! * w) * wTop + (src[c]! * v + src[d]! * w) * wBottom + HALF) >> SHIFT]!;
    out[o + plane] =
      lut[
        256 +
          (((src[a + 1]! * v + src[b + 1]! * w) * wTop +
            (src[c + 1]! * v + src[d + 1]! * w) * wBottom +
            HALF) >>
            SHIFT)
      ]!;
    out[o + 2 * plane] =
      lut[
        512 +
          (((src[a + 2]! * v + src[b + 2]! * w) * wTop +
            (src[c + 2]! * v + src[d + 2]! * w) * wBottom +
            HALF) >>
            SHIFT)
      ]!;
  }
}

/** One interpolated row (values x ONE) rounded to bytes, for output rows on a source row. */
function roundRow(
  row: Int32Array,
  n: number,
  out: Float32Array,
  o: number,
  plane: number,
  lut: Float32Array,
): void {
  const half = ONE / 2;
  for (let i = 0; i < n; i += 3, o++) {
    out[o] = lut[(row[i]! + half) >> 11]!;
    out[o + plane] = lut[256 + ((row[i + 1]! + half) >> 11)]!;
    out[o + 2 * plane] = lut[512 + ((row[i + 2]! + half) >> 11)]!;
  }
}

function blendRows(
  top: Int32Array,
  bottom: Int32Array,
  wTop: number,
  wBottom: number,
  n: number,
  out: Float32Array,
  o: number,
  plane: number,
  lut: Float32Array,
): void {
  for (let i = 0; i < n; i += 3, o++) {
    out[o] = lut[(top[i]! * wTop + bottom[i]! * wBottom + HALF) >> SHIFT]!;
    out[o + plane] = lut[256 + ((top[i + 1]! * wTop + bottom[i + 1]! * wBottom + HALF) >> SHIFT)]!;
    out[o + 2 * plane] = lut[512 + ((top[i + 2]! * wTop + bottom[i + 2]! * wBottom + HALF) >> SHIFT)]!;
  }
}
