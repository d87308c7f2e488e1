import { ModelLoadError, UnexpectedModelOutputError } from '@hoi/core';
import * as ort from 'onnxruntime-node';

/** Session settings shared by every ONNX file a recognizer opens. */
export interface OrtSessionOptions {
  /** onnxruntime execution providers, best first. Default `['cpu']`. */
  executionProviders?: string[];
  /** Threads inside one operator (0 = onnxruntime's default). */
  intraOpNumThreads?: number;
}

/**
 * Opens one ONNX file with onnxruntime-node. Sessions are opened directly (not through transformers.js'
 * model classes) wherever a recognizer needs graphs or tensors those classes do not expose (patch tokens,
 * a batched continuation on a tiled KV cache, DM's hidden states); failures become a ModelLoadError
 * naming the file.
 */
export async function openSession(
  path: string,
  options: OrtSessionOptions = {},
): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(path, {
      executionProviders: options.executionProviders ?? ['cpu'],
      intraOpNumThreads: options.intraOpNumThreads ?? 0,
      graphOptimizationLevel: 'all',
    });
  } catch (cause) {
    throw new ModelLoadError(path, `onnxruntime could not open it: ${(cause as Error).message}`, { cause });
  }
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
