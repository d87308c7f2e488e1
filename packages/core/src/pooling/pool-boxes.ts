import { InvalidArgumentError } from '../errors/hoi-error.js';
import { unionBox } from '../geometry/box.js';
import { imageBoxToGrid } from './box-to-grid.js';
import {
  assertRoiBox,
  type RoiAlignOptions,
  resolveOutputSize,
  resolveSamplingRatio,
  roiAxis,
} from './roi-align.js';
import { assertTokenGrid, type TokenGrid } from './token-grid.js';
import { type SeparableBoxWeights, separableBoxSums } from './weighted-cell-sum.js';

/** RoI-Align settings of {@link poolBoxes}; boxes are mapped from image pixels, so no spatial scale. */
export type PoolBoxesOptions = Omit<RoiAlignOptions, 'spatialScale'>;

const EMPTY = new Float64Array(0);

/** One box axis's per-cell weights: cells first .. first + weights.length - 1 (empty: nothing sampled). */
interface AxisWeights {
  first: number;
  weights: Float64Array;
  perBin: number;
}

/**
 * Per-cell weights of one box on one axis: the sum of the bilinear weights of all its sampling points,
 * from the first to the last cell with a non-zero weight. `scratch` (at least `size` long) is overwritten.
 */
function axisCellWeights(
  start: number,
  end: number,
  pooled: number,
  size: number,
  samplingRatio: number,
  aligned: boolean,
  scratch: Float64Array,
): AxisWeights {
  scratch.fill(0, 0, size);
  const axis = roiAxis(start, end, pooled, size, samplingRatio, aligned, 1);
  let first = size;
  let last = -1;
  for (let s = 0; s < axis.low.length; s++) {
    const wl = axis.lowWeight[s]!;
    const wh = axis.highWeight[s]!;
    if (wl === 0 && wh === 0) continue;
    const lo = axis.low[s]!;
    const hi = axis.high[s]!;
    scratch[lo] += wl;
    scratch[hi] += wh;
    if (lo < first) first = lo;
    if (hi > last) last = hi;
  }
  const weights = last < first ? EMPTY : scratch.slice(first, last + 1);
  return { first: last < first ? 0 : first, weights, perBin: axis.samplesPerBin };
}

/**
 * One pooled feature per box: RoI-Align (torchvision semantics, default 7x7, 2 samples, aligned) then the
 * mean over the output bins - the per-box feature of the method's spatial-aware pooling.
 *
 * Computed without materializing the 7x7xC RoI-Align output: the mean is linear and torchvision's
 * bilinear weights factor into a y part times an x part, so each box reduces to one weight per grid row
 * and one per grid column, and the feature is sum_r sum_c wy[r]*wx[c]*tokens[r][c]. That costs
 * (cells the box touches) x C instead of 7*7*4*4 x C per box, and equals `mean(roiAlign(...))` to
 * float rounding (tested). The weighted sums run in a WebAssembly SIMD kernel when C is a multiple of 4
 * (float32 accumulation), else in plain JS (float64 accumulation); see weighted-cell-sum.ts.
 *
 * @param boxesInImagePixels x1,y1,x2,y2 boxes in the pixels of `image`
 * @param image size of the image the grid was computed from
 * @returns K x C, row-major
 */
export function poolBoxes(
  grid: TokenGrid,
  boxesInImagePixels: ArrayLike<readonly number[]>,
  image: { width: number; height: number },
  options: PoolBoxesOptions = {},
): Float32Array {
  const out = new Float32Array(boxesInImagePixels.length * grid.channels);
  poolBoxesInto(grid, boxesInImagePixels, image, options, out);
  return out;
}

/**
 * {@link poolBoxes} into `out`, or into `out` then `tail` (rows past out.length / C go to `tail`): lets
 * {@link poolPairFeatures} pool instance and union boxes in one pass without an extra K x C array.
 */
function poolBoxesInto(
  grid: TokenGrid,
  boxesInImagePixels: ArrayLike<readonly number[]>,
  image: { width: number; height: number },
  options: PoolBoxesOptions,
  out: Float32Array,
  tail?: Float32Array,
): void {
  assertTokenGrid(grid);
  const [outH, outW] = resolveOutputSize(options.outputSize);
  const samplingRatio = resolveSamplingRatio(options.samplingRatio);
  const aligned = options.aligned ?? true;
  const { height: H, width: W, channels: C } = grid;
  const K = boxesInImagePixels.length;
  // Boxes share coordinates (a human's union boxes often share its top and bottom, instance boxes recur
  // in unions), so each axis's weights are computed once per distinct extent.
  const rowsByExtent = new Map<string, AxisWeights>();
  const colsByExtent = new Map<string, AxisWeights>();
  const scratch = new Float64Array(Math.max(H, W));
  const weights: SeparableBoxWeights[] = new Array(K);
  for (let k = 0; k < K; k++) {
    const imageBox = boxesInImagePixels[k];
    assertRoiBox(imageBox, k);
    const b = imageBoxToGrid(imageBox, image, grid);
    const rowKey = `${b[1]},${b[3]}`;
    let ry = rowsByExtent.get(rowKey);
    if (ry === undefined) {
      ry = axisCellWeights(b[1], b[3], outH, H, samplingRatio, aligned, scratch);
      rowsByExtent.set(rowKey, ry);
    }
    const colKey = `${b[0]},${b[2]}`;
    let rx = colsByExtent.get(colKey);
    if (rx === undefined) {
      rx = axisCellWeights(b[0], b[2], outW, W, samplingRatio, aligned, scratch);
      colsByExtent.set(colKey, rx);
    }
    if (rx.weights.length === 0 || ry.weights.length === 0) {
      // nothing sampled inside the grid: zeros, as torchvision
      weights[k] = { rowFirst: 0, rowWeights: EMPTY, colFirst: 0, colWeights: EMPTY };
      continue;
    }
    // mean over outH*outW bins of (sum over perBinY*perBinX samples) / (perBinY*perBinX)
    // The normalization goes into the column weights, so the row weights depend on the y-extent alone
    // (with adaptive sampling the x sample count differs between boxes of equal height).
    const norm = 1 / (outH * outW * ry.perBin * rx.perBin);
    const colWeights = new Float64Array(rx.weights.length);
    for (let j = 0; j < colWeights.length; j++) colWeights[j] = rx.weights[j]! * norm;
    weights[k] = {
      rowFirst: ry.first,
      rowWeights: ry.weights, // shared by the boxes of equal y-extent; read only
      colFirst: rx.first,
      colWeights,
      rowKey, // same grid y-extent, same settings: same row weights
    };
  }
  separableBoxSums(grid.data, W, C, weights, out, tail);
}

/** Pooled features of every pair, each P x C row-major, plus C for convenience. */
export interface PairFeatures {
  human: Float32Array;
  object: Float32Array;
  union: Float32Array;
  channels: number;
}

/**
 * The three pooled features of spatial-aware pooling for every pair: subject box, object box and their
 * union box. Each distinct instance box is pooled once however many pairs use it (a busy image has
 * ~30 instances but ~400 pairs); union boxes are pooled per pair.
 *
 * @param boxes instance boxes x1,y1,x2,y2 in the pixels of `image`
 * @param pairs indices into `boxes` (subject = the human)
 */
export function poolPairFeatures(
  grid: TokenGrid,
  image: { width: number; height: number },
  boxes: ArrayLike<readonly number[]>,
  pairs: readonly { subject: number; object: number }[],
  options: PoolBoxesOptions = {},
): PairFeatures {
  assertTokenGrid(grid);
  const C = grid.channels;
  const P = pairs.length;
  // Distinct instances referenced by the pairs, in first-use order.
  const slotOf = new Map<number, number>();
  const toPool: (readonly number[])[] = [];
  const unions: (readonly number[])[] = new Array(P);
  for (let p = 0; p < P; p++) {
    const { subject, object } = pairs[p]!;
    for (const [name, index] of [
      ['subject', subject],
      ['object', object],
    ] as const) {
      if (!Number.isInteger(index) || index < 0 || index >= boxes.length) {
        throw new InvalidArgumentError(
          `pairs[${p}].${name}`,
          `an index into boxes (0..${boxes.length - 1})`,
          index,
        );
      }
      if (!slotOf.has(index)) {
        slotOf.set(index, toPool.length);
        toPool.push(boxes[index]!);
      }
    }
    unions[p] = unionBox(boxes[subject]!, boxes[object]!);
  }
  const instanceCount = toPool.length;
  for (const u of unions) toPool.push(u);
  const pooled = new Float32Array(instanceCount * C); // the distinct instances
  const union = new Float32Array(P * C);
  poolBoxesInto(grid, toPool, image, options, pooled, union);
  const human = new Float32Array(P * C);
  const object = new Float32Array(P * C);
  for (let p = 0; p < P; p++) {
    const hs = slotOf.get(pairs[p]!.subject)!;
    const os = slotOf.get(pairs[p]!.object)!;
    human.set(pooled.subarray(hs * C, hs * C + C), p * C);
    object.set(pooled.subarray(os * C, os * C + C), p * C);
  }
  return { human, object, union, channels: C };
}
