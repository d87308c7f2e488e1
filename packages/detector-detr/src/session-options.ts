import type { InferenceSession } from 'onnxruntime-node';

/** onnxruntime-node's module as core's `createSessionWithFallback` sees it (one `create` signature). */
export type OrtSessionFactory = {
  InferenceSession: {
    create(model: string | Uint8Array, options?: Record<string, unknown>): Promise<InferenceSession>;
  };
};

/**
 * Session options for detectors: full graph optimisation, and no spinning of idle onnxruntime threads.
 * Spinning threads keep the cores busy after each run, which on small machines starved the image
 * decoding and preprocessing of the next image (measured on 2 cores: DETR preprocessing 146 ms with
 * spinning, 26 ms without). The user's options override these.
 */
export function createSessionOptions(user: InferenceSession.SessionOptions = {}): Record<string, unknown> {
  return {
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
    ...user,
  };
}
