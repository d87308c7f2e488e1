/**
 * @hoi/mllm-remote: interaction recognizers backed by remote multi-modal LLMs (any OpenAI-compatible
 * server, Hugging Face Inference), scored deterministically from logprobs.
 */
export {
  createHuggingFaceRecognizer,
  createOpenAICompatibleRecognizer,
  createRemoteRecognizer,
} from './create-recognizers.js';
export type { QwenResizeOptions } from './image/smart-resize.js';
export { qwenSmartResize } from './image/smart-resize.js';
export type { BoxCoordinateFormat } from './prompt/box-coordinates.js';
export { PROMPT_VERSION } from './prompt/build-prompt.js';
export type { ChoiceLabelStyle } from './prompt/choice-labels.js';
export type { RetryOptions } from './reliability/retry.js';
export type { RemoteProviderOptions, RemoteUsage } from './remote-recognizer.js';
export { createRecognizerOnTransport, REMOTE_PROVIDER } from './remote-recognizer.js';
export type {
  HuggingFaceRecognizerOptions,
  OpenAICompatibleRecognizerOptions,
  RemoteRecognizerCommonOptions,
  RemoteRecognizerLogEvent,
  RemoteRecognizerOptions,
  RemoteScoringStrategy,
  VisualPromptOptions,
} from './remote-recognizer-options.js';
export type { ChatCompletionBody, ChatMessage, ChatTransport } from './transport/chat-types.js';
export type { TgiGenerateBody } from './transport/tgi-generate.js';
