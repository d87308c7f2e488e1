import { hostname } from 'node:os';
import { HoiError } from '@hoi/core';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { fetchImageBytes, isImageUrl } from './fetch-image.js';
import { recordFailure } from './record-failure.js';
import type { ImageJobData, QueueLocation } from './run-client.js';
import { DEFAULT_KEY_PREFIX, DEFAULT_QUEUE_NAME, runKeys } from './run-keys.js';

/** The image a processor is given: its reference, and its bytes when the worker downloaded it. */
export interface QueueImage {
  /** The path or URL as enqueued; use it as the record's `image`. */
  source: string;
  /** The downloaded bytes of an http(s) URL (kept in memory, never written to disk by the queue). */
  bytes?: Uint8Array;
}

/** Computes one image's result record. Throw a HoiError for a bad image (see {@link isUnrecoverable}). */
export type ImageProcessor = (image: QueueImage) => Promise<Record<string, unknown>>;

/** A processor with its resources (models), released when the worker stops or drops the run. */
export interface RunProcessor {
  process: ImageProcessor;
  dispose?: () => Promise<void>;
}

/**
 * Builds the processor of one run from the run's stored configuration. Called once per run (and
 * epoch) per worker process; the result is cached, so models load once, not per image.
 */
export type ProcessorFactory = (runConfig: unknown, run: string) => Promise<ImageProcessor | RunProcessor>;

/** Options of {@link createQueueWorker}. */
export interface QueueWorkerOptions extends QueueLocation {
  processor: ProcessorFactory;
  /** Images processed at the same time in this process. Default 1. */
  concurrency?: number;
  /**
   * How long a job's lock lives without renewal, in ms: a worker that dies (kill -9, machine gone)
   * stops renewing, and after this time its job counts as stalled and goes back to the queue for
   * another worker. Renewed every half of it while the worker lives. Default 30 000.
   */
  stallTimeoutMs?: number;
  /** How often this worker looks for stalled jobs of any worker, in ms. Default = stallTimeoutMs. */
  stalledIntervalMs?: number;
  /** A job may stall this many times before it fails for good. Default 2. */
  maxStalledCount?: number;
  /** Runs whose pipelines are kept loaded at the same time. Default 2. */
  cachedRuns?: number;
  /** Download limits for http(s) images. */
  fetch?: { timeoutMs?: number; maxBytes?: number };
  /** Decides which errors fail an image at once, without retries. Default {@link isUnrecoverable}. */
  isUnrecoverable?: (error: unknown) => boolean;
  /** Where notes go (a pipeline loaded, an image failed). Default: nowhere. */
  log?: (message: string) => void;
}

/** A running worker. */
export interface QueueWorker {
  /** The underlying BullMQ worker (events, pause, resume). */
  readonly worker: Worker<ImageJobData>;
  /** Resolves once the worker is connected and pulling jobs. */
  waitUntilReady(): Promise<void>;
  /** Finishes the jobs in progress, stops pulling, releases every cached pipeline. */
  close(): Promise<void>;
}

/**
 * Errors that will not go away by retrying: a file that is not an image (or too large, or missing)
 * and invalid arguments. They fail the image at once with their message.
 */
export function isUnrecoverable(error: unknown): boolean {
  return (
    HoiError.isInstance(error) &&
    (error.name === 'HoiImageDecodeError' || error.name === 'HoiInvalidArgumentError')
  );
}

/**
 * Starts a worker that pulls image jobs of any run from the queue, builds (and caches) each run's
 * processor from the run's stored configuration, and stores every result record in Redis with
 * `host`, `pid` and `durationMs` added (where and how long it was processed). Failed attempts are
 * retried by BullMQ with exponential backoff; an image that fails for good is recorded in the run's
 * failed list with its message.
 */
export function createQueueWorker(options: QueueWorkerOptions): QueueWorker {
  const redis: Redis = options.connection;
  const prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const stallTimeoutMs = options.stallTimeoutMs ?? 30_000;
  const log = options.log ?? (() => {});
  const unrecoverable = options.isUnrecoverable ?? isUnrecoverable;
  const cacheSize = Math.max(1, options.cachedRuns ?? 2);
  const host = hostname();
  /** run + epoch -> processor; insertion order doubles as least-recently-used order. */
  const cache = new Map<string, Promise<RunProcessor>>();

  const processorFor = async (run: string, epoch: string): Promise<RunProcessor> => {
    const key = `${run}\n${epoch}`;
    let entry = cache.get(key);
    if (entry) {
      cache.delete(key);
      cache.set(key, entry);
      return entry;
    }
    entry = (async () => {
      const meta = await redis.hmget(runKeys(run, prefix).meta, 'config', 'epoch');
      if (!meta[0] || meta[1] !== epoch) {
        throw new UnrecoverableError(
          `run "${run}" is not in Redis any more (Redis lost its data, or the run was removed); enqueue it again`,
        );
      }
      const made = await options.processor(JSON.parse(meta[0]), run);
      log(`pipeline of run ${run} ready`);
      return typeof made === 'function' ? { process: made } : made;
    })();
    cache.set(key, entry);
    entry.catch(() => cache.delete(key));
    while (cache.size > cacheSize) {
      const [oldKey, old] = cache.entries().next().value as [string, Promise<RunProcessor>];
      cache.delete(oldKey);
      old.then((p) => p.dispose?.()).catch(() => {});
    }
    return entry;
  };

  const processJob = async (job: Job<ImageJobData>): Promise<void> => {
    const { run, image, epoch } = job.data;
    const started = performance.now();
    const keys = runKeys(run, prefix);
    let record: Record<string, unknown>;
    try {
      const processor = await processorFor(run, epoch);
      const input = isImageUrl(image)
        ? { source: image, bytes: await fetchImageBytes(image, options.fetch) }
        : { source: image };
      record = await processor.process(input);
    } catch (error) {
      if (error instanceof UnrecoverableError) throw error;
      if (unrecoverable(error)) throw new UnrecoverableError((error as Error).message);
      throw error;
    }
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const full = { ...record, image, host, pid: process.pid, durationMs };
    // Stored before the job completes: if this process dies in between, the job is redone and the
    // record overwritten (one record per image); the collector ignores the repeated event. Stored
    // only while the run still has the job's epoch: after Redis lost the run (or it was removed),
    // a late result must not reappear in a run created afresh, perhaps with another configuration.
    const stored = await redis.eval(
      `if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
       redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
       redis.call('HDEL', KEYS[3], ARGV[2])
       redis.call('XADD', KEYS[4], '*', 'image', ARGV[2], 'status', 'ok')
       return 1`,
      4,
      keys.meta,
      keys.results,
      keys.failed,
      keys.events,
      epoch,
      image,
      JSON.stringify(full),
    );
    if (stored !== 1) {
      throw new UnrecoverableError(
        `run "${run}" is not in Redis any more (Redis lost its data, or the run was removed); the result of ${image} was dropped`,
      );
    }
  };

  const worker = new Worker<ImageJobData>(options.queueName ?? DEFAULT_QUEUE_NAME, processJob, {
    connection: redis,
    concurrency: Math.max(1, options.concurrency ?? 1),
    lockDuration: stallTimeoutMs,
    stalledInterval: options.stalledIntervalMs ?? stallTimeoutMs,
    maxStalledCount: options.maxStalledCount ?? 2,
    // retry a failed Redis call after the connection comes back, not 15 s later
    runRetryDelay: 500,
  });

  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = Boolean(job.finishedOn);
    log(
      `${job.data.image}: ${error.message}${final ? '' : ` (attempt ${job.attemptsMade} of ${job.opts.attempts ?? 1}, will retry)`}`,
    );
    if (!final) return;
    recordFailure(redis, runKeys(job.data.run, prefix), job.data.image, job.data.epoch, {
      message: error.message,
      attempts: job.attemptsMade,
      failedAt: new Date(job.finishedOn!).toISOString(),
    }).catch((e: Error) => log(`cannot record the failure of ${job.data.image}: ${e.message}`));
  });
  worker.on('error', (error) => log(`queue: ${error.message}`));

  return {
    worker,
    waitUntilReady: async () => {
      await worker.waitUntilReady();
    },
    async close() {
      await worker.close();
      const all = [...cache.values()];
      cache.clear();
      await Promise.all(all.map((p) => p.then((x) => x.dispose?.()).catch(() => {})));
    },
  };
}
