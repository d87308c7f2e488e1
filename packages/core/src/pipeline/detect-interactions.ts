import { InvalidArgumentError, throwIfAborted } from '../errors/hoi-error.js';
import { clipBox } from '../geometry/box.js';
import { type LoadedImage, loadImage } from '../image/load-image.js';
import type { SpecWarning } from '../spec/common.js';
import type { DetectedInstance, DetectOptions, Detector } from '../spec/detector.js';
import type { ImageInput } from '../spec/image.js';
import type { InteractionPair, InteractionRecognizer, PairScores } from '../spec/recognizer.js';
import type { HoiResult, HoiResultInteraction } from '../spec/result.js';
import type { Vocabulary } from '../vocabulary/vocabulary.js';
import { buildCandidateTable } from './candidate-table.js';
import { filterInstances, type InstanceFilterOptions } from './filter-instances.js';
import { fuseScores, topK } from './fusion.js';
import { pairInstances } from './pairing.js';
import { assertSupportedDetector, assertSupportedRecognizer } from './spec-version.js';
import { validateInstances, validateRecognizeResult } from './validate.js';

/** A step of the pipeline, reported through `onProgress`. */
export type PipelineStage = 'decode' | 'detect' | 'filter' | 'interactiveness' | 'recognize' | 'fuse';

export interface PipelineProgressEvent {
  stage: PipelineStage;
  /** Units done in this stage (pairs for recognition stages, 1 otherwise). */
  completed: number;
  total: number;
}

/** A cheap recognizer whose interactiveness decides which pairs reach the (expensive) main recognizer. */
export interface InteractivenessFilter {
  /** Any recognizer with `capabilities.interactiveness`, e.g. the embedded prior. */
  source: InteractionRecognizer;
  /** Pairs with interactiveness below this never reach the main recognizer. Default 0.15 (the method's). */
  threshold?: number;
  /**
   * Use the filter's interactiveness as the fusion factor when the main recognizer gives none.
   * Default true.
   */
  useAsFactor?: boolean;
}

export interface DetectInteractionsOptions {
  image: ImageInput;
  /** The name written to the result record. Default: the path, or `<buffer>`. */
  imageName?: string;
  /** Proposes people and objects. Required unless `instances` is given. */
  detector?: Detector;
  /**
   * Instances to use instead of running a detector (ground-truth-box oracle, cached detections).
   * Boxes in source pixels. They are validated and filtered like detections.
   */
  instances?: readonly DetectedInstance[];
  recognizer: InteractionRecognizer;
  vocabulary: Vocabulary;
  /** Instance filter; defaults are the method's. Pass `false` to keep every instance as given. */
  filter?: InstanceFilterOptions | false;
  interactiveness?: InteractivenessFilter;
  /** Keep the K best triplets per image. Default 100. */
  topK?: number;
  /** Drop triplets whose fused score is below this. Default 0. */
  minScore?: number;
  /** Shared exponent on the fusion factors (1.3 in the reference code; ranking is unchanged). Default 1. */
  fusionExponent?: number;
  /** Write per-factor scores (action, human, object, interactiveness) on each interaction. Default false. */
  includeFactors?: boolean;
  /** Options passed to `detector.doDetect`. */
  detectOptions?: Omit<DetectOptions, 'signal'>;
  /** Refuse images over this many pixels. Default 1e8. */
  maxPixels?: number;
  signal?: AbortSignal;
  onProgress?: (event: PipelineProgressEvent) => void;
}

/** Timings in milliseconds, written to the result record as an extra field. */
export interface PipelineTimings {
  decode: number;
  detect: number;
  interactiveness: number;
  recognize: number;
  total: number;
}

/** The result record plus the pipeline's own extra fields (ignored by readers of the record). */
export interface DetectInteractionsResult extends HoiResult {
  warnings: SpecWarning[];
  timings: PipelineTimings;
  /** Pairs formed, pairs removed by the interactiveness filter, pairs recognised. */
  pairCounts: { formed: number; filtered: number; recognized: number };
}

/**
 * Runs the whole method on one image: decode once, detect (or take given instances), filter, pair every
 * human with every other instance, build the candidate set per pair from the vocabulary, optionally drop
 * non-interacting pairs with a cheap interactiveness source, recognise the rest in batches the recognizer
 * accepts, fuse s_action * s_object * s_human * s_interactiveness and keep the top K.
 */
export async function detectInteractions(
  options: DetectInteractionsOptions,
): Promise<DetectInteractionsResult> {
  const t0 = performance.now();
  const { recognizer, vocabulary, signal, onProgress } = options;
  if (!options.detector && !options.instances) {
    throw new InvalidArgumentError('detector', 'a Detector, or `instances` to use given boxes', undefined);
  }
  if (!recognizer) throw new InvalidArgumentError('recognizer', 'an InteractionRecognizer', recognizer);
  if (!vocabulary || !Array.isArray(vocabulary.interactions)) {
    throw new InvalidArgumentError(
      'vocabulary',
      'a Vocabulary (e.g. hicoDet, vcoco, or createVocabulary(...))',
      vocabulary,
    );
  }
  const k = options.topK ?? 100;
  if (!(Number.isInteger(k) && k >= 0)) throw new InvalidArgumentError('topK', 'a non-negative integer', k);
  assertSupportedRecognizer(recognizer);
  if (options.detector) assertSupportedDetector(options.detector);
  if (options.interactiveness) assertSupportedRecognizer(options.interactiveness.source);
  const warnings: SpecWarning[] = [];
  const timings: PipelineTimings = { decode: 0, detect: 0, interactiveness: 0, recognize: 0, total: 0 };
  const progress = (stage: PipelineStage, completed: number, total: number) =>
    onProgress?.({ stage, completed, total });

  throwIfAborted(signal);
  let t = performance.now();
  const image: LoadedImage = await loadImage(options.image, {
    maxPixels: options.maxPixels,
    name: options.imageName,
  });
  timings.decode = performance.now() - t;
  progress('decode', 1, 1);
  throwIfAborted(signal);

  t = performance.now();
  let detected: readonly DetectedInstance[];
  if (options.instances) {
    validateInstances(options.instances, 'instances');
    detected = options.instances;
  } else {
    const out = await options.detector!.doDetect(image, { ...options.detectOptions, signal });
    validateInstances(out.instances, `${options.detector!.provider}.doDetect().instances`);
    warnings.push(...out.warnings);
    detected = out.instances;
  }
  timings.detect = performance.now() - t;
  progress('detect', 1, 1);
  throwIfAborted(signal);

  const humanLabel = vocabulary.humanLabel ?? 'person';
  const kept =
    options.filter === false
      ? detected.slice()
      : filterInstances(detected, { humanLabel, ...options.filter }).instances;
  const instances = kept.map((d) => ({ ...d, box: clipBox(d.box, image.width, image.height) }));
  progress('filter', 1, 1);

  const formed = pairInstances(instances, humanLabel);
  const table = buildCandidateTable(vocabulary, instances, formed);
  let pairs = table.pairs;
  let filterScores: (number | undefined)[] = pairs.map(() => undefined);

  if (options.interactiveness && pairs.length > 0) {
    t = performance.now();
    const { source, threshold = 0.15 } = options.interactiveness;
    if (!source.capabilities.interactiveness) {
      throw new InvalidArgumentError(
        'interactiveness.source',
        'a recognizer whose capabilities.interactiveness is true (e.g. the embedded prior)',
        source.provider,
      );
    }
    const scored = await recognizeInBatches(
      source,
      image,
      instances,
      pairs,
      table.candidates,
      signal,
      warnings,
      (done) => progress('interactiveness', done, pairs.length),
    );
    const keep = scored.map((s) => (s.interactiveness ?? 1) >= threshold);
    const useAsFactor = options.interactiveness.useAsFactor ?? true;
    filterScores = scored.filter((_, i) => keep[i]).map((s) => (useAsFactor ? s.interactiveness : undefined));
    pairs = pairs.filter((_, i) => keep[i]);
    timings.interactiveness = performance.now() - t;
  }

  t = performance.now();
  const recognized = await recognizeInBatches(
    recognizer,
    image,
    instances,
    pairs,
    table.candidates,
    signal,
    warnings,
    (done) => progress('recognize', done, pairs.length),
  );
  timings.recognize = performance.now() - t;

  const triplets: HoiResultInteraction[] = [];
  const fused: number[] = [];
  const exponent = options.fusionExponent ?? 1;
  const minScore = options.minScore ?? 0;
  pairs.forEach((pair, p) => {
    const r = recognized[p]!;
    const interactiveness = r.interactiveness ?? filterScores[p] ?? 1;
    const human = instances[pair.subject]!.score;
    const object = instances[pair.object]!.score;
    pair.candidates.forEach((c, j) => {
      const action = r.scores[j]!;
      const score = fuseScores({ action, human, object, interactiveness }, exponent);
      if (score < minScore) return;
      const triplet: HoiResultInteraction = {
        subject: pair.subject,
        object: pair.object,
        verb: table.candidates[c]!.verb,
        score,
      };
      if (options.includeFactors)
        Object.assign(triplet, { action, human: human, objectScore: object, interactiveness });
      triplets.push(triplet);
      fused.push(score);
    });
  });
  const interactions = topK(fused, k).map((i) => triplets[i]!);
  progress('fuse', 1, 1);
  timings.total = performance.now() - t0;

  return {
    image: image.name,
    size: [image.width, image.height],
    instances: instances.map(({ box, label, score }) => ({ box, label, score })),
    interactions,
    warnings,
    timings,
    pairCounts: {
      formed: table.pairs.length,
      filtered: table.pairs.length - pairs.length,
      recognized: pairs.length,
    },
  };
}

async function recognizeInBatches(
  recognizer: InteractionRecognizer,
  image: LoadedImage,
  instances: readonly DetectedInstance[],
  pairs: readonly InteractionPair[],
  candidates: readonly import('../spec/recognizer.js').InteractionCandidate[],
  signal: AbortSignal | undefined,
  warnings: SpecWarning[],
  onBatch: (done: number) => void,
): Promise<PairScores[]> {
  const out: PairScores[] = [];
  if (pairs.length === 0) return out;
  const max = recognizer.capabilities.maxPairsPerCall;
  const size = max && max > 0 ? max : pairs.length;
  for (let start = 0; start < pairs.length; start += size) {
    throwIfAborted(signal);
    const batch = pairs.slice(start, start + size);
    const result = await recognizer.doRecognize({ image, instances, pairs: batch, candidates, signal });
    validateRecognizeResult(result, batch, recognizer.provider);
    warnings.push(...result.warnings);
    out.push(...result.pairs);
    onBatch(out.length);
  }
  return out;
}
