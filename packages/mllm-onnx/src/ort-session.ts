import {
  createSessionWithFallback,
  type ExecutionProviderSpec,
  type SpecWarning,
  UnexpectedModelOutputError,
} from '@hoi/core';
import * as ort from 'onnxruntime-node';

/** Session settings shared by every ONNX file a recognizer opens. */
export interface OrtSessionOptions {
  /** onnxruntime execution providers, best first (e.g. `['cuda', 'cpu']`). CPU is always the last resort. */
  executionProviders?: ExecutionProviderSpec[];
  /** Other onnxruntime session options (intraOpNumThreads, ...), over core's defaults (no thread spinning). */
  sessionOptions?: Record<string, unknown>;
}

/**
 * Opens one ONNX file with onnxruntime-node through @hoi/core's `createSessionWithFallback` (provider
 * fallback with warnings, full graph optimisation, idle threads that sleep). Sessions are opened
 * directly, not through transformers.js' model classes, wherever a recognizer needs graphs or tensors
 * those classes do not expose (patch tokens, a batched continuation on a tiled KV cache, DM's hidden
 * states). A file onnxruntime cannot open is a ModelLoadError naming it. Provider fallbacks are pushed
 * to `warnings`.
 */
export async function openSession(
  path: string,
  options: OrtSessionOptions = {},
  warnings?: SpecWarning[],
): Promise<ort.InferenceSession> {
  const opened = await createSessionWithFallback(ort, path, {
    executionProviders: options.executionProviders,
    sessionOptions: options.sessionOptions,
  });
  warnings?.push(...opened.warnings);
  return opened.session;
}

/** The named output of a session run, or an UnexpectedModelOutputError listing what the graph gave. */
export function takeOutput(
  outputs: ort.InferenceSession.OnnxValueMapType,
  name: string,
  expected: string,
  file: string,
): ort.Tensor {
  const t = outputs[name];
  if (!t) {
    throw new UnexpectedModelOutputError(
      name,
      expected,
      `outputs ${Object.keys(outputs).join(', ')}`,
      `check the export of ${file}`,
    );
  }
  return t as ort.Tensor;
}

export { ort };
