import { UnsupportedSpecVersionError } from '../errors/hoi-error.js';
import type { Detector } from '../spec/detector.js';
import type { InteractionRecognizer } from '../spec/recognizer.js';

/** Specification versions this runtime can drive. */
export const SUPPORTED_SPEC_VERSIONS = ['v1'] as const;

/** Throws a clear error when a plugin implements a contract version this runtime does not know. */
export function assertSupportedDetector(detector: Detector): void {
  if (!SUPPORTED_SPEC_VERSIONS.includes(detector?.specificationVersion)) {
    throw new UnsupportedSpecVersionError(
      `Detector ${detector?.provider ?? '(unknown)'}`,
      detector?.specificationVersion,
      SUPPORTED_SPEC_VERSIONS,
    );
  }
}

/** Throws a clear error when a plugin implements a contract version this runtime does not know. */
export function assertSupportedRecognizer(recognizer: InteractionRecognizer): void {
  if (!SUPPORTED_SPEC_VERSIONS.includes(recognizer?.specificationVersion)) {
    throw new UnsupportedSpecVersionError(
      `InteractionRecognizer ${recognizer?.provider ?? '(unknown)'}`,
      recognizer?.specificationVersion,
      SUPPORTED_SPEC_VERSIONS,
    );
  }
}
