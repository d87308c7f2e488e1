/** The three HICO-DET evaluators whose numbers papers publish (protocols.md). */
export type HicoDetProtocol = 'official' | 'qpic' | 'da-hoi';

/** Zero-shot splits (core's lists): rare-first / non-rare-first unseen composition, unseen object, unseen verb. */
export type { HicoDetZeroShotSplit } from '@hoi/core';

/** The recall thresholds of the 11-point AP. */
export type RecallThresholds = readonly number[];

/**
 * MATLAB's `0:0.1:1`, as MATLAB computes it. Hard-coded: `k / 10` or a float loop gives other
 * doubles at 0.3, 0.6 and 0.7, and a recall of exactly 3/5 then counts differently.
 */
export const MATLAB_RECALL_THRESHOLDS: RecallThresholds = Object.freeze([
  0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
]);

/** numpy's `arange(0, 1.1, 0.1)` (start + k * step), used by the QPIC-derived and DA-HOI evaluators. */
export const NUMPY_RECALL_THRESHOLDS: RecallThresholds = Object.freeze([
  0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9, 1,
]);

/** Per-image detection cap of the Python evaluators. */
export const HICO_DET_MAX_DETECTIONS_PER_IMAGE = 100;

/**
 * IoU of two x1,y1,x2,y2 boxes stored at offsets `i` and `j` of flat arrays, as each evaluator
 * computes it. The operation order mirrors the references so that exact 0.5 boundaries agree.
 */
export type FlatIou = (a: Float64Array, i: number, b: Float64Array, j: number) => number;

/** MATLAB: +1-pixel widths; overlap when the +1 intersection is positive. */
export const iouOfficial: FlatIou = (a, i, b, j) => {
  const iw = Math.min(a[i + 2]!, b[j + 2]!) - Math.max(a[i]!, b[j]!) + 1;
  const ih = Math.min(a[i + 3]!, b[j + 3]!) - Math.max(a[i + 1]!, b[j + 1]!) + 1;
  if (iw > 0 && ih > 0) {
    const inter = iw * ih;
    const ua =
      (a[i + 2]! - a[i]! + 1) * (a[i + 3]! - a[i + 1]! + 1) +
      (b[j + 2]! - b[j]! + 1) * (b[j + 3]! - b[j + 1]! + 1) -
      inter;
    return inter / ua;
  }
  return 0;
};

/** QPIC: +1-pixel areas and intersection, but 0 unless the raw intersection is strictly positive. */
export const iouQpic: FlatIou = (a, i, b, j) => {
  const left = Math.max(a[i]!, b[j]!);
  const right = Math.min(a[i + 2]!, b[j + 2]!);
  const top = Math.max(a[i + 1]!, b[j + 1]!);
  const bottom = Math.min(a[i + 3]!, b[j + 3]!);
  if (!(left < right && top < bottom)) return 0;
  const inter = (right - left + 1) * (bottom - top + 1);
  const sum =
    (a[i + 2]! - a[i]! + 1) * (a[i + 3]! - a[i + 1]! + 1) +
    (b[j + 2]! - b[j]! + 1) * (b[j + 3]! - b[j + 1]! + 1);
  return inter / (sum - inter);
};

/** DA-HOI: continuous coordinates, strict positive intersection, 1e-12 added to the union. */
export const iouDaHoi: FlatIou = (a, i, b, j) => {
  const left = Math.max(a[i]!, b[j]!);
  const right = Math.min(a[i + 2]!, b[j + 2]!);
  const top = Math.max(a[i + 1]!, b[j + 1]!);
  const bottom = Math.min(a[i + 3]!, b[j + 3]!);
  if (!(left < right && top < bottom)) return 0;
  const inter = (right - left) * (bottom - top);
  const sum = (a[i + 2]! - a[i]!) * (a[i + 3]! - a[i + 1]!) + (b[j + 2]! - b[j]!) * (b[j + 3]! - b[j + 1]!);
  return inter / (sum - inter + 1e-12);
};

/** Everything that differs between presets, in one place. */
export interface HicoDetPresetRules {
  readonly iou: FlatIou;
  readonly thresholds: RecallThresholds;
  /** Per-image cap, or Infinity. */
  readonly cap: number;
  /** Drop the 80 no_interaction classes (GT, averages, lists) and images without other GT. */
  readonly dropNoInteraction: boolean;
  /** Ignore (after the cap) detections whose subject is not `person`. */
  readonly requirePersonSubject: boolean;
  /** Classes without GT pairs are averaged with AP 0 (MATLAB) instead of left out (Python). */
  readonly averageClassesWithoutGt: boolean;
}

/** The rules of each preset (protocols.md, table). */
export const HICO_DET_PRESETS: Readonly<Record<HicoDetProtocol, HicoDetPresetRules>> = Object.freeze({
  official: {
    iou: iouOfficial,
    thresholds: MATLAB_RECALL_THRESHOLDS,
    cap: Number.POSITIVE_INFINITY,
    dropNoInteraction: false,
    requirePersonSubject: false,
    averageClassesWithoutGt: true,
  },
  qpic: {
    iou: iouQpic,
    thresholds: NUMPY_RECALL_THRESHOLDS,
    cap: HICO_DET_MAX_DETECTIONS_PER_IMAGE,
    dropNoInteraction: false,
    requirePersonSubject: false,
    averageClassesWithoutGt: false,
  },
  'da-hoi': {
    iou: iouDaHoi,
    thresholds: NUMPY_RECALL_THRESHOLDS,
    cap: HICO_DET_MAX_DETECTIONS_PER_IMAGE,
    dropNoInteraction: true,
    requirePersonSubject: true,
    averageClassesWithoutGt: false,
  },
});
