import { type BoxXyxy, clipBox, type DetectedInstance, nms, UnexpectedModelOutputError } from '@hoi/core';
import { type InputTransform, modelBoxToSource } from './input-transform.js';

/** The output the detector reads: top-100 peaks, one row each. */
export const DETECTIONS_TENSOR = 'tower_0/detections';

/** Values per row of {@link DETECTIONS_TENSOR}: x1, y1, x2, y2 (model pixels), score, class index. */
export const DETECTION_ROW_LENGTH = 6;

/** Post-processing settings of {@link decodeDetections}, resolved per call. */
export interface DecodeOptions {
  /** Class names, index = the model's 0-based class index (person = 0). */
  labels: readonly string[];
  /** Keep rows with score >= this. */
  scoreThreshold: number;
  /** Class-wise NMS IoU threshold (a box is dropped when IoU > this with a better box of its class). */
  iouThreshold: number;
  /** Keep at most this many instances. */
  maxDetections: number;
  /** Keep only these class indices; all when absent. */
  allowedClasses?: ReadonlySet<number>;
}

/**
 * Turns the raw `[1, N, 6]` detections of MB3-CenterNet into instances in source pixels: validates
 * every row, thresholds, maps boxes back through the letterbox (or stretch) exactly, clips them to the
 * image, drops boxes left empty by clipping (peaks in the padding), then runs class-wise NMS.
 * The graph already keeps only local maxima of the heatmap (a 3x3 max-pool), so NMS removes little;
 * it is kept because neighbouring peaks of one object do occur.
 * Result: best score first; equal scores keep the model's row order.
 */
export function decodeDetections(
  raw: ArrayLike<number>,
  transform: InputTransform,
  options: DecodeOptions,
): DetectedInstance[] {
  if (raw.length % DETECTION_ROW_LENGTH !== 0) {
    throw new UnexpectedModelOutputError(
      DETECTIONS_TENSOR,
      `[1, N, ${DETECTION_ROW_LENGTH}]`,
      `${raw.length} values, not a multiple of ${DETECTION_ROW_LENGTH}`,
    );
  }
  const rows = raw.length / DETECTION_ROW_LENGTH;
  const boxes: BoxXyxy[] = [];
  const scores: number[] = [];
  const classes: number[] = [];
  for (let r = 0; r < rows; r++) {
    const o = r * DETECTION_ROW_LENGTH;
    for (let k = 0; k < DETECTION_ROW_LENGTH; k++) {
      if (!Number.isFinite(raw[o + k]!)) {
        throw new UnexpectedModelOutputError(
          DETECTIONS_TENSOR,
          'finite numbers',
          `${raw[o + k]} at row ${r}, column ${k}`,
          'The weights are probably damaged or not MB3-CenterNet weights.',
        );
      }
    }
    const classIndex = raw[o + 5]!;
    if (!(Number.isInteger(classIndex) && classIndex >= 0 && classIndex < options.labels.length)) {
      throw new UnexpectedModelOutputError(
        DETECTIONS_TENSOR,
        `a class index in column 5 that is an integer in [0, ${options.labels.length - 1}]`,
        `${classIndex} at row ${r}`,
        'Pass `labels` matching the model when it is not an 80-class COCO model.',
      );
    }
    const score = raw[o + 4]!;
    if (score < options.scoreThreshold) continue;
    if (options.allowedClasses && !options.allowedClasses.has(classIndex)) continue;
    const box = clipBox(
      modelBoxToSource([raw[o]!, raw[o + 1]!, raw[o + 2]!, raw[o + 3]!], transform),
      transform.sourceWidth,
      transform.sourceHeight,
    );
    if (!(box[2] > box[0] && box[3] > box[1])) continue;
    boxes.push(box);
    scores.push(score);
    classes.push(classIndex);
  }
  const keep = nms(boxes, scores, {
    iouThreshold: options.iouThreshold,
    groups: classes,
    maxKeep: options.maxDetections,
  });
  return keep.map((i) => ({
    box: boxes[i]!,
    label: options.labels[classes[i]!]!,
    score: scores[i]!,
    data: { classIndex: classes[i]! },
  }));
}
