/**
 * Remote recognizer benchmark: 15 humans x 15 objects (225 pairs), 16 concurrent requests, against the
 * local fake VLM server with 50 ms latency per answer. Reports requests per image and wall time against
 * the ideal (requests / concurrency) x latency. Target: choice-logprobs sends one request per pair (per
 * chunk) and stays within 1.5x of the ideal.
 * Run: pnpm --filter @hoi/mllm-remote bench
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DetectedInstance, InteractionCandidate, InteractionPair, RgbImage } from '@hoi/core/spec';
import { createOpenAICompatibleRecognizer, type RemoteScoringStrategy } from '../src/index.js';

const HUMANS = 15;
const OBJECTS = 15;
const CONCURRENCY = 16;
const LATENCY_MS = 50;

function scene(candidatesPerPair: number) {
  const width = 1280;
  const height = 720;
  const data = new Uint8Array(width * height * 3);
  // Smooth gradients plus mild texture: compresses like a photo (~100-200 kB JPEG), not like noise.
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x * 255) / width;
      data[i + 1] = (y * 255) / height;
      data[i + 2] = 128 + 40 * Math.sin(x / 9) * Math.cos(y / 13);
    }
  const image: RgbImage = { width, height, channels: 3, data };
  const instances: DetectedInstance[] = [];
  for (let h = 0; h < HUMANS; h++) {
    const x = 40 + h * 80;
    instances.push({ box: [x, 100, x + 60, 400], label: 'person', score: 0.9 });
  }
  for (let o = 0; o < OBJECTS; o++) {
    const x = 20 + o * 83;
    instances.push({ box: [x, 450, x + 40, 500], label: 'cup', score: 0.8 });
  }
  const candidates: InteractionCandidate[] = Array.from({ length: candidatesPerPair }, (_, i) => ({
    verb: `v${i}`,
    object: 'cup',
    phrase:
      i === 0
        ? 'reaching left for a cup'
        : i === 1
          ? 'reaching right for a cup'
          : `doing thing ${i} with a cup`,
  }));
  const pairs: InteractionPair[] = [];
  for (let h = 0; h < HUMANS; h++)
    for (let o = 0; o < OBJECTS; o++)
      pairs.push({ subject: h, object: HUMANS + o, candidates: candidates.map((_, i) => i) });
  return { image, instances, candidates, pairs };
}

interface Row {
  strategy: string;
  candidates: number;
  pairs: number;
  requests: number;
  perPair: number;
  wallMs: number;
  wallRange: string;
  idealMs: number;
  ratio: number;
  correct: string;
  clientCpuMsPerRequest: number;
}

/** Starts the fake server in a child process (tsx loader) and returns its origin and a stop function. */
async function startServerProcess(latencyMs: number) {
  const child = fork(new URL('./fake-server-process.ts', import.meta.url), [String(latencyMs)], {
    execArgv: ['--import', 'tsx', '--conditions=source'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const origin = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { origin: string }).origin));
    child.once('exit', (code) => reject(new Error(`fake server exited with ${code}`)));
  });
  return { origin, stop: () => child.disconnect() };
}

async function main() {
  const server = await startServerProcess(LATENCY_MS);
  const cacheDir = await mkdtemp(join(tmpdir(), 'hoi-remote-bench-'));
  const rows: Row[] = [];
  const loadBefore = loadavg();
  /** Runs one configuration `repeats` times and records the median wall time (min-max alongside). */
  const run = async (
    strategy: RemoteScoringStrategy,
    candidatesPerPair: number,
    options: { cache?: boolean; repeats?: number; record?: boolean } = {},
  ) => {
    const s = scene(candidatesPerPair);
    const walls: number[] = [];
    let cpuPerRequest = 0;
    let requests = 0;
    let cacheHits = 0;
    let right = 0;
    for (let rep = 0; rep < (options.repeats ?? 1); rep++) {
      const recognizer = createOpenAICompatibleRecognizer({
        baseURL: `${server.origin}/v1`,
        model: 'bench',
        strategy,
        concurrency: CONCURRENCY,
        cacheDir: options.cache ? cacheDir : false,
      });
      const cpu = process.cpuUsage();
      const started = performance.now();
      const result = await recognizer.doRecognize(s);
      walls.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      const usage = result.providerMetadata?.remote as { requests: number; cacheHits: number };
      requests = usage.requests;
      cacheHits = usage.cacheHits;
      cpuPerRequest = (used.user + used.system) / 1000 / Math.max(1, usage.requests);
      // Known by construction: an object left of the person's centre makes candidate 0 win, right makes 1 win.
      right = 0;
      result.pairs.forEach((p, i) => {
        const pair = s.pairs[i]!;
        const hb = s.instances[pair.subject]!.box;
        const ob = s.instances[pair.object]!.box;
        const expected = (ob[0] + ob[2]) / 2 < (hb[0] + hb[2]) / 2 ? 0 : 1;
        if (p.scores.indexOf(Math.max(...p.scores)) === expected) right++;
      });
    }
    if (options.record === false) return;
    walls.sort((a, b) => a - b);
    const wallMs = walls[Math.floor(walls.length / 2)]!;
    const idealMs = (requests / CONCURRENCY) * LATENCY_MS;
    rows.push({
      strategy: options.cache
        ? `${strategy} (${cacheHits > 0 ? 'cached re-run' : 'filling cache'})`
        : strategy,
      candidates: candidatesPerPair,
      pairs: s.pairs.length,
      requests,
      perPair: requests / s.pairs.length,
      wallMs,
      wallRange: walls.length > 1 ? `${walls[0]!.toFixed(0)}-${walls.at(-1)!.toFixed(0)}` : '-',
      idealMs,
      ratio: idealMs > 0 ? wallMs / idealMs : Number.NaN,
      correct: `${right}/${s.pairs.length}`,
      clientCpuMsPerRequest: cpuPerRequest,
    });
  };

  // Warm-up (not reported): JIT in this process and in the server process, sharp, the HTTP agent.
  for (const strategy of ['choice-logprobs', 'text', 'yes-no', 'sequence-likelihood'] as const) {
    await run(strategy, strategy === 'choice-logprobs' ? 30 : 2, { record: false });
  }
  await run('choice-logprobs', 10, { repeats: 3 });
  await run('choice-logprobs', 30, { repeats: 3 });
  await run('choice-logprobs', 10, { cache: true });
  await run('choice-logprobs', 10, { cache: true });
  await run('text', 10, { repeats: 3 });
  await run('yes-no', 10);
  await run('sequence-likelihood', 10);
  server.stop();
  await rm(cacheDir, { recursive: true, force: true });

  console.log(
    `\n@hoi/mllm-remote: ${HUMANS} humans x ${OBJECTS} objects, ${CONCURRENCY} concurrent requests, ${LATENCY_MS} ms server latency, 1280x720 image sent at 1024x576\n` +
      `machine: ${process.arch}, ${cpus().length} cores, load average before run ${loadBefore.map((l) => l.toFixed(1)).join(' ')}; server in a child process; after a warm-up pass\n`,
  );
  const header = [
    'strategy',
    'cand/pair',
    'pairs',
    'requests',
    'req/pair',
    'wall ms (median)',
    'range (3 runs)',
    'ideal ms',
    'wall/ideal',
    'client cpu ms/req',
    'right',
  ];
  const lines = rows.map((r) => [
    r.strategy,
    String(r.candidates),
    String(r.pairs),
    String(r.requests),
    r.perPair.toFixed(2),
    r.wallMs.toFixed(0),
    r.wallRange,
    r.idealMs.toFixed(0),
    Number.isNaN(r.ratio) ? '-' : r.ratio.toFixed(2),
    r.requests > 0 ? r.clientCpuMsPerRequest.toFixed(2) : '-',
    r.correct,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(fmt(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of lines) console.log(fmt(l));
  const choice = rows.filter((r) => r.strategy === 'choice-logprobs');
  const ok = choice.every((r) => r.ratio <= 1.5 && r.perPair === Math.ceil(r.candidates / 15));
  console.log(
    `\nTarget (choice-logprobs: 1 request per pair per chunk, wall <= 1.5x ideal): ${ok ? 'met' : 'NOT met'}`,
  );
}

await main();
