// A complete detector plugin in about 30 lines. It depends on `@hoi/core/spec` (types only) and
// `throwIfAborted`; it finds the bounding box of every pixel of one colour and calls it `label`.
import { throwIfAborted } from '@hoi/core';
import type { Detector } from '@hoi/core/spec';

export function createColourBlobDetector(options: {
  rgb: [number, number, number];
  label: string;
  tolerance?: number;
}): Detector {
  const [r, g, b] = options.rgb;
  const tol = options.tolerance ?? 10;
  return {
    specificationVersion: 'v1',
    provider: 'colour-blob',
    modelId: `rgb(${r},${g},${b})`,
    labels: [options.label],
    capabilities: { openVocabulary: false, maxBatchSize: 1 },
    async doDetect(image, { signal, scoreThreshold = 0, maxDetections = 1 } = {}) {
      throwIfAborted(signal);
      let [x1, y1, x2, y2, n] = [image.width, image.height, 0, 0, 0];
      for (let y = 0; y < image.height; y++) {
        for (let x = 0; x < image.width; x++) {
          const i = (y * image.width + x) * 3;
          const d =
            Math.abs(image.data[i]! - r) +
            Math.abs(image.data[i + 1]! - g) +
            Math.abs(image.data[i + 2]! - b);
          if (d <= tol)
            [x1, y1, x2, y2, n] = [
              Math.min(x1, x),
              Math.min(y1, y),
              Math.max(x2, x + 1),
              Math.max(y2, y + 1),
              n + 1,
            ];
        }
      }
      const score = n / Math.max(1, (x2 - x1) * (y2 - y1)); // fill ratio of the box, in [0, 1]
      const found = n > 0 && score >= scoreThreshold && maxDetections > 0;
      return {
        instances: found ? [{ box: [x1, y1, x2, y2], label: options.label, score }] : [],
        warnings: [],
      };
    },
  };
}
