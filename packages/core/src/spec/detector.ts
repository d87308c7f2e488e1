import type { BoxXyxy, ProviderMetadata, ProviderOptions, SpecWarning } from './common.js';
import type { RgbImage } from './image.js';

/** One detected instance. Plain data. */
export interface DetectedInstance {
  /** x1, y1, x2, y2 in source-image pixels. */
  box: BoxXyxy;
  /** A label from the detector's `labels` (or any label for an open-vocabulary detector). */
  label: string;
  /** Detection confidence in [0, 1]. */
  score: number;
  /** Optional extra per-instance data (keypoints, class index, query index, ...). JSON-serialisable. */
  data?: Record<string, unknown>;
}

/** Static facts about a detector that the runtime reads to plan work. */
export interface DetectorCapabilities {
  /** True when `doDetect` accepts `options.labels` with names outside `labels` (YOLO-World, OWL, Grounding DINO). */
  readonly openVocabulary: boolean;
  /** Largest number of images one `doDetectBatch` call may take; 1 when the model has a fixed batch of one. */
  readonly maxBatchSize: number;
}

export interface DetectOptions {
  /** Keep instances with score >= this. Adapters apply their own default when absent. */
  scoreThreshold?: number;
  /** Keep at most this many instances, best first. */
  maxDetections?: number;
  /** Restrict (or, when open-vocabulary, define) the labels to detect. */
  labels?: readonly string[];
  /** Cancels the call; the adapter rejects with an abort error as soon as it can. */
  signal?: AbortSignal;
  /** Adapter-specific settings, keyed by `provider`. */
  providerOptions?: ProviderOptions;
}

export interface DetectResult {
  /** Instances sorted by descending score; ties keep the model's order. */
  instances: DetectedInstance[];
  warnings: SpecWarning[];
  providerMetadata?: ProviderMetadata;
}

/**
 * The detector contract, version 1. Implement this to plug any object detector into the pipeline.
 * Users do not call `doDetect` directly: the pipeline does, after decoding the image once.
 */
export interface DetectorV1 {
  readonly specificationVersion: 'v1';
  /** Short adapter name, e.g. `yolo`, `detr`, `centernet`. Keys `providerOptions`. */
  readonly provider: string;
  /** The model this instance runs (path, hub id or built-in name). */
  readonly modelId: string;
  /** The closed label set, in the model's class order (names in the core vocabulary's spelling). */
  readonly labels: readonly string[];
  readonly capabilities: DetectorCapabilities;
  doDetect(image: RgbImage, options?: DetectOptions): Promise<DetectResult>;
  /**
   * Optional: detect in several images with one model call (up to `capabilities.maxBatchSize`).
   * Results are in input order. The runtime falls back to `doDetect` per image when absent.
   */
  doDetectBatch?(images: readonly RgbImage[], options?: DetectOptions): Promise<DetectResult[]>;
  /** Releases native memory (sessions, tensors). The detector must not be used afterwards. */
  dispose?(): Promise<void>;
}

/** The current detector contract. */
export type Detector = DetectorV1;
