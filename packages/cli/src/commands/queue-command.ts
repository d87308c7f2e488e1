import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError } from '@hoi/core';
import type { HoiResult } from '@hoi/core/spec';
import {
  compareImages,
  connectRedis,
  followRun,
  isImageUrl,
  RunClient,
  type RunStatus,
  redactRedisUrl,
} from '@hoi/queue';
import type { Command } from 'commander';
import type { PipelineConfig } from '../detect/pipeline-config.js';
import { EXIT } from '../exit-codes.js';
import { expandInputs } from '../io/expand-inputs.js';
import { openBatch } from '../io/open-batch.js';
import { ProgressBar } from '../io/progress-bar.js';
import { writeHtmlReport } from '../render/html-report.js';

/** Options of {@link runQueuedDetect}. */
export interface QueuedDetectOptions {
  inputs: string[];
  config: PipelineConfig;
  /** Redis URL of the queue. */
  queue: string;
  /** Run name: the same name and inputs enqueue nothing twice. */
  run: string | undefined;
  out?: string;
  resume?: boolean;
  /** Refused with --queue: pictures need the decoded images, which stay on the workers. */
  viz?: string;
  /** A self-contained HTML page of every record, written when the run completes. */
  html?: string;
  /** Must be 1 with --queue (parallelism comes from `hoi worker --concurrency` and more workers). */
  workers?: number;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WriteStream;
}

/** How a queued detect run ended. */
export interface QueuedDetectSummary {
  inputs: number;
  images: number;
  /** Images whose records this call collected. */
  processed: number;
  /** Images already in --out (not enqueued). */
  skipped: number;
  failed: { image: string; message: string }[];
  /** Images Redis lost while they were queued or in progress (empty when nothing was lost). */
  lost: string[];
  /** Jobs this call added (0 when the batch was enqueued before). */
  added: number;
  /** The HTML page written, if any. */
  html?: string;
}

/**
 * The configuration as workers must see it: file paths (model files, vocabulary and ground-truth
 * files) made absolute, since workers resolve them from their own working directory. Hub ids and
 * URLs, which are not local files, are kept as they are.
 */
export function portableConfig(config: PipelineConfig, cwd = process.cwd()): PipelineConfig {
  const file = (p: string | undefined) => (p && existsSync(resolve(cwd, p)) ? resolve(cwd, p) : p);
  const spec = (s: string | undefined) => {
    if (!s) return s;
    const at = s.indexOf(':');
    if (at < 0) return s;
    const location = s.slice(at + 1);
    if (/^[a-z]+:\/\//i.test(location)) return s;
    return `${s.slice(0, at)}:${file(location)}`;
  };
  return {
    ...config,
    detector: spec(config.detector),
    recognizer: spec(config.recognizer),
    interactiveness: spec(config.interactiveness),
    vocabulary: file(config.vocabulary),
    gtBoxes: file(config.gtBoxes),
  };
}

/**
 * `hoi detect --queue URL --run NAME`: enqueues one job per image with the run's pipeline
 * configuration, then follows the run across every worker with the same progress bar as local runs.
 *
 * Results are made durable outside Redis as they arrive: with `--out`, each record is appended (and
 * fsynced) to the file the moment it is collected; when every image is done or failed, the file is
 * rewritten sorted by image (a temporary file renamed over it), one record per image. If Redis loses
 * the run (restart without persistence), the command says which images were lost and exits 1; the
 * same command run again enqueues only the images not yet in `--out`. Without `--out`, the records
 * are printed sorted to stdout at the end (and stay in Redis for `hoi queue export`).
 *
 * Paths are made absolute, since workers read them from their own working directory; a shared
 * filesystem must present them at the same path on every machine. http(s) URLs are enqueued as they
 * are and downloaded by the workers.
 */
export async function runQueuedDetect(options: QueuedDetectOptions): Promise<QueuedDetectSummary> {
  const stderr = options.stderr ?? process.stderr;
  const stdout = options.stdout ?? process.stdout;
  if (!options.run) {
    throw new InvalidArgumentError('--run', 'a run name with --queue, e.g. --run photos-2026-11', undefined);
  }
  if (options.viz) {
    throw new InvalidArgumentError(
      '--viz',
      'no --viz with --queue (the decoded images stay on the workers); use --html, or a local run for pictures',
      options.viz,
    );
  }
  if ((options.workers ?? 1) > 1) {
    throw new InvalidArgumentError(
      '--workers',
      '1 with --queue (start more `hoi worker` processes, or give them --concurrency)',
      options.workers,
    );
  }
  const urls = options.inputs.filter(isImageUrl);
  const { images: paths, problems } = await expandInputs(options.inputs.filter((i) => !isImageUrl(i)));
  const images = [...new Set([...paths.map((p) => resolve(p)), ...urls])];
  const summary: QueuedDetectSummary = {
    inputs: images.length + problems.length,
    images: images.length,
    processed: 0,
    skipped: 0,
    failed: [],
    lost: [],
    added: 0,
  };
  for (const p of problems) summary.failed.push({ image: p.input, message: p.reason });
  const { output, todo, skipped } = openBatch(images, problems, options, stderr);
  summary.skipped = skipped;

  const shown = redactRedisUrl(options.queue);
  const redis = await connectRedis(options.queue);
  const client = new RunClient({ connection: redis });
  const collected: Record<string, unknown>[] = [];
  const bar = new ProgressBar(todo.length, stderr);
  // ioredis reconnects on its own; say so once per outage (a run lost meanwhile is detected below)
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    bar.log(
      `hoi: lost the connection to Redis at ${shown} (${error.message}); waiting for it to come back (Ctrl-C stops; the same command resumes)`,
    );
  });
  redis.on('ready', () => {
    if (down) bar.log(`hoi: connected to Redis at ${shown} again`);
    down = false;
  });
  try {
    const enqueued = await client.enqueue({
      run: options.run,
      config: portableConfig(options.config),
      images: todo,
    });
    summary.added = enqueued.added;
    stderr.write(
      `hoi: run ${options.run} on ${shown}: ${enqueued.added} images enqueued` +
        `${todo.length > enqueued.added ? `, ${todo.length - enqueued.added} already in the run` : ''}; ` +
        `waiting for workers (start them with: hoi worker --queue ${shown})\n`,
    );
    const result = await followRun(client, {
      run: options.run,
      images: todo,
      onResult: (image, record) => {
        // a failure BullMQ declared (too many stalls) that a slow worker then completed: the result wins
        if (summary.failed.some((f) => f.image === image))
          summary.failed = summary.failed.filter((f) => f.image !== image);
        if (output) output.append(record);
        else collected.push(record);
        summary.processed++;
        bar.tick(true);
      },
      onFailure: (image, message) => {
        summary.failed.push({ image, message });
        bar.log(`hoi: ${image}: ${message}`);
        bar.tick(false);
      },
    });
    summary.lost = result.lost ?? [];
  } finally {
    bar.finish();
    output?.close();
    await client.close();
    redis.disconnect();
  }
  if (summary.lost.length > 0) {
    stderr.write(
      `hoi: Redis at ${shown} lost run ${options.run} (it restarted without persistence, or was flushed): ` +
        `${summary.lost.length} of ${todo.length} images were queued or in progress and are gone from the queue; ` +
        `${summary.processed} results collected by this call ${options.out ? `are safe in ${options.out}` : 'were printed'}.\n` +
        `hoi: run the same command again to enqueue the ${summary.lost.length} missing images` +
        `${options.out ? ` (images already in ${options.out} are skipped)` : ''}.\n`,
    );
    for (const image of summary.lost.slice(0, 20)) stderr.write(`hoi: lost: ${image}\n`);
    if (summary.lost.length > 20) stderr.write(`hoi: lost: ... and ${summary.lost.length - 20} more\n`);
    // no re-sort: the appended file stays as it is until the run completes
    if (!output) for (const r of sortRecords(collected)) stdout.write(`${JSON.stringify(r)}\n`);
    return summary;
  }
  if (options.out) sortJsonlFile(options.out);
  else for (const r of sortRecords(collected)) stdout.write(`${JSON.stringify(r)}\n`);
  if (options.html) {
    // every record of the batch, earlier runs included (when resumed from --out)
    const all = options.out ? readJsonl(options.out) : sortRecords(collected);
    await writeHtmlReport(all as unknown as HoiResult[], options.html);
    summary.html = options.html;
  }
  return summary;
}

function readJsonl(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Records sorted by image, one per image (the first seen wins). */
function sortRecords(records: Record<string, unknown>[]): Record<string, unknown>[] {
  const byImage = new Map<string, Record<string, unknown>>();
  for (const r of records) if (!byImage.has(String(r.image))) byImage.set(String(r.image), r);
  return [...byImage.entries()].sort(([a], [b]) => compareImages(a, b)).map(([, r]) => r);
}

/**
 * Rewrites a JSON Lines file sorted by `image`, one line per image, through a temporary file renamed
 * over it, so an interruption leaves either the old or the new file, never a half-written one.
 */
export function sortJsonlFile(path: string): void {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  const byImage = new Map<string, string>();
  for (const line of lines) {
    const image = String((JSON.parse(line) as { image?: unknown }).image);
    if (!byImage.has(image)) byImage.set(image, line);
  }
  const sorted = [...byImage.entries()].sort(([a], [b]) => compareImages(a, b)).map(([, l]) => l);
  const tmp = `${path}.sorting-${process.pid}`;
  writeFileSync(tmp, sorted.length ? `${sorted.join('\n')}\n` : '');
  renameSync(tmp, path);
}

async function withClient<T>(url: string, body: (client: RunClient) => Promise<T>): Promise<T> {
  const redis = await connectRedis(url);
  redis.on('error', () => {});
  const client = new RunClient({ connection: redis });
  try {
    return await body(client);
  } finally {
    await client.close();
    redis.disconnect();
  }
}

function formatStatus(s: RunStatus): string {
  if (!s.exists && s.total === 0) return `run ${s.run}: not in this Redis (never enqueued, removed, or lost)`;
  return `run ${s.run}: ${s.total} images, ${s.done} done, ${s.failed} failed, ${s.pending} pending${s.exists ? '' : ' (run configuration missing: enqueue it again)'}`;
}

/** Registers `hoi queue status|failed|retry|export|remove`. */
export function registerQueueCommand(program: Command): void {
  const queue = program
    .command('queue')
    .description('Inspect and manage distributed runs (see `hoi detect --queue` and `hoi worker`).');
  const common = (c: Command) =>
    c
      .requiredOption('--queue <redis-url>', 'Redis of the queue, e.g. redis://127.0.0.1:6379/0')
      .requiredOption('--run <name>', 'run name given to `hoi detect --run`')
      .addHelpText(
        'after',
        `\nExample:\n  $ hoi queue ${c.name()} --queue redis://127.0.0.1:6379/0 --run photos-2026-11${c.name() === 'export' ? ' --out results.jsonl' : ''}`,
      );

  common(queue.command('status').description('Counts of done, failed and pending images of a run.'))
    .option('--json', 'print JSON')
    .action(async (flags: { queue: string; run: string; json?: boolean }) => {
      const status = await withClient(flags.queue, (c) => c.status(flags.run));
      process.stdout.write(flags.json ? `${JSON.stringify(status)}\n` : `${formatStatus(status)}\n`);
    });

  common(queue.command('failed').description('Images that failed for good, each with its error.'))
    .option('--json', 'print JSON Lines')
    .action(async (flags: { queue: string; run: string; json?: boolean }) => {
      const failures = await withClient(flags.queue, (c) => c.failures(flags.run));
      for (const f of failures) {
        process.stdout.write(
          flags.json ? `${JSON.stringify(f)}\n` : `${f.image}\t${f.attempts} attempt(s)\t${f.message}\n`,
        );
      }
      if (!flags.json) process.stderr.write(`hoi: ${failures.length} failed images in run ${flags.run}\n`);
    });

  common(queue.command('retry').description('Put failed images back in the queue with fresh attempts.'))
    .argument('[images...]', 'only these images (default: every failed image of the run)')
    .action(async (images: string[], flags: { queue: string; run: string }) => {
      const count = await withClient(flags.queue, (c) =>
        c.retry(flags.run, images.length ? images.map((i) => (isImageUrl(i) ? i : resolve(i))) : undefined),
      );
      process.stderr.write(
        `hoi: ${count} images of run ${flags.run} queued again; follow them with the same \`hoi detect --queue\` command\n`,
      );
    });

  common(queue.command('export').description('Write the results of a run as JSON Lines, sorted by image.'))
    .requiredOption('-o, --out <file>', 'JSON Lines file to write (replaced)')
    .action(async (flags: { queue: string; run: string; out: string }) => {
      const records = await withClient(flags.queue, (c) => c.results(flags.run));
      const tmp = `${flags.out}.export-${process.pid}`;
      writeFileSync(tmp, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
      renameSync(tmp, flags.out);
      process.stderr.write(`hoi: ${records.length} records of run ${flags.run} -> ${flags.out}\n`);
    });

  common(
    queue.command('remove').description('Delete a run from Redis: its jobs, results and failures.'),
  ).action(async (flags: { queue: string; run: string }) => {
    const removed = await withClient(flags.queue, (c) => c.removeRun(flags.run));
    process.stderr.write(`hoi: run ${flags.run} removed (${removed} jobs)\n`);
  });
}

/** Exit code of a queued detect run: lost images are fatal (rerun to resume), failures partial. */
export function queuedExitCode(summary: QueuedDetectSummary): number {
  if (summary.lost.length > 0) return EXIT.fatal;
  return summary.failed.length > 0 ? EXIT.partialFailure : EXIT.ok;
}
