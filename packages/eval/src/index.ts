/**
 * @hoi/eval: HICO-DET and V-COCO evaluation that reproduces the published evaluators exactly,
 * zero-shot splits, Known-Object, and the cross-detector harness. The `hoi eval` CLI is a thin layer
 * over these functions.
 */
export * from './average-precision.js';
export * from './cross-detector.js';
export * from './format.js';
export * from './ground-truth-instances.js';
export * from './hico-det-annotations.js';
export * from './hico-det-classes.js';
export * from './hico-det-detections.js';
export * from './hico-det-evaluate.js';
export * from './hico-det-protocol.js';
export * from './image-key.js';
export * from './prediction-source.js';
export * from './score-order.js';
export * from './vcoco-evaluate.js';
export * from './vcoco-official.js';
export * from './vcoco-pairs.js';
export * from './vcoco-records.js';
export * from './voc-ap.js';
