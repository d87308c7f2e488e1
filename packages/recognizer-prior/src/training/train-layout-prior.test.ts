import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LayoutPriorWeights } from '../layout-prior-model.js';
import { trainLayoutPrior } from './train-layout-prior.js';
import { buildVcocoPairs, estimateCocoImageSize, readVcocoAnnotations } from './vcoco-pairs.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../../..');
const trainval = resolve(repoRoot, '../shared/data/vcoco/instances_vcoco_trainval.json');
const committed = resolve(here, '../weights/layout-prior.json');
const hasData = existsSync(trainval);

function expectClose(actual: number[], expected: number[], where: string) {
  expect(actual.length, where).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    // Rounded to 6 significant digits: identical on one platform; allow a last-digit flip elsewhere.
    expect(Math.abs(a - e), `${where}[${i}]: ${a} vs ${e}`).toBeLessThanOrEqual(
      2e-5 * Math.max(1, Math.abs(e)),
    );
  });
}

describe.skipIf(!hasData)(
  `layout prior refit on V-COCO trainval${hasData ? '' : ` (skipped: ${trainval} not found)`}`,
  () => {
    it('reproduces the committed weights (full deterministic fit)', () => {
      const pairs = buildVcocoPairs(readVcocoAnnotations(trainval));
      const fitted = trainLayoutPrior(pairs, undefined, {
        source: 'V-COCO trainval (reduced pair-level layout), all images',
      });
      const saved = JSON.parse(readFileSync(committed, 'utf8')) as LayoutPriorWeights;
      expect(fitted.objects).toEqual(saved.objects);
      expect(fitted.training).toEqual(saved.training);
      expectClose(fitted.featureMean, saved.featureMean, 'featureMean');
      expectClose(fitted.featureStd, saved.featureStd, 'featureStd');
      expect(fitted.heads.map((h) => h.name)).toEqual(saved.heads.map((h) => h.name));
      fitted.heads.forEach((h, k) => {
        const s = saved.heads[k]!;
        expectClose([h.intercept], [s.intercept], `${h.name}.intercept`);
        expectClose(h.spatial, s.spatial, `${h.name}.spatial`);
        expectClose(h.object, s.object, `${h.name}.object`);
      });
    }, 120_000);
  },
);

describe('estimateCocoImageSize', () => {
  it.each([
    { boxes: [[0, 0, 600, 300]], expected: { width: 640, height: 480 } },
    { boxes: [[0, 0, 300, 600]], expected: { width: 480, height: 640 } },
    { boxes: [[0, 0, 630, 500]], expected: { width: 640, height: 500 } },
    { boxes: [], expected: { width: 640, height: 480 } },
  ])('$boxes -> $expected', ({ boxes, expected }) => {
    expect(estimateCocoImageSize(boxes)).toEqual(expected);
  });
});

describe('buildVcocoPairs', () => {
  it('pairs every unique human with every unique object box, labels the annotated ones', () => {
    const file = {
      images: [7],
      classes: ['hold obj', 'look obj'],
      objects: ['background', 'person', 'bicycle'],
      annotations: [
        {
          // human A holds and looks at the bicycle; human B looks at human A (a person object).
          boxes_h: [
            [0, 0, 100, 200],
            [0, 0, 100, 200],
            [300, 0, 400, 200],
          ],
          boxes_o: [
            [50, 100, 150, 200],
            [50, 100, 150, 200],
            [0, 0, 100, 200],
          ],
          actions: [0, 1, 1],
          objects: [2, 2, 1],
        },
      ],
    };
    const set = buildVcocoPairs(file);
    // humans {A, B} x objects {bicycle, A-as-person}, minus (A, A): 3 pairs.
    expect(set.size).toBe(3);
    expect(Array.from(set.labels)).toEqual([1, 1, 0, 0, 0, 1]);
    expect(Array.from(set.objectIndex)).toEqual([1, 1, 0]);
    expect(set.positivePairs).toBe(2);
    expect(set.positiveTriplets).toBe(3);
    expect(buildVcocoPairs({ ...file, images: [], annotations: [] }).size).toBe(0);
  });
});
