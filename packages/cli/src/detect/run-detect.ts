import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { HoiError } from '@hoi/core';
import type { HoiResult } from '@hoi/core/spec';
import { expandInputs } from '../io/expand-inputs.js';
import { openBatch } from '../io/open-batch.js';
import { ProgressBar } from '../io/progress-bar.js';
import { writeHtmlReport } from '../render/html-report.js';
import { createImagePipeline, toRecord } from './image-pipeline.js';
import type { PipelineConfig } from './pipeline-config.js';
import { visualize } from './visualize.js';

export interface DetectRunOptions {
  inputs: string[];
  config: PipelineConfig;
  /** JSON Lines output file; results go to stdout when absent. */
  out?: string;
  /** Keep the records already in `out` and skip their images. Default true. */
  resume?: boolean;
  viz?: string;
  html?: string;
  /** Worker threads; 1 runs in this thread. */
  workers?: number;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WriteStream;
  /** Called as each image finishes (or fails), in completion order. */
  onImageDone?: (image: string, ok: boolean) => void;
}

export interface DetectRunSummary {
  /** Images found plus inputs that matched nothing. */
  inputs: number;
  images: number;
  processed: number;
  skipped: number;
  failed: { image: string; message: string }[];
  vizFiles: string[];
  html?: string;
}

type Outcome = { record?: Record<string, unknown>; vizFile?: string; error?: string };

/**
 * `hoi detect`: expands the inputs, resumes from `out`, runs the pipeline image by image (or on worker
 * threads), appends each record as soon as it is done, and reports bad images one by one while the batch
 * goes on.
 */
export async function runDetect(options: DetectRunOptions): Promise<DetectRunSummary> {
  const stderr = options.stderr ?? process.stderr;
  const stdout = options.stdout ?? process.stdout;
  const { images, problems } = await expandInputs(options.inputs);
  const summary: DetectRunSummary = {
    inputs: images.length + problems.length,
    images: images.length,
    processed: 0,
    skipped: 0,
    failed: [],
    vizFiles: [],
  };
  for (const p of problems) summary.failed.push({ image: p.input, message: p.reason });
  const { output, todo, skipped } = openBatch(images, problems, options, stderr);
  summary.skipped = skipped;
  const bar = new ProgressBar(todo.length, stderr);
  const records: HoiResult[] = [];

  const done = (path: string, outcome: Outcome) => {
    if (outcome.record) {
      if (output) output.append(outcome.record);
      else stdout.write(`${JSON.stringify(outcome.record)}\n`);
      if (options.html) records.push(outcome.record as HoiResult);
      if (outcome.vizFile) summary.vizFiles.push(outcome.vizFile);
      summary.processed++;
    } else {
      summary.failed.push({ image: path, message: outcome.error ?? 'unknown error' });
      bar.log(`hoi: ${path}: ${outcome.error}`);
    }
    bar.tick(Boolean(outcome.record));
    options.onImageDone?.(path, Boolean(outcome.record));
  };

  try {
    const workers = Math.max(1, Math.min(options.workers ?? 1, todo.length || 1));
    if (todo.length > 0) {
      if (workers === 1) await runInThread(todo, options, done);
      else await runOnWorkers(todo, options, workers, done);
    }
  } finally {
    bar.finish();
    output?.close();
  }
  if (options.html) {
    // include records of images done in an earlier run, so the page shows the whole batch
    const all = output && options.out ? await readRecords(options.out) : records;
    await writeHtmlReport(all, options.html);
    summary.html = options.html;
  }
  return summary;
}

async function runInThread(todo: string[], options: DetectRunOptions, done: (p: string, o: Outcome) => void) {
  const pipeline = await createImagePipeline(options.config);
  try {
    for (const path of todo) {
      try {
        const { image, result } = await pipeline.run(path);
        const vizFile = options.viz ? await visualize(image, result, options.viz) : undefined;
        done(path, { record: toRecord(result), vizFile });
      } catch (error) {
        if (!HoiError.isInstance(error) && !(error instanceof Error)) throw error;
        done(path, { error: (error as Error).message });
      }
    }
  } finally {
    await pipeline.dispose();
  }
}

async function runOnWorkers(
  todo: string[],
  options: DetectRunOptions,
  count: number,
  done: (p: string, o: Outcome) => void,
): Promise<void> {
  // Built package: dist/detect-worker.js. From sources (tsx, tests): the .ts file, which workers load
  // through the same loader as this thread (workers inherit execArgv).
  const built = new URL('./detect-worker.js', import.meta.url);
  if (!existsSync(built)) {
    throw new Error(
      `--workers needs the built worker entry ${fileURLToPath(built)}; run \`pnpm --filter @hoi/cli build\` (running from TypeScript sources supports one thread only)`,
    );
  }
  const workerData = { config: options.config, viz: options.viz };
  const spawnWorker = () => new Worker(built, { workerData });
  let next = 0;
  await Promise.all(
    Array.from({ length: count }, () => {
      const worker = spawnWorker();
      return new Promise<void>((resolveWorker, reject) => {
        let current = -1;
        const feed = () => {
          if (next >= todo.length) {
            worker.postMessage({ close: true });
            return;
          }
          current = next++;
          worker.postMessage({ id: current, path: todo[current] });
        };
        worker.on('message', (m: { id: number } & Outcome) => {
          done(todo[m.id]!, m);
          feed();
        });
        worker.on('error', (error) => {
          if (current >= 0) done(todo[current]!, { error: `worker crashed: ${error.message}` });
          reject(error);
        });
        worker.on('exit', () => resolveWorker());
        feed();
      });
    }),
  );
}

async function readRecords(path: string): Promise<HoiResult[]> {
  const { readFile } = await import('node:fs/promises');
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as HoiResult);
}
