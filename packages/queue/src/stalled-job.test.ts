import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { copyPhotos, redisSkipReason, useRedisRunClient } from '../test/support.js';
import { followRun } from './follow-run.js';
import { createQueueWorker } from './queue-worker.js';
import { connectRedis } from './redis-connection.js';
import { fixedCostProcessor } from './testing/fixed-cost-processor.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const WORKER = fileURLToPath(new URL('../test/worker-process.ts', import.meta.url));
const why = redisSkipReason({ photos: true });

describe.skipIf(why !== '')(`a worker process killed with SIGKILL mid-job${why}`, () => {
  const ctx = useRedisRunClient();

  it('its job goes to another worker after the stall timeout; every image once', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', TSX, WORKER, ctx.server.url, '1500'],
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
      await ctx.client.enqueue({ run: 'stall', config: { sleepMs: 800 }, images });
      while (!out.includes('active ')) {
        if (Date.now() > deadline) throw new Error(`worker took no job: ${out}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      const killedImage = out.match(/active (\S+)/)![1]!;
      child.kill('SIGKILL');
      const killedAt = Date.now();
      const connection = await connectRedis(ctx.server.url);
      const worker = createQueueWorker({
        connection,
        processor: fixedCostProcessor,
        concurrency: 3,
        stallTimeoutMs: 1500,
        stalledIntervalMs: 500,
      });
      let redoneAt = 0;
      try {
        const summary = await followRun(ctx.client, {
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
      const records = await ctx.client.results('stall');
      expect(records.map((r) => r.image)).toEqual(images);
      for (const r of records) expect(r.pid).toBe(process.pid);
      // redone only once the dead worker's lock ran out
      expect(redoneAt - killedAt).toBeGreaterThanOrEqual(1500); // 1.5 s lock + 0.8 s work
      expect(await ctx.client.status('stall')).toMatchObject({ done: 3, failed: 0, pending: 0 });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
