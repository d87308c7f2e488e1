import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  COCO_80_LABELS,
  clipBox,
  computeLetterbox,
  createModelCache,
  createSessionWithFallback,
  type ExecutionProviderSpec,
  InvalidArgumentError,
  type LetterboxTransform,
  type ModelCache,
  type ModelDownloadProgress,
  ModelLoadError,
  nms,
  parseModelReference,
  throwIfAborted,
  UnexpectedModelOutputError,
  unletterboxBox,
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
import { parseClassNames } from './class-names.js';
import { letterboxToTensor } from './letterbox-tensor.js';
import { readOnnxMetadataProps } from './onnx-metadata.js';
import { resolveModelPath } from './resolve-model-path.js';
import { decodeYoloHead, resolveYoloHeadShape, type YoloHeadLayout } from './yolo-head.js';

/** Settings of one YOLO detector instance. */
export interface YoloDetectorOptions {
  /**
   * Path of an Ultralytics ONNX export, of a folder holding one (`model.onnx` or a single `*.onnx`),
   * or a Hugging Face id (`org/name`) whose `modelFileName` is fetched once through the model cache.
   */
  model: string;
  /** File to fetch for a Hugging Face id. Default `model.onnx`. */
  modelFileName?: string;
  /** Branch, tag or commit for a Hugging Face id. Default `main`. */
  revision?: string;
  /** The cache hub ids resolve through. Default `createModelCache()` (HOI_CACHE_DIR, HF_HOME, HOI_OFFLINE...). */
  modelCache?: ModelCache;
  /** Download progress for a Hugging Face id (per file and overall). */
  onProgress?: (event: ModelDownloadProgress) => void;
  /** Cancels a download in progress. */
  signal?: AbortSignal;
  /**
   * Class names in the model's class order. Default: the `names` metadata Ultralytics writes into
   * the file, else the 80 COCO labels when the head has 80 classes. Required for YOLO-World exports
   * with a custom vocabulary that carry no `names`.
   */
  classNames?: readonly string[];
  /**
   * Model input size for exports with a dynamic height/width: a square side or `{ width, height }`.
   * Default: the file's `imgsz` metadata, else 640. Ignored (with the file's size used) when the
   * export has a fixed input size.
   */
  inputSize?: number | { width: number; height: number };
  /** Default score threshold (Ultralytics' `conf`). Default 0.25. */
  scoreThreshold?: number;
  /** IoU above which a box suppresses another of the same class (Ultralytics' `iou`). Default 0.7. */
  iouThreshold?: number;
  /** Default maximum detections per image (Ultralytics' `max_det`). Default 300. */
  maxDetections?: number;
  /** Force a head layout when the shape-based guess is wrong (see README). */
  headLayout?: YoloHeadLayout;
  /** Execution providers to try in order (`cuda`, `coreml`, `dml`, `webgpu`, ...); `cpu` is always last. */
  executionProviders?: readonly ExecutionProviderSpec[];
  /** Largest batch for exports with a dynamic batch axis. Default 8. */
  maxBatchSize?: number;
  /** Receives warnings about skipped execution providers and guessed labels. Default `process.emitWarning`. */
  onWarning?: (message: string) => void;
  /** Extra onnxruntime session options (threads, graph optimisation). */
  sessionOptions?: ort.InferenceSession.SessionOptions;
}

/**
 * Per-image stage times: wall milliseconds, and process CPU milliseconds (all threads, so onnxruntime's
 * and libvips' workers count; on a busy machine wall time also includes waiting for a core).
 * Batched stages are divided evenly between the images.
 */
interface ImageTiming {
  preprocessMs: number;
  inferenceMs: number;
  postprocessMs: number;
  preprocessCpuMs: number;
  inferenceCpuMs: number;
  postprocessCpuMs: number;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

/**
 * Creates a {@link Detector} that runs an Ultralytics YOLO export (v5, v8, YOLO11, YOLO-World, NMS
 * built in) on onnxruntime-node. Shapes, class names and input size are read from the file, so any
 * export works without configuration; the session is created once and reused until `dispose()`.
 */
export async function createYoloDetector(options: YoloDetectorOptions): Promise<Detector> {
  if (!options || typeof options.model !== 'string' || options.model.length === 0) {
    throw new InvalidArgumentError(
      'model',
      'the path of a YOLO .onnx file or of a folder holding one',
      options?.model,
    );
  }
  const size = options.inputSize;
  const sides = typeof size === 'number' ? [size] : size ? [size.width, size.height] : [];
  if (!sides.every((v) => Number.isInteger(v) && v > 0)) {
    throw new InvalidArgumentError(
      'inputSize',
      'a positive integer or { width, height } of positive integers',
      size,
    );
  }
  const reference = parseModelReference(options.model);
  const modelPath =
    reference.kind === 'hub'
      ? resolveModelPath(
          join(
            await (options.modelCache ?? createModelCache()).resolve(
              reference.id,
              [options.modelFileName ?? 'model.onnx'],
              {
                revision: options.revision,
                onProgress: options.onProgress,
                signal: options.signal,
              },
            ),
            options.modelFileName ?? 'model.onnx',
          ),
        )
      : resolveModelPath(reference.path);
  const warn = options.onWarning ?? ((m: string) => process.emitWarning(m, 'HoiWarning'));
  let bytes: Uint8Array;
  try {
    bytes = await readFile(modelPath);
  } catch (error) {
    throw new ModelLoadError(modelPath, `cannot read the file (${(error as Error).message})`, {
      cause: error,
    });
  }
  const metadata = readOnnxMetadataProps(bytes);
  if (!metadata) {
    throw new ModelLoadError(modelPath, 'the file is not an ONNX model (no ModelProto with a graph found)');
  }
  const { session, executionProvider, warnings } = await createSessionWithFallback(ort, modelPath, {
    executionProviders: options.executionProviders,
    sessionOptions: options.sessionOptions as Record<string, unknown> | undefined,
  });
  for (const w of warnings) warn(w.message);

  try {
    return buildDetector(session, executionProvider, modelPath, metadata, options, warn);
  } catch (error) {
    await session.release();
    throw error;
  }
}

function buildDetector(
  session: ort.InferenceSession,
  executionProvider: string,
  modelPath: string,
  metadata: Record<string, string>,
  options: YoloDetectorOptions,
  warn: (message: string) => void,
): Detector {
  // Input: the one float image tensor [batch, 3, height, width].
  const inputMeta = session.inputMetadata.find((m) => m.isTensor);
  if (!inputMeta?.isTensor || session.inputMetadata.length !== 1) {
    throw new ModelLoadError(
      modelPath,
      `expected one image input [batch, 3, height, width], found inputs [${session.inputNames.join(', ')}]`,
    );
  }
  const inShape = inputMeta.shape;
  if (inShape.length !== 4 || (typeof inShape[1] === 'number' && inShape[1] !== 3)) {
    throw new ModelLoadError(
      modelPath,
      `input \`${inputMeta.name}\` must have shape [batch, 3, height, width], got [${inShape.join(', ')}]`,
    );
  }
  if (inputMeta.type !== 'float32') {
    throw new ModelLoadError(modelPath, `input \`${inputMeta.name}\` must be float32, got ${inputMeta.type}`);
  }
  const fixedSize = (d: number | string | undefined) => (typeof d === 'number' && d > 0 ? d : undefined);
  const metaImgsz = parseImgsz(metadata.imgsz);
  const optSize =
    typeof options.inputSize === 'number'
      ? { width: options.inputSize, height: options.inputSize }
      : options.inputSize;
  const inputHeight = fixedSize(inShape[2]) ?? optSize?.height ?? metaImgsz?.height ?? 640;
  const inputWidth = fixedSize(inShape[3]) ?? optSize?.width ?? metaImgsz?.width ?? 640;
  if (
    optSize &&
    (fixedSize(inShape[2]) || fixedSize(inShape[3])) &&
    (optSize.width !== inputWidth || optSize.height !== inputHeight)
  ) {
    warn(
      `inputSize ${optSize.width}x${optSize.height} ignored: the model has a fixed input of ${inputWidth}x${inputHeight}.`,
    );
  }
  const batchDim = inShape[0];
  const maxBatchSize =
    typeof batchDim === 'number' && batchDim > 0 ? batchDim : Math.max(1, options.maxBatchSize ?? 8);
  const fixedBatch = typeof batchDim === 'number' && batchDim > 0 ? batchDim : undefined;

  // Output: the first rank-3 tensor (segmentation exports add prototype masks we do not use).
  const outputMeta =
    session.outputMetadata.find((m) => m.isTensor && m.shape.length === 3) ?? session.outputMetadata[0];
  if (!outputMeta?.isTensor) {
    throw new ModelLoadError(modelPath, 'the model has no tensor output');
  }
  const outputName = outputMeta.name;
  if (outputMeta.shape.length !== 3 && outputMeta.shape.length !== 0) {
    throw new UnexpectedModelOutputError(
      outputName,
      '[batch, 4 + classes, anchors], [batch, anchors, 5 + classes] or [batch, detections, 6]',
      `[${outputMeta.shape.join(', ')}]`,
    );
  }

  // Labels: options, then metadata, then COCO when the head has 80 classes.
  const metaNames = parseClassNames(metadata.names);
  const declaredNames = options.classNames ? [...options.classNames] : metaNames;
  const staticDims = outputMeta.shape.every((d) => typeof d === 'number' && d > 0)
    ? (outputMeta.shape as number[])
    : undefined;
  const staticShape = staticDims
    ? resolveYoloHeadShape(
        outputName,
        [1, staticDims[1]!, staticDims[2]!],
        declaredNames?.length,
        options.headLayout,
      )
    : undefined;
  let labels: string[];
  const creationWarnings: SpecWarning[] = [];
  if (declaredNames) {
    labels = declaredNames;
    if (staticShape && staticShape.layout !== 'nms' && staticShape.numClasses !== labels.length) {
      throw new ModelLoadError(
        modelPath,
        `the head \`${outputName}\` has ${staticShape.numClasses} classes but ${labels.length} class names were given`,
      );
    }
  } else if (
    !staticShape ||
    staticShape.numClasses === 80 ||
    (staticShape.layout === 'nms' && staticShape.numClasses === 0)
  ) {
    labels = [...COCO_80_LABELS];
    if (!staticShape || staticShape.layout === 'nms') {
      const message =
        'The model names no classes and its head does not show the class count; assuming the 80 COCO classes. Pass `classNames` if that is wrong.';
      warn(message);
      creationWarnings.push({ type: 'degraded', message });
    }
  } else {
    labels = Array.from({ length: staticShape.numClasses }, (_, i) => `class ${i}`);
    const message = `The model names none of its ${labels.length} classes; they are reported as "class 0".."class ${labels.length - 1}". Pass \`classNames\`.`;
    warn(message);
    creationWarnings.push({ type: 'degraded', message });
  }
  const labelIndex = new Map(labels.map((l, i) => [l, i]));

  const defaults = {
    scoreThreshold: options.scoreThreshold ?? 0.25,
    iouThreshold: options.iouThreshold ?? 0.7,
    maxDetections: options.maxDetections ?? 300,
  };
  let disposed = false;
  // One model-input buffer (4.9 MB at 640x640) kept per detector between calls, saving its allocation
  // and page faults. A call takes it and gives it back after inference, so concurrent calls (a
  // batch awaits sharp between images) never share it: they allocate their own.
  let spareInput: Float32Array | undefined;
  const takeInputBuffer = (length: number): Float32Array => {
    const buffer = spareInput?.length === length ? spareInput : new Float32Array(length);
    spareInput = undefined;
    return buffer;
  };

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
    const { signal } = detectOptions;
    throwIfAborted(signal);
    if (images.length === 0) return [];
    const warnings: SpecWarning[] = [...creationWarnings];
    const scoreThreshold = detectOptions.scoreThreshold ?? defaults.scoreThreshold;
    const maxDetections = detectOptions.maxDetections ?? defaults.maxDetections;
    let allowed: Uint8Array | undefined;
    if (detectOptions.labels) {
      allowed = new Uint8Array(labels.length);
      for (const label of detectOptions.labels) {
        const i = labelIndex.get(label);
        if (i === undefined) {
          warnings.push({
            type: 'unsupported-setting',
            setting: 'labels',
            message: `"${label}" is not one of this model's classes; re-export a YOLO-World model to detect it.`,
          });
        } else allowed[i] = 1;
      }
    }

    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const slots = fixedBatch ?? images.length;
    const plane = 3 * inputWidth * inputHeight;
    // Every element is written below (image, padding, empty slots), so a reused buffer needs no clearing.
    const input = takeInputBuffer(slots * plane);
    const transforms: LetterboxTransform[] = [];
    for (let b = 0; b < images.length; b++) {
      const image = images[b]!;
      const t = computeLetterbox(image.width, image.height, inputWidth, inputHeight);
      transforms.push(t);
      await letterboxToTensor(image, t, input, b * plane);
    }
    if (slots > images.length) input.fill(114 / 255, images.length * plane);
    const t1 = performance.now();
    const preCpu = cpuMs(c0);
    const c1 = process.cpuUsage();
    throwIfAborted(signal);
    const feeds = {
      [inputMeta!.name]: new ort.Tensor('float32', input, [slots, 3, inputHeight, inputWidth]),
    };
    const outputs = await session.run(feeds, [outputName]).finally(() => {
      if (!disposed) spareInput = input;
    });
    const t2 = performance.now();
    const infCpu = cpuMs(c1);
    throwIfAborted(signal);

    const head = outputs[outputName] as ort.Tensor;
    const dims = head.dims as readonly number[];
    if (head.type !== 'float32') {
      throw new UnexpectedModelOutputError(outputName, 'float32', head.type);
    }
    if (dims.length !== 3 || dims[0] !== slots) {
      throw new UnexpectedModelOutputError(
        outputName,
        `[${slots}, 4 + classes, anchors] (one row per image in the batch)`,
        `[${dims.join(', ')}]`,
      );
    }
    const shape = resolveYoloHeadShape(outputName, dims, labels.length, options.headLayout);
    if (shape.layout !== 'nms' && shape.numClasses !== labels.length) {
      throw new UnexpectedModelOutputError(
        outputName,
        `${labels.length} classes (one per class name)`,
        `${shape.numClasses} classes in [${dims.join(', ')}]`,
        'Pass `classNames` with one name per class of the export.',
      );
    }
    const data = head.data as Float32Array;
    const per = dims[1]! * dims[2]!;
    const results: DetectResult[] = [];
    for (let b = 0; b < images.length; b++) {
      const tp = performance.now();
      const cp = process.cpuUsage();
      const t = transforms[b]!;
      const cand = decodeYoloHead(outputName, data.subarray(b * per, (b + 1) * per), shape, {
        scoreThreshold,
        allowedClasses: allowed,
      });
      if (shape.layout === 'nms') {
        for (const k of cand.classIndices) {
          if (k >= labels.length) {
            throw new UnexpectedModelOutputError(
              outputName,
              `class indices below ${labels.length} (the number of class names)`,
              `class index ${k}`,
              'Pass `classNames` with one name per class of the export.',
            );
          }
        }
      }
      // NMS-built-in exports are already suppressed; raw heads get class-wise NMS here.
      const keep =
        shape.layout === 'nms'
          ? stableOrder(cand.scores).slice(0, maxDetections)
          : nms(cand.boxes, cand.scores, {
              iouThreshold: defaults.iouThreshold,
              groups: cand.classIndices,
              maxKeep: maxDetections,
            });
      const instances: DetectedInstance[] = keep.map((i) => {
        const box = clipBox(unletterboxBox(cand.boxes[i]!, t), t.sourceWidth, t.sourceHeight);
        return {
          box,
          label: labels[cand.classIndices[i]!]!,
          score: cand.scores[i]!,
          data: { classIndex: cand.classIndices[i]! },
        };
      });
      const postMs = performance.now() - tp;
      const timing: ImageTiming = {
        preprocessMs: (t1 - t0) / images.length,
        inferenceMs: (t2 - t1) / images.length,
        postprocessMs: postMs,
        preprocessCpuMs: preCpu / images.length,
        inferenceCpuMs: infCpu / images.length,
        postprocessCpuMs: cpuMs(cp),
      };
      results.push({
        instances,
        warnings,
        providerMetadata: {
          yolo: {
            headLayout: shape.layout,
            executionProvider,
            inputWidth,
            inputHeight,
            candidates: cand.scores.length,
            timing: { ...timing },
          },
        },
      });
    }
    return results;
  }

  const detector: Detector = {
    specificationVersion: 'v1',
    provider: 'yolo',
    modelId: options.model,
    labels: Object.freeze([...labels]),
    capabilities: { openVocabulary: false, maxBatchSize },
    async doDetect(image, detectOptions) {
      return (await runBatch([image], detectOptions))[0]!;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      spareInput = undefined;
      await session.release();
    },
  };
  if (maxBatchSize > 1) {
    detector.doDetectBatch = async (images, detectOptions) => {
      const results: DetectResult[] = [];
      for (let i = 0; i < images.length; i += maxBatchSize) {
        results.push(...(await runBatch(images.slice(i, i + maxBatchSize), detectOptions)));
      }
      return results;
    };
  }
  return detector;
}

/** Indices sorted by descending score; ties keep the model's order. */
function stableOrder(scores: readonly number[]): number[] {
  return scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/** Reads Ultralytics' `imgsz` metadata (`[640, 640]` = height, width). */
function parseImgsz(text: string | undefined): { width: number; height: number } | undefined {
  const nums = text?.match(/\d+/g)?.map(Number);
  if (!nums || nums.length === 0) return undefined;
  const height = nums[0]!;
  const width = nums[1] ?? height;
  return height > 0 && width > 0 ? { width, height } : undefined;
}
