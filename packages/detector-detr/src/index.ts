/**
 * @hoi/detector-detr: DETR-family ONNX exports (DETR, Deformable/Conditional DETR, RT-DETR, D-FINE)
 * as `@hoi/core` detectors on onnxruntime-node.
 */
export {
  activationForModelType,
  type DetrPreprocessing,
  type DetrResize,
  type DetrScoreActivation,
  defaultPreprocessing,
  IMAGENET_MEAN,
  IMAGENET_STD,
  isPlaceholderLabel,
  labelsFromId2Label,
  readPreprocessing,
} from './detr-config.js';
export { createDetrDetector, type DetrDetectorOptions } from './detr-detector.js';
export { type DecodeDetrOptions, type DetrDetection, decodeDetrOutputs } from './detr-postprocess.js';
export { preprocessDetrImage } from './detr-preprocess.js';
export { computeResizedSize } from './resize-size.js';
