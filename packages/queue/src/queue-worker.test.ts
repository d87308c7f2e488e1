import { readFileSync, renameSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { badImage, copyPhotos, hasPhotos, SHARED } from '../test/support.js';
import { followRun } from './follow-run.js';
import { createQueueWorker, type ProcessorFactory, type QueueWorker } from './queue-worker.js';
import { connectRedis } from './redis-connection.js';
import { RunClient } from './run-client.js';
import { fixedCostProcessor } from './testing/fixed-cost-processor.js';
import { hasRedisServer, startRedisServer, type TestRedisServer } from './testing/redis-server.js';

const why = !hasRedisServer()
  ? ' (skipped: /usr/bin/redis-server not found; apt-get install redis-server)'
  : !hasPhotos
    ? ` (skipped: photos not found in ${SHARED}/images)`
    : '';

describe.skipIf(why !== '')(`queue workers against a real redis-server${why}`, () => {
  let server: TestRedisServer;
  let redis: Redis;
  let client: RunClient;
  let http: Server;
  let baseUrl: string;
  const workers: QueueWorker[] = [];
  const connections: Redis[] = [];

  const startWorker = async (processor: ProcessorFactory = fixedCostProcessor, concurrency = 1) => {
    const connection = await connectRedis(server.url);
    connections.push(connection);
    const w = createQueueWorker({ connection, processor, concurrency, stallTimeoutMs: 5000 });
    workers.push(w);
    await w.waitUntilReady();
    return w;
  };

  beforeAll(async () => {
    server = await startRedisServer();
    redis = await connectRedis(server.url);
    client = new RunClient({ connection: redis });
    const kite = readFileSync(join(SHARED, 'images', 'kite.jpg'));
    http = createServer((req, res) => {
      if (req.url?.startsWith('/kite')) {
        res.writeHead(200, { 'content-type': 'image/jpeg' }).end(kite);
      } else res.writeHead(404).end('not here');
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    for (const c of connections.splice(0)) c.disconnect();
  });
  afterAll(async () => {
    await client?.close();
    redis?.disconnect();
    http?.close();
    await server?.stop();
  });

  it('two workers process every image exactly once; records say where and how long', async () => {
    const images = copyPhotos(12);
    await client.enqueue({ run: 'two', config: { sleepMs: 20 }, images });
    await Promise.all([startWorker(), startWorker(undefined, 2)]);
    const seen: string[] = [];
    const summary = await followRun(client, {
      run: 'two',
      images,
      onResult: (image) => {
        seen.push(image);
      },
    });
    expect(summary).toMatchObject({ completed: 12, failed: [] });
    expect(seen.sort()).toEqual(images);
    const records = await client.results('two');
    expect(records.map((r) => r.image)).toEqual(images);
    const kite = records.find((r) => (r.image as string).endsWith('img-000.jpg'))!;
    expect(kite.size).toEqual([1352, 900]);
    for (const r of records) {
      expect(r.pid).toBe(process.pid);
      expect(typeof r.host).toBe('string');
      expect(r.durationMs as number).toBeGreaterThanOrEqual(20);
    }
    expect(await client.status('two')).toMatchObject({ total: 12, done: 12, failed: 0, pending: 0 });
  });

  it('a bad image fails once with its message, is not retried, and the run still finishes', async () => {
    const images = copyPhotos(3);
    const bad = badImage(dirname(images[0]!));
    const all = [...images, bad];
    await client.enqueue({ run: 'bad', config: { sleepMs: 0 }, images: all, attempts: 4, backoffMs: 10 });
    await startWorker();
    const summary = await followRun(client, { run: 'bad', images: all });
    expect(summary.completed).toBe(3);
    expect(summary.failed).toHaveLength(1);
    expect(summary.failed[0]!.image).toBe(bad);
    expect(summary.failed[0]!.message).toMatch(/Cannot use image .*broken\.jpg/);
    const [failure] = await client.failures('bad');
    expect(failure).toMatchObject({ image: bad, attempts: 1 });
    expect(await client.status('bad')).toMatchObject({ total: 4, done: 3, failed: 1, pending: 0 });
  });

  it('retries passing errors with exponential backoff, then gives up into the failed list', async () => {
    const images = copyPhotos(2);
    const attemptsAt = new Map<string, number[]>();
    const flaky: ProcessorFactory = async (config) => {
      const inner = (await fixedCostProcessor(config, 'x')) as (i: {
        source: string;
      }) => Promise<Record<string, unknown>>;
      return async (image) => {
        const times = attemptsAt.get(image.source) ?? [];
        times.push(Date.now());
        attemptsAt.set(image.source, times);
        // images[0] recovers on the third attempt; images[1] never does
        if (image.source === images[1] || times.length < 3)
          throw new Error(`model server busy (${times.length})`);
        return inner(image);
      };
    };
    await client.enqueue({ run: 'flaky', config: { sleepMs: 0 }, images, attempts: 3, backoffMs: 200 });
    await startWorker(flaky);
    const summary = await followRun(client, { run: 'flaky', images });
    expect(summary.completed).toBe(1);
    expect(summary.failed).toEqual([{ image: images[1], message: 'model server busy (3)' }]);
    const t = attemptsAt.get(images[0]!)!;
    expect(t).toHaveLength(3);
    expect(t[1]! - t[0]!).toBeGreaterThanOrEqual(190); // 200 ms, then
    expect(t[2]! - t[1]!).toBeGreaterThanOrEqual(390); // 400 ms
    expect(attemptsAt.get(images[1]!)).toHaveLength(3);
    expect((await client.failures('flaky'))[0]).toMatchObject({ attempts: 3 });
  });

  it('fetches http(s) images into memory; a 404 fails at once', async () => {
    const images = [`${baseUrl}/kite.jpg`, `${baseUrl}/kite.jpg?copy=2`, `${baseUrl}/missing.jpg`];
    await client.enqueue({ run: 'urls', config: { sleepMs: 0 }, images, attempts: 3, backoffMs: 10 });
    await startWorker();
    const summary = await followRun(client, { run: 'urls', images });
    expect(summary.completed).toBe(2);
    expect(summary.failed).toEqual([
      { image: images[2], message: expect.stringMatching(/missing\.jpg: the server answered HTTP 404/) },
    ]);
    const records = await client.results('urls');
    expect(records.map((r) => [r.image, r.size])).toEqual([
      [images[0], [1352, 900]],
      [images[1], [1352, 900]],
    ]);
    expect((await client.failures('urls'))[0]!.attempts).toBe(1);
  });

  it('retry puts failed images back; once fixed they complete', async () => {
    const images = copyPhotos(2);
    const hidden = `${images[1]}.hidden`;
    renameSync(images[1]!, hidden);
    await client.enqueue({ run: 'retry', config: { sleepMs: 0 }, images });
    await startWorker();
    const first = await followRun(client, { run: 'retry', images });
    expect(first.failed.map((f) => f.message)).toEqual([expect.stringMatching(/no such file/)]);
    renameSync(hidden, images[1]!);
    expect(await client.retry('retry')).toBe(1);
    expect(await client.retry('retry')).toBe(0);
    const second = await followRun(client, { run: 'retry', images });
    expect(second).toMatchObject({ completed: 2, failed: [] });
    expect(await client.failures('retry')).toEqual([]);
    expect(await client.status('retry')).toMatchObject({ done: 2, failed: 0, pending: 0 });
  });

  it('reports a run lost when Redis restarts without persistence; enqueueing again resumes', async () => {
    const images = copyPhotos(10);
    await client.enqueue({ run: 'lost', config: { sleepMs: 150 }, images });
    await startWorker();
    const collected = new Set<string>();
    let restarted = false;
    const summary = await followRun(client, {
      run: 'lost',
      images,
      onResult: async (image) => {
        collected.add(image);
        if (collected.size === 3 && !restarted) {
          restarted = true;
          await server.stop(true);
          await server.start();
        }
      },
    });
    expect(restarted).toBe(true);
    expect(summary.lost?.length).toBeGreaterThan(0);
    expect(summary.completed + summary.lost!.length).toBe(10);
    expect(summary.lost!.filter((i) => collected.has(i))).toEqual([]);
    // resume: enqueue what was not collected (the CLI takes it from its --out file)
    const rest = images.filter((i) => !collected.has(i));
    const again = await client.enqueue({ run: 'lost', config: { sleepMs: 150 }, images: rest });
    expect(again).toMatchObject({ created: true, added: rest.length });
    const resumed = await followRun(client, {
      run: 'lost',
      images: rest,
      onResult: (i) => void collected.add(i),
    });
    expect(resumed).toMatchObject({ completed: rest.length, failed: [] });
    expect([...collected].sort()).toEqual(images);
  });

  it('a result that finishes after its run was removed is dropped; the run can then be created afresh', async () => {
    const images = copyPhotos(1);
    const w = await startWorker();
    const active = new Promise<void>((r) => w.worker.once('active', () => r()));
    await client.enqueue({ run: 'gone', config: { sleepMs: 600 }, images });
    await active;
    await client.removeRun('gone'); // the active job is locked and stays; the run's keys go
    const failed = await new Promise<Error>((r) => w.worker.once('failed', (_job, error) => r(error)));
    expect(failed.message).toMatch(/run "gone" is not in Redis any more/);
    const keys = client.keys('gone');
    expect(await redis.exists(keys.results, keys.failed, keys.meta, keys.events)).toBe(0);
    // the same run name again: a new epoch, new job ids, no collision with the leftover failed job
    await client.enqueue({ run: 'gone', config: { sleepMs: 0 }, images });
    expect(await followRun(client, { run: 'gone', images })).toMatchObject({ completed: 1, failed: [] });
  });
});
