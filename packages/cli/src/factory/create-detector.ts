import { InvalidArgumentError } from '@hoi/core';
import type { Detector } from '@hoi/core/spec';
import { parseModelSpec } from './parse-model-spec.js';

/** Detector kinds `--detector` accepts. */
export const DETECTOR_KINDS = ['centernet', 'yolo', 'detr'] as const;

export interface DetectorFlags {
  /** `centernet[:PATH]`, `yolo:PATH`, `detr:PATH_OR_ID`. Default: the embedded CenterNet. */
  detector?: string;
  executionProviders?: string[];
  scoreThreshold?: number;
}

/**
 * Builds the detector a `--detector` flag names. Adapters are imported lazily, so the default
 * pipeline never loads onnxruntime and an ONNX run never loads TensorFlow.js.
 */
export async function createDetectorFromFlags(flags: DetectorFlags): Promise<Detector> {
  const { kind, location } = parseModelSpec(flags.detector ?? 'centernet', '--detector', DETECTOR_KINDS);
  const need = () => {
    if (!location)
      throw new InvalidArgumentError('--detector', `${kind}:PATH (a model file or folder)`, flags.detector);
    return location;
  };
  switch (kind) {
    case 'centernet': {
      const { createCenterNetDetector } = await import('@hoi/detector-centernet');
      return createCenterNetDetector({
        ...(location ? { modelPath: location } : {}),
        scoreThreshold: flags.scoreThreshold,
      });
    }
    case 'yolo': {
      const { createYoloDetector } = await import('@hoi/detector-yolo');
      return createYoloDetector({
        model: need(),
        executionProviders: flags.executionProviders,
        scoreThreshold: flags.scoreThreshold,
      });
    }
    default: {
      const { createDetrDetector } = await import('@hoi/detector-detr');
      return createDetrDetector({
        model: need(),
        executionProviders: flags.executionProviders,
        scoreThreshold: flags.scoreThreshold,
      });
    }
  }
}
