/**
 * @hoi/mllm-onnx: local interaction recognizers on ONNX models - a CLIP/SigLIP dual encoder with
 * spatial-aware pooling, deterministic generation with Qwen-VL family decoders, and the one-pass
 * deterministic-matching runtime for fine-tuned checkpoints.
 */
export {
  createDualEncoderRecognizer,
  type DualEncoderRecognizer,
  type DualEncoderRecognizerOptions,
  type SpatialPrior,
} from './dual-encoder/create-dual-encoder-recognizer.js';
export { type DualEncoderFamily, DualEncoderModel } from './dual-encoder/dual-encoder-model.js';
export type { OrtSessionOptions } from './ort-session.js';
