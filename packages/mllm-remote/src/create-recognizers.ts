import type { InteractionRecognizerV1 } from '@hoi/core/spec';
import { createRecognizerOnTransport } from './remote-recognizer.js';
import type {
  HuggingFaceRecognizerOptions,
  OpenAICompatibleRecognizerOptions,
  RemoteRecognizerOptions,
} from './remote-recognizer-options.js';
import { createHuggingFaceTransport } from './transport/huggingface-transport.js';
import { createOpenAITransport } from './transport/openai-transport.js';

/**
 * A recognizer backed by any OpenAI-compatible chat-completions server: vLLM, TGI, Ollama, llama.cpp's
 * server, LM Studio or OpenAI itself. Scores are deterministic (temperature 0, fixed seed, logprobs).
 */
export function createOpenAICompatibleRecognizer(
  options: OpenAICompatibleRecognizerOptions,
): InteractionRecognizerV1 {
  return createRecognizerOnTransport(createOpenAITransport(options), options);
}

/**
 * A recognizer backed by Hugging Face: Inference Providers (router) by default, or a dedicated Inference
 * Endpoint / any TGI or vLLM server with `endpointUrl`. The token comes from `token` or `HF_TOKEN`.
 */
export function createHuggingFaceRecognizer(options: HuggingFaceRecognizerOptions): InteractionRecognizerV1 {
  return createRecognizerOnTransport(createHuggingFaceTransport(options), options);
}

/** One entry point for configuration files: `api` selects the client library. */
export function createRemoteRecognizer(options: RemoteRecognizerOptions): InteractionRecognizerV1 {
  return options.api === 'huggingface'
    ? createHuggingFaceRecognizer(options)
    : createOpenAICompatibleRecognizer(options);
}
