import {
  COCO_80_CATEGORY_IDS,
  COCO_80_LABELS,
  clipBox,
  createModelCache,
  createSessionWithFallback,
  type ExecutionProviderSpec,
  HoiError,
  InvalidArgumentError,
  type ModelCache,
  type ModelDownloadProgress,
  ModelLoadError,
  parseModelReference,
  throwIfAborted,
  UnexpectedModelOutputError,
} from '@hoi/core';
import type {
  DetectedInstance,
  DetectOptions,
  Detector,
  DetectResult,
  RgbImage,
  SpecWarning,
} from '@hoi/core/spec';
import * as ort from 'onnxruntime-node';
import {
  activationForModelType,
  type DetrPreprocessing,
  type DetrResize,
  type DetrScoreActivation,
  defaultPreprocessing,
  isPlaceholderLabel,
  labelsFromId2Label,
  readPreprocessing,
} from './detr-config.js';
import { decodeDetrOutputs } from './detr-postprocess.js';
import { preprocessDetrImage } from './detr-preprocess.js';
import { computeResizedSize } from './resize-size.js';
import { resolveLocalDetrModel } from './resolve-model.js';

/** Settings of one DETR-family detector instance. */
export interface DetrDetectorOptions {
  /**
   * A transformers.js model folder (`config.json`, optional `preprocessor_config.json`,
   * `onnx/model.onnx`), a folder or path of the `.onnx` file itself, or a Hugging Face id
   * (`org/name`, e.g. `Xenova/detr-resnet-50`) fetched once through the shared model cache.
   */
  model: string;
  /** The cache hub ids resolve through. Default `createModelCache()` (HOI_CACHE_DIR, HF_HOME, HOI_OFFLINE...). */
  modelCache?: ModelCache;
  /** Hub revision (branch, tag or commit). Default `main`. */
  revision?: string;
  /** Download progress for hub ids. */
  onProgress?: (event: ModelDownloadProgress) => void;
  /** Cancels a download or the session creation. */
  signal?: AbortSignal;
  /** File inside `onnx/` for folders, e.g. `model_quantized.onnx`. Default `model.onnx`. */
  modelFileName?: string;
  /** Class names in the model's class order (without "no object"). Default: `config.json` `id2label`. */
  classNames?: readonly string[];
  /** Override the family's score activation (see README). Default from `config.json` `model_type`. */
  scoreActivation?: DetrScoreActivation;
  /** Override the resize rule (default from `preprocessor_config.json`, else the family's). */
  resize?: DetrResize;
  /** Override normalisation: `false` to feed pixels only rescaled to [0, 1]. */
  normalize?: { mean: [number, number, number]; std: [number, number, number] } | false;
  /** Default score threshold. Default 0.5 (transformers' default). */
  scoreThreshold?: number;
  /** Sigmoid families: (query, class) pairs kept before the threshold. Default 100 (Deformable/Conditional) or 300. */
  topK?: number;
  /** Default maximum detections per image. Default 100. */
  maxDetections?: number;
  /** Execution providers to try in order; `cpu` is always last. */
  executionProviders?: readonly ExecutionProviderSpec[];
  /** Largest batch for exports with a dynamic batch axis. Default 4. */
  maxBatchSize?: number;
  /** Receives warnings (skipped providers, guessed settings). Default `process.emitWarning`. */
  onWarning?: (message: string) => void;
  /** Extra onnxruntime session options. */
  sessionOptions?: ort.InferenceSession.SessionOptions;
}

interface OutputPlan {
  mode: 'separate' | 'combined';
  logits: string;
  boxes: string;
}

/** Process CPU milliseconds (all threads) since `since`; beside wall time on busy machines. */
const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

const TOP_100_FAMILIES = new Set(['deformable_detr', 'conditional_detr', 'dab-detr', 'dab_detr', 'deta']);

/**
 * Creates a {@link Detector} for DETR-family ONNX exports (DETR, Deformable/Conditional DETR, RT-DETR,
 * D-FINE) on onnxruntime-node. Preprocessing, label names and score activation follow the folder's
 * `config.json`/`preprocessor_config.json` as transformers does; the session is created once.
 */
export async function createDetrDetector(options: DetrDetectorOptions): Promise<Detector> {
  if (!options || typeof options.model !== 'string' || options.model.length === 0) {
    throw new InvalidArgumentError(
      'model',
      'a transformers.js model folder, an .onnx file, or a Hugging Face id',
      options?.model,
    );
  }
  const warn = options.onWarning ?? ((m: string) => process.emitWarning(m, 'HoiWarning'));
  const reference = parseModelReference(options.model);
  let localPath: string;
  if (reference.kind === 'hub') {
    const cache = options.modelCache ?? createModelCache();
    const onnxFile = `onnx/${options.modelFileName ?? 'model.onnx'}`;
    const resolveOptions = {
      revision: options.revision,
      onProgress: options.onProgress,
      signal: options.signal,
    };
    localPath = await cache.resolve(reference.id, ['config.json', onnxFile], resolveOptions);
    // preprocessor_config.json is optional: family defaults apply when the repo has none.
    await cache
      .resolve(reference.id, ['preprocessor_config.json'], resolveOptions)
      .catch((error: unknown) => {
        if (HoiError.isInstance(error) && error.name === 'HoiAbortError') throw error;
      });
  } else {
    localPath = reference.path;
  }
  throwIfAborted(options.signal);
  const resolved = resolveLocalDetrModel(localPath, options.modelFileName);
  const { session, executionProvider, warnings } = await createSessionWithFallback(ort, resolved.onnxPath, {
    executionProviders: options.executionProviders,
    sessionOptions: options.sessionOptions as Record<string, unknown> | undefined,
  });
  for (const w of warnings) warn(w.message);
  try {
    return buildDetector(session, executionProvider, resolved, options, warn);
  } catch (error) {
    await session.release();
    throw error;
  }
}

function buildDetector(
  session: ort.InferenceSession,
  executionProvider: string,
  resolved: ReturnType<typeof resolveLocalDetrModel>,
  options: DetrDetectorOptions,
  warn: (message: string) => void,
): Detector {
  const modelPath = resolved.onnxPath;
  const config = resolved.config ?? {};
  const modelType = typeof config.model_type === 'string' ? config.model_type : undefined;

  // ---- Inputs: pixel_values [batch, 3, height, width] float32, optional pixel_mask [batch, height, width].
  const tensors = session.inputMetadata.filter((m) => m.isTensor);
  const image =
    tensors.find((m) => m.name === 'pixel_values') ?? tensors.find((m) => m.isTensor && m.shape.length === 4);
  if (!image?.isTensor) {
    const shapes = tensors.map((m) => (m.isTensor ? `${m.name} [${m.shape.join(', ')}]` : m.name));
    throw new ModelLoadError(
      modelPath,
      `input \`pixel_values\` must have shape [batch, 3, height, width], found ${shapes.join('; ') || 'no tensor input'}`,
    );
  }
  if (image.shape.length !== 4 || (typeof image.shape[1] === 'number' && image.shape[1] !== 3)) {
    throw new ModelLoadError(
      modelPath,
      `input \`${image.name}\` must have shape [batch, 3, height, width], got [${image.shape.join(', ')}]`,
    );
  }
  if (image.type !== 'float32') {
    throw new ModelLoadError(modelPath, `input \`${image.name}\` must be float32, got ${image.type}`);
  }
  const maskMeta = tensors.find((m) => m.name === 'pixel_mask');
  const unknown = session.inputNames.filter((n) => n !== image.name && n !== maskMeta?.name);
  if (unknown.length > 0) {
    throw new ModelLoadError(
      modelPath,
      `unsupported inputs [${unknown.join(', ')}]: expected only \`${image.name}\` and optionally \`pixel_mask\` (exports with post-processing built in, e.g. orig_target_sizes, are not supported)`,
    );
  }
  const fixedDim = (d: number | string | undefined) => (typeof d === 'number' && d > 0 ? d : undefined);
  const fixedHeight = fixedDim(image.shape[2]);
  const fixedWidth = fixedDim(image.shape[3]);
  const fixedBatch = fixedDim(image.shape[0]);
  const maxBatchSize = fixedBatch ?? Math.max(1, options.maxBatchSize ?? 4);

  // ---- Outputs.
  const plan = planOutputs(session, modelPath);
  const outMeta = (name: string) => session.outputMetadata.find((m) => m.name === name);
  for (const name of new Set([plan.logits, plan.boxes])) {
    const m = outMeta(name);
    if (m?.isTensor && m.shape.length !== 0 && m.shape.length !== 3) {
      throw new UnexpectedModelOutputError(name, '[batch, queries, values]', `[${m.shape.join(', ')}]`);
    }
  }
  if (plan.mode === 'separate') {
    const m = outMeta(plan.boxes);
    const last = m?.isTensor ? m.shape[2] : undefined;
    if (typeof last === 'number' && last !== 4) {
      throw new UnexpectedModelOutputError(
        plan.boxes,
        '[batch, queries, 4] (cx, cy, w, h)',
        `[${(m as { shape: readonly (string | number)[] }).shape.join(', ')}]`,
      );
    }
  }
  const logitsMeta = outMeta(plan.logits);
  const lastDim = logitsMeta?.isTensor ? logitsMeta.shape[2] : undefined;
  const staticColumns =
    typeof lastDim === 'number' && lastDim > 0 ? lastDim - (plan.mode === 'combined' ? 4 : 0) : undefined;

  // ---- Activation and labels.
  let activation = options.scoreActivation ?? activationForModelType(modelType);
  const id2label = labelsFromId2Label(config.id2label);
  const given = options.classNames ? [...options.classNames] : id2label;
  if (!activation) {
    if (plan.mode === 'combined' || plan.logits !== 'logits') activation = 'sigmoid';
    else if (given && staticColumns !== undefined && staticColumns === given.length) activation = 'sigmoid';
    else {
      activation = 'softmax';
      warn(
        `No config.json model_type for ${modelPath}: assuming DETR-style logits with a trailing "no object" class (softmax). Pass scoreActivation: 'sigmoid' for RT-DETR/Deformable exports.`,
      );
    }
  }
  const realColumns =
    staticColumns === undefined ? undefined : staticColumns - (activation === 'softmax' ? 1 : 0);
  let classNames: string[];
  if (given) {
    classNames = given.map(toCoreSpelling);
  } else if (realColumns === 80) {
    classNames = [...COCO_80_LABELS];
  } else if (realColumns === 91) {
    // COCO category ids 0..90 with gaps (DETR's COCO head): names by id, N/A for unused ids.
    classNames = Array.from({ length: 91 }, () => 'N/A');
    COCO_80_CATEGORY_IDS.forEach((id, i) => {
      classNames[id] = COCO_80_LABELS[i]!;
    });
  } else if (realColumns !== undefined) {
    classNames = Array.from({ length: realColumns }, (_, i) => `class ${i}`);
    warn(
      `The model names none of its ${realColumns} classes; pass classNames (reported as "class 0".."class ${realColumns - 1}").`,
    );
  } else {
    throw new ModelLoadError(
      modelPath,
      'the class count is dynamic and no class names were found; add config.json with id2label or pass classNames',
    );
  }
  if (realColumns !== undefined && classNames.length !== realColumns) {
    throw new ModelLoadError(
      modelPath,
      `\`${plan.logits}\` has ${realColumns} classes${activation === 'softmax' ? ' (plus "no object")' : ''} but ${classNames.length} class names were found; fix classNames/id2label or scoreActivation`,
    );
  }
  const labels = [...new Set(classNames.filter((l) => !isPlaceholderLabel(l)))];

  // ---- Preprocessing.
  let prep: DetrPreprocessing = readPreprocessing(
    resolved.preprocessorConfig,
    defaultPreprocessing(modelType),
  );
  if (options.resize) prep = { ...prep, resize: options.resize };
  if (options.normalize !== undefined) {
    prep = { ...prep, normalize: options.normalize === false ? undefined : options.normalize };
  }
  if (fixedHeight && fixedWidth) prep = { ...prep, resize: { width: fixedWidth, height: fixedHeight } };
  else if (fixedHeight || fixedWidth) {
    throw new ModelLoadError(
      modelPath,
      `input \`${image.name}\` fixes only one of height/width ([${image.shape.join(', ')}]); this adapter needs both fixed or both dynamic`,
    );
  }

  const defaults = {
    scoreThreshold: options.scoreThreshold ?? 0.5,
    maxDetections: options.maxDetections ?? 100,
    topK: options.topK ?? (modelType && TOP_100_FAMILIES.has(modelType) ? 100 : 300),
  };
  let disposed = false;
  // One input buffer (12 MB at 1333x750) and one pixel_mask buffer kept per detector between calls,
  // saving their allocation and page faults. A call takes them and gives them back after inference,
  // so concurrent calls (a batch awaits sharp between images) never share a buffer.
  let spareInput: Float32Array | undefined;
  let spareMask: BigInt64Array | undefined;

  async function runGroup(
    images: readonly RgbImage[],
    sizes: { width: number; height: number }[],
    detectOptions: DetectOptions,
    warnings: SpecWarning[],
  ): Promise<DetectResult[]> {
    const { signal } = detectOptions;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const slots = fixedBatch ?? images.length;
    const padded = {
      width: Math.max(...sizes.map((s) => s.width)),
      height: Math.max(...sizes.map((s) => s.height)),
    };
    const plane = padded.width * padded.height;
    // A reused buffer keeps the last call's values: only padding (images smaller than the batch's
    // padded size, or empty slots) needs re-zeroing, since every image pixel is overwritten.
    const needsPadding =
      slots > images.length || sizes.some((s) => s.width !== padded.width || s.height !== padded.height);
    let pixels: Float32Array;
    if (spareInput?.length === slots * 3 * plane) {
      pixels = spareInput;
      if (needsPadding) pixels.fill(0);
    } else pixels = new Float32Array(slots * 3 * plane);
    spareInput = undefined;
    let mask: BigInt64Array | undefined;
    if (maskMeta) {
      if (spareMask?.length === slots * plane) {
        mask = spareMask;
        if (needsPadding) mask.fill(0n);
      } else mask = new BigInt64Array(slots * plane);
      spareMask = undefined;
    }
    for (let b = 0; b < images.length; b++) {
      await preprocessDetrImage(images[b]!, sizes[b]!, prep, padded, pixels, b * 3 * plane, mask, b * plane);
    }
    const feeds: Record<string, ort.Tensor> = {
      [image!.name]: new ort.Tensor('float32', pixels, [slots, 3, padded.height, padded.width]),
    };
    if (maskMeta && mask)
      feeds[maskMeta.name] = new ort.Tensor('int64', mask, [slots, padded.height, padded.width]);
    const t1 = performance.now();
    const preCpu = cpuMs(c0);
    const c1 = process.cpuUsage();
    throwIfAborted(signal);
    const outputs = await session.run(feeds, [...new Set([plan.logits, plan.boxes])]).finally(() => {
      if (disposed) return;
      spareInput = pixels;
      spareMask = mask;
    });
    const t2 = performance.now();
    const infCpu = cpuMs(c1);
    throwIfAborted(signal);

    const { logits, boxes, numQueries, numColumns } = splitOutputs(plan, outputs, slots);
    const real = numColumns - (activation === 'softmax' ? 1 : 0);
    if (real !== classNames.length) {
      throw new UnexpectedModelOutputError(
        plan.logits,
        `${classNames.length}${activation === 'softmax' ? ' + 1 ("no object")' : ''} class columns`,
        `${numColumns}`,
        'Fix classNames/id2label or scoreActivation.',
      );
    }
    const allowed = detectOptions.labels ? new Set(detectOptions.labels) : undefined;
    if (allowed) {
      for (const l of allowed) {
        if (!labels.includes(l)) {
          warnings.push({
            type: 'unsupported-setting',
            setting: 'labels',
            message: `"${l}" is not one of this model's classes.`,
          });
        }
      }
    }
    const results: DetectResult[] = [];
    for (let b = 0; b < images.length; b++) {
      const tp = performance.now();
      const cp = process.cpuUsage();
      const img = images[b]!;
      const detections = decodeDetrOutputs(
        { logits: plan.logits, boxes: plan.boxes },
        logits.subarray(b * numQueries * numColumns, (b + 1) * numQueries * numColumns),
        boxes.subarray(b * numQueries * 4, (b + 1) * numQueries * 4),
        numQueries,
        numColumns,
        {
          activation: activation!,
          scoreThreshold: detectOptions.scoreThreshold ?? defaults.scoreThreshold,
          topK: defaults.topK,
        },
      );
      const maxDetections = detectOptions.maxDetections ?? defaults.maxDetections;
      const instances: DetectedInstance[] = [];
      for (const d of detections) {
        if (instances.length >= maxDetections) break;
        const label = classNames[d.classIndex]!;
        if (isPlaceholderLabel(label) || (allowed && !allowed.has(label))) continue;
        const [x1, y1, x2, y2] = d.boxXyxyNormalized;
        instances.push({
          box: clipBox(
            [x1 * img.width, y1 * img.height, x2 * img.width, y2 * img.height],
            img.width,
            img.height,
          ),
          label,
          score: d.score,
          data: { classIndex: d.classIndex, queryIndex: d.queryIndex },
        });
      }
      results.push({
        instances,
        warnings,
        providerMetadata: {
          detr: {
            executionProvider,
            scoreActivation: activation!,
            inputWidth: sizes[b]!.width,
            inputHeight: sizes[b]!.height,
            timing: {
              preprocessMs: (t1 - t0) / images.length,
              inferenceMs: (t2 - t1) / images.length,
              postprocessMs: performance.now() - tp,
              preprocessCpuMs: preCpu / images.length,
              inferenceCpuMs: infCpu / images.length,
              postprocessCpuMs: cpuMs(cp),
            },
          },
        },
      });
    }
    return results;
  }

  async function runBatch(
    images: readonly RgbImage[],
    detectOptions: DetectOptions = {},
  ): Promise<DetectResult[]> {
    if (disposed) {
      throw new InvalidArgumentError(
        'detector',
        'a detector that has not been disposed',
        'a disposed detector',
      );
    }
    throwIfAborted(detectOptions.signal);
    if (images.length === 0) return [];
    const sizes = images.map((img) => computeResizedSize(img.width, img.height, prep.resize));
    // Without a pixel mask, padding would change what the model sees: batch only equal sizes.
    const groups: number[][] = [];
    for (let i = 0; i < images.length; i++) {
      const g = groups.find(
        (grp) =>
          grp.length < maxBatchSize &&
          (maskMeta !== undefined ||
            (sizes[grp[0]!]!.width === sizes[i]!.width && sizes[grp[0]!]!.height === sizes[i]!.height)),
      );
      if (g) g.push(i);
      else groups.push([i]);
    }
    const results: DetectResult[] = new Array(images.length);
    for (const g of groups) {
      const warnings: SpecWarning[] = [];
      const r = await runGroup(
        g.map((i) => images[i]!),
        g.map((i) => sizes[i]!),
        detectOptions,
        warnings,
      );
      g.forEach((i, k) => {
        results[i] = r[k]!;
      });
    }
    return results;
  }

  const detector: Detector = {
    specificationVersion: 'v1',
    provider: 'detr',
    modelId: options.model,
    labels: Object.freeze(labels),
    capabilities: { openVocabulary: false, maxBatchSize },
    async doDetect(img, detectOptions) {
      return (await runBatch([img], detectOptions))[0]!;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      spareInput = undefined;
      spareMask = undefined;
      await session.release();
    },
  };
  if (maxBatchSize > 1) detector.doDetectBatch = (imgs, detectOptions) => runBatch(imgs, detectOptions);
  return detector;
}

/** Picks the score and box outputs by name, or the single combined `[batch, queries, 4 + classes]` output. */
function planOutputs(session: ort.InferenceSession, modelPath: string): OutputPlan {
  const names = session.outputNames;
  const pick = (candidates: string[]) => names.find((n) => candidates.includes(n.toLowerCase()));
  const logits = pick(['logits', 'pred_logits', 'scores', 'class_logits']);
  const boxes = pick(['pred_boxes', 'boxes', 'bboxes', 'pred_bboxes']);
  if (logits && boxes) return { mode: 'separate', logits, boxes };
  if (names.length === 1) return { mode: 'combined', logits: names[0]!, boxes: names[0]! };
  throw new ModelLoadError(
    modelPath,
    `outputs [${names.join(', ')}]: expected \`logits\` + \`pred_boxes\` (or \`scores\` + \`boxes\`), or one [batch, queries, 4 + classes] output`,
  );
}

function splitOutputs(
  plan: OutputPlan,
  outputs: ort.InferenceSession.ReturnType,
  batch: number,
): { logits: Float32Array; boxes: Float32Array; numQueries: number; numColumns: number } {
  const get = (name: string) => {
    const t = outputs[name] as ort.Tensor;
    if (t.type !== 'float32') throw new UnexpectedModelOutputError(name, 'float32', t.type);
    return t;
  };
  const l = get(plan.logits);
  const ld = l.dims as readonly number[];
  if (ld.length !== 3 || ld[0] !== batch || (plan.mode === 'combined' && ld[2]! < 5)) {
    throw new UnexpectedModelOutputError(
      plan.logits,
      plan.mode === 'combined' ? `[${batch}, queries, 4 + classes]` : `[${batch}, queries, classes]`,
      `[${ld.join(', ')}]`,
    );
  }
  const [, q, c] = ld as [number, number, number];
  if (plan.mode === 'combined') {
    const data = l.data as Float32Array;
    const cols = c - 4;
    const logits = new Float32Array(batch * q * cols);
    const boxes = new Float32Array(batch * q * 4);
    for (let r = 0; r < batch * q; r++) {
      boxes.set(data.subarray(r * c, r * c + 4), r * 4);
      logits.set(data.subarray(r * c + 4, (r + 1) * c), r * cols);
    }
    return { logits, boxes, numQueries: q, numColumns: cols };
  }
  const bx = get(plan.boxes);
  const bd = bx.dims as readonly number[];
  if (bd.length !== 3 || bd[0] !== batch || bd[1] !== q || bd[2] !== 4) {
    throw new UnexpectedModelOutputError(
      plan.boxes,
      `[${batch}, ${q}, 4] (cx, cy, w, h)`,
      `[${bd.join(', ')}]`,
    );
  }
  return { logits: l.data as Float32Array, boxes: bx.data as Float32Array, numQueries: q, numColumns: c };
}

/** Maps a checkpoint's class name to core's spelling when it is a COCO name written differently. */
function toCoreSpelling(name: string): string {
  const key = name
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, ' ');
  return COCO_80_LABELS.includes(key) ? key : name.trim();
}
