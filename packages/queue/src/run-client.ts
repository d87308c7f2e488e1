import { randomUUID } from 'node:crypto';
import { InvalidArgumentError } from '@hoi/core';
import { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { recordFailure } from './record-failure.js';
import {
  assertRunName,
  DEFAULT_KEY_PREFIX,
  DEFAULT_QUEUE_NAME,
  jobIdFor,
  type RunKeys,
  runKeys,
} from './run-keys.js';
import { assertNoSecrets } from './secrets.js';

/** What a job carries: which run, which image, and the run's epoch (see {@link RunInfo.epoch}). */
export interface ImageJobData {
  run: string;
  image: string;
  epoch: string;
}

/** A run's stored description. */
export interface RunInfo {
  run: string;
  /** The pipeline configuration every worker builds for this run (plain data, no secrets). */
  config: unknown;
  /**
   * A random id written when the run is first created in this Redis. If Redis loses its data
   * (restart without persistence, FLUSHALL, eviction) and the run is enqueued again, it gets a new
   * epoch: collectors notice the change, and workers rebuild their cached pipeline.
   */
  epoch: string;
  createdAt: string;
}

/** Counts of one run; `pending` = queued, running, or waiting for a retry. */
export interface RunStatus {
  run: string;
  exists: boolean;
  total: number;
  done: number;
  failed: number;
  pending: number;
}

/** One image that failed for good. */
export interface ImageFailure {
  image: string;
  message: string;
  /** Attempts made, 1 for an image that was not retried (a bad file). */
  attempts: number;
  failedAt: string;
}

/** Options shared by the client and the worker. */
export interface QueueLocation {
  /** An open ioredis connection (see `connectRedis`); the caller closes it. */
  connection: Redis;
  /** BullMQ queue name. Default {@link DEFAULT_QUEUE_NAME}. */
  queueName?: string;
  /** Prefix of this package's own keys. Default {@link DEFAULT_KEY_PREFIX}. */
  keyPrefix?: string;
}

/** Options of {@link RunClient.enqueue}. */
export interface EnqueueOptions {
  run: string;
  /** The pipeline configuration, stored with the run (JSON). Must hold no secret. */
  config: unknown;
  /** Image paths (absolute, readable by every worker) or http(s) URLs. */
  images: readonly string[];
  /** Attempts per image before it lands in the failed list. Default 3. */
  attempts?: number;
  /** First retry delay in ms; doubles with each attempt (exponential backoff). Default 1000. */
  backoffMs?: number;
  /** Environment whose secret values must not appear in `config`. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** What {@link RunClient.enqueue} did. */
export interface EnqueueResult {
  /** Images new to the run: 0 when the same batch is enqueued again. */
  added: number;
  /** Images the run now holds in all. */
  total: number;
  epoch: string;
  /** True when this call created the run (in this Redis). */
  created: boolean;
}

const CHUNK = 1000;

/**
 * The enqueuing and inspecting side of a distributed run: enqueue images, read status, results and
 * failures, retry failures. Workers are {@link createQueueWorker}; following a run live is
 * {@link followRun}.
 */
export class RunClient {
  readonly queue: Queue<ImageJobData>;
  /** The connection given at construction. */
  readonly redis: Redis;
  private readonly prefix: string;

  constructor(location: QueueLocation) {
    this.redis = location.connection;
    this.prefix = location.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.queue = new Queue<ImageJobData>(location.queueName ?? DEFAULT_QUEUE_NAME, {
      connection: location.connection,
    });
    // errors of the shared connection are reported by the caller's own listener
    this.queue.on('error', () => {});
  }

  /** Key names of a run. */
  keys(run: string): RunKeys {
    assertRunName(run);
    return runKeys(run, this.prefix);
  }

  /**
   * Stores the run's configuration (first time only) and adds one job per image. Idempotent: job ids
   * are derived from run name and image, so an image already in the run (queued, running, done or
   * failed) is not added again. Enqueueing a run name that exists with a different configuration is
   * refused, so one run never mixes two pipelines.
   */
  async enqueue(options: EnqueueOptions): Promise<EnqueueResult> {
    const keys = this.keys(options.run);
    const attempts = options.attempts ?? 3;
    const backoffMs = options.backoffMs ?? 1000;
    if (!(Number.isInteger(attempts) && attempts >= 1))
      throw new InvalidArgumentError('attempts', 'an integer >= 1', attempts);
    if (!(Number.isFinite(backoffMs) && backoffMs >= 0))
      throw new InvalidArgumentError('backoffMs', 'a number of milliseconds >= 0', backoffMs);
    const config = JSON.stringify(options.config ?? null);
    assertNoSecrets(config, options.env);
    const result = (await this.redis
      .multi()
      .hsetnx(keys.meta, 'config', config)
      .hsetnx(keys.meta, 'epoch', randomUUID())
      .hsetnx(keys.meta, 'createdAt', new Date().toISOString())
      .hget(keys.meta, 'config')
      .hget(keys.meta, 'epoch')
      .exec()) as [Error | null, unknown][];
    const created = result[0]![1] === 1;
    if (result[3]![1] !== config) {
      throw new InvalidArgumentError(
        'run',
        `a new run name: run "${options.run}" already exists with a different pipeline configuration`,
        options.run,
      );
    }
    const epoch = String(result[4]![1]);
    let added = 0;
    for (let i = 0; i < options.images.length; i += CHUNK) {
      const chunk = options.images.slice(i, i + CHUNK);
      for (const image of chunk) {
        if (typeof image !== 'string' || image.length === 0)
          throw new InvalidArgumentError('images', 'non-empty paths or URLs', image);
      }
      added += await this.redis.sadd(keys.images, ...chunk);
      await this.queue.addBulk(
        chunk.map((image) => ({
          name: 'image',
          data: { run: options.run, image, epoch },
          opts: {
            jobId: jobIdFor(options.run, image, epoch),
            attempts,
            backoff: { type: 'exponential', delay: backoffMs },
            // kept, so that enqueueing the same image again stays a no-op; `removeRun` clears them
            removeOnComplete: false,
            removeOnFail: false,
          },
        })),
      );
    }
    return { added, total: await this.redis.scard(keys.images), epoch, created };
  }

  /** The run's stored description, or undefined when this Redis does not know the run. */
  async info(run: string): Promise<RunInfo | undefined> {
    const meta = await this.redis.hgetall(this.keys(run).meta);
    if (!meta.config || !meta.epoch) return undefined;
    return { run, config: JSON.parse(meta.config), epoch: meta.epoch, createdAt: meta.createdAt ?? '' };
  }

  /** Counts of done, failed and pending images (after recording failures BullMQ decided alone). */
  async status(run: string): Promise<RunStatus> {
    const keys = this.keys(run);
    await this.reconcileFailures(run);
    const [exists, total, done, failed] = await Promise.all([
      this.redis.exists(keys.meta),
      this.redis.scard(keys.images),
      this.redis.hlen(keys.results),
      this.redis.hlen(keys.failed),
    ]);
    return { run, exists: exists === 1, total, done, failed, pending: Math.max(0, total - done - failed) };
  }

  /** Images that failed for good, sorted by image, each with its error message. */
  async failures(run: string): Promise<ImageFailure[]> {
    await this.reconcileFailures(run);
    const all = await this.redis.hgetall(this.keys(run).failed);
    return Object.entries(all)
      .map(([image, json]) => ({ image, ...(JSON.parse(json) as Omit<ImageFailure, 'image'>) }))
      .sort((a, b) => compareImages(a.image, b.image));
  }

  /** Result records of the run, sorted by image: one per image. */
  async results(run: string): Promise<Record<string, unknown>[]> {
    const key = this.keys(run).results;
    const records: [string, string][] = [];
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(key, cursor, 'COUNT', 1000);
      for (let i = 0; i < flat.length; i += 2) records.push([flat[i]!, flat[i + 1]!]);
      cursor = next;
    } while (cursor !== '0');
    const unique = new Map(records);
    return [...unique.entries()]
      .sort(([a], [b]) => compareImages(a, b))
      .map(([, json]) => JSON.parse(json) as Record<string, unknown>);
  }

  /** Stored records of the given images (undefined where not done), in the given order. */
  async resultsOf(run: string, images: readonly string[]): Promise<(Record<string, unknown> | undefined)[]> {
    const key = this.keys(run).results;
    const out: (Record<string, unknown> | undefined)[] = [];
    for (let i = 0; i < images.length; i += CHUNK) {
      const chunk = images.slice(i, i + CHUNK);
      if (chunk.length === 0) continue;
      for (const json of await this.redis.hmget(key, ...chunk))
        out.push(json ? (JSON.parse(json) as Record<string, unknown>) : undefined);
    }
    return out;
  }

  /**
   * Puts failed images back in the queue (all of the run's, or the given ones) with a fresh set of
   * attempts. Returns how many were requeued.
   */
  async retry(run: string, images?: readonly string[]): Promise<number> {
    const keys = this.keys(run);
    const failed = await this.failures(run);
    const wanted = images ? new Set(images) : undefined;
    const info = await this.info(run);
    if (!info) return 0; // the run is gone: enqueue it again instead
    let count = 0;
    for (const f of failed) {
      if (wanted && !wanted.has(f.image)) continue;
      const jobId = jobIdFor(run, f.image, info.epoch);
      const job = await Job.fromId<ImageJobData>(this.queue, jobId);
      if (job && (await job.getState()) === 'failed') {
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      } else if (!job) {
        await this.queue.add(
          'image',
          { run, image: f.image, epoch: info.epoch },
          { jobId, attempts: 3, backoff: { type: 'exponential', delay: 1000 } },
        );
      } else {
        continue;
      }
      await this.redis
        .multi()
        .hdel(keys.failed, f.image)
        .xadd(keys.events, '*', 'image', f.image, 'status', 'retried')
        .exec();
      count++;
    }
    return count;
  }

  /**
   * Records in the run's failed list the jobs BullMQ failed without a worker seeing it: a job whose
   * workers died more often than the stall limit allows ("job stalled more than allowable limit").
   * Failures seen by a worker are recorded by the worker itself.
   */
  async reconcileFailures(run: string): Promise<number> {
    const keys = this.keys(run);
    let recorded = 0;
    const page = 500;
    for (let start = 0; ; start += page) {
      const jobs = await this.queue.getFailed(start, start + page - 1);
      for (const job of jobs) {
        if (!job || job.data?.run !== run) continue;
        const image = job.data.image;
        if (await this.redis.hexists(keys.failed, image)) continue;
        const ok = await recordFailure(this.redis, keys, image, job.data.epoch, {
          message: job.failedReason || 'failed',
          attempts: Math.max(1, job.attemptsMade),
          failedAt: new Date(job.finishedOn ?? Date.now()).toISOString(),
        });
        if (ok) recorded++;
      }
      if (jobs.length < page) break;
    }
    return recorded;
  }

  /**
   * Deletes everything of a run: its jobs and its keys. Returns the jobs removed. A job running at
   * that moment stays until its worker finishes; its result is then dropped (the run's epoch is gone).
   */
  async removeRun(run: string): Promise<number> {
    const keys = this.keys(run);
    const info = await this.info(run);
    let removed = 0;
    let cursor = '0';
    do {
      const [next, images] = await this.redis.sscan(keys.images, cursor, 'COUNT', 1000);
      if (info)
        for (const image of images) removed += await this.queue.remove(jobIdFor(run, image, info.epoch));
      cursor = next;
    } while (cursor !== '0');
    await this.redis.del(keys.meta, keys.images, keys.results, keys.failed, keys.events);
    return removed;
  }

  /** Closes the BullMQ queue object (not the connection, which belongs to the caller). */
  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** The stable order of output: by image path or URL, code-unit order (locale-independent). */
export function compareImages(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
