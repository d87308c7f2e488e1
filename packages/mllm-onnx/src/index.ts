/**
 * @hoi/mllm-onnx: local interaction recognizers on ONNX models - a CLIP/SigLIP dual encoder with
 * spatial-aware pooling, deterministic generation with Qwen-VL family decoders, and the one-pass
 * deterministic-matching runtime for fine-tuned checkpoints.
 */

export {
  createMatchingRecognizer,
  type DmPromptContext,
  defaultDmPrompt,
  type MatchingRecognizer,
  type MatchingRecognizerOptions,
} from './dm/create-matching-recognizer.js';
export type { DmManifest } from './dm/dm-manifest.js';
export {
  createDualEncoderRecognizer,
  type DualEncoderRecognizer,
  type DualEncoderRecognizerOptions,
  type SpatialPrior,
} from './dual-encoder/create-dual-encoder-recognizer.js';
export { type DualEncoderFamily, DualEncoderModel } from './dual-encoder/dual-encoder-model.js';
export type { OrtSessionOptions } from './ort-session.js';
export { boxForModel } from './vlm/box-prompt.js';
export {
  createVlmRecognizer,
  type QuestionContext,
  type VlmRecognizer,
  type VlmRecognizerOptions,
} from './vlm/create-vlm-recognizer.js';
export { mropePositionIds } from './vlm/mrope.js';
export {
  type EncodedImage,
  type OnnxDtype,
  type QwenVlFamily,
  type VlmFamily,
  VlmModel,
} from './vlm/vlm-model.js';
