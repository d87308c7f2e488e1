import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HoiError, type LoadedImage, loadImage } from '@hoi/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MoveNetPoseEstimator, type PersonPose, poseCropBox } from './movenet.js';

const here = dirname(fileURLToPath(import.meta.url));
const images = resolve(here, '../../../..', '../shared/images');
const kite = join(images, 'kite.jpg');
const astronaut = join(images, 'astronaut.png');
const hasPhotos = existsSync(kite) && existsSync(astronaut);

/** Person boxes read off the photos by eye (source pixels); a detector is not this package's business. */
const KITE_PEOPLE = [
  [110, 610, 168, 762], // blue hoodie, standing at the water line
  [212, 696, 272, 856], // dark hoodie, walking into the water
];
const ASTRONAUT = [0, 20, 512, 512];

function confident(pose: PersonPose, min = 0.3) {
  return pose.filter((k) => k.score >= min);
}

describe('poseCropBox', () => {
  it.each([
    { box: [0, 0, 100, 200], expected: [-80, -30, 180, 230] },
    { box: [10, 10, 10, 10], expected: [9.35, 9.35, 10.65, 10.65] },
  ])('$box -> square $expected', ({ box, expected }) => {
    poseCropBox(box).forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 9);
    });
  });
});

describe('MoveNetPoseEstimator.load errors', () => {
  it.each([
    ['missing file', (d: string) => join(d, 'nope.json')],
    [
      'malformed JSON',
      (d: string) => {
        writeFileSync(join(d, 'bad.json'), '{ not json');
        return join(d, 'bad.json');
      },
    ],
    [
      'not a graph model',
      (d: string) => {
        writeFileSync(join(d, 'empty.json'), '{"format":"graph-model"}');
        return join(d, 'empty.json');
      },
    ],
  ])('%s -> ModelLoadError', async (_name, make) => {
    const dir = mkdtempSync(join(tmpdir(), 'movenet-'));
    const error = await MoveNetPoseEstimator.load(make(dir)).catch((e) => e);
    expect(HoiError.isInstance(error)).toBe(true);
    expect(error.name).toBe('HoiModelLoadError');
  });
});

describe.skipIf(!hasPhotos)(
  `MoveNet on real photos${hasPhotos ? '' : ` (skipped: ${kite} / ${astronaut} not found)`}`,
  () => {
    let est: MoveNetPoseEstimator;
    let kiteImg: LoadedImage;
    let astroImg: LoadedImage;
    beforeAll(async () => {
      est = await MoveNetPoseEstimator.load();
      kiteImg = await loadImage(kite);
      astroImg = await loadImage(astronaut);
    });
    afterAll(() => est?.dispose());

    it('finds the two people in the foreground of kite.jpg, upright, keypoints inside their boxes', async () => {
      const poses = await est.estimate(kiteImg, KITE_PEOPLE);
      expect(poses).toHaveLength(2);
      poses.forEach((pose, i) => {
        const box = KITE_PEOPLE[i]!;
        const found = confident(pose);
        expect(found.length, `person ${i}: ${found.length} confident keypoints`).toBeGreaterThanOrEqual(8);
        const slack = 0.15 * (box[3]! - box[1]!);
        for (const k of found) {
          expect(k.x).toBeGreaterThan(box[0]! - slack);
          expect(k.x).toBeLessThan(box[2]! + slack);
          expect(k.y).toBeGreaterThan(box[1]! - slack);
          expect(k.y).toBeLessThan(box[3]! + slack);
        }
        // Upright: shoulders above hips above ankles (mean y per pair).
        const y = (a: number, b: number) => (pose[a]!.y + pose[b]!.y) / 2;
        expect(y(5, 6)).toBeLessThan(y(11, 12));
        expect(y(11, 12)).toBeLessThan(y(15, 16));
      });
    });

    it("finds the astronaut's face and shoulders in source pixels", async () => {
      const [pose] = await est.estimate(astroImg, [ASTRONAUT]);
      const nose = pose![0]!;
      expect(nose.score).toBeGreaterThan(0.5);
      // The face is in the upper middle of the 512x512 portrait.
      expect(nose.x).toBeGreaterThan(150);
      expect(nose.x).toBeLessThan(300);
      expect(nose.y).toBeGreaterThan(60);
      expect(nose.y).toBeLessThan(200);
      for (const k of [5, 6]) {
        expect(pose![k]!.score).toBeGreaterThan(0.5);
        expect(pose![k]!.y).toBeGreaterThan(nose.y);
      }
    });

    it('is deterministic and gives nothing for no boxes', async () => {
      const a = await est.estimate(kiteImg, KITE_PEOPLE);
      const b = await est.estimate(kiteImg, KITE_PEOPLE);
      expect(a).toEqual(b);
      expect(await est.estimate(kiteImg, [])).toEqual([]);
    });
  },
);
