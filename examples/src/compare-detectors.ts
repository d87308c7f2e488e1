// Run one recognizer with several detectors over the same images and compare them on HICO-DET.
// Run: pnpm --filter @hoi/examples compare ANNOTATIONS.json IMAGE_DIR [yolo:model.onnx ...]
// With only the annotations and images, it compares the embedded detector with ground-truth boxes.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type DetectedInstance, type Detector, detectInteractions, hicoDet } from '@hoi/core';
import { createCenterNetDetector } from '@hoi/detector-centernet';
import { createYoloDetector } from '@hoi/detector-yolo';
import {
  compareDetectors,
  formatCrossDetectorTable,
  hicoDetGroundTruthInstances,
  imageKey,
  loadHicoDetAnnotations,
} from '@hoi/eval';
import { createPriorRecognizer } from '@hoi/recognizer-prior';

const [annotations, imageDir, ...extra] = process.argv.slice(2);
if (!annotations || !imageDir) {
  console.error('usage: compare ANNOTATIONS.json IMAGE_DIR [yolo:model.onnx ...]');
  process.exit(2);
}
const limit = Number(process.env.HOI_COMPARE_IMAGES ?? 20);
const images = (await readdir(imageDir))
  .filter((f) => /\.(jpe?g|png)$/i.test(f))
  .sort()
  .slice(0, limit);
const gt = await loadHicoDetAnnotations(annotations);
const gtInstances = new Map(
  hicoDetGroundTruthInstances(gt).map((e) => [imageKey(e.image), e.instances as DetectedInstance[]]),
);
const recognizer = createPriorRecognizer();

async function run(detector: Detector | 'ground-truth') {
  const records = [];
  for (const name of images) {
    const instances = detector === 'ground-truth' ? (gtInstances.get(name) ?? []) : undefined;
    const result = await detectInteractions({
      image: join(imageDir!, name),
      imageName: name,
      ...(instances ? { instances, filter: false as const } : { detector: detector as Detector }),
      recognizer,
      vocabulary: hicoDet,
    });
    records.push(result);
  }
  return records;
}

const detectors: { name: string; detector: Detector }[] = [
  { name: 'centernet', detector: await createCenterNetDetector() },
];
for (const spec of extra) {
  if (spec.startsWith('yolo:'))
    detectors.push({ name: spec, detector: await createYoloDetector({ model: spec.slice(5) }) });
}
const rows = await compareDetectors(
  await Promise.all(detectors.map(async (d) => ({ name: d.name, predictions: await run(d.detector) }))),
  { annotations: gt, protocol: 'official', gtBoxes: await run('ground-truth') },
);
// Only `images` were run, so absolute mAPs are low (the other test images count as misses); the
// differences between rows are what this example shows.
console.log(formatCrossDetectorTable(rows));
