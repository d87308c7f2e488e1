import type { HicoDetZeroShotSplit } from '@hoi/core';
import { HICO_DET_ZERO_SHOT_SPLITS, InvalidArgumentError } from '@hoi/core';
import { elevenPointAp } from './average-precision.js';
import {
  type HicoDetGroundTruth,
  loadHicoDetAnnotations,
  parseHicoDetAnnotations,
} from './hico-det-annotations.js';
import {
  type HicoDetDetections,
  type PredictionCounters,
  predictionWarnings,
  readHicoDetDetections,
} from './hico-det-detections.js';
import { HICO_DET_PRESETS, type HicoDetProtocol } from './hico-det-protocol.js';
import type { PredictionSource } from './prediction-source.js';

/** Full / Rare / Non-rare mAP in percent (null when the group has no evaluated class). */
export interface HicoDetSettingMap {
  full: number | null;
  rare: number | null;
  nonRare: number | null;
}

/**
 * The JSON object of the evaluator contract (protocols.md): what `hoi eval hico-det --json` prints.
 * All values in percent, unrounded. `perClass[c]` is the AP of class c in percent, null for a class
 * the preset does not evaluate (da-hoi's no_interaction classes; under qpic and da-hoi also a class
 * without any ground-truth pair, which the Python evaluators skip).
 */
export interface HicoDetResult {
  protocol: HicoDetProtocol;
  /** Number of evaluated classes (600, or 520 under da-hoi on the real test set). */
  classes: number;
  default: HicoDetSettingMap;
  knownObject: HicoDetSettingMap;
  zeroShot?: { split: HicoDetZeroShotSplit; unseen: number | null; seen: number | null; full: number | null };
  perClass: (number | null)[];
}

/** Wall-clock milliseconds of each phase. */
export interface HicoDetTimings {
  parseMs: number;
  matchMs: number;
  apMs: number;
}

/** What {@link evaluateHicoDet} returns: the contract object plus everything that is not in it. */
export interface HicoDetEvaluation {
  result: HicoDetResult;
  timings: HicoDetTimings;
  /** Skipped predictions, for stderr. */
  counters: PredictionCounters;
  warnings: string[];
  /** Ground-truth pairs per class under this preset (0 for dropped classes). */
  npos: Int32Array;
}

/** Inputs of {@link evaluateHicoDet}. */
export interface EvaluateHicoDetOptions {
  /** Annotation file path, its parsed JSON, or ground truth already prepared (reuse across calls). */
  annotations: string | HicoDetGroundTruth | unknown;
  /** Predictions (JSON Lines path, text, records) or detections already read for these annotations. */
  predictions: PredictionSource | HicoDetDetections;
  protocol: HicoDetProtocol;
  split?: HicoDetZeroShotSplit;
}

function isGroundTruth(x: unknown): x is HicoDetGroundTruth {
  return typeof x === 'object' && x !== null && (x as HicoDetGroundTruth).pairClass instanceof Int32Array;
}

function isDetections(x: unknown): x is HicoDetDetections {
  return typeof x === 'object' && x !== null && (x as HicoDetDetections).cls instanceof Int32Array;
}

/** Load or accept prepared ground truth. */
export async function resolveHicoDetGroundTruth(
  annotations: EvaluateHicoDetOptions['annotations'],
): Promise<HicoDetGroundTruth> {
  if (isGroundTruth(annotations)) return annotations;
  if (typeof annotations === 'string') return loadHicoDetAnnotations(annotations);
  return parseHicoDetAnnotations(annotations);
}

/**
 * Score predictions on HICO-DET under one of the published protocols, reproducing its reference
 * evaluator (per-class AP equal to 1e-9). See protocols.md for every rule implemented here.
 */
export async function evaluateHicoDet(options: EvaluateHicoDetOptions): Promise<HicoDetEvaluation> {
  const rules = HICO_DET_PRESETS[options.protocol];
  if (!rules) throw new InvalidArgumentError('protocol', "'official', 'qpic' or 'da-hoi'", options.protocol);
  if (options.split !== undefined && !(options.split in HICO_DET_ZERO_SHOT_SPLITS)) {
    throw new InvalidArgumentError('split', "'rf-uc', 'nf-uc', 'uo' or 'uv'", options.split);
  }
  const t0 = performance.now();
  const gt = await resolveHicoDetGroundTruth(options.annotations);
  const dets = isDetections(options.predictions)
    ? options.predictions
    : await readHicoDetDetections(options.predictions as PredictionSource, gt);
  const parseMs = isDetections(options.predictions) ? dets.parseMs : performance.now() - t0;
  return scoreHicoDet(gt, dets, options.protocol, options.split, parseMs);
}

/** The match and AP phases on prepared inputs (what the harness calls per detector and preset). */
export function scoreHicoDet(
  gt: HicoDetGroundTruth,
  dets: HicoDetDetections,
  protocol: HicoDetProtocol,
  split: HicoDetZeroShotSplit | undefined,
  parseMs = dets.parseMs,
): HicoDetEvaluation {
  const rules = HICO_DET_PRESETS[protocol];
  const { classes } = gt;
  const nClasses = classes.classVerb.length;
  const nImages = gt.fileNames.length;
  const nObjects = classes.objects.length;
  const tMatch = performance.now();

  // Ground truth under this preset: da-hoi drops no_interaction pairs and the images left without GT.
  const dropped = (c: number) => rules.dropNoInteraction && classes.noInteraction[c] === 1;
  const npos = new Int32Array(nClasses);
  const imageUsed = new Uint8Array(nImages);
  for (let i = 0; i < nImages; i++) {
    let any = false;
    for (let p = gt.pairStart[i]!; p < gt.pairStart[i + 1]!; p++) {
      const c = gt.pairClass[p]!;
      if (dropped(c)) continue;
      npos[c]!++;
      any = true;
    }
    imageUsed[i] = rules.dropNoInteraction ? (any ? 1 : 0) : 1;
  }

  // Bucket detections by image (counting sort, stable: file order within an image).
  const n = dets.count;
  const imgStart = new Int32Array(nImages + 1);
  for (let d = 0; d < n; d++) imgStart[dets.image[d]! + 1]!++;
  for (let i = 0; i < nImages; i++) imgStart[i + 1]! += imgStart[i]!;
  const byImage = new Int32Array(n);
  const fill = imgStart.slice(0, nImages);
  for (let d = 0; d < n; d++) byImage[fill[dets.image[d]!]!++] = d;

  // Per image: sort by score (stable), cap, match. Kept detections are appended in processing order,
  // which is the tie order of the ranking (image index, then within-image order).
  const keptDet = new Int32Array(n);
  const keptTp = new Uint8Array(n);
  let kept = 0;
  const matched = new Uint8Array(gt.pairClass.length);
  const { score, cls, boxes, subjectIsPerson } = dets;
  const iou = rules.iou;
  const byScore = (a: number, b: number) => score[b]! - score[a]! || a - b;
  for (let i = 0; i < nImages; i++) {
    const from = imgStart[i]!;
    const to = imgStart[i + 1]!;
    if (from === to || !imageUsed[i]) continue;
    const order = byImage.subarray(from, to).sort(byScore);
    const limit = Math.min(order.length, rules.cap);
    const p0 = gt.pairStart[i]!;
    const p1 = gt.pairStart[i + 1]!;
    for (let k = 0; k < limit; k++) {
      const d = order[k]!;
      const c = cls[d]!;
      if (dropped(c) || (rules.requirePersonSubject && !subjectIsPerson[d])) continue;
      let best = Number.NEGATIVE_INFINITY;
      let bestPair = -1;
      const bd = d * 8;
      for (let p = p0; p < p1; p++) {
        if (gt.pairClass[p] !== c) continue;
        const oh = iou(boxes, bd, gt.pairBoxes, p * 8);
        const oo = iou(boxes, bd + 4, gt.pairBoxes, p * 8 + 4);
        const ov = Math.min(oh, oo);
        if (ov > best) {
          best = ov;
          bestPair = p;
        }
      }
      let tp = 0;
      if (bestPair >= 0 && best >= 0.5 && !matched[bestPair]) {
        matched[bestPair] = 1;
        tp = 1;
      }
      keptDet[kept] = d;
      keptTp[kept] = tp;
      kept++;
    }
  }
  const matchMs = performance.now() - tMatch;

  // Rank per class: stable counting sort by class keeps (image, within-image) order; then score.
  const tAp = performance.now();
  const clsStart = new Int32Array(nClasses + 1);
  for (let k = 0; k < kept; k++) clsStart[cls[keptDet[k]!]! + 1]!++;
  for (let c = 0; c < nClasses; c++) clsStart[c + 1]! += clsStart[c]!;
  const ranked = new Int32Array(kept);
  const cfill = clsStart.slice(0, nClasses);
  for (let k = 0; k < kept; k++) ranked[cfill[cls[keptDet[k]!]!]!++] = k;
  const keptScore = new Float64Array(kept);
  for (let k = 0; k < kept; k++) keptScore[k] = score[keptDet[k]!]!;
  const byKeptScore = (a: number, b: number) => keptScore[b]! - keptScore[a]! || a - b;
  let maxLen = 0;
  for (let c = 0; c < nClasses; c++) {
    const len = clsStart[c + 1]! - clsStart[c]!;
    if (len > 1) ranked.subarray(clsStart[c]!, clsStart[c + 1]!).sort(byKeptScore);
    if (len > maxLen) maxLen = len;
  }
  const rec = new Float64Array(maxLen);
  const prec = new Float64Array(maxLen);
  const apDefault = new Float64Array(nClasses);
  const apKnown = new Float64Array(nClasses);
  const evaluated = new Uint8Array(nClasses);
  let currentObject = 0;
  const knownObject = (k: number) =>
    gt.objectPresent[dets.image[keptDet[k]!]! * nObjects + currentObject] === 1;
  for (let c = 0; c < nClasses; c++) {
    if (dropped(c) || (npos[c] === 0 && !rules.averageClassesWithoutGt)) continue;
    evaluated[c] = 1;
    apDefault[c] = elevenPointAp(
      keptTp,
      ranked,
      clsStart[c]!,
      clsStart[c + 1]!,
      npos[c]!,
      rules.thresholds,
      rec,
      prec,
    );
    currentObject = classes.classObject[c]!;
    apKnown[c] = elevenPointAp(
      keptTp,
      ranked,
      clsStart[c]!,
      clsStart[c + 1]!,
      npos[c]!,
      rules.thresholds,
      rec,
      prec,
      knownObject,
    );
  }

  const mean = (ap: Float64Array, pick: (c: number) => boolean): number | null => {
    let sum = 0;
    let count = 0;
    for (let c = 0; c < nClasses; c++) {
      if (!evaluated[c] || !pick(c)) continue;
      sum += ap[c]!;
      count++;
    }
    return count === 0 ? null : (sum / count) * 100;
  };
  const setting = (ap: Float64Array): HicoDetSettingMap => ({
    full: mean(ap, () => true),
    rare: mean(ap, (c) => classes.rare[c] === 1),
    nonRare: mean(ap, (c) => classes.rare[c] !== 1),
  });
  let evaluatedCount = 0;
  const perClass: (number | null)[] = [];
  for (let c = 0; c < nClasses; c++) {
    perClass.push(evaluated[c] ? apDefault[c]! * 100 : null);
    evaluatedCount += evaluated[c]!;
  }
  let zeroShot: HicoDetResult['zeroShot'];
  const defaultMap = setting(apDefault);
  if (split !== undefined) {
    const unseen = new Uint8Array(nClasses);
    for (const c of HICO_DET_ZERO_SHOT_SPLITS[split]) if (c < nClasses) unseen[c] = 1;
    zeroShot = {
      split,
      unseen: mean(apDefault, (c) => unseen[c] === 1),
      seen: mean(apDefault, (c) => unseen[c] !== 1),
      full: defaultMap.full,
    };
  }
  // Key order as in the contract.
  const result: HicoDetResult = {
    protocol,
    classes: evaluatedCount,
    default: defaultMap,
    knownObject: setting(apKnown),
    ...(zeroShot ? { zeroShot } : {}),
    perClass,
  };
  const apMs = performance.now() - tAp;
  return {
    result,
    timings: { parseMs, matchMs, apMs },
    counters: dets.counters,
    warnings: predictionWarnings(dets.counters),
    npos,
  };
}
