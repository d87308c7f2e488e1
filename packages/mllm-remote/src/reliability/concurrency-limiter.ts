import { AbortError } from '@hoi/core';

/**
 * A counting semaphore: at most `limit` tasks run at once; waiting tasks leave the queue when their
 * signal aborts. Hand-written (20 lines) because p-limit cannot drop a queued task on abort.
 * One limiter per recognizer instance, so concurrent `doRecognize` calls share the budget.
 */
export class ConcurrencyLimiter {
  #active = 0;
  readonly #queue: Array<() => void> = [];
  constructor(readonly limit: number) {}

  /** Runs `task` when a slot is free. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#acquire(signal);
    try {
      return await task();
    } finally {
      this.#active--;
      this.#queue.shift()?.();
    }
  }

  #acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
    if (this.#active < this.limit) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.#active++;
        resolve();
      };
      const onAbort = () => {
        const i = this.#queue.indexOf(grant);
        if (i >= 0) this.#queue.splice(i, 1);
        reject(new AbortError(signal?.reason));
      };
      this.#queue.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
