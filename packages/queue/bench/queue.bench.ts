/**
 * Queue overhead and scaling: N images through 1, 2 and 4 worker processes whose processor costs a
 * fixed 50 ms per image (a sleep, no decoding), so every millisecond above 50 per image and worker
 * is the queue's own: job fetch, lock, result write, completion, and collection by `followRun`.
 *
 *   pnpm --filter @hoi/queue bench         (needs /usr/bin/redis-server)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connectRedis, followRun, RunClient } from '../src/index.js';
import { hasRedisServer, startRedisServer } from '../src/testing/redis-server.js';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 200);
const SLEEP_MS = 50;
const WORKER_COUNTS = [1, 2, 4];
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const WORKER = fileURLToPath(new URL('./bench-worker.ts', import.meta.url));

if (!hasRedisServer()) {
  console.log('queue bench skipped: /usr/bin/redis-server not found (apt-get install redis-server)');
  process.exit(0);
}

async function startWorker(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', TSX, WORKER, url], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (String(d).includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`bench worker exited with ${code}`)));
  });
  return child;
}

const server = await startRedisServer();
const redis = await connectRedis(server.url);
const client = new RunClient({ connection: redis });
const rows: string[][] = [];
let baseline = 0;
try {
  for (const count of WORKER_COUNTS) {
    const workers = await Promise.all(Array.from({ length: count }, () => startWorker(server.url)));
    const run = `bench-${count}`;
    const images = Array.from(
      { length: IMAGES },
      (_, i) => `/bench/${run}/image-${String(i).padStart(5, '0')}.jpg`,
    );
    const durations: number[] = [];
    const arrivals: number[] = [];
    const started = performance.now();
    await client.enqueue({ run, config: { sleepMs: SLEEP_MS, decode: false }, images });
    const summary = await followRun(client, {
      run,
      images,
      pollMs: 200,
      onResult: (_image, record) => {
        durations.push(record.durationMs as number);
        arrivals.push(performance.now());
      },
    });
    const wallMs = performance.now() - started;
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.once('exit', () => resolve());
            w.kill('SIGTERM');
          }),
      ),
    );
    if (summary.completed !== IMAGES)
      throw new Error(`only ${summary.completed} of ${IMAGES} images completed`);
    const rate = (IMAGES / wallMs) * 1000;
    if (count === 1) baseline = rate;
    const perImageMs = (wallMs * count) / IMAGES;
    const inWorker = durations.reduce((a, b) => a + b, 0) / durations.length;
    // steady state: from the first result to the last, (images - workers) images were processed
    const steadyMs = ((arrivals.at(-1)! - arrivals[0]!) * count) / (IMAGES - count);
    rows.push([
      String(count),
      String(IMAGES),
      (wallMs / 1000).toFixed(2),
      rate.toFixed(1),
      ((1000 / SLEEP_MS) * count).toFixed(1),
      `${(rate / baseline).toFixed(2)}x`,
      (perImageMs - SLEEP_MS).toFixed(2),
      (steadyMs - SLEEP_MS).toFixed(2),
      (inWorker - SLEEP_MS).toFixed(2),
    ]);
  }
} finally {
  await client.close();
  redis.disconnect();
  await server.stop();
}

const header = [
  'workers',
  'images',
  'wall s',
  'img/s',
  'ideal img/s',
  'speed-up',
  'overhead ms/img',
  'steady ms/img',
  'in worker ms/img',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
console.log(
  `\n@hoi/queue: ${SLEEP_MS} ms fixed-cost processor, concurrency 1 per worker process, ${cpus().length} CPUs`,
);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
console.log(
  '\noverhead ms/img = wall time x workers / images - 50 ms: everything the queue adds per image (fetch, lock,\n' +
    'result write, completion, collection), including the enqueue of the batch and the last poll of the collector.\n' +
    'steady = the same between the first and the last result (no enqueue, no start-up latency).\n' +
    'in worker = mean durationMs of the records - 50 ms (processor call and timer slack).',
);
