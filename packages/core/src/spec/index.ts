/**
 * The contracts of the HOI toolkit, types only. A plugin author depends on this entry point alone:
 * it has no runtime import.
 */
export type { BoxXyxy, ProviderMetadata, ProviderOptions, SpecWarning } from './common.js';
export type {
  DetectedInstance,
  DetectOptions,
  Detector,
  DetectorCapabilities,
  DetectorV1,
  DetectResult,
} from './detector.js';
export type { ImageInput, RgbImage } from './image.js';
export type {
  InteractionCandidate,
  InteractionPair,
  InteractionRecognizer,
  InteractionRecognizerV1,
  PairScores,
  RecognizeOptions,
  RecognizeResult,
  RecognizerCapabilities,
} from './recognizer.js';
export type { HoiResult, HoiResultInstance, HoiResultInteraction } from './result.js';
