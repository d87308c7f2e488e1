import { parseRetryAfter } from '../reliability/retry.js';
import { describeError, httpStatusError, networkError } from './api-call-error.js';

/** Body of TGI's native `POST /generate` (the route that returns prompt-token logprobs). */
export interface TgiGenerateBody {
  inputs: string;
  parameters: {
    max_new_tokens: number;
    details: true;
    decoder_input_details: true;
    do_sample: false;
    seed?: number;
  };
}

/**
 * POSTs to TGI's `/generate`. Written with `fetch` because neither client library reaches this route in
 * the pinned versions: openai only speaks the OpenAI routes, and @huggingface/inference 4.13 sends text
 * generation to `/v1/completions` and drops `details` (its generic `request` is deprecated and logs on
 * every call). Errors follow the same rules as the chat transports.
 */
export async function postTgiGenerate(options: {
  url: string;
  body: TgiGenerateBody;
  bearer?: string;
  headers?: Record<string, string>;
  secrets: readonly (string | undefined)[];
  signal: AbortSignal;
}): Promise<unknown> {
  const { url, secrets, signal } = options;
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
        ...options.headers,
      },
      body: JSON.stringify(options.body),
      signal,
    });
    text = await response.text();
  } catch (error) {
    if (signal.aborted) throw error;
    throw networkError({ url, reason: describeError(error, secrets), secrets });
  }
  if (!response.ok) {
    throw httpStatusError({
      url,
      status: response.status,
      body: text,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      secrets,
    });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw networkError({ url, reason: `unreadable JSON body (${text.length} bytes)`, secrets });
  }
}

/** The route next to an OpenAI-style base URL: `http://host:8080/v1` -> `http://host:8080/generate`. */
export function tgiGenerateUrl(base: string): string {
  return `${base.replace(/\/+$/, '').replace(/\/v1$/, '')}/generate`;
}

/** Prompt in the ChatML layout (Qwen2/2.5-VL, InternVL2.5, ...) with TGI's markdown image syntax. */
export function chatmlPrompt(parts: { imageUrl: string; question: string; answer: string }): string {
  return `<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n![](${parts.imageUrl})${parts.question}<|im_end|>\n<|im_start|>assistant\n${parts.answer}`;
}
