import OpenAI from 'openai';
import { parseRetryAfter } from '../reliability/retry.js';
import { describeError, httpStatusError, networkError } from './api-call-error.js';
import type { ChatCompletionBody, ChatTransport } from './chat-types.js';
import { postTgiGenerate, type TgiGenerateBody, tgiGenerateUrl } from './tgi-generate.js';

/** Connection settings of an OpenAI-compatible server (vLLM, TGI, Ollama, llama.cpp, LM Studio, OpenAI). */
export interface OpenAITransportOptions {
  /** e.g. `http://localhost:8000/v1`. */
  baseURL: string;
  /** Sent as a bearer token. Local servers usually accept anything; defaults to `OPENAI_API_KEY` or `none`. */
  apiKey?: string;
  /** Extra headers for every request (e.g. a gateway key). */
  headers?: Record<string, string>;
}

/**
 * Sends chat completions with the official openai client. The client's own retries are off (this package
 * retries with its own rules and abort handling) and its timeout is left to the caller's signal.
 */
export function createOpenAITransport(
  options: OpenAITransportOptions,
): ChatTransport & { secrets: string[] } {
  const apiKey = options.apiKey ?? process.env.OPENAI_API_KEY ?? 'none';
  const client = new OpenAI({
    apiKey,
    baseURL: options.baseURL,
    maxRetries: 0,
    timeout: 24 * 3600 * 1000,
    defaultHeaders: options.headers,
  });
  const url = `${options.baseURL.replace(/\/+$/, '')}/chat/completions`;
  const secrets = [apiKey === 'none' ? undefined : apiKey, ...Object.values(options.headers ?? {})].filter(
    (s): s is string => !!s,
  );
  return {
    api: 'openai-compatible',
    url,
    secrets,
    async complete(body: ChatCompletionBody, signal: AbortSignal): Promise<unknown> {
      try {
        // The body may carry server extensions (vLLM prompt_logprobs); the client forwards unknown fields.
        return await client.chat.completions.create(
          body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
          {
            signal,
          },
        );
      } catch (error) {
        if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
          throw httpStatusError({
            url,
            status: error.status,
            body: error.error ?? error.message,
            retryAfterMs: parseRetryAfter(error.headers?.get('retry-after')),
            secrets,
          });
        }
        if (signal.aborted) throw error;
        throw networkError({ url, reason: describeError(error, secrets), secrets });
      }
    },
    generate(body: TgiGenerateBody, signal: AbortSignal): Promise<unknown> {
      return postTgiGenerate({
        url: tgiGenerateUrl(options.baseURL),
        body,
        bearer: apiKey === 'none' ? undefined : apiKey,
        headers: options.headers,
        secrets,
        signal,
      });
    },
  };
}
