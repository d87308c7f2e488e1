import { InvalidArgumentError } from '../errors/hoi-error.js';
import { assertTokenGrid, type TokenGrid } from './token-grid.js';

/** Settings of {@link roiAlign}; the defaults are the method's SAP settings (7x7, 2 samples, aligned). */
export interface RoiAlignOptions {
  /** Output bins per box: one number for a square output, or [height, width]. Default 7. */
  outputSize?: number | [number, number];
  /**
   * Sampling points per bin along each axis. Values <= 0 choose them per box, as torchvision does:
   * ceil(box size / output size) per axis. Default 2.
   */
  samplingRatio?: number;
  /**
   * Shift box coordinates by -0.5 so a cell's centre sits at c + 0.5 (torchvision `aligned=True`, ONNX
   * RoiAlign's `half_pixel`; ONNX's `output_half_pixel` is the unshifted legacy mode, i.e. false). When
   * false, boxes smaller than one cell are grown to one cell, as in torchvision's legacy behaviour.
   * Default true.
   */
  aligned?: boolean;
  /** Multiplies box coordinates before pooling (e.g. 1/stride for boxes in input pixels). Default 1. */
  spatialScale?: number;
}

/** Output bin counts [height, width] from the `outputSize` option, validated. */
export function resolveOutputSize(outputSize: number | [number, number] = 7): [number, number] {
  const [h, w] = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h! < 1 || w! < 1) {
    throw new InvalidArgumentError(
      'outputSize',
      'a positive integer or [height, width] of positive integers',
      outputSize,
    );
  }
  return [h!, w!];
}

export function resolveSamplingRatio(samplingRatio = 2): number {
  if (!Number.isInteger(samplingRatio)) {
    throw new InvalidArgumentError('samplingRatio', 'an integer (<= 0 for adaptive sampling)', samplingRatio);
  }
  return samplingRatio;
}

const f32 = Math.fround;

/**
 * One axis of one box: where its sampling points fall and how bilinear interpolation splits each point
 * between two neighbouring cells. Because torchvision's bilinear weights are products of a y factor and
 * an x factor, and its validity test is "y valid and x valid", both RoI-Align and its mean can be built
 * from two such axes. Arithmetic is rounded to float32 step by step (Math.fround) so bin sizes, adaptive
 * sample counts and sample positions equal torchvision's float32 CPU kernel exactly.
 * @internal
 */
export interface RoiAxis {
  /** Number of sampling points per bin on this axis (0 when adaptive sampling found an empty box). */
  samplesPerBin: number;
  /** Per point (bin-major): lower cell index, upper cell index, their weights (both 0 when invalid). */
  low: Int32Array;
  high: Int32Array;
  lowWeight: Float64Array;
  highWeight: Float64Array;
}

/**
 * Computes the sampling points of one box axis. `start`/`end` are box coordinates in cells (before
 * the spatial scale); `size` is the grid's extent on this axis.
 * @internal
 */
export function roiAxis(
  start: number,
  end: number,
  pooled: number,
  size: number,
  samplingRatio: number,
  aligned: boolean,
  spatialScale: number,
): RoiAxis {
  const offset = aligned ? 0.5 : 0;
  const roiStart = f32(f32(start * spatialScale) - offset);
  const roiEnd = f32(f32(end * spatialScale) - offset);
  let roiSize = f32(roiEnd - roiStart);
  if (!aligned) roiSize = Math.max(roiSize, 1);
  const bin = f32(roiSize / pooled);
  const perBin = Math.max(0, samplingRatio > 0 ? samplingRatio : Math.ceil(f32(roiSize / pooled)));
  const n = pooled * perBin;
  const low = new Int32Array(n);
  const high = new Int32Array(n);
  const lowWeight = new Float64Array(n);
  const highWeight = new Float64Array(n);
  for (let p = 0; p < pooled; p++) {
    const binStart = f32(roiStart + f32(p * bin));
    for (let i = 0; i < perBin; i++) {
      const s = p * perBin + i;
      let v = f32(binStart + f32(f32((i + 0.5) * bin) / perBin));
      // torchvision's bilinear_interpolate edge rules: more than one cell outside -> 0.
      if (v < -1 || v > size) continue;
      if (v <= 0) v = 0;
      let lo = Math.trunc(v);
      let hi: number;
      if (lo >= size - 1) {
        lo = size - 1;
        hi = lo;
        v = lo;
      } else {
        hi = lo + 1;
      }
      const l = f32(v - lo);
      low[s] = lo;
      high[s] = hi;
      lowWeight[s] = f32(1 - l);
      highWeight[s] = l;
    }
  }
  return { samplesPerBin: perBin, low, high, lowWeight, highWeight };
}

function assertBox(box: readonly number[] | undefined, k: number): asserts box is readonly number[] {
  if (
    box === undefined ||
    box.length < 4 ||
    !Number.isFinite(box[0]) ||
    !Number.isFinite(box[1]) ||
    !Number.isFinite(box[2]) ||
    !Number.isFinite(box[3])
  ) {
    throw new InvalidArgumentError(`boxes[${k}]`, 'four finite numbers x1, y1, x2, y2 in grid cells', box);
  }
}

/** @internal */
export function assertRoiBox(
  box: readonly number[] | undefined,
  k: number,
): asserts box is readonly number[] {
  assertBox(box, k);
}

/**
 * RoI-Align on a channel-last token grid, with the semantics of `torchvision.ops.roi_align` (and so of
 * the PyTorch reference code's SAP): each box is cut into outH x outW bins, each bin averages
 * samplesPerBin^2 bilinear samples; samples more than one cell outside the grid count as 0, the rest are
 * clamped to the border. Checked against torchvision to 1e-5 by a committed fixture.
 *
 * Hand-written because no maintained JS library does RoI-Align; onnxruntime's RoiAlign wants NCHW, a
 * session and a copy, and pulling a native runtime into core for one op is not worth it.
 * Per sample the four cell offsets and weights are computed once and then the channels are looped
 * contiguously (the channel-last layout makes that a streaming read).
 *
 * @param grid channel-last H x W x C tokens
 * @param boxes x1,y1,x2,y2 in grid-cell coordinates (see `imageBoxToGrid`), times `spatialScale`
 * @returns K x outH x outW x C, row-major
 */
export function roiAlign(
  grid: TokenGrid,
  boxes: ArrayLike<readonly number[]>,
  options: RoiAlignOptions = {},
): Float32Array {
  assertTokenGrid(grid);
  const [outH, outW] = resolveOutputSize(options.outputSize);
  const samplingRatio = resolveSamplingRatio(options.samplingRatio);
  const aligned = options.aligned ?? true;
  const spatialScale = options.spatialScale ?? 1;
  if (!Number.isFinite(spatialScale)) {
    throw new InvalidArgumentError('spatialScale', 'a finite number', spatialScale);
  }
  const { data: g, height: H, width: W, channels: C } = grid;
  const K = boxes.length;
  const out = new Float32Array(K * outH * outW * C);
  for (let k = 0; k < K; k++) {
    const box = boxes[k];
    assertBox(box, k);
    const ys = roiAxis(box[1]!, box[3]!, outH, H, samplingRatio, aligned, spatialScale);
    const xs = roiAxis(box[0]!, box[2]!, outW, W, samplingRatio, aligned, spatialScale);
    const gy = ys.samplesPerBin;
    const gx = xs.samplesPerBin;
    if (gy === 0 || gx === 0) continue; // empty adaptive box: torchvision returns zeros
    const count = gy * gx;
    for (let ph = 0; ph < outH; ph++) {
      for (let pw = 0; pw < outW; pw++) {
        const o = ((k * outH + ph) * outW + pw) * C;
        for (let iy = 0; iy < gy; iy++) {
          const sy = ph * gy + iy;
          const hy = ys.lowWeight[sy]!;
          const ly = ys.highWeight[sy]!;
          if (hy === 0 && ly === 0) continue;
          const rowLo = ys.low[sy]! * W;
          const rowHi = ys.high[sy]! * W;
          for (let ix = 0; ix < gx; ix++) {
            const sx = pw * gx + ix;
            const hx = xs.lowWeight[sx]!;
            const lx = xs.highWeight[sx]!;
            if (hx === 0 && lx === 0) continue;
            // float32 products as torchvision's kernel, then the 1/count folded in.
            const w1 = f32(hy * hx) / count;
            const w2 = f32(hy * lx) / count;
            const w3 = f32(ly * hx) / count;
            const w4 = f32(ly * lx) / count;
            const p1 = (rowLo + xs.low[sx]!) * C;
            const p2 = (rowLo + xs.high[sx]!) * C;
            const p3 = (rowHi + xs.low[sx]!) * C;
            const p4 = (rowHi + xs.high[sx]!) * C;
            for (let c = 0; c < C; c++) {
              out[o + c] += w1 * g[p1 + c]! + w2 * g[p2 + c]! + w3 * g[p3 + c]! + w4 * g[p4 + c]!;
            }
          }
        }
      }
    }
  }
  return out;
}
