import { COCO_80_LABELS } from '@hoi/core';
import { averagePrecision } from '../average-precision.js';
import type { LayoutPrior } from '../layout-prior-model.js';
import { fitObjectFrequency } from './frequency-baseline.js';
import { scoreLayoutPriorOnPairs } from './score-pairs.js';
import type { VcocoPairSet } from './vcoco-pairs.js';

/** Pair-level role AP of one class for the three scorers compared in the README. */
export interface RoleApRow {
  className: string;
  positives: number;
  prior: number;
  frequency: number;
  uniform: number;
}

/**
 * Pair-level role AP per class on a V-COCO pair set (ground-truth boxes): the layout prior, the
 * object-class-frequency baseline fitted on `trainval`, and uniform scores. All-point AP with ties ranked
 * as one block ({@link averagePrecision}).
 */
export function roleApTable(test: VcocoPairSet, trainval: VcocoPairSet, prior: LayoutPrior): RoleApRow[] {
  const C = test.classes.length;
  const priorScores = scoreLayoutPriorOnPairs(prior, test);
  const headOf = new Map(prior.headNames.map((n, i) => [n, i]));
  const freq = fitObjectFrequency(trainval, COCO_80_LABELS.length);
  const uniform = new Float64Array(test.size).fill(0.5);
  return test.classes.map((className, c) => {
    const labels = new Uint8Array(test.size);
    let positives = 0;
    for (let i = 0; i < test.size; i++) {
      labels[i] = test.labels[i * C + c]!;
      positives += labels[i]!;
    }
    const head = headOf.get(className);
    return {
      className,
      positives,
      prior: head === undefined ? 0 : averagePrecision(priorScores[head]!, labels),
      frequency: averagePrecision(
        Float64Array.from(test.objectIndex, (o) => freq[o * C + c]!),
        labels,
      ),
      uniform: averagePrecision(uniform, labels),
    };
  });
}

/** Mean of one column of {@link roleApTable}. */
export function meanAp(rows: readonly RoleApRow[], key: 'prior' | 'frequency' | 'uniform'): number {
  return rows.length === 0 ? 0 : rows.reduce((s, r) => s + r[key], 0) / rows.length;
}
