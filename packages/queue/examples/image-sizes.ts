/**
 * A complete distributed run in one file: enqueue images, start two workers, follow the run, print
 * the results. Each worker would normally be its own process on its own machine.
 *
 *   redis-server --port 6390 --save "" --appendonly no --daemonize yes
 *   npx tsx examples/image-sizes.ts redis://127.0.0.1:6390/0 ../../../shared/images/*.jpg
 */
import { resolve } from 'node:path';
import { loadImage } from '@hoi/core';
import { connectRedis, createQueueWorker, followRun, type ProcessorFactory, RunClient } from '@hoi/queue';

const [url = 'redis://127.0.0.1:6379/0', ...files] = process.argv.slice(2);
const images = files.map((f) => resolve(f)); // absolute: workers may run elsewhere

// What every worker computes, built once per run from the run's stored (plain-data) configuration.
const processor: ProcessorFactory = async (config) => {
  const { maxPixels } = config as { maxPixels: number };
  return async ({ source, bytes }) => {
    const image = await loadImage(bytes ?? source, { maxPixels, name: source });
    return { image: source, size: [image.width, image.height] };
  };
};

const redis = await connectRedis(url);
const workers = [1, 2].map(() => createQueueWorker({ connection: redis, processor, concurrency: 2 }));

const client = new RunClient({ connection: redis });
const { added, total } = await client.enqueue({ run: 'sizes', config: { maxPixels: 50_000_000 }, images });
console.error(`enqueued ${added} new images (${total} in the run)`);
const summary = await followRun(client, {
  run: 'sizes',
  images,
  onFailure: (image, message) => console.error(`failed: ${image}: ${message}`),
});
for (const record of await client.results('sizes')) console.log(JSON.stringify(record));
console.error(`${summary.completed} done, ${summary.failed.length} failed`);

await Promise.all(workers.map((w) => w.close()));
await client.removeRun('sizes'); // runs stay in Redis until removed; this example cleans up
await client.close();
redis.disconnect();
