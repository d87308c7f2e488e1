import { describe, expect, it } from 'vitest';
import { AbortError } from '../errors/hoi-error.js';
import type { DetectedInstance, Detector } from '../spec/detector.js';
import {
  assertDetectorConformance,
  checkDetectorConformance,
  checkRecognizerConformance,
} from './conformance.js';
import { createMockDetector } from './mock-detector.js';
import { createMockRecognizer } from './mock-recognizer.js';

// A detector that finds the red rectangle of the synthetic image: a real (if trivial) colour detector.
function redDetector(): Detector {
  return createMockDetector({
    labels: ['person'],
    instances: (image) => {
      let x1 = image.width;
      let y1 = image.height;
      let x2 = -1;
      let y2 = -1;
      for (let y = 0; y < image.height; y++) {
        for (let x = 0; x < image.width; x++) {
          const i = (y * image.width + x) * 3;
          if (image.data[i] === 200 && image.data[i + 1] === 40 && image.data[i + 2] === 40) {
            x1 = Math.min(x1, x);
            y1 = Math.min(y1, y);
            x2 = Math.max(x2, x + 1);
            y2 = Math.max(y2, y + 1);
          }
        }
      }
      return x2 < 0 ? [] : [{ box: [x1, y1, x2, y2], label: 'person', score: 0.9 }];
    },
  });
}

describe('detector conformance kit', () => {
  it('passes a conforming detector', async () => {
    await expect(assertDetectorConformance(redDetector())).resolves.toBeUndefined();
  });

  it.each([
    {
      name: 'boxes outside the image',
      broken: (d: Detector): Detector => ({
        ...d,
        doDetect: async (img, o) => ({
          ...(await d.doDetect(img, o)),
          instances: [{ box: [0, 0, img.width + 5, 10], label: 'person', score: 0.5 }],
        }),
      }),
      failing: 'boxes, labels, scores and order on non-square images',
    },
    {
      name: 'unsorted scores',
      broken: (d: Detector): Detector => ({
        ...d,
        doDetect: async () => ({
          warnings: [],
          instances: [
            { box: [0, 0, 5, 5], label: 'person', score: 0.2 },
            { box: [0, 0, 5, 5], label: 'person', score: 0.8 },
          ] as DetectedInstance[],
        }),
      }),
      failing: 'boxes, labels, scores and order on non-square images',
    },
    {
      name: 'unknown label',
      broken: (d: Detector): Detector => ({
        ...d,
        doDetect: async () => ({
          warnings: [],
          instances: [{ box: [0, 0, 5, 5], label: 'dragon', score: 0.5 }],
        }),
      }),
      failing: 'boxes, labels, scores and order on non-square images',
    },
    {
      name: 'ignores abort',
      broken: (d: Detector): Detector => ({ ...d, doDetect: (img) => d.doDetect(img, {}) }),
      failing: 'an aborted signal rejects with HoiAbortError',
    },
    {
      name: 'random output',
      broken: (d: Detector): Detector => ({
        ...d,
        doDetect: async () => ({
          warnings: [],
          instances: [{ box: [0, 0, 5, 5], label: 'person', score: Math.random() * 0.4 }],
        }),
      }),
      failing: 'deterministic: the same image gives the same instances',
    },
  ])('flags a detector with $name', async ({ broken, failing }) => {
    const report = await checkDetectorConformance(broken(redDetector()));
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === failing)).toMatchObject({
      ok: false,
      message: expect.any(String),
    });
  });
});

describe('recognizer conformance kit', () => {
  const good = () =>
    createMockRecognizer({
      score: ({ subject, object, candidate }) =>
        (candidate.verb === 'ride' ? 0.8 : 0.1) * (subject.box[2] > object.box[0] ? 1 : 0.5),
      interactiveness: () => 0.5,
      maxPairsPerCall: 3,
    });

  it('passes a conforming recognizer', async () => {
    const report = await checkRecognizerConformance(good());
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it.each([
    {
      name: 'scores above 1',
      score: () => 1.5,
      failing: 'one result per pair, one score in [0, 1] per candidate',
    },
    {
      name: 'batch-dependent scores',
      score: (
        (n = 0) =>
        () =>
          0.1 * (++n % 5)
      )(),
      failing: 'a pair result does not depend on the other pairs of the call',
    },
  ])('flags a recognizer with $name', async ({ score, failing }) => {
    const report = await checkRecognizerConformance(createMockRecognizer({ score }));
    expect(report.checks.find((c) => c.name === failing)?.ok).toBe(false);
  });

  it('flags a recognizer that throws the wrong error on abort', async () => {
    const r = good();
    const report = await checkRecognizerConformance({
      ...r,
      doRecognize: async (o) => {
        if (o.signal?.aborted) throw new Error('plain error');
        return r.doRecognize(o);
      },
    });
    expect(report.checks.find((c) => c.name.includes('aborted'))).toMatchObject({
      ok: false,
      message: expect.stringContaining('HoiAbortError'),
    });
    expect(new AbortError().name).toBe('HoiAbortError');
  });
});
