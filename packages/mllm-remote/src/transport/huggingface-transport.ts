import { InferenceClient, InferenceClientProviderApiError } from '@huggingface/inference';
import { parseRetryAfter } from '../reliability/retry.js';
import { describeError, httpStatusError, networkError } from './api-call-error.js';
import type { ChatCompletionBody, ChatTransport } from './chat-types.js';
import { postTgiGenerate, type TgiGenerateBody, tgiGenerateUrl } from './tgi-generate.js';

/** Where Hugging Face requests go. */
export interface HuggingFaceTransportOptions {
  /** Hugging Face token; defaults to `HF_TOKEN`. */
  token?: string;
  /** A dedicated Inference Endpoint or any TGI/vLLM URL; requests go to `<endpointUrl>/v1/chat/completions`. */
  endpointUrl?: string;
  /** Inference Provider (`auto`, `hf-inference`, `together`, ...) when no endpointUrl is set. Default `auto`. */
  provider?: string;
}

/**
 * Sends chat completions through @huggingface/inference. Its silent retry on 503 is turned off so that
 * this package's retry rules and abort handling apply; a wrapped fetch captures Retry-After, which the
 * library does not surface.
 */
export function createHuggingFaceTransport(
  options: HuggingFaceTransportOptions,
): ChatTransport & { secrets: string[] } {
  const token = options.token ?? process.env.HF_TOKEN;
  const client = new InferenceClient(token, options.endpointUrl ? { endpointUrl: options.endpointUrl } : {});
  const url = options.endpointUrl
    ? `${options.endpointUrl.replace(/\/+$/, '')}/v1/chat/completions`
    : `huggingface:${options.provider ?? 'auto'}`;
  const secrets = token ? [token] : [];
  return {
    api: 'huggingface',
    url,
    secrets,
    async complete(body: ChatCompletionBody, signal: AbortSignal): Promise<unknown> {
      let retryAfterHeader: string | null = null;
      const capturingFetch: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        retryAfterHeader = response.headers.get('retry-after');
        return response;
      };
      try {
        const args = {
          ...body,
          ...(options.endpointUrl ? {} : { provider: options.provider ?? 'auto' }),
        } as unknown as Parameters<InferenceClient['chatCompletion']>[0];
        return await client.chatCompletion(args, { signal, retry_on_error: false, fetch: capturingFetch });
      } catch (error) {
        if (
          error instanceof InferenceClientProviderApiError &&
          typeof error.httpResponse?.status === 'number'
        ) {
          throw httpStatusError({
            url,
            status: error.httpResponse.status,
            body: error.httpResponse.body,
            retryAfterMs: parseRetryAfter(retryAfterHeader),
            secrets,
          });
        }
        if (signal.aborted) throw error;
        throw networkError({ url, reason: describeError(error, secrets), secrets });
      }
    },
    ...(options.endpointUrl
      ? {
          generate: (body: TgiGenerateBody, signal: AbortSignal) =>
            postTgiGenerate({
              url: tgiGenerateUrl(options.endpointUrl!),
              body,
              bearer: token,
              secrets,
              signal,
            }),
        }
      : {}),
  };
}
