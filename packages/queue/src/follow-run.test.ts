import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyPhotos, hasPhotos, SHARED } from '../test/support.js';
import { followRun } from './follow-run.js';
import { createQueueWorker } from './queue-worker.js';
import { connectRedis } from './redis-connection.js';
import { RunClient } from './run-client.js';
import { fixedCostProcessor } from './testing/fixed-cost-processor.js';
import { hasRedisServer, startRedisServer, type TestRedisServer } from './testing/redis-server.js';

const why = !hasRedisServer()
  ? ' (skipped: /usr/bin/redis-server not found; apt-get install redis-server)'
  : !hasPhotos
    ? ` (skipped: photos not found in ${SHARED}/images)`
    : '';

describe.skipIf(why !== '')(`followRun${why}`, () => {
  let server: TestRedisServer;
  let redis: Redis;
  let client: RunClient;
  beforeAll(async () => {
    server = await startRedisServer();
    redis = await connectRedis(server.url);
    client = new RunClient({ connection: redis });
  });
  afterAll(async () => {
    await client?.close();
    redis?.disconnect();
    await server?.stop();
  });

  it('returns at once for no images, and reports an unknown run as lost', async () => {
    await client.enqueue({ run: 'empty', config: { sleepMs: 0 }, images: [] });
    expect(await followRun(client, { run: 'empty', images: [] })).toEqual({ completed: 0, failed: [] });
    expect(await followRun(client, { run: 'never', images: ['/a.jpg'] })).toEqual({
      completed: 0,
      failed: [],
      lost: ['/a.jpg'],
    });
  });

  it('a follower that starts late, or twice, still reports each image exactly once', async () => {
    const images = copyPhotos(6);
    await client.enqueue({ run: 'late', config: { sleepMs: 100 }, images });
    const connection = await connectRedis(server.url);
    const worker = createQueueWorker({ connection, processor: fixedCostProcessor, concurrency: 2 });
    try {
      // the first follower sees the run from the start ...
      const first: string[] = [];
      const a = followRun(client, { run: 'late', images, onResult: (i) => void first.push(i) });
      await new Promise((r) => setTimeout(r, 120));
      // ... the second joins mid-run: stored results first, then live events
      const second: string[] = [];
      const b = followRun(client, { run: 'late', images, onResult: (i) => void second.push(i) });
      expect((await a).completed).toBe(6);
      expect((await b).completed).toBe(6);
      expect(first.sort()).toEqual(images);
      expect(second.sort()).toEqual(images);
      // and one that starts after the end gets everything from the stored state
      const third: string[] = [];
      await followRun(client, { run: 'late', images, onResult: (i) => void third.push(i) });
      expect(third).toEqual(images);
    } finally {
      await worker.close();
      connection.disconnect();
    }
  });

  it('stops waiting when the signal aborts, naming the images still pending', async () => {
    await client.enqueue({ run: 'idle', config: { sleepMs: 0 }, images: ['/x/1.jpg', '/x/2.jpg'] });
    const summary = await followRun(client, {
      run: 'idle',
      images: ['/x/1.jpg', '/x/2.jpg'],
      pollMs: 50,
      signal: AbortSignal.timeout(300),
    });
    expect(summary.aborted).toEqual(['/x/1.jpg', '/x/2.jpg']);
    expect(summary.completed).toBe(0);
  });
});
