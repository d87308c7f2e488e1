import { ModelLoadError } from '@hoi/core';
import type * as OrtModule from 'onnxruntime-node';

/**
 * An ONNX Runtime session plus the execution provider that actually took it.
 * TEMPORARY local copy: `@hoi/core` is getting `createSessionWithFallback`; when it lands this file
 * is deleted and the one call in the detector switches to core's helper.
 */
export interface SessionWithProvider {
  session: OrtModule.InferenceSession;
  /** The execution provider the session was created with. */
  executionProvider: string;
}

export interface SessionFallbackOptions {
  /** Providers to try in order, e.g. `['cuda', 'cpu']`. `cpu` is appended when missing. */
  executionProviders?: readonly string[];
  /** Receives one message per provider that could not be used. */
  onWarning?: (message: string) => void;
  /** Extra ONNX Runtime session options (graph optimisation, threads). */
  sessionOptions?: OrtModule.InferenceSession.SessionOptions;
}

/**
 * Creates a session on the first execution provider in the list that works, ending with CPU, and warns
 * for each one skipped: a user asking for `cuda` on a machine without the CUDA provider still gets
 * results, and is told why they are slow.
 */
export async function createSessionWithFallback(
  ort: typeof OrtModule,
  modelPath: string,
  options: SessionFallbackOptions = {},
): Promise<SessionWithProvider> {
  const requested = [...(options.executionProviders ?? ['cpu'])].map((ep) => ep.toLowerCase());
  if (!requested.includes('cpu')) requested.push('cpu');
  const order = [...requested.filter((ep) => ep !== 'cpu'), 'cpu'];
  const warn = options.onWarning ?? ((message: string) => process.emitWarning(message, 'HoiWarning'));
  let lastError: unknown;
  for (const ep of order) {
    try {
      const session = await ort.InferenceSession.create(modelPath, {
        graphOptimizationLevel: 'all',
        // Idle ORT threads otherwise spin after each run and steal the cores that image decoding and
        // preprocessing of the next image need (measured: DETR preprocess 146 ms -> see bench).
        extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
        // ORT logs its own error for a missing provider library; our warning says it more plainly.
        ...(ep === 'cpu' ? {} : { logSeverityLevel: 4 as const }),
        ...options.sessionOptions,
        executionProviders: [ep],
      });
      return { session, executionProvider: ep };
    } catch (error) {
      lastError = error;
      if (ep === 'cpu') break;
      warn(
        `Execution provider "${ep}" is unavailable (${firstLine(error)}); falling back to the next one in [${order.join(', ')}].`,
      );
    }
  }
  throw new ModelLoadError(modelPath, `onnxruntime could not load it (${firstLine(lastError)})`, {
    cause: lastError,
  });
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.slice(0, 300);
}
