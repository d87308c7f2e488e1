import type { RecallThresholds } from './hico-det-protocol.js';

/**
 * 11-point interpolated AP of a ranked list (VOC2007 / HICO-DET): for each threshold t,
 * the best precision among ranks whose recall reaches t (0 if none), divided by 11 and accumulated
 * in threshold order, exactly as the MATLAB and numpy references do.
 *
 * `tp` holds 1/0 per rank (already in ranking order); `include` optionally skips ranks (Known-Object).
 * `order` maps rank k to an index into `tp`. `scratch` must hold `n` doubles.
 */
export function elevenPointAp(
  tp: Uint8Array,
  order: Int32Array,
  from: number,
  to: number,
  npos: number,
  thresholds: RecallThresholds,
  scratchRec: Float64Array,
  scratchPrec: Float64Array,
  include?: (index: number) => boolean,
): number {
  let n = 0;
  let ctp = 0;
  let cfp = 0;
  for (let k = from; k < to; k++) {
    const d = order[k]!;
    if (include && !include(d)) continue;
    if (tp[d]) ctp++;
    else cfp++;
    scratchRec[n] = ctp / npos;
    scratchPrec[n] = ctp / (cfp + ctp);
    n++;
  }
  // Suffix maximum of precision: the best precision at any rank at or after k.
  for (let k = n - 2; k >= 0; k--)
    if (scratchPrec[k + 1]! > scratchPrec[k]!) scratchPrec[k] = scratchPrec[k + 1]!;
  let ap = 0;
  let k = 0;
  for (const t of thresholds) {
    while (k < n && !(scratchRec[k]! >= t)) k++;
    const p = k < n ? scratchPrec[k]! : 0;
    ap = ap + p / 11;
  }
  return ap;
}
