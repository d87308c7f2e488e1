/**
 * @hoi/detector-yolo: Ultralytics YOLO exports (v5, v8, YOLO11, YOLO-World, NMS built in) as
 * `@hoi/core` detectors on onnxruntime-node.
 */
export { parseClassNames } from './class-names.js';
export { LETTERBOX_PAD_VALUE, letterboxToTensor, resizeBilinearRgb } from './letterbox-tensor.js';
export { readOnnxMetadataProps } from './onnx-metadata.js';
export { createYoloDetector, type YoloDetectorOptions } from './yolo-detector.js';
export {
  type DecodeYoloOptions,
  decodeYoloHead,
  resolveYoloHeadShape,
  type YoloCandidates,
  type YoloHeadLayout,
  type YoloHeadShape,
} from './yolo-head.js';
