import { ModelLoadError } from '../errors/hoi-error.js';
import type { SpecWarning } from '../spec/common.js';

/**
 * The slice of the onnxruntime module this needs. Passing the module in keeps @hoi/core free of a
 * run-time dependency on onnxruntime-node (adapters bring their own: node, web, or a GPU build).
 */
export interface OrtLike<Session> {
  InferenceSession: {
    // Two overloads, as onnxruntime declares them, so its module is assignable without a cast.
    create(path: string, options?: Record<string, unknown>): Promise<Session>;
    create(buffer: Uint8Array, options?: Record<string, unknown>): Promise<Session>;
  };
}

/**
 * Session options every adapter starts from: full graph optimisation, and idle onnxruntime threads
 * that sleep instead of spinning. Spinning threads keep the cores busy after each run, which on small
 * machines starves the image decoding and preprocessing of the next image (measured on 2 cores: DETR
 * preprocessing 146 ms with spinning, 26 ms without). `sessionOptions` override these.
 */
export const DEFAULT_SESSION_OPTIONS: Readonly<Record<string, unknown>> = Object.freeze({
  graphOptimizationLevel: 'all',
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
});

/** An execution provider as onnxruntime accepts it: a name, or an object with a name and settings. */
export type ExecutionProviderSpec = string | { name: string; [setting: string]: unknown };

/** Options of {@link createSessionWithFallback}. */
export interface SessionFallbackOptions {
  /** Providers to try in order, e.g. `['cuda', 'cpu']`. CPU is appended when absent. Default `['cpu']`. */
  executionProviders?: readonly ExecutionProviderSpec[];
  /** Other onnxruntime session options (graphOptimizationLevel, intraOpNumThreads...), over {@link DEFAULT_SESSION_OPTIONS}. */
  sessionOptions?: Record<string, unknown>;
}

/** Result of {@link createSessionWithFallback}. */
export interface SessionWithFallback<Session> {
  session: Session;
  /** The provider that worked (lower case: `cpu`, `cuda`...). */
  executionProvider: string;
  /** One `degraded` warning per provider that failed, saying why and what was used instead. */
  warnings: SpecWarning[];
}

const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  cpu: 'CPU',
  cuda: 'CUDA',
  tensorrt: 'TensorRT',
  dml: 'DirectML',
  webgpu: 'WebGPU',
  coreml: 'CoreML',
  qnn: 'QNN',
  webnn: 'WebNN',
  wasm: 'WASM',
  xnnpack: 'XNNPACK',
  openvino: 'OpenVINO',
};

/** `CUDAExecutionProvider`, `CUDA` and `cuda` all name `cuda`. */
function providerName(spec: ExecutionProviderSpec): string {
  const raw = typeof spec === 'string' ? spec : spec.name;
  return String(raw)
    .trim()
    .replace(/ExecutionProvider$/i, '')
    .toLowerCase();
}

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // onnxruntime messages can span lines (native stack fragments); one line is enough here.
  return (
    text
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? 'unknown error'
  );
}

/**
 * Creates an onnxruntime session on the first execution provider that works, trying each alone
 * (onnxruntime itself throws rather than falls back when a listed provider cannot load: with
 * onnxruntime-node 1.30 and no CUDA libraries, `['cuda', 'cpu']` fails with "Failed to load shared
 * library"). CPU is always tried last. Each failure becomes a warning such as
 * "CUDA execution provider unavailable: <reason>; fell back to cpu". If CPU fails too, the model
 * itself is at fault: {@link ModelLoadError} with the path (or byte count) and onnxruntime's reason.
 * Note: onnxruntime also prints its own error line to stderr for a missing provider library; the
 * session option `logSeverityLevel` does not silence it (measured with onnxruntime-node 1.30).
 */
export async function createSessionWithFallback<Session>(
  ort: OrtLike<Session>,
  model: string | Uint8Array,
  options: SessionFallbackOptions = {},
): Promise<SessionWithFallback<Session>> {
  const modelName = typeof model === 'string' ? model : `<${model.byteLength}-byte ONNX model>`;
  const requested = [...(options.executionProviders ?? ['cpu'])];
  if (!requested.some((spec) => providerName(spec) === 'cpu')) requested.push('cpu');
  const seen = new Set<string>();
  const providers = requested.filter((spec) => {
    const name = providerName(spec);
    if (seen.has(name)) return false;
    seen.add(name);
    return true;
  });
  const warnings: SpecWarning[] = [];
  const failures: { name: string; reason: string }[] = [];
  for (const spec of providers) {
    const name = providerName(spec);
    try {
      const sessionOptions = {
        ...DEFAULT_SESSION_OPTIONS,
        ...options.sessionOptions,
        executionProviders: [spec],
      };
      const session =
        typeof model === 'string'
          ? await ort.InferenceSession.create(model, sessionOptions)
          : await ort.InferenceSession.create(model, sessionOptions);
      for (const failure of failures) {
        warnings.push({
          type: 'degraded',
          setting: 'executionProviders',
          message: `${DISPLAY_NAMES[failure.name] ?? failure.name} execution provider unavailable: ${failure.reason}; fell back to ${name}`,
        });
      }
      return { session, executionProvider: name, warnings };
    } catch (error) {
      const reason = reasonOf(error);
      if (name === 'cpu') {
        const tried = failures.map((f) => `${f.name}: ${f.reason}`).join('; ');
        throw new ModelLoadError(
          modelName,
          `onnxruntime could not create a session on the CPU: ${reason}${tried ? ` (also failed: ${tried})` : ''}. Check that the file is a complete ONNX model for this onnxruntime version`,
          { cause: error },
        );
      }
      failures.push({ name, reason });
    }
  }
  // Unreachable: cpu is always in the list and either returns or throws.
  throw new ModelLoadError(modelName, 'no execution provider could be tried');
}
