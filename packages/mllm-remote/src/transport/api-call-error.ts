import { ApiCallError } from '@hoi/core';
import { redactSecrets } from '../reliability/redact.js';
import { isRetryableStatus, setRetryAfterMs } from '../reliability/retry.js';

/** What to change, per HTTP status. Built from the status so messages stay true to the retry rules. */
function hintFor(status: number): string {
  if (status === 401 || status === 403) return 'Check the API key or token (and that it may use this model).';
  if (status === 404) return 'Check the base URL (it usually ends in /v1) and the model name.';
  if (status === 400 || status === 422)
    return 'The server rejected the request: check that the model accepts images and that the server supports the logprob fields of the chosen strategy (or use strategy "text").';
  if (isRetryableStatus(status)) return 'The server is overloaded or failing; retries were attempted.';
  return '';
}

/** An {@link ApiCallError} for an HTTP error status, with secrets removed from the body and message. */
export function httpStatusError(options: {
  url: string;
  status: number;
  body: unknown;
  retryAfterMs?: number;
  secrets: readonly (string | undefined)[];
  cause?: unknown;
}): ApiCallError {
  const rawBody = typeof options.body === 'string' ? options.body : JSON.stringify(options.body ?? '');
  const body = redactSecrets(rawBody ?? '', options.secrets).slice(0, 2000);
  const error = new ApiCallError({
    url: options.url,
    status: options.status,
    responseBody: body,
    isRetryable: isRetryableStatus(options.status),
    message: redactSecrets(
      `${options.url} answered HTTP ${options.status}: ${body.slice(0, 300)}. ${hintFor(options.status)}`,
      options.secrets,
    ).trim(),
  });
  return setRetryAfterMs(error, options.retryAfterMs);
}

/** A retryable {@link ApiCallError} for a connection failure, a timeout or an unreadable (malformed or truncated) body. */
export function networkError(options: {
  url: string;
  reason: string;
  secrets: readonly (string | undefined)[];
}): ApiCallError {
  return new ApiCallError({
    url: options.url,
    isRetryable: true,
    message: redactSecrets(
      `Request to ${options.url} failed: ${options.reason}. Check that the server is running and reachable; it was retried.`,
      options.secrets,
    ),
  });
}

/** A short, secret-free description of an unknown thrown value. */
export function describeError(error: unknown, secrets: readonly (string | undefined)[]): string {
  const e = error as { name?: string; message?: string; cause?: { message?: string; code?: string } };
  const parts = [e?.name, e?.message, e?.cause?.code ?? e?.cause?.message].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  return redactSecrets(parts.join(': ') || String(error), secrets);
}
