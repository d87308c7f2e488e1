/**
 * `hoi detect` throughput with the default offline pipeline (embedded CenterNet + prior with pose):
 * images/s, peak memory (RSS), the share of time outside model inference, and worker-thread scaling.
 * 50 photos are made from the real photos in ../shared/images (crops, flips, resizes).
 * Run: pnpm --filter @hoi/cli bench
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// The built package: worker threads load dist/detect-worker.js.
import { DEFAULT_PIPELINE_CONFIG, runDetect } from '@hoi/cli';
import sharp from 'sharp';

const SHARED = resolve(import.meta.dirname, '../../../../shared/images');
if (!existsSync(SHARED)) {
  console.log(`skipped: ${SHARED} not found (the benchmark needs real photos)`);
  process.exit(0);
}
const COUNT = Number(process.env.HOI_BENCH_IMAGES ?? 50);
const WARM = 4;
const dir = mkdtempSync(join(tmpdir(), 'hoi-bench-detect-'));
const photos = join(dir, 'photos');
mkdirSync(photos);
const sources = readdirSync(SHARED).filter((f) => /\.(jpe?g|png)$/i.test(f));
for (let i = 0; i < COUNT; i++) {
  const src = join(SHARED, sources[i % sources.length]!);
  const meta = await sharp(src).metadata();
  const round = Math.floor(i / sources.length);
  const w = Math.round(meta.width! * (1 - 0.08 * (round % 4)));
  const h = Math.round(meta.height! * (1 - 0.06 * (round % 3)));
  let img = sharp(src).extract({ left: meta.width! - w, top: 0, width: w, height: h });
  if (round % 2) img = img.flop();
  await img.jpeg({ quality: 90 }).toFile(join(photos, `p${String(i).padStart(3, '0')}.jpg`));
}

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

async function run(workers: number) {
  const out = join(dir, `out-${workers}.jsonl`);
  const start = performance.now();
  const doneAt: number[] = [];
  const summary = await runDetect({
    inputs: [photos],
    config: DEFAULT_PIPELINE_CONFIG,
    out,
    resume: false,
    workers,
    onImageDone: () => doneAt.push(performance.now()),
  });
  const wall = (performance.now() - start) / 1000;
  const records = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { timings: Record<string, number> });
  const sum = (k: string) => records.reduce((s, r) => s + (r.timings[k] ?? 0), 0);
  const inference = sum('detect') + sum('recognize') + sum('interactiveness');
  const total = sum('total');
  return {
    workers,
    images: summary.processed,
    failed: summary.failed.length,
    wall,
    rate: summary.processed / wall,
    // steady state: images after the first WARM finished, over the time since then (model loading,
    // wasm compilation and the first inference of every thread excluded)
    steady: (doneAt.length - WARM) / ((doneAt.at(-1)! - doneAt[WARM - 1]!) / 1000),
    outside: 1 - inference / total,
    outsideWall: 1 - inference / (wall * 1000 * workers),
    decode: sum('decode') / records.length,
  };
}

// Warm-up (model load, wasm compile) is part of each run's wall time, as a user sees it.
const one = await run(1);
const two = await run(2);
clearInterval(sampler);
const rows = [one, two].map((r) => ({
  workers: r.workers,
  images: r.images,
  failed: r.failed,
  'wall s': r.wall.toFixed(1),
  'images/s (incl. start-up)': r.rate.toFixed(2),
  'images/s (steady)': r.steady.toFixed(2),
  'outside inference (in-pipeline)': `${(r.outside * 100).toFixed(1)}%`,
  'outside inference (wall, incl. model load)': `${(r.outsideWall * 100).toFixed(1)}%`,
  'decode ms/img': r.decode.toFixed(1),
}));
console.table(rows);
console.log(`peak RSS of the main thread's process: ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
console.log(
  `speed-up with 2 worker threads: ${(two.steady / one.steady).toFixed(2)}x steady, ${(two.rate / one.rate).toFixed(2)}x including start-up (target >= 1.7x)`,
);
console.log(
  `share of per-image pipeline time outside model inference (1 thread): ${(one.outside * 100).toFixed(1)}% (target < 15%)`,
);
