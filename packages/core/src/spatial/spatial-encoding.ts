import { InvalidArgumentError } from '../errors/hoi-error.js';

/** Image size in pixels, used to normalize boxes. */
interface ImageSize {
  width: number;
  height: number;
}

/** A subject-object pair as indices into a box list (the same shape as a spec pair). */
interface PairIndices {
  subject: number;
  object: number;
}

/**
 * The small constant of the 36-d encoding: added to every denominator that can be zero (degenerate
 * boxes) and inside `log(f + eps)`. 1e-10 is the value the UPT-style reference uses, so features fed to
 * weights trained there match; it is far below any real feature (a 1-pixel box on a 4000-px image has a
 * normalized side of 2.5e-4), and `log(0 + 1e-10) = -23.03` stays finite.
 */
export const SPATIAL_ENCODING_EPS = 1e-10;

/** Number of features of {@link spatialEncoding7}. */
export const SPATIAL_ENCODING_7_DIM = 7;
/** Number of features of {@link spatialEncoding36}: 18 raw features, then their logs. */
export const SPATIAL_ENCODING_36_DIM = 36;

function checkImage(image: ImageSize): void {
  if (
    !(image.width > 0 && image.height > 0 && Number.isFinite(image.width) && Number.isFinite(image.height))
  ) {
    throw new InvalidArgumentError('image', 'a positive finite {width, height} in pixels', image);
  }
}

function checkBox(name: string, box: readonly number[]): void {
  if (
    box.length < 4 ||
    !Number.isFinite(box[0]) ||
    !Number.isFinite(box[1]) ||
    !Number.isFinite(box[2]) ||
    !Number.isFinite(box[3]) ||
    box[2]! < box[0]! ||
    box[3]! < box[1]!
  ) {
    throw new InvalidArgumentError(
      name,
      'a finite x1,y1,x2,y2 box in pixels with x2 >= x1 and y2 >= y1',
      box,
    );
  }
}

/** IoU of two valid xyxy boxes (continuous coordinates, no +1). */
function boxIou(
  ax1: number,
  ay1: number,
  ax2: number,
  ay2: number,
  bx1: number,
  by1: number,
  bx2: number,
  by2: number,
): number {
  const iw = Math.min(ax2, bx2) - Math.max(ax1, bx1);
  const ih = Math.min(ay2, by2) - Math.max(ay1, by1);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * The paper's 7-d pair spatial encoding, for SAP heads trained on it:
 * `[w_h*h_h, w_o*h_o, w_h/h_h, w_o/h_o, IoU, (x_h-x_o)/w_h, (y_h-y_o)/h_h]`.
 *
 * Our reading (the paper gives only the formula): both boxes are first normalized by the image size
 * (x / width, y / height), so widths, heights and areas are fractions of the image; x and y are the box
 * centres; the aspect ratios are therefore of the normalized boxes (w/W)/(h/H); the offsets are signed
 * (human minus object) and divided by the human's normalized width and height. To stay finite on
 * degenerate (zero-width or zero-height) boxes every division adds {@link SPATIAL_ENCODING_EPS} to
 * its denominator; on real boxes that changes nothing measurable.
 *
 * @param human subject box x1,y1,x2,y2 in image pixels
 * @param object object box x1,y1,x2,y2 in image pixels
 */
export function spatialEncoding7(
  human: readonly number[],
  object: readonly number[],
  image: ImageSize,
): Float32Array {
  checkImage(image);
  checkBox('human', human);
  checkBox('object', object);
  const eps = SPATIAL_ENCODING_EPS;
  const W = image.width;
  const H = image.height;
  const hx1 = human[0]! / W;
  const hy1 = human[1]! / H;
  const hx2 = human[2]! / W;
  const hy2 = human[3]! / H;
  const ox1 = object[0]! / W;
  const oy1 = object[1]! / H;
  const ox2 = object[2]! / W;
  const oy2 = object[3]! / H;
  const wh = hx2 - hx1;
  const hh = hy2 - hy1;
  const wo = ox2 - ox1;
  const ho = oy2 - oy1;
  const out = new Float32Array(SPATIAL_ENCODING_7_DIM);
  out[0] = wh * hh;
  out[1] = wo * ho;
  out[2] = wh / (hh + eps);
  out[3] = wo / (ho + eps);
  out[4] = boxIou(hx1, hy1, hx2, hy2, ox1, oy1, ox2, oy2);
  out[5] = ((hx1 + hx2) / 2 - (ox1 + ox2) / 2) / (wh + eps);
  out[6] = ((hy1 + hy2) / 2 - (oy1 + oy2) / 2) / (hh + eps);
  return out;
}

/**
 * Writes the 36 features of one pair at `out[offset .. offset+36)`. Shared by the single and batch forms
 * so they cannot drift apart. Computed in float64, stored as float32.
 */
function writeEncoding36(
  human: readonly number[],
  object: readonly number[],
  W: number,
  H: number,
  out: Float32Array,
  offset: number,
): void {
  const eps = SPATIAL_ENCODING_EPS;
  const hx1 = human[0]!;
  const hy1 = human[1]!;
  const hx2 = human[2]!;
  const hy2 = human[3]!;
  const ox1 = object[0]!;
  const oy1 = object[1]!;
  const ox2 = object[2]!;
  const oy2 = object[3]!;
  // Centres and sides in pixels.
  const hcx = (hx1 + hx2) / 2;
  const hcy = (hy1 + hy2) / 2;
  const ocx = (ox1 + ox2) / 2;
  const ocy = (oy1 + oy2) / 2;
  const hw = hx2 - hx1;
  const hh = hy2 - hy1;
  const ow = ox2 - ox1;
  const oh = oy2 - oy1;
  // Offsets, normalized by the human's width and height (scale-free, so pixels or normalized agree).
  const dx = Math.abs(ocx - hcx) / (hw + eps);
  const dy = Math.abs(ocy - hcy) / (hh + eps);
  const f = out;
  const o = offset;
  f[o + 0] = hcx / W;
  f[o + 1] = hcy / H;
  f[o + 2] = ocx / W;
  f[o + 3] = ocy / H;
  f[o + 4] = hw / W;
  f[o + 5] = hh / H;
  f[o + 6] = ow / W;
  f[o + 7] = oh / H;
  f[o + 8] = (hw * hh) / (W * H);
  f[o + 9] = (ow * oh) / (W * H);
  f[o + 10] = (ow * oh) / (hw * hh + eps);
  f[o + 11] = hw / (hh + eps);
  f[o + 12] = ow / (oh + eps);
  f[o + 13] = boxIou(hx1, hy1, hx2, hy2, ox1, oy1, ox2, oy2);
  f[o + 14] = ocx > hcx ? dx : 0;
  f[o + 15] = ocx < hcx ? dx : 0;
  f[o + 16] = ocy > hcy ? dy : 0;
  f[o + 17] = ocy < hcy ? dy : 0;
  for (let i = 0; i < 18; i++) f[o + 18 + i] = Math.log(f[o + i]! + eps);
}

/**
 * The 36-d pair spatial encoding of the reference code (UPT-style), for SAP heads trained with it.
 * Features 0-17, in this order:
 * human centre x/W, y/H; object centre x/W, y/H; human w/W, h/H; object w/W, h/H;
 * human area/(W*H); object area/(W*H); area ratio object/human; human aspect w/h; object aspect w/h;
 * IoU; then the centre offset split by sign: dx*[cx_o>cx_h], dx*[cx_o<cx_h], dy*[cy_o>cy_h],
 * dy*[cy_o<cy_h] with dx = |cx_o-cx_h| / w_h, dy = |cy_o-cy_h| / h_h.
 * Features 18-35 are `log(f + eps)` of features 0-17 (eps = {@link SPATIAL_ENCODING_EPS}).
 *
 * The aspect ratios are of the boxes in pixels (w/h), as in the UPT-style code this layout comes from:
 * they describe the box's shape, not the image's. Ratios add eps to their denominators, so degenerate
 * boxes give finite (large or zero) values instead of Infinity/NaN.
 *
 * @param human subject box x1,y1,x2,y2 in image pixels
 * @param object object box x1,y1,x2,y2 in image pixels
 */
export function spatialEncoding36(
  human: readonly number[],
  object: readonly number[],
  image: ImageSize,
): Float32Array {
  checkImage(image);
  checkBox('human', human);
  checkBox('object', object);
  const out = new Float32Array(SPATIAL_ENCODING_36_DIM);
  writeEncoding36(human, object, image.width, image.height, out, 0);
  return out;
}

/**
 * {@link spatialEncoding36} for many pairs at once, as one P x 36 row-major matrix ready to feed an
 * ONNX spatial head without copying. Row p encodes `boxes[pairs[p].subject]` as the human and
 * `boxes[pairs[p].object]` as the object.
 */
export function spatialEncodings36(
  boxes: readonly (readonly number[])[],
  pairs: readonly PairIndices[],
  image: ImageSize,
): Float32Array {
  checkImage(image);
  for (let i = 0; i < boxes.length; i++) checkBox(`boxes[${i}]`, boxes[i]!);
  const out = new Float32Array(pairs.length * SPATIAL_ENCODING_36_DIM);
  for (let p = 0; p < pairs.length; p++) {
    const { subject, object } = pairs[p]!;
    const h = boxes[subject];
    const o = boxes[object];
    if (h === undefined || !Number.isInteger(subject)) {
      throw new InvalidArgumentError(
        `pairs[${p}].subject`,
        `an index into boxes (0..${boxes.length - 1})`,
        subject,
      );
    }
    if (o === undefined || !Number.isInteger(object)) {
      throw new InvalidArgumentError(
        `pairs[${p}].object`,
        `an index into boxes (0..${boxes.length - 1})`,
        object,
      );
    }
    writeEncoding36(h, o, image.width, image.height, out, p * SPATIAL_ENCODING_36_DIM);
  }
  return out;
}
