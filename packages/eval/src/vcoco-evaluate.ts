import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from '@hoi/core';
import type { HoiResult } from '@hoi/core/spec';
import { type PredictionSource, readPredictionRecords } from './prediction-source.js';
import {
  type CocoInstances,
  evaluateVcocoOfficial,
  parseVcocoOfficial,
  type VcocoActionAnnotation,
  type VcocoDetection,
  type VcocoOfficialResult,
} from './vcoco-official.js';
import { evaluateVcocoPairs, type VcocoPairsFile, type VcocoPairsResult } from './vcoco-pairs.js';
import { type VcocoConversionCounters, vcocoDetectionsFromRecords } from './vcoco-records.js';

/** Inputs of {@link evaluateVcoco}. */
export interface EvaluateVcocoOptions {
  /**
   * `vcoco_test.json` (official layout; needs `coco`) or `instances_vcoco_test.json` (reduced
   * pair-level layout): a path or the parsed JSON. The layout is recognised from its shape.
   */
  annotations: string | VcocoActionAnnotation[] | VcocoPairsFile;
  /** COCO instance annotations (path or parsed), required by the official layout. */
  coco?: string | CocoInstances;
  /** Result records (JSON Lines path, text or iterable), or official-format detections. */
  predictions: PredictionSource | { readonly detections: readonly VcocoDetection[] };
}

/** The official layout's result. Values in percent, float32 APs as the reference stores them. */
export interface VcocoOfficialEvaluation extends VcocoOfficialResult {
  layout: 'official';
  counters?: VcocoConversionCounters;
}

/** Either layout's result. */
export type VcocoEvaluation = VcocoOfficialEvaluation | VcocoPairsResult;

async function readJson<T>(source: string | T, argument: string): Promise<T> {
  if (typeof source !== 'string') return source;
  try {
    return JSON.parse(await readFile(source, 'utf8')) as T;
  } catch (cause) {
    throw new InvalidArgumentError(argument, 'a readable JSON file', `${source} (${String(cause)})`);
  }
}

/**
 * Score V-COCO predictions: on the official layout, role AP (Scenario 1 and 2, the 24 classes) and
 * agent AP exactly as vsrl_eval.py; on the reduced layout, the pair-level role AP.
 */
export async function evaluateVcoco(options: EvaluateVcocoOptions): Promise<VcocoEvaluation> {
  const annotations = await readJson<VcocoActionAnnotation[] | VcocoPairsFile>(
    options.annotations,
    'annotations',
  );
  if (!Array.isArray(annotations)) {
    if ('detections' in (options.predictions as object)) {
      throw new InvalidArgumentError(
        'predictions',
        'result records for the reduced layout (official detections need vcoco_test.json)',
      );
    }
    return evaluateVcocoPairs(annotations, options.predictions as PredictionSource);
  }
  if (options.coco === undefined) {
    throw new InvalidArgumentError('coco', 'the COCO instance annotations that vcoco_test.json refers to');
  }
  const gt = parseVcocoOfficial(annotations, await readJson<CocoInstances>(options.coco, 'coco'));
  const predictions = options.predictions as PredictionSource | { detections: readonly VcocoDetection[] };
  if (
    typeof predictions === 'object' &&
    'detections' in predictions &&
    Array.isArray(predictions.detections)
  ) {
    return { layout: 'official', ...evaluateVcocoOfficial(gt, predictions.detections) };
  }
  const records: HoiResult[] = [];
  for await (const r of readPredictionRecords(predictions as PredictionSource)) records.push(r);
  const { detections, counters } = vcocoDetectionsFromRecords(records, gt);
  return { layout: 'official', ...evaluateVcocoOfficial(gt, detections), counters };
}
