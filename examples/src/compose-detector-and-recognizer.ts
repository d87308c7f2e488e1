// Compose any detector with any recognizer. Run: pnpm --filter @hoi/examples compose [image]
// Swap the detector for `createYoloDetector({ model: 'yolo11s.onnx' })` (from @hoi/detector-yolo) or the
// recognizer for `createDualEncoderRecognizer({ model: 'Xenova/clip-vit-base-patch32' })` (from
// @hoi/mllm-onnx) without changing anything else.
import { detectInteractions, hicoDet } from '@hoi/core';
import { createCenterNetDetector } from '@hoi/detector-centernet';
import { createPriorRecognizer } from '@hoi/recognizer-prior';

const image = process.argv[2] ?? new URL('../images/kite.jpg', import.meta.url).pathname;
const detector = await createCenterNetDetector();
const recognizer = createPriorRecognizer();
try {
  const result = await detectInteractions({ image, detector, recognizer, vocabulary: hicoDet, topK: 10 });
  console.log(
    `${result.image}: ${result.instances.length} instances, ${result.pairCounts.recognized} pairs scored`,
  );
  for (const t of result.interactions) {
    const object = result.instances[t.object]!;
    console.log(
      `  person #${t.subject} ${t.verb.replace(/_/g, ' ')} ${object.label} #${t.object}  ${t.score.toFixed(3)}`,
    );
  }
} finally {
  await detector.dispose?.();
  await recognizer.dispose?.();
}
