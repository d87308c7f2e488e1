import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '@hoi/core';

/** The BullMQ queue every run shares, so one `hoi worker` serves jobs of any run. */
export const DEFAULT_QUEUE_NAME = 'hoi-images';

/** Prefix of the Redis keys this package writes next to BullMQ's own (`bull:`). */
export const DEFAULT_KEY_PREFIX = 'hoi';

const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Checks a run name. Names become parts of Redis keys and job ids, so they are limited to letters,
 * digits, `.`, `_` and `-` (1 to 100 characters, starting with a letter or digit).
 */
export function assertRunName(run: unknown): asserts run is string {
  if (typeof run !== 'string' || !RUN_NAME.test(run)) {
    throw new InvalidArgumentError(
      'run',
      'a run name of 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit',
      run,
    );
  }
}

/**
 * The job id of one image of one run: a hash of run name, image and the run's epoch, so enqueueing
 * the same image of the same run again is a no-op in BullMQ (a job id that exists is not added
 * twice), while a run created afresh (after Redis lost it, or after `removeRun` left a job that was
 * still running) gets new ids instead of colliding with a leftover job. The `j` prefix keeps the id
 * from looking like an integer, which BullMQ refuses; hex never contains `:`, which it also refuses.
 */
export function jobIdFor(run: string, image: string, epoch: string): string {
  const hash = createHash('sha256').update(run).update('\n').update(epoch).update('\n').update(image);
  return `j${hash.digest('hex').slice(0, 40)}`;
}

/** The Redis keys of one run (all under one prefix, so a run can be inspected or removed as a whole). */
export interface RunKeys {
  /** Hash: `config` (JSON of the run's pipeline configuration), `epoch`, `createdAt`. */
  meta: string;
  /** Set of every image (path or URL) enqueued for the run. */
  images: string;
  /** Hash image -> result record (JSON). */
  results: string;
  /** Hash image -> `{ message, attempts, failedAt }` (JSON) for images that failed for good. */
  failed: string;
  /** Stream of `{ image, status: ok|failed|retried }` events, read by collectors to follow the run. */
  events: string;
}

/** Key names of `run` under `prefix`. */
export function runKeys(run: string, prefix = DEFAULT_KEY_PREFIX): RunKeys {
  const base = `${prefix}:run:${run}`;
  return {
    meta: `${base}:meta`,
    images: `${base}:images`,
    results: `${base}:results`,
    failed: `${base}:failed`,
    events: `${base}:events`,
  };
}
