import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { connectRedis, createQueueWorker, type ProcessorFactory, redactRedisUrl } from '@hoi/queue';
import type { Command } from 'commander';
import { createImagePipeline, toRecord } from '../detect/image-pipeline.js';
import { DEFAULT_PIPELINE_CONFIG, type PipelineConfig } from '../detect/pipeline-config.js';
import { parseInteger } from './parse-flags.js';

/**
 * The processor factory of `hoi worker`: builds the run's pipeline from its stored configuration
 * with the same code as a local `hoi detect`, so every worker computes what a local run would.
 * Secrets (HF_TOKEN, API keys) come from this process's environment, never from the queue.
 *
 * Downloaded (http/https) images are decoded from a private temporary file named after the URL's
 * file name, because the CLI pipeline reads images by path; the file is removed right after.
 */
export const cliProcessorFactory: ProcessorFactory = async (runConfig) => {
  const config: PipelineConfig = { ...DEFAULT_PIPELINE_CONFIG, ...(runConfig as Partial<PipelineConfig>) };
  const pipeline = await createImagePipeline(config);
  return {
    async process({ source, bytes }) {
      if (!bytes) return toRecord((await pipeline.run(source)).result);
      const dir = await mkdtemp(join(tmpdir(), 'hoi-worker-'));
      try {
        const name = basename(new URL(source).pathname) || 'image';
        const file = join(dir, name);
        await writeFile(file, bytes, { mode: 0o600 });
        return { ...toRecord((await pipeline.run(file)).result), image: source };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    dispose: () => pipeline.dispose(),
  };
};

/** Registers `hoi worker`. */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'Process images of distributed runs (any run) from a Redis queue until stopped (Ctrl-C finishes the current images).',
    )
    .requiredOption('--queue <redis-url>', 'Redis of the queue, e.g. redis://10.0.0.5:6379/0')
    .option('-c, --concurrency <n>', 'images processed at the same time in this process', parseInteger, 1)
    .option(
      '--stall-timeout <ms>',
      'a job whose worker stops renewing its lock (killed, machine gone) is given to another worker after this long',
      parseInteger,
      30_000,
    )
    .option(
      '--stalled-interval <ms>',
      'how often to look for stalled jobs (default: the stall timeout)',
      parseInteger,
    )
    .option('--max-stalled <n>', 'a job that stalls more often than this fails for good', parseInteger, 2)
    .option('--quiet', 'print nothing but errors')
    .addHelpText(
      'after',
      `
Examples:
  $ hoi worker --queue redis://10.0.0.5:6379/0 --concurrency 2
  $ HF_TOKEN=... hoi worker --queue redis://queue.internal:6379/0   # secrets come from the worker's environment

Workers serve every run enqueued with \`hoi detect --queue URL --run NAME\`; each run's pipeline is built once
per worker from the configuration stored with the run. Image paths must be readable at the same path on every
worker (shared filesystem); http(s) URLs are downloaded into memory.`,
    )
    .action(
      async (flags: {
        queue: string;
        concurrency: number;
        stallTimeout: number;
        stalledInterval?: number;
        maxStalled: number;
        quiet?: boolean;
      }) => {
        const shown = redactRedisUrl(flags.queue);
        const redis = await connectRedis(flags.queue);
        let lastConnectionError = '';
        redis.on('error', (e: Error) => {
          if (e.message !== lastConnectionError) process.stderr.write(`hoi worker: Redis: ${e.message}\n`);
          lastConnectionError = e.message;
        });
        redis.on('ready', () => {
          lastConnectionError = '';
        });
        const log = (m: string) => process.stderr.write(`hoi worker: ${m}\n`);
        const worker = createQueueWorker({
          connection: redis,
          processor: cliProcessorFactory,
          concurrency: Math.max(1, flags.concurrency),
          stallTimeoutMs: Math.max(1000, flags.stallTimeout),
          stalledIntervalMs: flags.stalledInterval,
          maxStalledCount: flags.maxStalled,
          log: flags.quiet ? () => {} : log,
        });
        if (!flags.quiet) {
          worker.worker.on('active', (job) => log(`${job.data.image} started (run ${job.data.run})`));
          worker.worker.on('completed', (job) => log(`${job.data.image} done (run ${job.data.run})`));
        }
        await worker.waitUntilReady();
        if (!flags.quiet)
          log(
            `pid ${process.pid} on ${hostname()} waiting for jobs on ${shown} (concurrency ${flags.concurrency})`,
          );
        await new Promise<void>((resolveStop) => {
          const stop = (signal: string) => {
            log(`${signal}: finishing the images in progress, then stopping`);
            process.off('SIGINT', onInt);
            process.off('SIGTERM', onTerm);
            worker
              .close()
              .catch((e: Error) => log(`closing: ${e.message}`))
              .finally(() => {
                redis.disconnect();
                resolveStop();
              });
          };
          const onInt = () => stop('SIGINT');
          const onTerm = () => stop('SIGTERM');
          process.on('SIGINT', onInt);
          process.on('SIGTERM', onTerm);
        });
      },
    );
}
