// Use your own detector plugin in the pipeline. Run: pnpm --filter @hoi/examples plugin
import { detectInteractions, hicoDet } from '@hoi/core';
import { createSyntheticImage } from '@hoi/core/test';
import { createPriorRecognizer } from '@hoi/recognizer-prior';
import { createColourBlobDetector } from './colour-blob-detector.js';

// Two plugins, each finding one coloured rectangle of the synthetic test picture.
const person = createColourBlobDetector({ rgb: [200, 40, 40], label: 'person' });
const bicycle = createColourBlobDetector({ rgb: [40, 40, 200], label: 'bicycle' });
const image = createSyntheticImage(640, 400);
const instances = [...(await person.doDetect(image)).instances, ...(await bicycle.doDetect(image)).instances];
const result = await detectInteractions({
  image,
  instances,
  recognizer: createPriorRecognizer({ pose: false }),
  vocabulary: hicoDet,
  topK: 5,
});
console.log(JSON.stringify(result.instances));
for (const t of result.interactions)
  console.log(`person ${t.verb} ${result.instances[t.object]!.label}: ${t.score.toFixed(3)}`);
