import { ApiCallError, InvalidArgumentError } from '@hoi/core';
import { Redis } from 'ioredis';

/** Options of {@link connectRedis}. */
export interface ConnectRedisOptions {
  /** Give up if Redis does not answer within this many milliseconds at start. Default 10 000. */
  connectTimeoutMs?: number;
}

/**
 * The Redis URL with any password replaced by `***`, for messages and logs: a URL such as
 * `redis://:secret@host:6379/0` must never be printed in clear.
 */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable redis url>';
  }
}

/**
 * Opens an ioredis connection to `url` (`redis://[user:password@]host:port/db` or `rediss://`) and
 * waits until it is ready, so a wrong address fails at once with a clear message instead of retrying
 * forever. Once connected, the client reconnects on its own (a restarting Redis is waited for);
 * `maxRetriesPerRequest: null` is what BullMQ requires of the connections it is given.
 */
export async function connectRedis(url: string, options: ConnectRedisOptions = {}): Promise<Redis> {
  if (!/^rediss?:\/\//.test(url)) {
    throw new InvalidArgumentError(
      'queue',
      'a Redis URL such as redis://127.0.0.1:6379/0',
      redactRedisUrl(url),
    );
  }
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  let lastError: Error | undefined;
  const onError = (error: Error) => {
    lastError = error;
  };
  redis.on('error', onError);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(lastError?.message ?? `no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
      redis.connect().catch(() => {
        // the first attempt failed; ioredis keeps retrying until the timer above gives up
      });
    });
  } catch (error) {
    redis.disconnect();
    throw new ApiCallError({
      url: redactRedisUrl(url),
      isRetryable: true,
      message: `Cannot reach Redis at ${redactRedisUrl(url)} (${(error as Error).message}); start redis-server there or pass the right --queue URL.`,
    });
  }
  return redis;
}
