/**
 * Prints what the shipped MB3-CenterNet finds in the photos of ../shared/images at several score
 * thresholds, for both resize modes. The evidence behind DEFAULT_SCORE_THRESHOLD and the letterbox
 * default (README, "Choosing the threshold"). Run:
 * `npx tsx --conditions=source scripts/threshold-survey.ts [images...]`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadImage } from '@hoi/core';
import { createCenterNetDetector, type ResizeMode } from '../src/index.js';

const imagesDir = resolve(fileURLToPath(import.meta.url), '../../../../../shared/images');
const files = process.argv.slice(2);
if (files.length === 0) {
  if (!existsSync(imagesDir)) {
    console.error(`no images given and ${imagesDir} not found`);
    process.exit(1);
  }
  files.push(
    ...readdirSync(imagesDir)
      .filter((f) => /\.(jpe?g|png)$/i.test(f))
      .map((f) => join(imagesDir, f)),
  );
}
const thresholds = [0.1, 0.15, 0.2, 0.25, 0.3, 0.4];
const detector = await createCenterNetDetector({ scoreThreshold: 0 });
for (const file of files) {
  const image = await loadImage(file);
  for (const resize of ['letterbox', 'stretch'] as ResizeMode[]) {
    const { instances } = await detector.doDetect(image, {
      scoreThreshold: Math.min(...thresholds),
      providerOptions: { centernet: { resize } },
    });
    console.log(`\n${file.split('/').pop()} ${image.width}x${image.height} ${resize}`);
    for (const t of thresholds) {
      const counts = new Map<string, number>();
      for (const d of instances) if (d.score >= t) counts.set(d.label, (counts.get(d.label) ?? 0) + 1);
      const text = [...counts].map(([label, n]) => `${label} ${n}`).join(', ');
      console.log(`  >= ${t.toFixed(2)}: ${text || '(none)'}`);
    }
    const top = instances.slice(0, 12).map((d) => `${d.label} ${d.score.toFixed(2)}`);
    console.log(`  top: ${top.join('; ')}`);
  }
}
await detector.dispose?.();
