import { COCO_80_LABELS } from '@hoi/core';
import { FEATURE_CLIP, INTERACTS_HEAD, type LayoutPriorWeights, standardize } from '../layout-prior-model.js';
import { fitLogisticHead, type LogisticFitOptions } from './fit-logistic.js';
import type { VcocoPairSet } from './vcoco-pairs.js';

/** The settings the committed weights were fitted with. */
export const DEFAULT_FIT_OPTIONS: LogisticFitOptions = { l2: 0.1, iterations: 12 };

/** Rounds to 6 significant digits so the JSON stays small and a refit compares digit for digit. */
export function round6(x: number): number {
  return Number(x.toPrecision(6));
}

/**
 * Fits every head (the 24 action-role classes, then `interacts` = "any action") on a pair set.
 * Deterministic: no randomness, fixed Newton steps, fixed sample order.
 */
export function trainLayoutPrior(
  pairs: VcocoPairSet,
  options: LogisticFitOptions = DEFAULT_FIT_OPTIONS,
  extraTraining: Record<string, unknown> = {},
): LayoutPriorWeights {
  const N = pairs.size;
  const D = 36;
  const C = pairs.classes.length;
  const mean = new Float64Array(D);
  const std = new Float64Array(D);
  for (let i = 0; i < N; i++) for (let d = 0; d < D; d++) mean[d] += pairs.features[i * D + d]!;
  for (let d = 0; d < D; d++) mean[d] = round6(mean[d]! / N);
  for (let i = 0; i < N; i++) {
    for (let d = 0; d < D; d++) {
      const v = pairs.features[i * D + d]! - mean[d]!;
      std[d] += v * v;
    }
  }
  // A constant feature would divide by zero; give it std 1 (its weight then only meets the penalty).
  for (let d = 0; d < D; d++) std[d] = round6(Math.sqrt(std[d]! / N) || 1);
  const z = new Float64Array(N * D);
  for (let i = 0; i < N; i++)
    for (let d = 0; d < D; d++) z[i * D + d] = standardize(pairs.features[i * D + d]!, mean[d]!, std[d]!);
  const heads: LayoutPriorWeights['heads'] = [];
  const counts: Record<string, number> = {};
  const y = new Uint8Array(N);
  for (let c = 0; c <= C; c++) {
    let positives = 0;
    for (let i = 0; i < N; i++) {
      if (c < C) y[i] = pairs.labels[i * C + c]!;
      else {
        let any = 0;
        for (let k = 0; k < C; k++) any |= pairs.labels[i * C + k]!;
        y[i] = any;
      }
      positives += y[i]!;
    }
    const name = c < C ? pairs.classes[c]! : INTERACTS_HEAD;
    counts[name] = positives;
    const head = fitLogisticHead(z, D, pairs.objectIndex, COCO_80_LABELS.length, y, options);
    heads.push({
      name,
      intercept: round6(head.intercept),
      spatial: head.spatial.map(round6),
      object: head.object.map(round6),
    });
  }
  return {
    format: 'hoi-layout-prior',
    version: 1,
    encoding: 'spatialEncoding36',
    objects: [...COCO_80_LABELS],
    featureMean: Array.from(mean),
    featureStd: Array.from(std),
    heads,
    training: {
      model:
        'per-head L2 logistic regression on the standardised (clipped) 36-d encoding + one-hot COCO object class, Newton (IRLS) steps',
      featureClip: FEATURE_CLIP,
      l2: options.l2,
      newtonSteps: options.iterations,
      pairs: N,
      positivesPerHead: counts,
      ...extraTraining,
    },
  };
}
