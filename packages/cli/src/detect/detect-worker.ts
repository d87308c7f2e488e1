/**
 * Worker-thread entry of `hoi detect --workers N`: builds the pipeline once from the plain-data config,
 * then processes one image per message. `session.run` and tfjs block their thread, so real parallelism
 * on several cores needs threads, not promises.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createImagePipeline, toRecord } from './image-pipeline.js';
import type { PipelineConfig } from './pipeline-config.js';
import { visualize } from './visualize.js';

interface WorkerInit {
  config: PipelineConfig;
  viz?: string;
}

const init = workerData as WorkerInit;
const port = parentPort!;
const ready = createImagePipeline(init.config);

port.on('message', async (message: { id: number; path: string } | { close: true }) => {
  if ('close' in message) {
    await (await ready).dispose();
    port.close();
    return;
  }
  try {
    const pipeline = await ready;
    const { image, result } = await pipeline.run(message.path);
    const vizFile = init.viz ? await visualize(image, result, init.viz) : undefined;
    port.postMessage({ id: message.id, record: toRecord(result), vizFile });
  } catch (error) {
    port.postMessage({
      id: message.id,
      error: error instanceof Error ? error.message : String(error),
      name: (error as Error)?.name,
    });
  }
});
