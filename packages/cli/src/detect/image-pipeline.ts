import {
  type DetectInteractionsResult,
  detectInteractions,
  type InteractivenessFilter,
  type LoadedImage,
  loadImage,
  type Vocabulary,
} from '@hoi/core';
import type { DetectedInstance, Detector, InteractionRecognizer } from '@hoi/core/spec';
import { imageKey } from '@hoi/eval';
import { createDetectorFromFlags } from '../factory/create-detector.js';
import { createRecognizerFromFlags } from '../factory/create-recognizer.js';
import { resolveVocabulary } from '../factory/resolve-vocabulary.js';
import { loadGroundTruthInstances } from './ground-truth-instances.js';
import type { PipelineConfig } from './pipeline-config.js';

/** A ready pipeline: models loaded once, then one call per image. */
export interface ImagePipeline {
  /** Decodes the image once and runs detection and recognition. */
  run(path: string, signal?: AbortSignal): Promise<{ image: LoadedImage; result: DetectInteractionsResult }>;
  /** Names of the parts, for the record and the log. */
  describe(): { detector: string; recognizer: string; vocabulary: string };
  dispose(): Promise<void>;
}

/** Builds the models a config names (once), and returns the per-image runner. */
export async function createImagePipeline(config: PipelineConfig): Promise<ImagePipeline> {
  const vocabulary: Vocabulary = await resolveVocabulary(config.vocabulary);
  const gt = config.gtBoxes ? await loadGroundTruthInstances(config.gtBoxes) : undefined;
  const detector: Detector | undefined = gt
    ? undefined
    : await createDetectorFromFlags({
        detector: config.detector,
        executionProviders: config.executionProviders,
        scoreThreshold: config.scoreThreshold,
      });
  const recognizer: InteractionRecognizer = await createRecognizerFromFlags({
    recognizer: config.recognizer,
    model: config.model,
    strategy: config.strategy,
    pose: config.pose,
    executionProviders: config.executionProviders,
  });
  let filter: InteractivenessFilter | undefined;
  if (config.interactiveness) {
    const source =
      (config.recognizer ?? 'prior') === config.interactiveness
        ? recognizer
        : await createRecognizerFromFlags({ recognizer: config.interactiveness, pose: config.pose });
    filter = { source, threshold: config.interactivenessThreshold };
  }
  return {
    describe: () => ({
      detector: gt ? `ground-truth:${config.gtBoxes}` : `${detector!.provider}:${detector!.modelId}`,
      recognizer: `${recognizer.provider}:${recognizer.modelId}`,
      vocabulary: vocabulary.name,
    }),
    async run(path, signal) {
      const started = performance.now();
      const image = await loadImage(path, { maxPixels: config.maxPixels });
      const decodeMs = performance.now() - started;
      let instances: DetectedInstance[] | undefined;
      if (gt) {
        instances = gt.get(imageKey(path));
        if (!instances)
          throw new Error(`no ground-truth annotation for ${imageKey(path)} in ${config.gtBoxes}`);
      }
      const result = await detectInteractions({
        image,
        imageName: path,
        detector,
        instances,
        filter: gt ? false : undefined,
        recognizer,
        vocabulary,
        interactiveness: filter,
        topK: config.topK,
        minScore: config.minScore,
        includeFactors: config.includeFactors,
        maxPixels: config.maxPixels,
        signal,
      });
      // The image was decoded here, before the pipeline saw it: count that in the record's timings.
      result.timings.decode += decodeMs;
      result.timings.total += decodeMs;
      return { image, result };
    },
    async dispose() {
      await detector?.dispose?.();
      await recognizer.dispose?.();
      if (filter && filter.source !== recognizer) await filter.source.dispose?.();
    },
  };
}

/** The result record as written to JSON Lines: the record, plus timings as an extra field. */
export function toRecord(result: DetectInteractionsResult): Record<string, unknown> {
  const { image, size, instances, interactions, timings } = result;
  return {
    image,
    size,
    instances,
    interactions,
    timings: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v * 10) / 10])),
  };
}
