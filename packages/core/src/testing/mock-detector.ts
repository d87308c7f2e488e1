import { throwIfAborted } from '../errors/hoi-error.js';
import type { DetectedInstance, DetectOptions, Detector, DetectResult } from '../spec/detector.js';
import type { RgbImage } from '../spec/image.js';

export interface MockDetectorOptions {
  /** Instances to return, or a function of the image. */
  instances: readonly DetectedInstance[] | ((image: RgbImage, options: DetectOptions) => DetectedInstance[]);
  /** Label set. Default: the labels of `instances` when it is an array, else ['person']. */
  labels?: readonly string[];
  provider?: string;
}

/** A detector that returns given instances and records every call, for pipeline tests. */
export interface MockDetector extends Detector {
  /** Every `doDetect` call: image size and options. */
  readonly calls: { width: number; height: number; options: DetectOptions }[];
}

/** Creates a {@link MockDetector}. It honours scoreThreshold, maxDetections and abort like a real adapter. */
export function createMockDetector(options: MockDetectorOptions): MockDetector {
  const calls: MockDetector['calls'] = [];
  const labels =
    options.labels ??
    (Array.isArray(options.instances) ? [...new Set(options.instances.map((d) => d.label))] : ['person']);
  return {
    specificationVersion: 'v1',
    provider: options.provider ?? 'mock',
    modelId: 'mock-detector',
    labels,
    capabilities: { openVocabulary: false, maxBatchSize: 1 },
    calls,
    async doDetect(image: RgbImage, opts: DetectOptions = {}): Promise<DetectResult> {
      calls.push({ width: image.width, height: image.height, options: opts });
      throwIfAborted(opts.signal);
      const all =
        typeof options.instances === 'function' ? options.instances(image, opts) : options.instances;
      const threshold = opts.scoreThreshold;
      const instances = all
        .filter((d) => threshold === undefined || d.score >= threshold)
        .map((d, i) => ({ d, i }))
        .sort((a, b) => b.d.score - a.d.score || a.i - b.i)
        .map(({ d }) => ({ ...d, box: [...d.box] as DetectedInstance['box'] }))
        .slice(0, opts.maxDetections ?? Number.POSITIVE_INFINITY);
      return { instances, warnings: [] };
    },
  };
}
