import type { DetectedInstance } from '@hoi/core/spec';
import { imageKey, loadHicoDetAnnotations } from '@hoi/eval';

/**
 * The ground-truth-box oracle: the annotated boxes of each image (score 1) to feed the recognizer
 * instead of a detector, which separates detection errors from recognition errors. Each distinct box
 * becomes one instance: humans labelled `person`, objects with their HICO-DET label (spaces).
 */
export async function loadGroundTruthInstances(
  annotationsPath: string,
): Promise<Map<string, DetectedInstance[]>> {
  const gt = await loadHicoDetAnnotations(annotationsPath);
  const out = new Map<string, DetectedInstance[]>();
  gt.fileNames.forEach((name, i) => {
    const seen = new Map<string, DetectedInstance>();
    const add = (box: number[], label: string) => {
      const key = `${label}|${box.join(',')}`;
      if (!seen.has(key)) seen.set(key, { box: box as DetectedInstance['box'], label, score: 1 });
    };
    for (let p = gt.pairStart[i]!; p < gt.pairStart[i + 1]!; p++) {
      const b = Array.from(gt.pairBoxes.subarray(p * 8, p * 8 + 8));
      const object = gt.classes.objects[gt.classes.classObject[gt.pairClass[p]!]!]!.replace(/_/g, ' ');
      add(b.slice(0, 4), 'person');
      add(b.slice(4, 8), object);
    }
    out.set(imageKey(name), [...seen.values()]);
  });
  return out;
}
