import { describe, expect, it } from 'vitest';
import { copyPhotos, redisSkipReason, useRedisRunClient } from '../test/support.js';
import { followRun } from './follow-run.js';
import { createQueueWorker } from './queue-worker.js';
import { connectRedis } from './redis-connection.js';
import { fixedCostProcessor } from './testing/fixed-cost-processor.js';

const why = redisSkipReason({ photos: true });

describe.skipIf(why !== '')(`followRun${why}`, () => {
  const ctx = useRedisRunClient();

  it('returns at once for no images, and reports an unknown run as lost', async () => {
    await ctx.client.enqueue({ run: 'empty', config: { sleepMs: 0 }, images: [] });
    expect(await followRun(ctx.client, { run: 'empty', images: [] })).toEqual({ completed: 0, failed: [] });
    expect(await followRun(ctx.client, { run: 'never', images: ['/a.jpg'] })).toEqual({
      completed: 0,
      failed: [],
      lost: ['/a.jpg'],
    });
  });

  it('a follower that starts late, or twice, still reports each image exactly once', async () => {
    const images = copyPhotos(6);
    await ctx.client.enqueue({ run: 'late', config: { sleepMs: 100 }, images });
    const connection = await connectRedis(ctx.server.url);
    const worker = createQueueWorker({ connection, processor: fixedCostProcessor, concurrency: 2 });
    try {
      // the first follower sees the run from the start ...
      const first: string[] = [];
      const a = followRun(ctx.client, { run: 'late', images, onResult: (i) => void first.push(i) });
      await new Promise((r) => setTimeout(r, 120));
      // ... the second joins mid-run: stored results first, then live events
      const second: string[] = [];
      const b = followRun(ctx.client, { run: 'late', images, onResult: (i) => void second.push(i) });
      expect((await a).completed).toBe(6);
      expect((await b).completed).toBe(6);
      expect(first.sort()).toEqual(images);
      expect(second.sort()).toEqual(images);
      // and one that starts after the end gets everything from the stored state
      const third: string[] = [];
      await followRun(ctx.client, { run: 'late', images, onResult: (i) => void third.push(i) });
      expect(third).toEqual(images);
    } finally {
      await worker.close();
      connection.disconnect();
    }
  });

  it('stops waiting when the signal aborts, naming the images still pending', async () => {
    await ctx.client.enqueue({ run: 'idle', config: { sleepMs: 0 }, images: ['/x/1.jpg', '/x/2.jpg'] });
    const summary = await followRun(ctx.client, {
      run: 'idle',
      images: ['/x/1.jpg', '/x/2.jpg'],
      pollMs: 50,
      signal: AbortSignal.timeout(300),
    });
    expect(summary.aborted).toEqual(['/x/1.jpg', '/x/2.jpg']);
    expect(summary.completed).toBe(0);
  });
});
