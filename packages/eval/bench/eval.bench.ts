/**
 * Speed bench: the full HICO-DET test set with 100 detections per image (about a million
 * triplets, generated deterministically from the GT plus noise, laid out as the pipeline writes
 * records: shared instances, 100 interactions between them), evaluated under each preset.
 * Each preset runs in a fresh child process so its peak memory (max RSS) is its own.
 * Target: under 3 s per preset, peak memory under 1 GB. Run: `pnpm --filter @hoi/eval bench`.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  evaluateHicoDet,
  type HicoDetProtocol,
  loadHicoDetAnnotations,
  readHicoDetDetections,
} from '../src/index.js';
import { HICO_TEST_FILE, type HicoLayout, hasHico, pipelineLikePredictions } from '../test/fixtures.js';

const PRESETS: HicoDetProtocol[] = ['official', 'qpic', 'da-hoi'];
const SEED = 1126;
const PER_IMAGE = 100;

async function child(protocol: HicoDetProtocol, predictions: string): Promise<void> {
  const t0 = performance.now();
  const gt = await loadHicoDetAnnotations(HICO_TEST_FILE);
  const annotationsMs = performance.now() - t0;
  const c0 = process.cpuUsage();
  const detections = await readHicoDetDetections(predictions, gt);
  const c1 = process.cpuUsage();
  const { result, timings, counters } = await evaluateHicoDet({
    annotations: gt,
    predictions: detections,
    protocol,
  });
  const c2 = process.cpuUsage();
  const cpuParseMs = (c1.user - c0.user + c1.system - c0.system) / 1000;
  const cpuScoreMs = (c2.user - c1.user + c2.system - c1.system) / 1000;
  const totalMs = performance.now() - t0;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const cpu = process.cpuUsage();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(
    `${JSON.stringify({ protocol, annotationsMs, ...timings, totalMs, cpuMs, cpuParseMs, cpuScoreMs, maxRssMb, valid: counters.valid, full: result.default.full })}\n`,
  );
}

async function generate(path: string): Promise<number> {
  const file = JSON.parse(readFileSync(HICO_TEST_FILE, 'utf8')) as HicoLayout;
  const out = createWriteStream(path);
  let triplets = 0;
  // In slices, so the generator never holds a million records at once.
  for (let start = 0; start < file.annotation.length; start += 500) {
    const slice: HicoLayout = {
      ...file,
      annotation: file.annotation.slice(start, start + 500),
      filenames: file.filenames.slice(start, start + 500),
    };
    for (const r of pipelineLikePredictions(slice, { seed: SEED + start, perImage: PER_IMAGE })) {
      triplets += r.interactions.length;
      if (!out.write(`${JSON.stringify(r)}\n`))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
  }
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  return triplets;
}

async function main(): Promise<void> {
  const [mode, protocol, predictions] = process.argv.slice(2);
  if (mode === '--child') return child(protocol as HicoDetProtocol, predictions!);
  if (!hasHico) {
    console.log(`eval bench skipped: ${HICO_TEST_FILE} not found`);
    return;
  }
  const path = join(tmpdir(), `hoi-eval-bench-${SEED}-${PER_IMAGE}.jsonl`);
  if (!existsSync(path)) {
    const t = performance.now();
    const n = await generate(path);
    console.log(`generated ${n} triplets in ${((performance.now() - t) / 1000).toFixed(1)} s -> ${path}`);
  }
  console.log(
    `predictions: ${(statSync(path).size / 2 ** 20).toFixed(0)} MiB JSON Lines, 9,658 images x ${PER_IMAGE}`,
  );
  const rows: string[][] = [];
  for (const preset of PRESETS) {
    const run = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--child', preset, path],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    if (run.status !== 0) throw new Error(`bench child failed: ${run.stderr}`);
    const r = JSON.parse(run.stdout.trim().split('\n').pop()!);
    rows.push([
      preset,
      (r.parseMs / 1000).toFixed(2),
      (r.matchMs / 1000).toFixed(2),
      (r.apMs / 1000).toFixed(3),
      ((r.parseMs + r.matchMs + r.apMs) / 1000).toFixed(2),
      (r.annotationsMs / 1000).toFixed(2),
      (r.cpuParseMs / 1000).toFixed(2),
      (r.cpuScoreMs / 1000).toFixed(2),
      (r.cpuMs / 1000).toFixed(2),
      r.maxRssMb.toFixed(0),
      String(r.valid),
      r.full.toFixed(4),
    ]);
  }
  const head = [
    'preset',
    'parse s',
    'match s',
    'AP s',
    'eval s',
    'annotations s',
    'CPU parse s',
    'CPU match+AP s',
    'process CPU s',
    'peak MiB',
    'triplets',
    'mAP full',
  ];
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (r: string[]) => r.map((c, k) => c.padStart(widths[k]!)).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log(
    'targets: eval s < 3 per preset, peak MiB < 1024 (wall-clock s; CPU s = user+system of the child, all threads, so it shows the cost on a loaded machine)',
  );
}

await main();
