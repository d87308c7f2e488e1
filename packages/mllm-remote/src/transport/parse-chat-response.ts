import { OutputParseError } from '@hoi/core';
import type { TokenLogprob } from '../scoring/log-math.js';
import type { PrefillToken, PromptLogprobEntry } from '../scoring/sequence-logprob.js';

/** The parts of a chat completion the strategies read. Plain JSON, so it is also the cache record. */
export interface ParsedChatResponse {
  /** The generated text of the first choice. */
  text: string;
  /** `top_logprobs` of the first generated token, when the server returned logprobs. */
  firstTokenTopLogprobs?: TokenLogprob[];
  /** vLLM's `prompt_logprobs`, when requested and supported. */
  promptLogprobs?: PromptLogprobEntry[];
  /** TGI's `details.prefill` (one entry per input token), from `/generate` with `decoder_input_details`. */
  prefill?: PrefillToken[];
  promptTokens: number;
  completionTokens: number;
}

/**
 * Reads an OpenAI-format chat completion. Logprob fields are optional (servers without logprob support
 * omit them, and strategies fall back); a body without `choices` is an {@link OutputParseError}.
 */
export function parseChatResponse(json: unknown): ParsedChatResponse {
  const root = json as {
    choices?: Array<{
      message?: { content?: string | null };
      logprobs?: {
        content?: Array<{ token?: string; logprob?: number; top_logprobs?: TokenLogprob[] }> | null;
      } | null;
    }>;
    usage?: { prompt_tokens?: number; completion_tokens?: number };
    prompt_logprobs?: PromptLogprobEntry[] | null;
  };
  const choice = Array.isArray(root?.choices) ? root.choices[0] : undefined;
  if (!choice) {
    throw new OutputParseError(
      JSON.stringify(json ?? null),
      'an OpenAI chat completion with at least one choice',
    );
  }
  const first = choice.logprobs?.content?.[0];
  let top: TokenLogprob[] | undefined;
  if (first) {
    const list =
      Array.isArray(first.top_logprobs) && first.top_logprobs.length > 0 ? first.top_logprobs : undefined;
    top = (
      list ??
      (first.token !== undefined && first.logprob !== undefined
        ? [{ token: first.token, logprob: first.logprob }]
        : [])
    )
      .filter((t) => typeof t?.token === 'string' && typeof t?.logprob === 'number')
      .map((t) => ({ token: t.token, logprob: t.logprob }));
    if (top.length === 0) top = undefined;
  }
  const result: ParsedChatResponse = {
    text: choice.message?.content ?? '',
    promptTokens: root.usage?.prompt_tokens ?? 0,
    completionTokens: root.usage?.completion_tokens ?? 0,
  };
  if (top) result.firstTokenTopLogprobs = top;
  if (Array.isArray(root.prompt_logprobs)) result.promptLogprobs = root.prompt_logprobs;
  return result;
}

/**
 * Reads TGI's `/generate` answer (an object, or a one-element array from some deployments). A body
 * without `generated_text` is an {@link OutputParseError}; a missing `details.prefill` is left to the caller.
 */
export function parseTgiGenerateResponse(json: unknown): ParsedChatResponse {
  const root = (Array.isArray(json) ? json[0] : json) as {
    generated_text?: string;
    details?: { prefill?: PrefillToken[]; generated_tokens?: number };
  };
  if (typeof root?.generated_text !== 'string') {
    throw new OutputParseError(JSON.stringify(json ?? null), 'a TGI /generate answer with generated_text');
  }
  const prefill =
    Array.isArray(root.details?.prefill) && root.details.prefill.length > 0
      ? root.details.prefill
      : undefined;
  const result: ParsedChatResponse = {
    text: root.generated_text,
    promptTokens: prefill?.length ?? 0,
    completionTokens: root.details?.generated_tokens ?? 0,
  };
  if (prefill) result.prefill = prefill;
  return result;
}
