/**
 * One benchmark worker process: pulls jobs with the fixed-cost processor (no decoding, a 50 ms
 * sleep per image) until SIGTERM. Started by queue.bench.ts.
 */
import { connectRedis, createQueueWorker } from '../src/index.js';
import { fixedCostProcessor } from '../src/testing/fixed-cost-processor.js';

const url = process.argv[2]!;
const redis = await connectRedis(url);
const worker = createQueueWorker({ connection: redis, processor: fixedCostProcessor, concurrency: 1 });
await worker.waitUntilReady();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  worker.close().finally(() => {
    redis.disconnect();
    process.exit(0);
  });
});
