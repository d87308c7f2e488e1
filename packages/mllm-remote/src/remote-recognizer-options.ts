import type { QwenResizeOptions } from './image/smart-resize.js';
import type { BoxCoordinateFormat } from './prompt/box-coordinates.js';
import type { ChoiceLabelStyle } from './prompt/choice-labels.js';
import type { RetryOptions } from './reliability/retry.js';
import type { HuggingFaceTransportOptions } from './transport/huggingface-transport.js';
import type { OpenAITransportOptions } from './transport/openai-transport.js';

/**
 * How candidates are scored:
 * - `choice-logprobs`: one multiple-choice request per pair (per chunk of candidates); scores from the
 *   answer token's top_logprobs. Needs `logprobs`/`top_logprobs` support.
 * - `sequence-likelihood`: one request per candidate; log p(phrase | image, question) from vLLM's
 *   `prompt_logprobs` (teacher forcing, the paper's deterministic generation). Needs vLLM.
 * - `yes-no`: one request per candidate; P(yes) from top_logprobs.
 * - `text`: no logprobs; the model answers a JSON list of labels, scores are 0 or 1 (uncalibrated).
 * - `auto` (default): `choice-logprobs`, falling back to `text` (with a warning) when the server sends no logprobs.
 */
export type RemoteScoringStrategy = 'auto' | 'choice-logprobs' | 'sequence-likelihood' | 'yes-no' | 'text';

/** How the pair is shown to the model. */
export interface VisualPromptOptions {
  /** Coordinates written in the prompt, in the model's convention. Default `qwen-absolute`. */
  coordinates?: BoxCoordinateFormat;
  /** Draw the person and object boxes on the image (one image per pair). Default false. */
  drawBoxes?: boolean;
  /** Colours of drawn boxes. Default red (person) and blue (object). */
  subjectColor?: string;
  objectColor?: string;
  /** Send only the union box of the pair, grown by `cropMargin` of its size on each side. Default false. */
  cropToUnion?: boolean;
  /** Default 0.1. */
  cropMargin?: number;
  /** Qwen smart-resize limits for `qwen-absolute` coordinates (match the server's processor settings). */
  qwenResize?: QwenResizeOptions;
}

/** One event worth logging. Messages never contain the API key or token. */
export interface RemoteRecognizerLogEvent {
  type: 'retry' | 'fallback';
  message: string;
  status?: number;
  delayMs?: number;
}

/** Settings shared by every remote recognizer. */
export interface RemoteRecognizerCommonOptions {
  /** Model name sent in each request (e.g. `Qwen/Qwen2.5-VL-7B-Instruct`, `qwen2.5vl:7b`). */
  model: string;
  strategy?: RemoteScoringStrategy;
  /** Option labels for choice and text strategies. Default `letters`. */
  labelStyle?: ChoiceLabelStyle;
  /** top_logprobs requested (OpenAI allows at most 20). Default 20. */
  topLogprobs?: number;
  /** Candidates per request before chunking (choice and text). Default min(15, topLogprobs - 1) (8 with numbers). */
  maxChoicesPerRequest?: number;
  /** Longest side in pixels of the sent JPEG. Default 1024. */
  maxImageSide?: number;
  /** JPEG quality. Default 90. */
  jpegQuality?: number;
  visualPrompt?: VisualPromptOptions;
  /** Fixed sampling seed sent with every request. Default 0. Temperature is always 0. */
  seed?: number;
  /**
   * Where `sequence-likelihood` reads prompt-token logprobs: `vllm-chat` (default; chat completions with
   * vLLM's `prompt_logprobs`) or `tgi-generate` (TGI's `/generate` with `decoder_input_details`, next to
   * `baseURL` / `endpointUrl`).
   */
  sequenceLikelihoodApi?: 'vllm-chat' | 'tgi-generate';
  /**
   * Raw prompt for `tgi-generate`, which applies no chat template: gets the image data URL, the question and
   * the candidate phrase. Default: ChatML (Qwen2/2.5-VL, InternVL2.5) with TGI's `![](url)` image syntax.
   */
  tgiPromptTemplate?: (parts: { imageUrl: string; question: string; answer: string }) => string;
  /** max_tokens for the text strategy's answer. Default 64. */
  maxAnswerTokens?: number;
  /** Requests in flight at once for this instance. Default 8. */
  concurrency?: number;
  /** Per-request timeout in ms. Default 120,000. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /**
   * Folder of the response cache; `false` disables it. Default: `remote-responses` under the toolkit's
   * cache folder (`resolveCacheDir()` of @hoi/core: `HOI_CACHE_DIR`, `$HF_HOME/hoi`, `$XDG_CACHE_HOME/hoi`
   * or `~/.cache/hoi`), so a re-run batch costs nothing.
   */
  cacheDir?: string | false;
  /** Receives retry and fallback events. */
  logger?: (event: RemoteRecognizerLogEvent) => void;
}

/** Options of {@link createOpenAICompatibleRecognizer}. */
export type OpenAICompatibleRecognizerOptions = RemoteRecognizerCommonOptions & OpenAITransportOptions;

/** Options of {@link createHuggingFaceRecognizer}. */
export type HuggingFaceRecognizerOptions = RemoteRecognizerCommonOptions & HuggingFaceTransportOptions;

/** Options of {@link createRemoteRecognizer}: pick the API with `api`. */
export type RemoteRecognizerOptions =
  | ({ api: 'openai-compatible' } & OpenAICompatibleRecognizerOptions)
  | ({ api: 'huggingface' } & HuggingFaceRecognizerOptions);
