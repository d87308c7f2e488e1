import { describe, expect, it } from 'vitest';
import { HoiError } from '../errors/hoi-error.js';
import type { DetectedInstance } from '../spec/detector.js';
import type { RgbImage } from '../spec/image.js';
import { createMockDetector } from '../testing/mock-detector.js';
import { createMockRecognizer } from '../testing/mock-recognizer.js';
import type { Vocabulary } from '../vocabulary/vocabulary.js';
import { detectInteractions } from './detect-interactions.js';

const vocabulary: Vocabulary = {
  name: 'tiny',
  verbs: ['hold', 'ride', 'no_interaction', 'hug'],
  objects: ['person', 'bicycle', 'cup'],
  noInteractionVerb: 'no_interaction',
  interactions: [
    { index: 0, verb: 'hold', object: 'bicycle', phrase: 'holding a bicycle' },
    { index: 1, verb: 'ride', object: 'bicycle', phrase: 'riding a bicycle' },
    { index: 2, verb: 'no_interaction', object: 'bicycle', phrase: 'and a bicycle' },
    { index: 3, verb: 'hold', object: 'cup', phrase: 'holding a cup' },
    { index: 4, verb: 'hug', object: 'person', phrase: 'hugging a person' },
  ],
};

// A non-square image: 64 wide, 48 high.
const image: RgbImage = { width: 64, height: 48, channels: 3, data: new Uint8Array(64 * 48 * 3).fill(90) };

const people: DetectedInstance[] = [
  { box: [2, 2, 20, 40], label: 'person', score: 0.9 },
  { box: [40, 2, 60, 40], label: 'person', score: 0.8 },
  { box: [10, 30, 50, 47], label: 'bicycle', score: 0.6 },
  { box: [22, 10, 28, 16], label: 'cup', score: 0.5 },
];

// Action scores by (subject index, verb, object label), known by construction.
const table: Record<string, number> = {
  '0:ride:bicycle': 0.9,
  '0:hold:bicycle': 0.4,
  '0:hold:cup': 0.2,
  '0:hug:person': 0.1,
  '1:ride:bicycle': 0.3,
  '1:hold:bicycle': 0.5,
  '1:hold:cup': 0.7,
  '1:hug:person': 0.05,
};
const recognizerFor = (extra: Partial<Parameters<typeof createMockRecognizer>[0]> = {}) =>
  createMockRecognizer({
    score: ({ pair, candidate }) => table[`${pair.subject}:${candidate.verb}:${candidate.object}`] ?? 0,
    ...extra,
  });

describe('detectInteractions', () => {
  it('fuses action x object x human scores and ranks them', async () => {
    const detector = createMockDetector({ instances: people });
    const recognizer = recognizerFor();
    const result = await detectInteractions({
      image,
      detector,
      recognizer,
      vocabulary,
      imageName: 'tiny.png',
    });
    expect(result.image).toBe('tiny.png');
    expect(result.size).toEqual([64, 48]);
    expect(result.instances.map((d) => d.label)).toEqual(['person', 'person', 'bicycle', 'cup']);
    // Every triplet: 2 humans x (2 bicycle verbs + 1 cup verb + 1 hug) = 8, no no_interaction.
    expect(result.interactions).toHaveLength(8);
    expect(result.interactions.some((t) => t.verb === 'no_interaction')).toBe(false);
    const expected = Object.entries(table)
      .map(([key, action]) => {
        const [s, verb, object] = key.split(':');
        const subject = Number(s);
        const objectIndex = object === 'bicycle' ? 2 : object === 'cup' ? 3 : 1 - subject;
        return {
          subject,
          object: objectIndex,
          verb,
          score: action * people[subject]!.score * people[objectIndex]!.score,
        };
      })
      .sort((a, b) => b.score - a.score);
    expect(result.interactions.map((t) => [t.subject, t.object, t.verb])).toEqual(
      expected.map((t) => [t.subject, t.object, t.verb]),
    );
    result.interactions.forEach((t, i) => {
      expect(t.score).toBeCloseTo(expected[i]!.score, 12);
    });
    // The candidate table is shared: each class appears once.
    expect(recognizer.calls).toHaveLength(1);
    expect(recognizer.calls[0]!.candidates.map((c) => c.phrase).sort()).toEqual(
      ['holding a bicycle', 'holding a cup', 'hugging a person', 'riding a bicycle'].sort(),
    );
    expect(result.pairCounts).toEqual({ formed: 6, filtered: 0, recognized: 6 });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('keeps the top K and writes factors when asked', async () => {
    const detector = createMockDetector({ instances: people });
    const result = await detectInteractions({
      image,
      detector,
      recognizer: recognizerFor(),
      vocabulary,
      topK: 2,
      includeFactors: true,
    });
    expect(result.interactions).toHaveLength(2);
    expect(result.interactions[0]).toMatchObject({
      subject: 0,
      object: 2,
      verb: 'ride',
      action: 0.9,
      human: 0.9,
      objectScore: 0.6,
      interactiveness: 1,
    });
  });

  it('drops pairs below the interactiveness threshold before the main recognizer', async () => {
    const detector = createMockDetector({ instances: people });
    const source = createMockRecognizer({
      score: () => 0.5,
      interactiveness: ({ object }) => (object.label === 'cup' ? 0.05 : 0.5),
    });
    const recognizer = recognizerFor();
    const result = await detectInteractions({
      image,
      detector,
      recognizer,
      vocabulary,
      interactiveness: { source, threshold: 0.15 },
    });
    expect(recognizer.calls[0]!.pairs.every((p) => p.object !== 3)).toBe(true);
    expect(result.pairCounts).toEqual({ formed: 6, filtered: 2, recognized: 4 });
    expect(result.interactions[0]!.score).toBeCloseTo(0.9 * 0.9 * 0.6 * 0.5, 12);
  });

  it('batches pairs by maxPairsPerCall', async () => {
    const detector = createMockDetector({ instances: people });
    const recognizer = recognizerFor({ maxPairsPerCall: 4 });
    const events: string[] = [];
    await detectInteractions({
      image,
      detector,
      recognizer,
      vocabulary,
      onProgress: (e) => events.push(`${e.stage}:${e.completed}/${e.total}`),
    });
    expect(recognizer.calls.map((c) => c.pairs.length)).toEqual([4, 2]);
    expect(events).toContain('recognize:4/6');
    expect(events).toContain('recognize:6/6');
  });

  it('uses given instances instead of a detector (ground-truth boxes)', async () => {
    const result = await detectInteractions({
      image,
      instances: people.slice(0, 1).concat(people[2]!),
      recognizer: recognizerFor(),
      vocabulary,
    });
    expect(result.interactions.map((t) => t.verb)).toEqual(['ride', 'hold']);
  });

  it('handles an image with no detections', async () => {
    const result = await detectInteractions({
      image,
      detector: createMockDetector({ instances: [], labels: ['person'] }),
      recognizer: recognizerFor(),
      vocabulary,
    });
    expect(result.instances).toEqual([]);
    expect(result.interactions).toEqual([]);
  });

  it('clips boxes to the image', async () => {
    const detector = createMockDetector({
      instances: [{ box: [-5, -5, 80, 60], label: 'person', score: 1 }],
    });
    const result = await detectInteractions({ image, detector, recognizer: recognizerFor(), vocabulary });
    expect(result.instances[0]!.box).toEqual([0, 0, 64, 48]);
  });

  it.each([
    {
      name: 'x2 < x1',
      instances: [{ box: [10, 0, 5, 5], label: 'person', score: 1 }],
      argument: 'mock.doDetect().instances[0].box',
    },
    {
      name: 'NaN score',
      instances: [{ box: [0, 0, 5, 5], label: 'person', score: Number.NaN }],
      argument: 'mock.doDetect().instances[0].score',
    },
    {
      name: 'score above 1',
      instances: [{ box: [0, 0, 5, 5], label: 'person', score: 1.5 }],
      argument: 'mock.doDetect().instances[0].score',
    },
    {
      name: 'empty label',
      instances: [{ box: [0, 0, 5, 5], label: '', score: 0.5 }],
      argument: 'mock.doDetect().instances[0].label',
    },
  ])('rejects a detector output with $name', async ({ instances, argument }) => {
    const detector = createMockDetector({ instances: instances as DetectedInstance[], labels: ['person'] });
    await expect(
      detectInteractions({ image, detector, recognizer: recognizerFor(), vocabulary }),
    ).rejects.toMatchObject({
      name: 'HoiInvalidArgumentError',
      argument,
    });
  });

  it('rejects a recognizer answer of the wrong length', async () => {
    const recognizer = recognizerFor();
    const broken = { ...recognizer, doRecognize: async () => ({ pairs: [], warnings: [] }) };
    await expect(
      detectInteractions({
        image,
        detector: createMockDetector({ instances: people }),
        recognizer: broken,
        vocabulary,
      }),
    ).rejects.toMatchObject({ name: 'HoiUnexpectedModelOutputError' });
  });

  it('rejects a plugin of an unknown spec version', async () => {
    const recognizer = { ...recognizerFor(), specificationVersion: 'v9' } as unknown as ReturnType<
      typeof recognizerFor
    >;
    await expect(
      detectInteractions({ image, instances: people, recognizer, vocabulary }),
    ).rejects.toMatchObject({
      name: 'HoiUnsupportedSpecVersionError',
    });
  });

  it.each([
    { name: 'no detector and no instances', opts: {}, argument: 'detector' },
    { name: 'negative topK', opts: { instances: people, topK: -1 }, argument: 'topK' },
  ])('rejects $name', async ({ opts, argument }) => {
    await expect(
      detectInteractions({ image, recognizer: recognizerFor(), vocabulary, ...opts }),
    ).rejects.toMatchObject({ argument });
  });

  it('refuses an image over the pixel limit', async () => {
    await expect(
      detectInteractions({
        image,
        instances: people,
        recognizer: recognizerFor(),
        vocabulary,
        maxPixels: 100,
      }),
    ).rejects.toMatchObject({
      name: 'HoiImageDecodeError',
    });
  });

  it('aborts before work and between batches', async () => {
    const controller = new AbortController();
    controller.abort();
    const detector = createMockDetector({ instances: people });
    await expect(
      detectInteractions({
        image,
        detector,
        recognizer: recognizerFor(),
        vocabulary,
        signal: controller.signal,
      }),
    ).rejects.toSatisfy((e) => HoiError.isInstance(e) && e.name === 'HoiAbortError');
    expect(detector.calls).toHaveLength(0);

    const mid = new AbortController();
    const recognizer = createMockRecognizer({
      score: () => {
        mid.abort();
        return 0.5;
      },
      maxPairsPerCall: 1,
    });
    await expect(
      detectInteractions({ image, detector, recognizer, vocabulary, signal: mid.signal }),
    ).rejects.toMatchObject({ name: 'HoiAbortError' });
    expect(recognizer.calls).toHaveLength(1);
  });
});
