import {
  COCO_80_LABELS,
  InvalidArgumentError,
  ModelLoadError,
  throwIfAborted,
  UnexpectedModelOutputError,
} from '@hoi/core';
import type { DetectOptions, Detector, DetectResult, RgbImage, SpecWarning } from '@hoi/core/spec';
import { type GraphModel, loadGraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import { DETECTION_ROW_LENGTH, DETECTIONS_TENSOR, decodeDetections } from './decode-detections.js';
import { computeInputTransform, type ResizeMode } from './input-transform.js';
import { defaultModelPath, readGraphModelArtifacts } from './model-files.js';
import { preprocessImage } from './preprocess.js';
import { getTfjsRuntime, type TfjsBackendName, type TfjsRuntime } from './tfjs-runtime.js';

/** The `provider` name; keys `providerOptions` and `providerMetadata`. */
export const CENTERNET_PROVIDER = 'centernet';

/** The `modelId` of the weights shipped in `@vladmandic/human`. */
export const CENTERNET_MODEL_ID = 'mb3-centernet';

/**
 * Default score threshold. Chosen on real photos (see README, "Choosing the threshold"): at 0.2 the
 * shipped weights find every clearly visible person and kite in kite.jpg and one person in
 * astronaut.png, while the false positives that appear below it (surfboards on the beach, a second
 * "person" box on a kite) mostly score 0.15-0.2.
 */
export const DEFAULT_SCORE_THRESHOLD = 0.2;

/** Default class-wise NMS IoU threshold. */
export const DEFAULT_IOU_THRESHOLD = 0.5;

/** The model emits at most this many peaks; also the default `maxDetections`. */
export const MAX_MODEL_DETECTIONS = 100;

/** Per-instance settings of {@link createCenterNetDetector}; all optional (offline defaults). */
export interface CenterNetDetectorOptions {
  /**
   * Path (or `file:` URL) of a TensorFlow.js graph-model `model.json` with the same layout: one
   * float32 NHWC RGB 0-255 input and a `tower_0/detections` output `[1, N, 6]`. Default: the
   * MB3-CenterNet weights inside the installed `@vladmandic/human`.
   */
  modelPath?: string;
  /** `modelId` to report. Default `mb3-centernet` for the shipped weights, else the model path. */
  modelId?: string;
  /** Class names by the model's 0-based class index. Default: COCO's 80 labels in core spelling. */
  labels?: readonly string[];
  /** Default score threshold when a call gives none. Default 0.2. */
  scoreThreshold?: number;
  /** Class-wise NMS IoU threshold. Default 0.5. */
  iouThreshold?: number;
  /** Default maximum number of instances per image. Default 100. */
  maxDetections?: number;
  /** How the image is fitted into the square input. Default `letterbox` (what the model was trained with). */
  resize?: ResizeMode;
  /**
   * TensorFlow.js backends to try, in order. Default `['wasm', 'cpu']`. Process-wide: only the first
   * detector created decides (tfjs has one engine per process); later ones get a warning when their
   * list does not contain the active backend.
   */
  backends?: readonly TfjsBackendName[];
  /** Folder of the `tfjs-backend-wasm*.wasm` files. Process-wide, like `backends`. */
  wasmDir?: string;
}

/** Per-call settings under `providerOptions.centernet`. */
export interface CenterNetProviderOptions {
  iouThreshold?: number;
  resize?: ResizeMode;
}

/** Per-call facts under `providerMetadata.centernet`. Plain data. */
export interface CenterNetProviderMetadata {
  /** The TensorFlow.js backend active during the call. */
  backend: TfjsBackendName;
  resize: ResizeMode;
  /** Model input size `[width, height]`. */
  inputSize: [number, number];
  /** Wall time of each stage of the call, in milliseconds. */
  timingsMs: { preprocess: number; inference: number; postprocess: number };
  /** Rows the model returned before thresholding. */
  rawDetections: number;
}

/**
 * Creates the embedded default detector: MB3-CenterNet (MobileNetV3 CenterNet, 80 COCO classes,
 * 512x512 input) with the real weights shipped inside the npm package `@vladmandic/human`, run on
 * TensorFlow.js' WebAssembly backend. Works offline on a fresh install: nothing is downloaded.
 * The model is loaded once here and reused by every call; `dispose()` frees its weights.
 */
export async function createCenterNetDetector(options: CenterNetDetectorOptions = {}): Promise<Detector> {
  const labels = Object.freeze([...(options.labels ?? COCO_80_LABELS)]);
  if (labels.length === 0)
    throw new InvalidArgumentError('labels', 'a non-empty list of class names', labels);
  const defaults = {
    scoreThreshold: checkUnit('scoreThreshold', options.scoreThreshold ?? DEFAULT_SCORE_THRESHOLD),
    iouThreshold: checkUnit('iouThreshold', options.iouThreshold ?? DEFAULT_IOU_THRESHOLD),
    maxDetections: checkCount('maxDetections', options.maxDetections ?? MAX_MODEL_DETECTIONS),
    resize: checkResize('resize', options.resize ?? 'letterbox'),
  };
  const modelPath = options.modelPath ?? defaultModelPath();
  const modelId = options.modelId ?? (options.modelPath ? options.modelPath : CENTERNET_MODEL_ID);

  let runtime: TfjsRuntime;
  try {
    runtime = await getTfjsRuntime({ backends: options.backends, wasmDir: options.wasmDir });
  } catch (error) {
    throw new ModelLoadError(modelPath, (error as Error).message, { cause: error });
  }
  const runtimeWarnings = describeRuntime(runtime, options.backends);
  for (const w of runtimeWarnings) console.warn(`[@hoi/detector-centernet] ${w.message}`);

  const artifacts = await readGraphModelArtifacts(modelPath);
  let model: GraphModel | undefined;
  try {
    model = await loadGraphModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    throw new ModelLoadError(
      modelPath,
      `TensorFlow.js cannot build the graph (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
  const { inputName, inputHeight, inputWidth } = checkModelSignature(model, modelPath);

  let disposed = false;
  const detector: Detector = {
    specificationVersion: 'v1',
    provider: CENTERNET_PROVIDER,
    modelId,
    labels,
    capabilities: Object.freeze({ openVocabulary: false, maxBatchSize: 1 }),

    async doDetect(image: RgbImage, callOptions: DetectOptions = {}): Promise<DetectResult> {
      const { signal } = callOptions;
      throwIfAborted(signal);
      if (disposed || !model)
        throw new ModelLoadError(modelPath, 'this detector was disposed; create a new one');
      checkImage(image);
      const warnings: SpecWarning[] = [...runtimeWarnings];
      const provider = (callOptions.providerOptions?.[CENTERNET_PROVIDER] ?? {}) as CenterNetProviderOptions;
      const scoreThreshold = checkUnit(
        'scoreThreshold',
        callOptions.scoreThreshold ?? defaults.scoreThreshold,
      );
      const maxDetections = checkCount('maxDetections', callOptions.maxDetections ?? defaults.maxDetections);
      const iouThreshold = checkUnit(
        'providerOptions.centernet.iouThreshold',
        provider.iouThreshold ?? defaults.iouThreshold,
      );
      const resize = checkResize('providerOptions.centernet.resize', provider.resize ?? defaults.resize);
      const allowedClasses = callOptions.labels
        ? selectClasses(callOptions.labels, labels, warnings)
        : undefined;

      const t0 = performance.now();
      const transform = computeInputTransform(resize, image.width, image.height, inputWidth, inputHeight);
      const input = tf.tidy(() => preprocessImage(image, transform));
      const preprocessMs = performance.now() - t0;
      let raw: Float32Array;
      let shape: number[];
      let t1: number;
      try {
        // Let pending timers and I/O run (an abort fired from them is seen here) before inference
        // blocks the event loop.
        await new Promise<void>((resolve) => setImmediate(resolve));
        throwIfAborted(signal);
        if (disposed || !model)
          throw new ModelLoadError(modelPath, 'this detector was disposed during the call');
        t1 = performance.now();
        // The graph has no control flow, so the synchronous executor runs it; on wasm the call blocks
        // the event loop for the whole inference (an AbortSignal is checked before and after it).
        const output = model.execute({ [inputName]: input }, DETECTIONS_TENSOR) as tf.Tensor;
        shape = output.shape;
        try {
          raw = (await output.data()) as Float32Array;
        } finally {
          output.dispose();
        }
      } finally {
        input.dispose();
      }
      const t2 = performance.now();
      throwIfAborted(signal);
      if (shape.length !== 3 || shape[0] !== 1 || shape[2] !== DETECTION_ROW_LENGTH) {
        throw new UnexpectedModelOutputError(
          DETECTIONS_TENSOR,
          `[1, N, ${DETECTION_ROW_LENGTH}]`,
          `[${shape.join(', ')}]`,
          'modelPath must point to an MB3-CenterNet-style graph.',
        );
      }
      const instances = decodeDetections(raw, transform, {
        labels,
        scoreThreshold,
        iouThreshold,
        maxDetections,
        allowedClasses,
      });
      const t3 = performance.now();
      const metadata: CenterNetProviderMetadata = {
        // Read at call time: another tfjs user in the process may have switched the global backend.
        backend: tf.getBackend() as TfjsBackendName,
        resize,
        inputSize: [inputWidth, inputHeight],
        timingsMs: { preprocess: preprocessMs, inference: t2 - t1, postprocess: t3 - t2 },
        rawDetections: shape[1]!,
      };
      return {
        instances,
        warnings,
        providerMetadata: { [CENTERNET_PROVIDER]: metadata as unknown as Record<string, unknown> },
      };
    },

    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      model?.dispose();
      model = undefined;
    },
  };
  return detector;
}

function checkModelSignature(
  model: GraphModel,
  modelPath: string,
): { inputName: string; inputHeight: number; inputWidth: number } {
  const fail = (reason: string): never => {
    model.dispose();
    throw new ModelLoadError(modelPath, reason);
  };
  if (model.inputs.length !== 1)
    fail(`the graph has ${model.inputs.length} inputs; one image input is needed`);
  const input = model.inputs[0]!;
  const shape = input.shape ?? [];
  const [, h, w, c] = shape;
  if (
    shape.length !== 4 ||
    !(shape[0] === 1 || shape[0] === -1) ||
    c !== 3 ||
    !(Number.isInteger(h) && h! > 0) ||
    !(Number.isInteger(w) && w! > 0)
  ) {
    fail(
      `input \`${input.name}\` has shape [${shape.join(', ')}]; [1, H, W, 3] with fixed H and W is needed`,
    );
  }
  if (input.dtype !== 'float32') fail(`input \`${input.name}\` is ${input.dtype}; float32 is needed`);
  if (!model.outputNodes.includes(DETECTIONS_TENSOR)) {
    fail(`the graph has no \`${DETECTIONS_TENSOR}\` output (outputs: ${model.outputNodes.join(', ')})`);
  }
  return { inputName: input.name, inputHeight: h!, inputWidth: w! };
}

function describeRuntime(
  runtime: TfjsRuntime,
  requested: readonly TfjsBackendName[] | undefined,
): SpecWarning[] {
  const warnings: SpecWarning[] = runtime.failures.map((f) => ({
    type: 'degraded',
    message: `TensorFlow.js backend '${f.backend}' is unavailable (${f.reason}); running on '${runtime.backend}'${
      runtime.backend === 'cpu' ? ', which is about 20-40x slower' : ''
    }.`,
  }));
  if (requested?.length && !requested.includes(runtime.backend)) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'backends',
      message: `backends [${requested.join(', ')}] ignored: TensorFlow.js was already started on '${runtime.backend}' in this process by an earlier detector.`,
    });
  }
  return warnings;
}

function selectClasses(
  wanted: readonly string[],
  labels: readonly string[],
  warnings: SpecWarning[],
): ReadonlySet<number> {
  const index = new Map(labels.map((l, i) => [l, i]));
  const classes = new Set<number>();
  const unknown: string[] = [];
  for (const label of wanted) {
    const i = index.get(label);
    if (i === undefined) unknown.push(label);
    else classes.add(i);
  }
  if (unknown.length) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'labels',
      message: `MB3-CenterNet has a closed label set; ignored labels it cannot detect: ${unknown
        .map((l) => JSON.stringify(l))
        .join(', ')}.`,
    });
  }
  return classes;
}

function checkImage(image: RgbImage): void {
  const { width, height, data } = image ?? ({} as RgbImage);
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new InvalidArgumentError('image.width/height', 'positive integers', `${width} x ${height}`);
  }
  if (!(data instanceof Uint8Array) || data.length !== width * height * 3) {
    throw new InvalidArgumentError(
      'image.data',
      `a Uint8Array of width * height * 3 = ${width * height * 3} bytes (RGB interleaved); decode with loadImage from @hoi/core`,
      data,
    );
  }
}

function checkUnit(argument: string, value: number): number {
  if (!(typeof value === 'number' && value >= 0 && value <= 1)) {
    throw new InvalidArgumentError(argument, 'a number in [0, 1]', value);
  }
  return value;
}

function checkCount(argument: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 0)) {
    throw new InvalidArgumentError(argument, 'a whole number >= 0', value);
  }
  return value;
}

function checkResize(argument: string, value: ResizeMode): ResizeMode {
  if (value !== 'letterbox' && value !== 'stretch') {
    throw new InvalidArgumentError(argument, "'letterbox' or 'stretch'", value);
  }
  return value;
}
