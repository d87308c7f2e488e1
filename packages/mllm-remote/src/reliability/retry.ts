import { AbortError, type ApiCallError, HoiError } from '@hoi/core';
import { abortableSleep } from './abortable-sleep.js';

/** Retry settings of one recognizer instance. */
export interface RetryOptions {
  /** Retries after the first attempt (default 4). */
  maxRetries?: number;
  /** First backoff in ms; doubles each retry (default 500). */
  initialDelayMs?: number;
  /** Longest backoff or honoured Retry-After in ms (default 30,000). */
  maxDelayMs?: number;
}

/** HTTP statuses worth retrying: timeouts, conflicts, rate limits and server errors. 400/401/403/404/422 are not. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

const retryAfter = new WeakMap<object, number>();

/** Attaches the server's Retry-After (ms) to an error so the retry loop can honour it. */
export function setRetryAfterMs(error: ApiCallError, ms: number | undefined): ApiCallError {
  if (ms !== undefined && Number.isFinite(ms) && ms >= 0) retryAfter.set(error, ms);
  return error;
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Backoff before retry `attempt` (0-based): exponential with "equal jitter" (half fixed, half random). */
export function backoffDelayMs(attempt: number, options: RetryOptions, random = Math.random): number {
  const base = Math.min(options.maxDelayMs ?? 30_000, (options.initialDelayMs ?? 500) * 2 ** attempt);
  return base / 2 + (base / 2) * random();
}

/**
 * Runs `attempt` until it succeeds, a non-retryable error occurs, or retries run out. Only
 * {@link ApiCallError}s with `isRetryable` are retried; waits honour Retry-After and end at once on abort.
 */
export async function withRetries<T>(
  attempt: (attemptIndex: number) => Promise<T>,
  options: RetryOptions & { signal?: AbortSignal; onRetry?: (error: ApiCallError, delayMs: number) => void },
): Promise<T> {
  const maxRetries = options.maxRetries ?? 4;
  for (let i = 0; ; i++) {
    if (options.signal?.aborted) throw new AbortError(options.signal.reason);
    try {
      return await attempt(i);
    } catch (error) {
      if (options.signal?.aborted) throw new AbortError(options.signal.reason);
      if (
        !(
          HoiError.isInstance(error) &&
          error.name === 'HoiApiCallError' &&
          (error as ApiCallError).isRetryable
        )
      )
        throw error;
      if (i >= maxRetries) throw error;
      const hinted = retryAfter.get(error);
      const delay =
        hinted !== undefined ? Math.min(hinted, options.maxDelayMs ?? 30_000) : backoffDelayMs(i, options);
      options.onRetry?.(error as ApiCallError, delay);
      await abortableSleep(delay, options.signal);
    }
  }
}
