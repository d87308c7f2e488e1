import { setTimeout as sleep } from 'node:timers/promises';
import { loadImage } from '@hoi/core';
import type { ImageProcessor, ProcessorFactory } from '../queue-worker.js';

/** Run configuration understood by {@link fixedCostProcessor}. */
export interface FixedCostConfig {
  /** Milliseconds each image takes, on top of decoding it. */
  sleepMs: number;
  /** Decode the image with sharp (real work, real errors for bad files). Default true. */
  decode?: boolean;
}

/**
 * A processor of known cost, for queue tests and benchmarks: it decodes the image (so a bad file
 * fails with a real ImageDecodeError) and waits `sleepMs`, then returns a record with the image
 * size. With a fixed per-image cost, whatever time exceeds it is the queue's own overhead.
 */
export const fixedCostProcessor: ProcessorFactory = async (runConfig) => {
  const config = runConfig as FixedCostConfig;
  const process: ImageProcessor = async ({ source, bytes }) => {
    let size: [number, number] | undefined;
    if (config.decode !== false) {
      const image = await loadImage(bytes ?? source, { name: source });
      size = [image.width, image.height];
    }
    if (config.sleepMs > 0) await sleep(config.sleepMs);
    return { image: source, size, instances: [], interactions: [] };
  };
  return process;
};
