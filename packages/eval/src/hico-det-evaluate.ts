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
import { groupBy, sortByScoreDescending } from './score-order.js';

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

/** Wall-clock milliseconds of each phase, so a slow run shows where the time went. */
export interface HicoDetTimings {
  /** Reading predictions (and the annotation file, when given as a path or JSON). */
  parseMs: number;
  /** Ordering by score, the per-image cap and matching against the GT pairs. */
  matchMs: number;
  /** Per-class ranking, 11-point AP (Default and Known-Object) and the averages. */
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

  // One global order: by score descending, ties by image index then file order (the ranking rule).
  // Grouping it by image gives each image's matching order (score, then file order); grouping the
  // kept detections by class gives each class's ranking. All linear-time (score-order.ts).
  const n = dets.count;
  const identity = new Int32Array(n);
  for (let d = 0; d < n; d++) identity[d] = d;
  const byImageFileOrder = groupBy(identity, dets.image, nImages).sorted;
  const ranking = sortByScoreDescending(byImageFileOrder, dets.score);
  const { sorted: byImage, start: imgStart } = groupBy(ranking, dets.image, nImages);

  // Per image: cap, filter, match. tp[d] = 1 for a true positive, kept[d] = 1 if d is ranked at all.
  const tp = new Uint8Array(n);
  const keptFlag = new Uint8Array(n);
  const matched = new Uint8Array(gt.pairClass.length);
  const { cls, boxes, subjectIsPerson } = dets;
  const iou = rules.iou;
  for (let i = 0; i < nImages; i++) {
    const from = imgStart[i]!;
    const to = imgStart[i + 1]!;
    if (from === to || !imageUsed[i]) continue;
    const limit = Math.min(to, from + rules.cap);
    const p0 = gt.pairStart[i]!;
    const p1 = gt.pairStart[i + 1]!;
    for (let k = from; k < limit; k++) {
      const d = byImage[k]!;
      const c = cls[d]!;
      if (dropped(c) || (rules.requirePersonSubject && !subjectIsPerson[d])) continue;
      keptFlag[d] = 1;
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
      if (bestPair >= 0 && best >= 0.5 && !matched[bestPair]) {
        matched[bestPair] = 1;
        tp[d] = 1;
      }
    }
  }
  const matchMs = performance.now() - tMatch;

  const tAp = performance.now();
  let kept = 0;
  for (let d = 0; d < n; d++) kept += keptFlag[d]!;
  const rankedKept = new Int32Array(kept);
  for (let k = 0, j = 0; k < n; k++) if (keptFlag[ranking[k]!]) rankedKept[j++] = ranking[k]!;
  const { sorted: ranked, start: clsStart } = groupBy(rankedKept, cls, nClasses);
  let maxLen = 0;
  for (let c = 0; c < nClasses; c++) maxLen = Math.max(maxLen, clsStart[c + 1]! - clsStart[c]!);
  const rec = new Float64Array(maxLen);
  const prec = new Float64Array(maxLen);
  const apDefault = new Float64Array(nClasses);
  const apKnown = new Float64Array(nClasses);
  const evaluated = new Uint8Array(nClasses);
  let currentObject = 0;
  const knownObject = (d: number) => gt.objectPresent[dets.image[d]! * nObjects + currentObject] === 1;
  for (let c = 0; c < nClasses; c++) {
    if (dropped(c) || (npos[c] === 0 && !rules.averageClassesWithoutGt)) continue;
    evaluated[c] = 1;
    apDefault[c] = elevenPointAp(
      tp,
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
      tp,
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
