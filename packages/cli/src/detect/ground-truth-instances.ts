import type { DetectedInstance } from '@hoi/core/spec';
import { hicoDetGroundTruthInstances, imageKey, loadHicoDetAnnotations } from '@hoi/eval';

/**
 * The ground-truth-box oracle: the annotated boxes of each image (score 1), by image file name, to
 * feed the recognizer instead of a detector, which separates detection errors from recognition errors.
 */
export async function loadGroundTruthInstances(
  annotationsPath: string,
): Promise<Map<string, DetectedInstance[]>> {
  const gt = await loadHicoDetAnnotations(annotationsPath);
  return new Map(
    hicoDetGroundTruthInstances(gt).map(({ image, instances }) => [
      imageKey(image),
      instances as DetectedInstance[],
    ]),
  );
}
