import type { TgiGenerateBody } from './tgi-generate.js';

/** An OpenAI-style chat message with optional image parts (the format every supported server reads). */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | Array<{ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } }>;
}

/**
 * The request body sent to `/v1/chat/completions`. The vLLM extensions (`prompt_logprobs`,
 * `add_generation_prompt`, `continue_final_message`) are only set by the sequence-likelihood strategy.
 */
export interface ChatCompletionBody {
  model: string;
  messages: ChatMessage[];
  temperature: number;
  seed?: number;
  max_tokens: number;
  logprobs?: boolean;
  top_logprobs?: number;
  prompt_logprobs?: number;
  add_generation_prompt?: boolean;
  continue_final_message?: boolean;
  [extra: string]: unknown;
}

/**
 * One way of sending a chat completion: the openai client for OpenAI-compatible servers, or
 * @huggingface/inference for Hugging Face. Implementations throw `ApiCallError` (with Retry-After
 * attached) for HTTP and network failures and return the parsed JSON body.
 */
export interface ChatTransport {
  /** `openai-compatible` or `huggingface`. */
  readonly api: string;
  /** The endpoint, for error messages (never holds credentials). */
  readonly url: string;
  complete(body: ChatCompletionBody, signal: AbortSignal): Promise<unknown>;
  /** TGI's native `/generate` next to the same server, for sequence likelihood from `decoder_input_details`. */
  generate?(body: TgiGenerateBody, signal: AbortSignal): Promise<unknown>;
}
