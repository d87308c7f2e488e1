import type { HoiResultInstance } from '@hoi/core/spec';
import type { HicoDetGroundTruth } from './hico-det-annotations.js';

/**
 * The annotated boxes of each image as detector instances (score 1), for the ground-truth-box
 * oracle (`hoi detect --gt-boxes`): feeding them to the recognizer instead of a detector separates
 * detection errors from recognition errors. Each distinct (box, label) appears once, humans first
 * in annotation order, then objects; `no_interaction` pairs contribute their boxes too.
 */
export function hicoDetGroundTruthInstances(
  gt: HicoDetGroundTruth,
): { image: string; instances: HoiResultInstance[] }[] {
  const { classes } = gt;
  const person = classes.objects[classes.personObject]!;
  return gt.fileNames.map((image, i) => {
    const humans: HoiResultInstance[] = [];
    const objects: HoiResultInstance[] = [];
    const seen = new Set<string>();
    const add = (list: HoiResultInstance[], box: number[], label: string) => {
      const key = `${label}|${box.join(',')}`;
      if (seen.has(key)) return;
      seen.add(key);
      list.push({ box: box as [number, number, number, number], label, score: 1 });
    };
    for (let p = gt.pairStart[i]!; p < gt.pairStart[i + 1]!; p++) {
      const b = Array.from(gt.pairBoxes.subarray(p * 8, p * 8 + 8));
      add(humans, b.slice(0, 4), person);
      add(objects, b.slice(4), classes.objects[classes.classObject[gt.pairClass[p]!]!]!);
    }
    return { image, instances: [...humans, ...objects] };
  });
}
