import { UnexpectedModelOutputError } from '@hoi/core';
import type { DetrScoreActivation } from './detr-config.js';

/** One kept (query, class) pair. The box is x1, y1, x2, y2 normalised to [0, 1] of the image. */
export interface DetrDetection {
  queryIndex: number;
  classIndex: number;
  score: number;
  boxXyxyNormalized: [number, number, number, number];
}

export interface DecodeDetrOptions {
  activation: DetrScoreActivation;
  /** Keep pairs with score >= this. */
  scoreThreshold: number;
  /** Sigmoid family: keep at most this many (query, class) pairs before the threshold. */
  topK: number;
}

/**
 * Decodes one image's DETR-family outputs.
 * `logits` is `[queries, classes]` (with the trailing "no object" column for `softmax`), `boxes`
 * `[queries, 4]` as normalised cx, cy, w, h.
 * - softmax (DETR): score = softmax over all columns, best among the real classes (the last column
 *   dropped), as transformers' Python `post_process_object_detection`. transformers.js instead skips
 *   a query whose overall argmax is "no object"; both agree for thresholds >= 0.5.
 * - sigmoid (Deformable/Conditional DETR, RT-DETR, D-FINE): sigmoid of every (query, class), top-k
 *   over all pairs, then the threshold (equivalent to threshold first, then top-k).
 * Sorted by descending score; ties keep query then class order. Throws on NaN, naming the tensor.
 */
export function decodeDetrOutputs(
  names: { logits: string; boxes: string },
  logits: Float32Array,
  boxes: Float32Array,
  numQueries: number,
  numColumns: number,
  options: DecodeDetrOptions,
): DetrDetection[] {
  assertFinite(names.logits, logits);
  assertFinite(names.boxes, boxes);
  const out: DetrDetection[] = [];
  const box = (q: number): [number, number, number, number] => {
    const cx = boxes[q * 4]!;
    const cy = boxes[q * 4 + 1]!;
    const w = boxes[q * 4 + 2]!;
    const h = boxes[q * 4 + 3]!;
    return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
  };
  if (options.activation === 'softmax') {
    const real = numColumns - 1;
    for (let q = 0; q < numQueries; q++) {
      const row = q * numColumns;
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < numColumns; k++) max = Math.max(max, logits[row + k]!);
      let sum = 0;
      for (let k = 0; k < numColumns; k++) sum += Math.exp(logits[row + k]! - max);
      let best = -1;
      let bestLogit = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < real; k++) {
        if (logits[row + k]! > bestLogit) {
          bestLogit = logits[row + k]!;
          best = k;
        }
      }
      if (best < 0) continue;
      const score = Math.exp(bestLogit - max) / sum;
      if (score >= options.scoreThreshold) {
        out.push({ queryIndex: q, classIndex: best, score, boxXyxyNormalized: box(q) });
      }
    }
  } else {
    // sigmoid(x) >= t  <=>  x >= log(t / (1 - t)): compare logits, take the sigmoid of the few kept.
    const t = options.scoreThreshold;
    const minLogit =
      t <= 0 ? Number.NEGATIVE_INFINITY : t >= 1 ? Number.POSITIVE_INFINITY : Math.log(t / (1 - t));
    for (let q = 0; q < numQueries; q++) {
      const row = q * numColumns;
      for (let k = 0; k < numColumns; k++) {
        const x = logits[row + k]!;
        if (x < minLogit) continue;
        const score = 1 / (1 + Math.exp(-x));
        if (score >= t) out.push({ queryIndex: q, classIndex: k, score, boxXyxyNormalized: box(q) });
      }
    }
  }
  out.sort((a, b) => b.score - a.score || a.queryIndex - b.queryIndex || a.classIndex - b.classIndex);
  if (options.activation === 'sigmoid' && out.length > options.topK) out.length = options.topK;
  return out;
}

function assertFinite(name: string, data: Float32Array): void {
  for (let i = 0; i < data.length; i++) {
    if (Number.isNaN(data[i]!)) {
      throw new UnexpectedModelOutputError(
        name,
        'finite numbers',
        `NaN at flat index ${i}`,
        'The model file is probably broken or was exported with the wrong precision.',
      );
    }
  }
}
