import type { RunClient } from './run-client.js';

/** Callbacks of {@link followRun}. */
export interface FollowHandlers {
  /** An image is done; called once per image, with its stored record. */
  onResult?: (image: string, record: Record<string, unknown>) => void | Promise<void>;
  /** An image failed for good; called once per image (again only if it is retried and fails again). */
  onFailure?: (image: string, message: string) => void | Promise<void>;
}

/** Options of {@link followRun}. */
export interface FollowOptions extends FollowHandlers {
  run: string;
  /** The images to wait for (those enqueued by this caller, or any subset of the run). */
  images: readonly string[];
  /** Longest wait for news before the run's state is checked again, in ms. Default 1000. */
  pollMs?: number;
  /** How often failures decided by BullMQ alone (too many stalls) are looked for, in ms. Default 5000. */
  reconcileMs?: number;
  signal?: AbortSignal;
}

/** How a followed run ended. */
export interface FollowSummary {
  completed: number;
  failed: { image: string; message: string }[];
  /**
   * Set when Redis lost the run while it was followed (restart without persistence, flush, eviction):
   * the images that were still queued or in progress. Their jobs are gone; enqueue them again.
   */
  lost?: string[];
  /** Set when the signal aborted the wait: images still pending. */
  aborted?: string[];
}

/**
 * Follows a run until each of `images` is done or failed for good, across all workers: it first
 * takes the state stored in Redis, then reads the run's event stream. Every image is reported once
 * (a job redone after a worker died produces a second event; it is ignored). If the run's epoch
 * changes or the run disappears, Redis has lost its data: the wait ends with `lost`.
 */
export async function followRun(client: RunClient, options: FollowOptions): Promise<FollowSummary> {
  const keys = client.keys(options.run);
  const conn = client.redis;
  const pollMs = options.pollMs ?? 1000;
  const reconcileMs = options.reconcileMs ?? 5000;
  const info = await client.info(options.run);
  const summary: FollowSummary = { completed: 0, failed: [] };
  const pending = new Set(options.images);
  if (!info) {
    summary.lost = [...pending];
    return summary;
  }
  const failed = new Map<string, string>();

  const finish = async (image: string, status: string) => {
    if (status === 'retried') {
      if (failed.delete(image)) pending.add(image);
      return;
    }
    if (status === 'ok' && failed.has(image)) {
      // failed by BullMQ (too many stalls) but then completed by a slow, living worker: the result wins
      const [record] = await client.resultsOf(options.run, [image]);
      if (!record) return;
      failed.delete(image);
      summary.completed++;
      await options.onResult?.(image, record);
      return;
    }
    if (!pending.has(image)) return;
    if (status === 'ok') {
      const [record] = await client.resultsOf(options.run, [image]);
      if (!record) return; // removed meanwhile; wait for the next event
      pending.delete(image);
      summary.completed++;
      await options.onResult?.(image, record);
    } else if (status === 'failed') {
      const entry = await conn.hget(keys.failed, image);
      if (!entry) return;
      const message = (JSON.parse(entry) as { message: string }).message;
      pending.delete(image);
      failed.set(image, message);
      await options.onFailure?.(image, message);
    }
  };

  // 1. where the stream is now, 2. the stored state, 3. events after (1): nothing falls in between.
  const last = (await conn.xrevrange(keys.events, '+', '-', 'COUNT', 1)) as [string, string[]][];
  let lastId = last[0]?.[0] ?? '0';
  const images = [...pending];
  const records = await client.resultsOf(options.run, images);
  for (let i = 0; i < images.length; i++) {
    const record = records[i];
    if (record) {
      pending.delete(images[i]!);
      summary.completed++;
      await options.onResult?.(images[i]!, record);
    }
  }
  for (const image of [...pending]) {
    const entry = await conn.hget(keys.failed, image);
    if (entry) await finish(image, 'failed');
  }

  let lastReconcile = Date.now();
  // XREAD BLOCK holds its connection: give it its own, so the caller's commands are not held up
  const blocking = conn.duplicate();
  blocking.on('error', () => {});
  try {
    while (pending.size > 0) {
      if (options.signal?.aborted) {
        summary.aborted = [...pending];
        break;
      }
      const epoch = await conn.hget(keys.meta, 'epoch');
      if (epoch !== info.epoch) {
        summary.lost = [...pending];
        break;
      }
      if (Date.now() - lastReconcile > reconcileMs) {
        lastReconcile = Date.now();
        await client.reconcileFailures(options.run);
      }
      const read = (await blocking.xread('COUNT', 1000, 'BLOCK', pollMs, 'STREAMS', keys.events, lastId)) as
        | [string, [string, string[]][]][]
        | null;
      for (const [, entries] of read ?? []) {
        for (const [id, fields] of entries) {
          lastId = id;
          const f: Record<string, string> = {};
          for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
          if (f.image && f.status) await finish(f.image, f.status);
        }
      }
    }
  } finally {
    blocking.disconnect();
  }
  summary.failed = [...failed.entries()].map(([image, message]) => ({ image, message }));
  return summary;
}
