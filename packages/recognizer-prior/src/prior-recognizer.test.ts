import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { candidatesForObject, HoiError, hicoDet, loadImage, vcoco } from '@hoi/core';
import type { DetectedInstance, InteractionCandidate, InteractionPair, RgbImage } from '@hoi/core/spec';
import { checkRecognizerConformance, createSyntheticImage } from '@hoi/core/test';
import { describe, expect, it } from 'vitest';
import { PRIOR_ACTIONS } from './action-map.js';
import { combineWithCues, createPriorRecognizer, DEFAULT_UNKNOWN_VERB_FACTOR } from './prior-recognizer.js';

const here = dirname(fileURLToPath(import.meta.url));
const weightsFile = join(here, 'weights/layout-prior.json');
const images = resolve(here, '../../..', '../shared/images');
const kite = join(images, 'kite.jpg');

function candidateTable(
  labels: string[],
  vocabulary = hicoDet,
): { table: InteractionCandidate[]; byLabel: Map<string, number[]> } {
  const table: InteractionCandidate[] = [];
  const byLabel = new Map<string, number[]>();
  for (const l of labels) {
    const list = candidatesForObject(vocabulary, l).map((c) => {
      table.push({ verb: c.verb, object: c.object, phrase: c.phrase, classIndex: c.index });
      return table.length - 1;
    });
    byLabel.set(l, list);
  }
  return { table, byLabel };
}

function pairsFor(instances: DetectedInstance[], byLabel: Map<string, number[]>): InteractionPair[] {
  return instances.flatMap((s, si) =>
    s.label !== 'person'
      ? []
      : instances.flatMap((o, oi) =>
          oi === si ? [] : [{ subject: si, object: oi, candidates: byLabel.get(o.label) ?? [] }],
        ),
  );
}

/** A 640x480 scene: a rider on a horse, a person holding a cup, and a person far from everything. */
const scene: DetectedInstance[] = [
  { box: [100, 80, 220, 330], label: 'person', score: 0.9 }, // rider
  { box: [60, 200, 300, 450], label: 'horse', score: 0.9 },
  { box: [400, 100, 470, 330], label: 'person', score: 0.9 },
  { box: [455, 190, 485, 225], label: 'cup', score: 0.8 },
  { box: [600, 5, 615, 45], label: 'person', score: 0.6 }, // small, far away
];

describe('createPriorRecognizer (layout only)', () => {
  const rec = createPriorRecognizer({ pose: false });
  const image: RgbImage = createSyntheticImage(640, 480);
  const { table, byLabel } = candidateTable(['horse', 'cup', 'person']);
  const pairs = pairsFor(scene, byLabel);

  it('is a v1 recognizer named prior with interactiveness', () => {
    expect(rec.specificationVersion).toBe('v1');
    expect(rec.provider).toBe('prior');
    expect(rec.capabilities).toEqual({ interactiveness: true, openVocabulary: false });
  });

  it('scores the rider as riding the horse and the drinker as holding the cup, above unknown verbs', async () => {
    const r = await rec.doRecognize({ image, instances: scene, pairs, candidates: table });
    const score = (subject: number, object: number, verb: string) => {
      const i = pairs.findIndex((p) => p.subject === subject && p.object === object);
      const k = pairs[i]!.candidates.findIndex((c) => table[c]!.verb === verb);
      return r.pairs[i]!.scores[k]!;
    };
    expect(score(0, 1, 'ride')).toBeGreaterThan(0.5);
    expect(score(0, 1, 'ride')).toBeGreaterThan(score(0, 1, 'feed'));
    expect(score(2, 3, 'hold')).toBeGreaterThan(0.3);
    // An unknown verb (HICO `feed`, no V-COCO meaning) gets the low prior: 0.1 x interactiveness, never 0.
    const i = pairs.findIndex((p) => p.subject === 0 && p.object === 1);
    expect(score(0, 1, 'feed')).toBeCloseTo(DEFAULT_UNKNOWN_VERB_FACTOR * r.pairs[i]!.interactiveness!, 12);
    expect(score(0, 1, 'feed')).toBeGreaterThan(0);
  });

  it('gives a person far from every object low interactiveness', async () => {
    const r = await rec.doRecognize({ image, instances: scene, pairs, candidates: table });
    const near = r.pairs[pairs.findIndex((p) => p.subject === 0 && p.object === 1)]!.interactiveness!;
    const far = pairs.flatMap((p, i) => (p.subject === 4 ? [r.pairs[i]!.interactiveness!] : []));
    expect(far.length).toBeGreaterThan(0);
    for (const f of far) {
      expect(f).toBeLessThan(0.2);
      expect(f).toBeLessThan(near / 4);
    }
  });

  it('answers V-COCO verbs (hold, sit, hit_instr, talk_on_phone) as well as HICO-DET ones', async () => {
    const { table: vt, byLabel: vb } = candidateTable(['horse', 'cup'], vcoco);
    const vpairs = pairsFor(scene.slice(0, 4), vb);
    const r = await rec.doRecognize({ image, instances: scene.slice(0, 4), pairs: vpairs, candidates: vt });
    const i = vpairs.findIndex((p) => p.subject === 0 && p.object === 1);
    const k = vpairs[i]!.candidates.findIndex((c) => vt[c]!.verb === 'ride');
    expect(r.pairs[i]!.scores[k]!).toBeGreaterThan(0.5);
    // Every V-COCO verb is known: none falls back to the low prior.
    const known = new Set(PRIOR_ACTIONS.flatMap((a) => a.verbs));
    for (const v of vcoco.verbs) expect(known.has(v), v).toBe(true);
  });

  it('no_interaction scores 1 - interactiveness; empty inputs give empty outputs', async () => {
    const candidates = [{ verb: 'no_interaction', object: 'horse', phrase: 'no interaction with a horse' }];
    const r = await rec.doRecognize({
      image,
      instances: scene,
      pairs: [{ subject: 0, object: 1, candidates: [0] }],
      candidates,
    });
    expect(r.pairs[0]!.scores[0]!).toBeCloseTo(1 - r.pairs[0]!.interactiveness!, 12);
    expect((await rec.doRecognize({ image, instances: [], pairs: [], candidates: [] })).pairs).toEqual([]);
    const none = await rec.doRecognize({
      image,
      instances: scene,
      pairs: [{ subject: 0, object: 1, candidates: [] }],
      candidates: [],
    });
    expect(none.pairs[0]!.scores).toEqual([]);
  });

  it('is deterministic and rejects bad indices and an aborted signal with HoiErrors', async () => {
    const a = await rec.doRecognize({ image, instances: scene, pairs, candidates: table });
    const b = await rec.doRecognize({ image, instances: scene, pairs, candidates: table });
    expect(JSON.stringify(a.pairs)).toBe(JSON.stringify(b.pairs));
    const bad = await rec
      .doRecognize({
        image,
        instances: scene,
        pairs: [{ subject: 0, object: 9, candidates: [] }],
        candidates: table,
      })
      .catch((e) => e);
    expect(HoiError.isInstance(bad) && bad.name).toBe('HoiInvalidArgumentError');
    const ctl = new AbortController();
    ctl.abort();
    const aborted = await rec
      .doRecognize({ image, instances: scene, pairs, candidates: table, signal: ctl.signal })
      .catch((e) => e);
    expect(HoiError.isInstance(aborted) && aborted.name).toBe('HoiAbortError');
  });

  it('passes the @hoi/core/test conformance kit', async () => {
    const report = await checkRecognizerConformance(rec);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
  });
});

describe('createPriorRecognizer (with pose, the default)', () => {
  it('passes the @hoi/core/test conformance kit, MoveNet included', async () => {
    const rec = createPriorRecognizer();
    const report = await checkRecognizerConformance(rec);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    await rec.dispose?.();
  });
});

describe('weights file errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prior-weights-'));
  const good = JSON.parse(readFileSync(weightsFile, 'utf8'));
  const write = (name: string, content: string) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  it.each([
    ['missing file', () => join(dir, 'absent.json')],
    ['not JSON', () => write('a.json', '{"format": "hoi-layout-prior",')],
    ['wrong format', () => write('b.json', JSON.stringify({ ...good, format: 'other' }))],
    [
      'short spatial weights',
      () =>
        write(
          'c.json',
          JSON.stringify({ ...good, heads: [{ ...good.heads[0], spatial: [1, 2] }, ...good.heads.slice(1)] }),
        ),
    ],
    ['an empty heads list', () => write('d.json', JSON.stringify({ ...good, heads: [] }))],
    [
      'a V-COCO class head missing',
      () => write('e.json', JSON.stringify({ ...good, heads: good.heads.slice(1) })),
    ],
    [
      'NaN in the mean',
      () => write('f.json', JSON.stringify({ ...good, featureMean: [...good.featureMean.slice(1), 'x'] })),
    ],
  ])('%s -> ModelLoadError (a HoiError)', (_name, make) => {
    let error: unknown;
    try {
      createPriorRecognizer({ weightsPath: make(), pose: false });
    } catch (e) {
      error = e;
    }
    expect(HoiError.isInstance(error)).toBe(true);
    expect((error as Error).name).toBe('HoiModelLoadError');
  });

  it('a missing MoveNet file rejects the first call with ModelLoadError', async () => {
    const rec = createPriorRecognizer({ poseModelPath: join(dir, 'no-movenet.json') });
    const error = await rec
      .doRecognize({
        image: createSyntheticImage(64, 48),
        instances: scene,
        pairs: [{ subject: 0, object: 1, candidates: [] }],
        candidates: [],
      })
      .catch((e) => e);
    expect(HoiError.isInstance(error) && error.name).toBe('HoiModelLoadError');
  });
});

describe('combineWithCues', () => {
  it.each([
    { p: 0.3, cues: undefined, names: ['hand'], expected: 0.3 },
    {
      p: 0.3,
      cues: { hand: 0.5, seat: undefined, foot: undefined, gaze: undefined },
      names: ['hand'],
      expected: 0.3,
    },
    {
      p: 0.5,
      cues: { hand: 1, seat: undefined, foot: undefined, gaze: undefined },
      names: ['hand'],
      expected: 1 / (1 + Math.exp(-1)),
    },
    {
      p: 0.5,
      cues: { hand: 0, seat: undefined, foot: undefined, gaze: undefined },
      names: ['hand'],
      expected: 1 / (1 + Math.exp(1)),
    },
    { p: 0.5, cues: { hand: 1, seat: 1, foot: undefined, gaze: undefined }, names: [], expected: 0.5 },
  ] as const)('p=$p cues=$cues -> $expected', ({ p, cues, names, expected }) => {
    expect(combineWithCues(p, cues, names, 1)).toBeCloseTo(expected, 12);
  });
});

describe.skipIf(!existsSync(kite))(
  `with pose on kite.jpg${existsSync(kite) ? '' : ` (skipped: ${kite} not found)`}`,
  () => {
    it('runs MoveNet once per person and scores a person far from the kites as non-interacting', async () => {
      const img = await loadImage(kite);
      const instances: DetectedInstance[] = [
        { box: [110, 610, 168, 762], label: 'person', score: 0.9 },
        { box: [212, 696, 272, 856], label: 'person', score: 0.9 },
        { box: [594, 78, 670, 152], label: 'kite', score: 0.8 },
        { box: [278, 236, 304, 282], label: 'kite', score: 0.8 },
      ];
      const { table, byLabel } = candidateTable(['kite']);
      const pairs = pairsFor(instances, byLabel).filter((p) => instances[p.object]!.label === 'kite');
      const rec = createPriorRecognizer();
      const r = await rec.doRecognize({ image: img, instances, pairs, candidates: table });
      expect(r.providerMetadata?.prior?.posesEstimated).toBe(2);
      expect(['wasm', 'cpu']).toContain(r.providerMetadata?.prior?.backend);
      for (const p of r.pairs) expect(p.interactiveness!).toBeLessThan(0.5);
      const layoutOnly = await createPriorRecognizer({ pose: false }).doRecognize({
        image: img,
        instances,
        pairs,
        candidates: table,
      });
      // Wrists are far from the kites: pose lowers hold below the layout-only score for every pair.
      r.pairs.forEach((p, i) => {
        const k = pairs[i]!.candidates.findIndex((c) => table[c]!.verb === 'hold');
        expect(p.scores[k]!).toBeLessThan(layoutOnly.pairs[i]!.scores[k]!);
      });
      await rec.dispose?.();
    });
  },
);
