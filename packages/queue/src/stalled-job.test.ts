import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyPhotos, hasPhotos, SHARED } from '../test/support.js';
import { followRun } from './follow-run.js';
import { createQueueWorker } from './queue-worker.js';
import { connectRedis } from './redis-connection.js';
import { RunClient } from './run-client.js';
import { fixedCostProcessor } from './testing/fixed-cost-processor.js';
import { hasRedisServer, startRedisServer, type TestRedisServer } from './testing/redis-server.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const WORKER = fileURLToPath(new URL('../test/worker-process.ts', import.meta.url));
const why = !hasRedisServer()
  ? ' (skipped: /usr/bin/redis-server not found; apt-get install redis-server)'
  : !hasPhotos
    ? ` (skipped: photos not found in ${SHARED}/images)`
    : '';

describe.skipIf(why !== '')(`a worker process killed with SIGKILL mid-job${why}`, () => {
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

  it('its job goes to another worker after the stall timeout; every image once', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', TSX, WORKER, server.url, '1500'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
    });
    try {
      const deadline = Date.now() + 30_000;
      while (!out.includes('ready')) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`worker did not start: ${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const images = copyPhotos(3);
      await client.enqueue({ run: 'stall', config: { sleepMs: 800 }, images });
      while (!out.includes('active ')) {
        if (Date.now() > deadline) throw new Error(`worker took no job: ${out}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      const killedImage = out.match(/active (\S+)/)![1]!;
      child.kill('SIGKILL');
      const killedAt = Date.now();
      const connection = await connectRedis(server.url);
      const worker = createQueueWorker({
        connection,
        processor: fixedCostProcessor,
        concurrency: 3,
        stallTimeoutMs: 1500,
        stalledIntervalMs: 500,
      });
      let redoneAt = 0;
      try {
        const summary = await followRun(client, {
          run: 'stall',
          images,
          onResult: (image) => {
            if (image === killedImage) redoneAt = Date.now();
          },
        });
        expect(summary).toMatchObject({ completed: 3, failed: [] });
      } finally {
        await worker.close();
        connection.disconnect();
      }
      const records = await client.results('stall');
      expect(records.map((r) => r.image)).toEqual(images);
      for (const r of records) expect(r.pid).toBe(process.pid);
      // redone only once the dead worker's lock ran out
      expect(redoneAt - killedAt).toBeGreaterThanOrEqual(1500); // 1.5 s lock + 0.8 s work
      expect(await client.status('stall')).toMatchObject({ done: 3, failed: 0, pending: 0 });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
