import type { HicoDetGroundTruth } from './hico-det-annotations.js';
import { type HicoDetDetections, readHicoDetDetections } from './hico-det-detections.js';
import { type HicoDetSettingMap, resolveHicoDetGroundTruth, scoreHicoDet } from './hico-det-evaluate.js';
import type { HicoDetProtocol } from './hico-det-protocol.js';
import type { PredictionSource } from './prediction-source.js';

/** One detector's predictions (the same recognizer run on its boxes). */
export interface DetectorPredictions {
  /** Shown in the table: `yolo11n`, `detr-resnet-50`, ... */
  name: string;
  predictions: PredictionSource | HicoDetDetections;
}

/** Options of {@link compareDetectors}. */
export interface CompareDetectorsOptions {
  annotations: string | HicoDetGroundTruth | unknown;
  protocol: HicoDetProtocol;
  /**
   * Predictions of the same recognizer on the annotated boxes (`hoi detect --gt-boxes`): the
   * oracle that separates detection errors from recognition errors. Each row's drop is against it.
   */
  gtBoxes?: PredictionSource | HicoDetDetections;
}

/** One row of the cross-detector table. mAPs in percent. */
export interface CrossDetectorRow {
  detector: string;
  /** Mean number of instances per prediction record. */
  instancesPerImage: number;
  default: HicoDetSettingMap;
  knownObject: HicoDetSettingMap;
  /** Ground-truth-box full mAP minus this row's (points); null without a ground-truth-box run. */
  drop: { default: number | null; knownObject: number | null } | null;
  /** Lines about skipped predictions. */
  warnings: string[];
}

/** The name of the oracle row. */
export const GT_BOXES_ROW_NAME = 'ground-truth boxes';

function isDetections(x: unknown): x is HicoDetDetections {
  return typeof x === 'object' && x !== null && (x as HicoDetDetections).cls instanceof Int32Array;
}

/**
 * Score several detectors' prediction files on one annotation set and protocol, parsing the
 * annotations once. Running the detectors is the CLI's job; this is the table's arithmetic.
 * The oracle row (when given) comes first.
 */
export async function compareDetectors(
  detectors: readonly DetectorPredictions[],
  options: CompareDetectorsOptions,
): Promise<CrossDetectorRow[]> {
  const gt = await resolveHicoDetGroundTruth(options.annotations);
  const score = async (name: string, source: PredictionSource | HicoDetDetections) => {
    const dets = isDetections(source) ? source : await readHicoDetDetections(source, gt);
    const { result, warnings } = scoreHicoDet(gt, dets, options.protocol, undefined);
    return {
      detector: name,
      instancesPerImage:
        dets.counters.records - dets.counters.unknownImages > 0
          ? dets.counters.instances / (dets.counters.records - dets.counters.unknownImages)
          : 0,
      default: result.default,
      knownObject: result.knownObject,
      drop: null as CrossDetectorRow['drop'],
      warnings,
    };
  };
  const rows: CrossDetectorRow[] = [];
  const oracle = options.gtBoxes === undefined ? undefined : await score(GT_BOXES_ROW_NAME, options.gtBoxes);
  if (oracle) rows.push(oracle);
  for (const d of detectors) rows.push(await score(d.name, d.predictions));
  if (oracle) {
    const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
    for (const row of rows) {
      row.drop = {
        default: diff(oracle.default.full, row.default.full),
        knownObject: diff(oracle.knownObject.full, row.knownObject.full),
      };
    }
  }
  return rows;
}
