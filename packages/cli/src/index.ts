/**
 * @hoi/cli: the `hoi` command, and its parts for programs that want them (the batch runner,
 * renderers, the flag-to-model factories).
 */

export { createImagePipeline, type ImagePipeline, toRecord } from './detect/image-pipeline.js';
export { DEFAULT_PIPELINE_CONFIG, type PipelineConfig } from './detect/pipeline-config.js';
export { type DetectRunOptions, type DetectRunSummary, runDetect } from './detect/run-detect.js';
export { EXIT } from './exit-codes.js';
export { createDetectorFromFlags, DETECTOR_KINDS } from './factory/create-detector.js';
export { createRecognizerFromFlags, RECOGNIZER_KINDS } from './factory/create-recognizer.js';
export { resolveVocabulary } from './factory/resolve-vocabulary.js';
export { expandInputs } from './io/expand-inputs.js';
export { JsonlOutput } from './io/jsonl-output.js';
export { createProgram, main } from './program.js';
export { writeHtmlReport } from './render/html-report.js';
export { overlayPairs, overlaySvg } from './render/overlay-svg.js';
export { writeVisualization } from './render/write-visualization.js';
