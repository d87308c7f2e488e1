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

  /** One HMGET each for the records and the failures of a batch of images (not one call per image). */
  const fetchState = async (images: string[]) => {
    const records = await client.resultsOf(options.run, images);
    const failures: (string | null)[] = [];
    for (let i = 0; i < images.length; i += 1000) {
      const chunk = images.slice(i, i + 1000);
      if (chunk.length) failures.push(...(await conn.hmget(keys.failed, ...chunk)));
    }
    return images.map((image, i) => ({ image, record: records[i], failure: failures[i] ?? null }));
  };

  const onOk = async (image: string, record: Record<string, unknown> | undefined) => {
    if (!record) return; // removed meanwhile; wait for the next event
    // a failure declared by BullMQ (too many stalls) that a slow, living worker then completed:
    // the result wins
    if (!pending.delete(image) && !failed.delete(image)) return;
    summary.completed++;
    await options.onResult?.(image, record);
  };
  const onFailed = async (image: string, entry: string | null) => {
    if (!entry || !pending.has(image)) return;
    const message = (JSON.parse(entry) as { message: string }).message;
    pending.delete(image);
    failed.set(image, message);
    await options.onFailure?.(image, message);
  };

  // 1. where the stream is now, 2. the stored state, 3. events after (1): nothing falls in between.
  const last = (await conn.xrevrange(keys.events, '+', '-', 'COUNT', 1)) as [string, string[]][];
  let lastId = last[0]?.[0] ?? '0';
  for (const { image, record, failure } of await fetchState([...pending])) {
    if (record) await onOk(image, record);
    else await onFailed(image, failure);
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
      const events: { image: string; status: string }[] = [];
      for (const [, entries] of read ?? []) {
        for (const [id, fields] of entries) {
          lastId = id;
          const f: Record<string, string> = {};
          for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
          if (f.image && f.status) events.push({ image: f.image, status: f.status });
        }
      }
      const wanted = [
        ...new Set(events.filter((e) => pending.has(e.image) || failed.has(e.image)).map((e) => e.image)),
      ];
      const state = new Map((await fetchState(wanted)).map((x) => [x.image, x]));
      for (const { image, status } of events) {
        if (status === 'retried') {
          if (failed.delete(image)) pending.add(image);
        } else if (status === 'ok') await onOk(image, state.get(image)?.record);
        else if (status === 'failed') await onFailed(image, state.get(image)?.failure ?? null);
      }
    }
  } finally {
    blocking.disconnect();
  }
  summary.failed = [...failed.entries()].map(([image, message]) => ({ image, message }));
  return summary;
}
