import { ApiCallError, ImageDecodeError } from '@hoi/core';

/** True when an image reference is an http(s) URL the worker fetches, rather than a file path. */
export function isImageUrl(image: string): boolean {
  return /^https?:\/\//i.test(image);
}

/** Options of {@link fetchImageBytes}. */
export interface FetchImageOptions {
  /** Abort the download after this many milliseconds. Default 60 000. */
  timeoutMs?: number;
  /** Refuse bodies larger than this many bytes. Default 256 MiB. */
  maxBytes?: number;
  signal?: AbortSignal;
}

/**
 * Downloads an image into memory (workers never write it to disk). A 4xx answer means the URL is
 * wrong for good and becomes an {@link ImageDecodeError} (not retried); a 5xx answer, a timeout or a
 * network error is an {@link ApiCallError} with `isRetryable`, which the queue retries with backoff.
 */
export async function fetchImageBytes(url: string, options: FetchImageOptions = {}): Promise<Uint8Array> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  const signal = options.signal
    ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)])
    : AbortSignal.timeout(timeoutMs);
  const shown = withoutQuery(url);
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: 'follow' });
  } catch (error) {
    throw new ApiCallError({
      url: shown,
      isRetryable: true,
      message: `Cannot download image ${shown}: ${(error as Error).message}`,
      cause: error,
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    if (
      response.status >= 400 &&
      response.status < 500 &&
      response.status !== 408 &&
      response.status !== 429
    ) {
      throw new ImageDecodeError(shown, `the server answered HTTP ${response.status}`);
    }
    throw new ApiCallError({
      url: shown,
      status: response.status,
      isRetryable: true,
      message: `Cannot download image ${shown}: HTTP ${response.status}`,
    });
  }
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > maxBytes) {
    await response.body?.cancel();
    throw new ImageDecodeError(shown, `it is ${length} bytes, more than the limit of ${maxBytes}`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > maxBytes)
    throw new ImageDecodeError(shown, `it is ${bytes.length} bytes, more than the limit of ${maxBytes}`);
  return bytes;
}

/** Signed object-store URLs carry credentials in the query string: never show it. */
function withoutQuery(url: string): string {
  const q = url.search(/[?#]/);
  return q < 0 ? url : `${url.slice(0, q)}?…`;
}
