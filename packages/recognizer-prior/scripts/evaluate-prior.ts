/**
 * Evaluates the committed layout prior on V-COCO test (reduced pair-level layout, ground-truth boxes):
 * pair-level role AP per class for the layout prior, an object-class-frequency baseline and uniform
 * scores, and the prior as an interactiveness filter. Prints a markdown section (pasted into README).
 *
 *   npx tsx scripts/evaluate-prior.ts --annotations /work/shared/data/vcoco/instances_vcoco_test.json \
 *     [--trainval /work/shared/data/vcoco/instances_vcoco_trainval.json] [--weights src/weights/layout-prior.json]
 *
 * AP: all-point VOC AP over every test pair (every unique human box x every unique object box of an
 * image, the annotated ones positive), ties ranked as one block (src/average-precision.ts). Pose cues are
 * not evaluated: the annotations come without images.
 */

import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { COCO_80_LABELS } from '@hoi/core';
import { averagePrecision } from '../src/average-precision.js';
import { INTERACTS_HEAD, loadLayoutPrior } from '../src/layout-prior-model.js';
import { fitObjectFrequency } from '../src/training/frequency-baseline.js';
import { meanAp, roleApTable } from '../src/training/role-ap.js';
import { scoreLayoutPriorOnPairs } from '../src/training/score-pairs.js';
import { buildVcocoPairs, readVcocoAnnotations } from '../src/training/vcoco-pairs.js';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    annotations: { type: 'string' },
    trainval: { type: 'string' },
    weights: { type: 'string', default: resolve(pkg, 'src/weights/layout-prior.json') },
  },
});
if (!values.annotations) {
  console.error(
    'usage: tsx scripts/evaluate-prior.ts --annotations instances_vcoco_test.json [--trainval instances_vcoco_trainval.json]',
  );
  process.exit(2);
}
const trainvalPath = values.trainval ?? resolve(dirname(values.annotations), 'instances_vcoco_trainval.json');

const test = buildVcocoPairs(readVcocoAnnotations(values.annotations));
const trainval = buildVcocoPairs(readVcocoAnnotations(trainvalPath));
const prior = loadLayoutPrior(values.weights!);
const C = test.classes.length;
const priorScores = scoreLayoutPriorOnPairs(prior, test);
const headOf = new Map(prior.headNames.map((n, i) => [n, i]));
const freq = fitObjectFrequency(trainval, COCO_80_LABELS.length);

const table = roleApTable(test, trainval, prior);
const rows = table.map(
  (r) =>
    `| ${r.className} | ${r.positives} | ${(100 * r.prior).toFixed(1)} | ${(100 * r.frequency).toFixed(1)} | ${(100 * r.uniform).toFixed(1)} |`,
);
const sums = {
  prior: meanAp(table, 'prior') * C,
  freq: meanAp(table, 'frequency') * C,
  uniform: meanAp(table, 'uniform') * C,
};

// The filter: interactiveness per pair, positives = pairs with any action.
const anyLabel = new Uint8Array(test.size);
for (let i = 0; i < test.size; i++) for (let c = 0; c < C; c++) anyLabel[i] |= test.labels[i * C + c]!;
const interacts = priorScores[headOf.get(INTERACTS_HEAD)!]!;
const noisyOr = new Float64Array(test.size);
const freqAny = new Float64Array(test.size);
for (let i = 0; i < test.size; i++) {
  let q = 1;
  for (let c = 0; c < C; c++) q *= 1 - priorScores[headOf.get(test.classes[c]!)!]![i]!;
  noisyOr[i] = 1 - q;
  let qf = 1;
  for (let c = 0; c < C; c++) qf *= 1 - freq[test.objectIndex[i]! * C + c]!;
  freqAny[i] = 1 - qf;
}

/** The highest threshold keeping >= recall of the positives, and the share of all pairs below it. */
function filterAt(scores: Float64Array, recall: number) {
  const posScores = scores.filter((_, i) => anyLabel[i] === 1).sort((a, b) => b - a);
  const keep = Math.ceil(recall * posScores.length);
  const threshold = posScores[keep - 1]!;
  let removed = 0;
  let removedPos = 0;
  for (let i = 0; i < scores.length; i++) {
    if (scores[i]! < threshold) {
      removed++;
      removedPos += anyLabel[i]!;
    }
  }
  let negatives = 0;
  for (let i = 0; i < scores.length; i++) negatives += 1 - anyLabel[i]!;
  const removedNeg = removed - removedPos;
  return {
    threshold,
    removedShare: removed / scores.length,
    removedNegShare: removedNeg / negatives,
    keptPosShare: 1 - removedPos / posScores.length,
  };
}
const filterRow = (name: string, s: Float64Array) => {
  const f = filterAt(s, 0.95);
  return `| ${name} | ${(100 * averagePrecision(s, anyLabel)).toFixed(1)} | ${f.threshold.toFixed(4)} | ${(100 * f.keptPosShare).toFixed(1)} | ${(100 * f.removedShare).toFixed(1)} | ${(100 * f.removedNegShare).toFixed(1)} |`;
};

/** Shares at a fixed threshold (the pipeline's default 0.15, and others). */
const fixedRow = (threshold: number, scores: Float64Array) => {
  let removed = 0;
  let removedPos = 0;
  for (let i = 0; i < scores.length; i++) {
    if (scores[i]! < threshold) {
      removed++;
      removedPos += anyLabel[i]!;
    }
  }
  const pos = test.positivePairs;
  return `| ${threshold} | ${(100 * (1 - removedPos / pos)).toFixed(1)} | ${(100 * (removed / scores.length)).toFixed(1)} | ${(100 * ((removed - removedPos) / (scores.length - pos))).toFixed(1)} |`;
};

const negatives = test.size - test.positivePairs;
console.log(`### V-COCO test, ground-truth boxes, reduced pair-level layout

${test.size} test pairs from ${new Set(test.imageIndex).size} images with at least one pair: ${test.positivePairs} with an action (${test.positiveTriplets} triplets), ${negatives} without.
Frequency baseline: P(class | object class) counted on trainval pairs (add-one smoothed). Uniform: every pair 0.5.

| class | test positives | layout prior AP | object-frequency AP | uniform AP |
|---|---:|---:|---:|---:|
${rows.join('\n')}
| **mean (24)** | | **${((100 * sums.prior) / C).toFixed(2)}** | **${((100 * sums.freq) / C).toFixed(2)}** | **${((100 * sums.uniform) / C).toFixed(2)}** |

#### As an interactiveness filter (positives: pairs with any action)
Threshold = the highest that keeps at least 95% of the positive pairs.

| interactiveness | AP | threshold | positives kept (%) | all pairs removed (%) | non-interacting pairs removed (%) |
|---|---:|---:|---:|---:|---:|
${filterRow("noisy-or of the 24 action heads (the recognizer's value, layout only)", noisyOr)}
${filterRow('separately fitted `interacts` head', interacts)}
${filterRow('noisy-or of the object-frequency baseline', freqAny)}

The recognizer's interactiveness (noisy-or, layout only) at fixed thresholds (\`detectInteractions\` defaults to 0.15):

| threshold | positives kept (%) | all pairs removed (%) | non-interacting pairs removed (%) |
|---:|---:|---:|---:|
${[0.05, 0.15, 0.3, 0.5].map((t) => fixedRow(t, noisyOr)).join('\n')}
`);
