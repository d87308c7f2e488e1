import { COCO_80_LABELS } from '@hoi/core';
import { type LayoutPrior, standardize } from '../layout-prior-model.js';
import type { VcocoPairSet } from './vcoco-pairs.js';

/**
 * Scores every pair of a V-COCO pair set with a layout prior: one Float64Array of pair scores per head
 * (heads in the prior's order). Uses the pair set's stored encodings (made with the estimated image size).
 */
export function scoreLayoutPriorOnPairs(prior: LayoutPrior, pairs: VcocoPairSet): Float64Array[] {
  const w = prior.weights;
  const K = w.heads.length;
  const out = Array.from({ length: K }, () => new Float64Array(pairs.size));
  const z = new Float64Array(36);
  const objectIndex = new Map(w.objects.map((o, i) => [o, i]));
  for (let i = 0; i < pairs.size; i++) {
    for (let d = 0; d < 36; d++)
      z[d] = standardize(pairs.features[i * 36 + d]!, w.featureMean[d]!, w.featureStd[d]!);
    const o = objectIndex.get(COCO_80_LABELS[pairs.objectIndex[i]!]!);
    for (let k = 0; k < K; k++) {
      const h = w.heads[k]!;
      let s = h.intercept + (o === undefined ? 0 : h.object[o]!);
      for (let d = 0; d < 36; d++) s += h.spatial[d]! * z[d]!;
      out[k]![i] = 1 / (1 + Math.exp(-s));
    }
  }
  return out;
}
