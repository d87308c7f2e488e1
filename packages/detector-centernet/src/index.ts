/**
 * @hoi/detector-centernet: the embedded, offline default detector of the HOI toolkit.
 * MB3-CenterNet (80 COCO classes) with the real weights shipped in `@vladmandic/human`, on
 * TensorFlow.js' WebAssembly backend (pure-JS cpu backend as fallback).
 */
export {
  CENTERNET_MODEL_ID,
  CENTERNET_PROVIDER,
  type CenterNetDetectorOptions,
  type CenterNetProviderMetadata,
  type CenterNetProviderOptions,
  createCenterNetDetector,
  DEFAULT_IOU_THRESHOLD,
  DEFAULT_SCORE_THRESHOLD,
  MAX_MODEL_DETECTIONS,
} from './centernet-detector.js';
export { DETECTIONS_TENSOR, type DecodeOptions, decodeDetections } from './decode-detections.js';
export {
  computeInputTransform,
  type InputTransform,
  modelBoxToSource,
  type ResizeMode,
} from './input-transform.js';
export { defaultModelPath, readGraphModelArtifacts } from './model-files.js';
export {
  DEFAULT_BACKENDS,
  defaultWasmDir,
  getTfjsRuntime,
  type TfjsBackendName,
  type TfjsRuntime,
  type TfjsRuntimeOptions,
} from './tfjs-runtime.js';
