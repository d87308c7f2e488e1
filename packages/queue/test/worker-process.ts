/**
 * A worker in its own process, for the stall test: `tsx test/worker-process.ts URL STALL_MS`.
 * Prints `active <image>` when it takes a job, so the test can kill it mid-job.
 */
import { connectRedis, createQueueWorker } from '../src/index.js';
import { fixedCostProcessor } from '../src/testing/fixed-cost-processor.js';

const [url, stallMs] = process.argv.slice(2);
const redis = await connectRedis(url!);
const worker = createQueueWorker({
  connection: redis,
  processor: fixedCostProcessor,
  stallTimeoutMs: Number(stallMs),
  stalledIntervalMs: 500,
});
worker.worker.on('active', (job) => process.stdout.write(`active ${job.data.image}\n`));
await worker.waitUntilReady();
process.stdout.write('ready\n');
