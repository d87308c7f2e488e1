import type { VcocoPairSet } from './vcoco-pairs.js';

/**
 * The object-class-frequency baseline: P(class | object class) counted on a training pair set with
 * add-one smoothing, `(positives + 1) / (pairs + 2)`; every pair with that object gets the same score.
 * Returns numObjects x numClasses row-major.
 */
export function fitObjectFrequency(train: VcocoPairSet, numObjects: number): Float64Array {
  const C = train.classes.length;
  const pos = new Float64Array(numObjects * C);
  const n = new Float64Array(numObjects);
  for (let i = 0; i < train.size; i++) {
    const o = train.objectIndex[i]!;
    n[o]++;
    for (let c = 0; c < C; c++) pos[o * C + c] += train.labels[i * C + c]!;
  }
  const out = new Float64Array(numObjects * C);
  for (let o = 0; o < numObjects; o++)
    for (let c = 0; c < C; c++) out[o * C + c] = (pos[o * C + c]! + 1) / (n[o]! + 2);
  return out;
}
