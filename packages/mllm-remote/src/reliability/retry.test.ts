import { AbortError, ApiCallError, InvalidArgumentError } from '@hoi/core';
import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import { redactSecrets } from './redact.js';
import { backoffDelayMs, isRetryableStatus, parseRetryAfter, setRetryAfterMs, withRetries } from './retry.js';

const apiError = (status: number) =>
  new ApiCallError({
    url: 'http://x',
    status,
    isRetryable: isRetryableStatus(status),
    message: `HTTP ${status}`,
  });

describe('isRetryableStatus', () => {
  it.each([
    [408, true],
    [409, true],
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [422, false],
  ])('%i -> %s', (status, expected) => expect(isRetryableStatus(status)).toBe(expected));
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('backoffDelayMs', () => {
  it('doubles, stays within [base/2, base] and is capped', () => {
    expect(backoffDelayMs(0, { initialDelayMs: 100 }, () => 0)).toBe(50);
    expect(backoffDelayMs(3, { initialDelayMs: 100 }, () => 1)).toBe(800);
    expect(backoffDelayMs(20, { initialDelayMs: 100, maxDelayMs: 1000 }, () => 1)).toBe(1000);
  });
});

describe('withRetries', () => {
  it('retries retryable errors, honouring Retry-After', async () => {
    const delays: number[] = [];
    let n = 0;
    const result = await withRetries(
      async () => {
        n++;
        if (n === 1) throw setRetryAfterMs(apiError(429), 30);
        if (n === 2) throw apiError(503);
        return 'ok';
      },
      { initialDelayMs: 1, onRetry: (_e, d) => delays.push(d) },
    );
    expect(result).toBe('ok');
    expect(n).toBe(3);
    expect(delays[0]).toBe(30);
    // second retry: attempt index 1 -> base 2 ms, jittered into [1, 2]
    expect(delays[1]).toBeGreaterThanOrEqual(1);
    expect(delays[1]).toBeLessThanOrEqual(2);
  });

  it.each([400, 401, 403, 404, 422])('does not retry %i', async (status) => {
    let n = 0;
    await expect(
      withRetries(async () => {
        n++;
        throw apiError(status);
      }, {}),
    ).rejects.toThrow(`HTTP ${status}`);
    expect(n).toBe(1);
  });

  it('does not retry errors outside the API catalogue', async () => {
    let n = 0;
    await expect(
      withRetries(async () => {
        n++;
        throw new InvalidArgumentError('x', 'y');
      }, {}),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(n).toBe(1);
  });

  it('gives up after maxRetries', async () => {
    let n = 0;
    await expect(
      withRetries(
        async () => {
          n++;
          throw apiError(500);
        },
        { maxRetries: 2, initialDelayMs: 1 },
      ),
    ).rejects.toThrow('HTTP 500');
    expect(n).toBe(3);
  });

  it('abort ends a pending retry wait at once', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const p = withRetries(
      async () => {
        throw setRetryAfterMs(apiError(429), 10_000);
      },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 20);
    await expect(p).rejects.toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('ConcurrencyLimiter', () => {
  it('never runs more than the limit and drops aborted waiters', async () => {
    const limiter = new ConcurrencyLimiter(2);
    let active = 0;
    let peak = 0;
    const task = async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 10));
      active--;
      return 1;
    };
    const controller = new AbortController();
    const aborted = limiter.run(task, controller.signal);
    const others = Array.from({ length: 6 }, () => limiter.run(task));
    const late = limiter.run(task, controller.signal);
    controller.abort();
    await expect(late).rejects.toBeInstanceOf(AbortError);
    expect(await aborted).toBe(1); // already running: completes
    expect(await Promise.all(others)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(peak).toBe(2);
  });
  it('runs nothing for an empty batch', async () => {
    expect(await Promise.all([])).toEqual([]);
  });
});

describe('redactSecrets', () => {
  it('removes every occurrence of each secret', () => {
    expect(redactSecrets('Bearer sk-abc123 and sk-abc123', ['sk-abc123', undefined])).toBe(
      'Bearer [redacted] and [redacted]',
    );
    expect(redactSecrets('', ['sk-abc123'])).toBe('');
  });
});
