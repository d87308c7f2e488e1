import type { BoxXyxy } from './common.js';

/** An instance in the result record. */
export interface HoiResultInstance {
  /** x1, y1, x2, y2 in source-image pixels. */
  box: BoxXyxy;
  label: string;
  score: number;
  [extra: string]: unknown;
}

/** A detected interaction: the HOI class is (verb, label of `instances[object]`). */
export interface HoiResultInteraction {
  /** Index into `instances` of the human. */
  subject: number;
  /** Index into `instances` of the object. */
  object: number;
  verb: string;
  /** Final fused score used for ranking. */
  score: number;
  [extra: string]: unknown;
}

/**
 * The result record: one JSON object per image; a file of them is JSON Lines.
 * It is what the pipeline writes and what the evaluators read. Readers ignore extra fields.
 */
export interface HoiResult {
  /** Image name or path as given. */
  image: string;
  /** [width, height] in source pixels. */
  size: [width: number, height: number];
  instances: HoiResultInstance[];
  /** Sorted by descending score. */
  interactions: HoiResultInteraction[];
  [extra: string]: unknown;
}
