import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AbortError, ApiCallError, ModelLoadError } from '../errors/hoi-error.js';
import { sha256FromEtag } from './model-manifest.js';

/** What a HEAD request told about a remote file. Every field is optional: servers differ. */
export interface RemoteFileInfo {
  /** Bytes (`x-linked-size` for LFS files, else `Content-Length`). */
  size?: number;
  /** ETag (`x-linked-etag` for LFS files, else `ETag`). */
  etag?: string;
  /** sha256 carried by the ETag, when it is one. */
  sha256?: string;
  /** `x-repo-commit`, when given. */
  commit?: string;
}

/** The parts of one HTTP exchange every function here needs. */
export interface HttpContext {
  fetch: typeof globalThis.fetch;
  /** Request headers (Authorization included); never logged or put into errors. */
  headers: Record<string, string>;
  signal?: AbortSignal;
  /** Removes secrets from any text that goes into an error. */
  redact: (text: string) => string;
  /** The model reference used in messages (`org/name`). */
  modelId: string;
  /** The model-relative file name used in messages. */
  file: string;
}

const isAbortError = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');

function toHttpError(ctx: HttpContext, url: string, status: number, body: string): Error {
  const responseBody = ctx.redact(body.slice(0, 500));
  if (status === 404) {
    return new ModelLoadError(
      ctx.modelId,
      `file ${ctx.file} not found at ${url} (HTTP 404): check the model id, the revision and the file name`,
    );
  }
  if (status === 401 || status === 403) {
    return new ModelLoadError(
      ctx.modelId,
      `access to ${ctx.file} denied at ${url} (HTTP ${status}): the model may be gated or private; accept its licence on the hub and set HF_TOKEN or the token option`,
    );
  }
  const isRetryable = status === 429 || status >= 500;
  return new ApiCallError({
    url,
    status,
    responseBody,
    isRetryable,
    message: `Downloading ${ctx.file} of ${ctx.modelId} from ${url} failed with HTTP ${status}${
      isRetryable ? ' (temporary; retry later)' : ''
    }.`,
  });
}

function networkError(ctx: HttpContext, url: string, error: unknown): Error {
  if (isAbortError(error)) return new AbortError(ctx.signal?.reason ?? error);
  const reason = ctx.redact(error instanceof Error ? `${error.message}${causeText(error)}` : String(error));
  return new ApiCallError({
    url,
    isRetryable: true,
    message: `Downloading ${ctx.file} of ${ctx.modelId} from ${url} failed: ${reason}. Check the network or set HOI_OFFLINE=1 to use only the cache.`,
    cause: error,
  });
}

function causeText(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message ? ` (${cause.message})` : '';
}

function headerNumber(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

/**
 * HEAD of a remote file: size and checksum before downloading (for overall progress totals and
 * end-to-end verification). The Hugging Face hub answers LFS files with a redirect carrying
 * `x-linked-size`/`x-linked-etag`, so redirects are not followed blindly; when a redirect carries
 * no size the target is asked (without Authorization if it is another origin). 404/401/403 throw
 * {@link ModelLoadError}; any other failure just leaves the info empty (the GET reports it).
 */
export async function probeRemoteFile(ctx: HttpContext, url: string): Promise<RemoteFileInfo> {
  let response: Response;
  try {
    response = await ctx.fetch(url, {
      method: 'HEAD',
      headers: ctx.headers,
      redirect: 'manual',
      signal: ctx.signal,
    });
  } catch (error) {
    if (isAbortError(error)) throw new AbortError(ctx.signal?.reason ?? error);
    return {};
  }
  if (response.status === 404 || response.status === 401 || response.status === 403) {
    throw toHttpError(ctx, url, response.status, '');
  }
  const etag = response.headers.get('x-linked-etag') ?? response.headers.get('etag') ?? undefined;
  const info: RemoteFileInfo = {
    size: headerNumber(response.headers, 'x-linked-size'),
    etag,
    sha256: sha256FromEtag(etag),
    commit: response.headers.get('x-repo-commit') ?? undefined,
  };
  const location = response.headers.get('location');
  if (response.status >= 300 && response.status < 400 && location) {
    if (info.size === undefined) {
      const target = new URL(location, url);
      const sameOrigin = target.origin === new URL(url).origin;
      try {
        const followed = await ctx.fetch(target, {
          method: 'HEAD',
          headers: sameOrigin ? ctx.headers : {},
          signal: ctx.signal,
        });
        if (followed.ok) info.size = headerNumber(followed.headers, 'content-length');
      } catch (error) {
        if (isAbortError(error)) throw new AbortError(ctx.signal?.reason ?? error);
      }
    }
  } else if (response.ok && info.size === undefined) {
    info.size = headerNumber(response.headers, 'content-length');
  }
  return info;
}

/** Result of {@link downloadFile}. */
export interface DownloadedFile {
  size: number;
  sha256: string;
  etagVerified: boolean;
}

/**
 * Downloads `url` to `dest` so that `dest` only ever appears complete: bytes go to
 * `<dest>.partial`, are checked (length against Content-Length / the HEAD size, sha256 against an
 * ETag that is one), synced, then renamed over `dest`. An interrupted transfer keeps the partial
 * file and the next call resumes it with an HTTP Range request (starting over if the server ignores
 * Range). Resuming assumes the remote file did not change in between; for hub LFS files (the large
 * ones) the sha256 ETag catches a change and the download is discarded. `onBytes(loaded, total)`
 * reports progress of this file (resumed bytes included).
 * Throws {@link ApiCallError} (retryable for interruptions, 429 and 5xx), {@link ModelLoadError}
 * (404, 401/403, checksum mismatch), or {@link AbortError}.
 */
export async function downloadFile(
  ctx: HttpContext,
  url: string,
  dest: string,
  info: RemoteFileInfo,
  onBytes: (loaded: number, total: number | undefined) => void,
): Promise<DownloadedFile> {
  const partial = `${dest}.partial`;
  await mkdir(dirname(dest), { recursive: true });
  let offset = await stat(partial).then(
    (s) => s.size,
    () => 0,
  );
  if (info.size !== undefined && offset > info.size) {
    await rm(partial, { force: true });
    offset = 0;
  }
  const headers: Record<string, string> = { ...ctx.headers };
  if (offset > 0) headers.Range = `bytes=${offset}-`;
  let response: Response;
  try {
    response = await ctx.fetch(url, { headers, signal: ctx.signal });
  } catch (error) {
    throw networkError(ctx, url, error);
  }
  if (response.status === 416 && offset > 0) {
    // The partial file does not fit the remote file any more: start over.
    await response.body?.cancel();
    await rm(partial, { force: true });
    return downloadFile(ctx, url, dest, info, onBytes);
  }
  if (!response.ok) {
    const body = await response.text().catch(() => '');
    throw toHttpError(ctx, url, response.status, body);
  }
  let rangeTotal: number | undefined;
  if (offset > 0) {
    const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
    if (response.status !== 206) {
      offset = 0; // Range ignored: the body is the whole file.
    } else if (!range || Number(range[1]) !== offset) {
      // A part we did not ask for: drop it and the partial file, then start over.
      await response.body?.cancel();
      await rm(partial, { force: true });
      return downloadFile(ctx, url, dest, info, onBytes);
    } else if (range[2] !== '*') {
      rangeTotal = Number(range[2]);
    }
  }
  const length = headerNumber(response.headers, 'content-length');
  const total = info.size ?? rangeTotal ?? (length === undefined ? undefined : offset + length);
  const expectedSha256 =
    info.sha256 ?? sha256FromEtag(response.headers.get('x-linked-etag') ?? response.headers.get('etag'));

  const hash = createHash('sha256');
  if (offset > 0) {
    for await (const chunk of createReadStream(partial, { end: offset - 1 })) hash.update(chunk as Buffer);
  }
  const handle = await open(partial, offset > 0 ? 'a' : 'w');
  let loaded = offset;
  onBytes(loaded, total);
  try {
    if (response.body) {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        await handle.write(chunk);
        loaded += chunk.byteLength;
        onBytes(loaded, total);
      }
    }
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    if (isAbortError(error) || ctx.signal?.aborted) throw new AbortError(ctx.signal?.reason ?? error);
    const err = networkError(ctx, url, error) as ApiCallError;
    throw new ApiCallError({
      url,
      isRetryable: true,
      message: `${err.message} Interrupted after ${loaded}${total === undefined ? '' : ` of ${total}`} bytes; the next attempt resumes.`,
      cause: error,
    });
  }
  await handle.close();
  if (total !== undefined && loaded !== total) {
    if (loaded > total) await rm(partial, { force: true });
    throw new ApiCallError({
      url,
      isRetryable: true,
      message: `Downloading ${ctx.file} of ${ctx.modelId} from ${url} ended after ${loaded} of ${total} bytes; the next attempt ${loaded < total ? 'resumes' : 'starts over'}.`,
    });
  }
  const sha256 = hash.digest('hex');
  if (expectedSha256 !== undefined && sha256 !== expectedSha256) {
    await rm(partial, { force: true });
    throw new ModelLoadError(
      ctx.modelId,
      `${ctx.file} from ${url} has sha256 ${sha256} but the server announced ${expectedSha256}; the download was discarded, try again`,
    );
  }
  await rename(partial, dest);
  return { size: loaded, sha256, etagVerified: expectedSha256 !== undefined };
}

/**
 * Runs `work` while holding `<dest>.lock` (created exclusively), so two processes never write the
 * same partial file. A lock whose owner process is gone (same host) or that is older than
 * `staleMs` without owner information is taken over; otherwise this waits, polling.
 */
export async function withFileLock<T>(
  dest: string,
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
  pollMs = 200,
): Promise<T> {
  const lock = `${dest}.lock`;
  await mkdir(dirname(dest), { recursive: true });
  for (;;) {
    if (signal?.aborted) throw new AbortError(signal.reason);
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, at: Date.now() }));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await lockIsStale(lock)) {
      await rm(lock, { force: true });
      continue;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
  }
}

async function lockIsStale(lock: string): Promise<boolean> {
  try {
    const { pid } = JSON.parse(await readFile(lock, 'utf8')) as { pid?: number };
    if (typeof pid !== 'number') return true;
    if (pid === process.pid) return false; // another call in this process is downloading it
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  } catch {
    // Unreadable: being written right now, or garbage. Give a writer a moment.
    const age = await stat(lock).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    return age > 10_000;
  }
}
