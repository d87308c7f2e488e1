import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { candidatesForObject, hicoDet, loadImage, vcoco } from '@hoi/core';
import type { DetectedInstance, InteractionCandidate, InteractionPair } from '@hoi/core/spec';
import { describe, expect, it } from 'vitest';
import { createPriorRecognizer } from '../prior-recognizer.js';

// Photos with clear interactions whose licence is unknown: read from ../shared only, never committed.
const here = dirname(fileURLToPath(import.meta.url));
const dir = resolve(here, '../../../..', '../shared/images/test-only');
const umbrella = join(dir, 'upt-umbrella.jpeg');
const basketball = join(dir, 'opencv-basketball1.png');
const has = existsSync(umbrella) && existsSync(basketball);

/** Boxes read off the photos by eye, source pixels. */
const UMBRELLA_SCENE: DetectedInstance[] = [
  { box: [20, 150, 215, 500], label: 'person', score: 1 },
  { box: [250, 120, 475, 500], label: 'person', score: 1 },
  { box: [500, 155, 730, 500], label: 'person', score: 1 },
  { box: [0, 10, 250, 310], label: 'umbrella', score: 1 },
  { box: [262, 8, 500, 320], label: 'umbrella', score: 1 },
  { box: [500, 0, 750, 320], label: 'umbrella', score: 1 },
];
const BASKETBALL_SCENE: DetectedInstance[] = [
  { box: [35, 80, 160, 480], label: 'person', score: 1 },
  { box: [435, 22, 640, 480], label: 'person', score: 1 },
  { box: [122, 95, 182, 152], label: 'sports ball', score: 1 },
];

function setup(instances: DetectedInstance[], objectLabel: string, vocabulary = hicoDet) {
  const candidates: InteractionCandidate[] = candidatesForObject(vocabulary, objectLabel).map(
    ({ verb, object, phrase }) => ({
      verb,
      object,
      phrase,
    }),
  );
  const all = candidates.map((_, i) => i);
  const pairs: InteractionPair[] = instances.flatMap((s, si) =>
    s.label !== 'person'
      ? []
      : instances.flatMap((o, oi) =>
          o.label === objectLabel ? [{ subject: si, object: oi, candidates: all }] : [],
        ),
  );
  const score = (r: { pairs: { scores: number[] }[] }, subject: number, object: number, verb: string) => {
    const i = pairs.findIndex((p) => p.subject === subject && p.object === object);
    return r.pairs[i]!.scores[candidates.findIndex((c) => c.verb === verb)]!;
  };
  return { candidates, pairs, score };
}

describe.skipIf(!has)(
  `pose cues on photos with clear interactions${has ? '' : ` (skipped: ${dir} not found)`}`,
  () => {
    it('three people holding umbrellas: pose raises hold for their own umbrella, lowers it for the others', async () => {
      const image = await loadImage(umbrella);
      const { candidates, pairs, score } = setup(UMBRELLA_SCENE, 'umbrella');
      const withPose = await createPriorRecognizer().doRecognize({
        image,
        instances: UMBRELLA_SCENE,
        pairs,
        candidates,
      });
      const layout = await createPriorRecognizer({ pose: false }).doRecognize({
        image,
        instances: UMBRELLA_SCENE,
        pairs,
        candidates,
      });
      for (const person of [0, 1, 2]) {
        const own = person + 3;
        expect(score(withPose, person, own, 'hold'), `person ${person}`).toBeGreaterThan(
          score(layout, person, own, 'hold'),
        );
        expect(score(withPose, person, own, 'hold')).toBeGreaterThan(0.5);
      }
      // The person on the left is nowhere near the right-hand umbrella.
      expect(score(withPose, 0, 5, 'hold')).toBeLessThan(score(layout, 0, 5, 'hold'));
    });

    it("basketball: the catcher's hands are at the ball, the other player looks at it", async () => {
      const image = await loadImage(basketball);
      const { candidates, pairs, score } = setup(BASKETBALL_SCENE, 'sports ball', vcoco);
      const withPose = await createPriorRecognizer().doRecognize({
        image,
        instances: BASKETBALL_SCENE,
        pairs,
        candidates,
      });
      const layout = await createPriorRecognizer({ pose: false }).doRecognize({
        image,
        instances: BASKETBALL_SCENE,
        pairs,
        candidates,
      });
      for (const verb of ['hold', 'catch', 'throw']) {
        expect(score(withPose, 0, 2, verb), verb).toBeGreaterThan(score(layout, 0, 2, verb));
      }
      expect(score(withPose, 1, 2, 'look')).toBeGreaterThan(score(layout, 1, 2, 'look'));
      // His hands are far from the ball: hold goes down for him.
      expect(score(withPose, 1, 2, 'hold')).toBeLessThan(score(layout, 1, 2, 'hold'));
    });
  },
);
