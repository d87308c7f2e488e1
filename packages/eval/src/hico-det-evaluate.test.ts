import { HICO_DET_ZERO_SHOT_SPLITS, hicoDet } from '@hoi/core';
import type { HoiResult } from '@hoi/core/spec';
import { describe, expect, it } from 'vitest';
import { type SyntheticPair, syntheticHicoFile } from '../test/fixtures.js';
import { parseHicoDetAnnotations } from './hico-det-annotations.js';
import { evaluateHicoDet } from './hico-det-evaluate.js';
import type { HicoDetProtocol } from './hico-det-protocol.js';

const classOf = (verb: string, object: string): number => {
  const c = hicoDet.interactions.find((x) => x.verb === verb && x.object === object);
  if (!c) throw new Error(`no class ${verb} ${object}`);
  return c.index;
};
const RIDE_BICYCLE = classOf('ride', 'bicycle');
const HOLD_BICYCLE = classOf('hold', 'bicycle');
const NO_INTERACTION_BICYCLE = classOf('no_interaction', 'bicycle');
const HOLD_CUP = classOf('hold', 'cup');
const H = [10, 10, 110, 210];
const O = [60, 150, 260, 260];
const MISS = [400, 400, 450, 450];

/** A detection: subject box, object box, verb, object label, score (subject label `person` unless given). */
interface Det {
  h: number[];
  o: number[];
  verb: string;
  label: string;
  score: number;
  subjectLabel?: string;
}

function record(image: number, dets: readonly Det[]): HoiResult {
  const instances: HoiResult['instances'] = [];
  const interactions: HoiResult['interactions'] = [];
  for (const d of dets) {
    instances.push({
      box: d.h as [number, number, number, number],
      label: d.subjectLabel ?? 'person',
      score: 1,
    });
    instances.push({ box: d.o as [number, number, number, number], label: d.label, score: 1 });
    interactions.push({
      subject: instances.length - 2,
      object: instances.length - 1,
      verb: d.verb,
      score: d.score,
    });
  }
  return {
    image: `synthetic_${String(image).padStart(4, '0')}.jpg`,
    size: [640, 480],
    instances,
    interactions,
  };
}

async function run(
  images: SyntheticPair[][],
  records: HoiResult[],
  protocol: HicoDetProtocol,
  split?: 'rf-uc',
) {
  const gt = parseHicoDetAnnotations(syntheticHicoFile(images, hicoDet));
  return evaluateHicoDet({ annotations: gt, predictions: records, protocol, split });
}

const ALL: HicoDetProtocol[] = ['official', 'qpic', 'da-hoi'];

describe('evaluateHicoDet: hand-computed cases', () => {
  it.each(ALL)('empty predictions give 0 on every evaluated class (%s)', async (protocol) => {
    const { result, counters } = await run([[{ cls: RIDE_BICYCLE, h: H, o: O }]], [], protocol);
    expect(result.perClass[RIDE_BICYCLE]).toBe(0);
    expect(result.default.full).toBe(0);
    expect(counters.records).toBe(0);
  });

  it.each(ALL)(
    'score ties across images rank by annotation image index, not file order (%s)',
    async (protocol) => {
      // npos 2; image 1 (listed first in the file) has a miss, image 0 a hit, same score.
      const images = [[{ cls: RIDE_BICYCLE, h: H, o: O }], [{ cls: RIDE_BICYCLE, h: H, o: O }]];
      const records = [
        record(1, [{ h: MISS, o: O, verb: 'ride', label: 'bicycle', score: 0.9 }]),
        record(0, [{ h: H, o: O, verb: 'ride', label: 'bicycle', score: 0.9 }]),
      ];
      const { result } = await run(images, records, protocol);
      // rank 1 TP (rec .5, prec 1), rank 2 FP: thresholds 0..0.5 see precision 1 -> 6/11.
      expect(result.perClass[RIDE_BICYCLE]).toBeCloseTo((6 / 11) * 100, 12);
    },
  );

  it.each(ALL)('score ties within an image keep file order (%s)', async (protocol) => {
    const records = [
      record(0, [
        { h: MISS, o: O, verb: 'ride', label: 'bicycle', score: 0.8 },
        { h: H, o: O, verb: 'ride', label: 'bicycle', score: 0.8 },
      ]),
    ];
    const { result } = await run([[{ cls: RIDE_BICYCLE, h: H, o: O }]], records, protocol);
    // FP then TP: recall 1 only at precision 1/2 -> 0.5.
    expect(result.perClass[RIDE_BICYCLE]).toBeCloseTo(50, 12);
  });

  it.each(ALL)(
    'a duplicate detection is a false positive, with no fallback to the next-best pair (%s)',
    async (protocol) => {
      const Q = [12, 12, 112, 212]; // overlaps H strongly but less than H itself
      const images = [
        [
          { cls: RIDE_BICYCLE, h: H, o: O },
          { cls: RIDE_BICYCLE, h: Q, o: O },
        ],
      ];
      const det = { h: H, o: O, verb: 'ride', label: 'bicycle' };
      const records = [
        record(0, [
          { ...det, score: 0.9 },
          { ...det, score: 0.8 },
        ]),
      ];
      const { result } = await run(images, records, protocol);
      expect(result.perClass[RIDE_BICYCLE]).toBeCloseTo((6 / 11) * 100, 12);
    },
  );

  it.each(ALL)('equal overlaps choose the first GT pair (%s)', async (protocol) => {
    const images = [
      [
        { cls: RIDE_BICYCLE, h: H, o: O },
        { cls: RIDE_BICYCLE, h: H, o: O },
      ],
    ];
    const det = { h: H, o: O, verb: 'ride', label: 'bicycle' };
    // Both detections pick pair 0; the second is a false positive although pair 1 is free.
    const { result } = await run(
      images,
      [
        record(0, [
          { ...det, score: 0.9 },
          { ...det, score: 0.8 },
        ]),
      ],
      protocol,
    );
    expect(result.perClass[RIDE_BICYCLE]).toBeCloseTo((6 / 11) * 100, 12);
  });

  it.each(ALL)(
    'the first of two equally overlapping pairs is chosen even when it is taken (%s)',
    async (protocol) => {
      const left = [0, 0, 100, 100];
      const right = [20, 0, 120, 100];
      const middle = [10, 0, 110, 100]; // the same IoU (91/111) with left and right
      const images = [
        [
          { cls: RIDE_BICYCLE, h: left, o: O },
          { cls: RIDE_BICYCLE, h: right, o: O },
        ],
      ];
      const records = [
        record(0, [
          { h: left, o: O, verb: 'ride', label: 'bicycle', score: 0.9 },
          { h: middle, o: O, verb: 'ride', label: 'bicycle', score: 0.8 },
        ]),
      ];
      const { result } = await run(images, records, protocol);
      expect(result.perClass[RIDE_BICYCLE]).toBeCloseTo((6 / 11) * 100, 12);
    },
  );

  describe('the top-100 cap', () => {
    const images = [[{ cls: RIDE_BICYCLE, h: H, o: O }]];
    const filler = (n: number, score: number, extra: Partial<Det> = {}): Det[] =>
      Array.from({ length: n }, () => ({ h: MISS, o: MISS, verb: 'hold', label: 'cup', score, ...extra }));
    const hit: Det = { h: H, o: O, verb: 'ride', label: 'bicycle', score: 0.5 };

    it.each([
      ['official', 100],
      ['qpic', 0],
      ['da-hoi', 0],
    ] as const)('a hit in 101st place after 100 tied detections: %s -> %d', async (protocol, expected) => {
      const { result } = await run(images, [record(0, [...filler(100, 0.5), hit])], protocol);
      expect(result.perClass[RIDE_BICYCLE]).toBeCloseTo(expected, 12);
    });

    it.each(ALL)('the same hit 100th in file order is kept (%s)', async (protocol) => {
      const { result } = await run(
        images,
        [record(0, [...filler(99, 0.5), hit, ...filler(5, 0.5)])],
        protocol,
      );
      expect(result.perClass[RIDE_BICYCLE]).toBeCloseTo(100, 12);
    });

    it.each(['qpic', 'da-hoi'] as const)(
      'no_interaction, non-person subjects and no-GT classes use cap slots (%s)',
      async (protocol) => {
        const fill = [
          ...filler(40, 0.9, { verb: 'no_interaction', label: 'bicycle' }),
          ...filler(30, 0.9, { subjectLabel: 'dog' }),
          ...filler(30, 0.9),
        ];
        const { result } = await run(images, [record(0, [...fill, { ...hit, score: 0.1 }])], protocol);
        expect(result.perClass[RIDE_BICYCLE]).toBe(0);
        const withRoom = await run(images, [record(0, [...fill.slice(1), { ...hit, score: 0.1 }])], protocol);
        expect(withRoom.result.perClass[RIDE_BICYCLE]).toBeCloseTo(100, 12);
      },
    );

    it('invalid detections do not use cap slots', async () => {
      const fill = filler(100, 0.9, { verb: 'fly', label: 'cup' }); // fly cup is not a class
      const { result, counters } = await run(images, [record(0, [...fill, hit])], 'qpic');
      expect(result.perClass[RIDE_BICYCLE]).toBeCloseTo(100, 12);
      expect(counters.unknownCombination).toBe(100);
      expect(counters.unknownCombinations['fly cup']).toBe(100);
    });
  });

  describe('IoU variants at their boundaries', () => {
    // [human GT, object GT, detection boxes, expected TP per preset]
    const cases: [string, number[], number[], Record<HicoDetProtocol, boolean>][] = [
      // A point box: +1 widths make it a 1x1 pixel (IoU 1); the strict raw test of the Python ports gives 0.
      ['zero-size boxes', [5, 5, 5, 5], [5, 5, 5, 5], { official: true, qpic: false, 'da-hoi': false }],
      // +1: 11x6 inside 11x11 = 66/121; continuous: 50/(100 + 1e-12) < 0.5.
      [
        'exact 0.5 without +1',
        [0, 0, 10, 10],
        [0, 0, 10, 5],
        { official: true, qpic: true, 'da-hoi': false },
      ],
      // +1: 10x5 inside 10x10 = exactly 0.5 (inclusive); continuous 36/81.
      ['exact 0.5 with +1', [0, 0, 9, 9], [0, 0, 9, 4], { official: true, qpic: true, 'da-hoi': false }],
      // +1 areas: 10x10 and 10x10 sharing a 10x5 strip = 50/150 < 0.5 everywhere.
      ['a third', [0, 0, 9, 9], [0, 5, 9, 14], { official: false, qpic: false, 'da-hoi': false }],
      // Touching boxes: +1 intersection 1 pixel wide, raw 0.
      ['touching', [0, 0, 0, 9], [0, 0, 0, 9], { official: true, qpic: false, 'da-hoi': false }],
    ];
    for (const [name, gtBox, detBox, expected] of cases) {
      it.each(ALL)(`${name} (%s)`, async (protocol) => {
        const images = [[{ cls: RIDE_BICYCLE, h: gtBox, o: gtBox }]];
        const records = [record(0, [{ h: detBox, o: detBox, verb: 'ride', label: 'bicycle', score: 0.9 }])];
        const { result } = await run(images, records, protocol);
        expect(result.perClass[RIDE_BICYCLE]).toBeCloseTo(expected[protocol] ? 100 : 0, 12);
      });
    }
  });

  describe('recall thresholds', () => {
    const hits = (n: number) =>
      Array.from({ length: n }, (_, k) => ({ h: H.map((v) => v + k * 1000), o: O.map((v) => v + k * 1000) }));
    it.each([
      ['official', 7],
      ['qpic', 6],
      ['da-hoi', 6],
    ] as const)(
      'recall 3/5 counts at t = 0.6 only under MATLAB thresholds (%s: %d/11)',
      async (protocol, points) => {
        const pairs = hits(5).map((b) => ({ cls: RIDE_BICYCLE, ...b }));
        const dets = pairs
          .slice(0, 3)
          .map((p, k) => ({ ...p, verb: 'ride', label: 'bicycle', score: 0.9 - k / 10 }));
        const { result } = await run([pairs], [record(0, dets)], protocol);
        expect(result.perClass[RIDE_BICYCLE]).toBeCloseTo((points / 11) * 100, 12);
      },
    );
    it.each(ALL)('recall 3/10 does not count at t = 0.3 (%s: 3/11)', async (protocol) => {
      const pairs = hits(10).map((b) => ({ cls: RIDE_BICYCLE, ...b }));
      const dets = pairs
        .slice(0, 3)
        .map((p, k) => ({ ...p, verb: 'ride', label: 'bicycle', score: 0.9 - k / 10 }));
      const { result } = await run([pairs], [record(0, dets)], protocol);
      expect(result.perClass[RIDE_BICYCLE]).toBeCloseTo((3 / 11) * 100, 12);
    });
  });

  describe('classes without detections or without GT', () => {
    const images = [
      [
        { cls: RIDE_BICYCLE, h: H, o: O },
        { cls: HOLD_BICYCLE, h: H, o: O },
      ],
    ];
    const records = [
      record(0, [
        { h: H, o: O, verb: 'ride', label: 'bicycle', score: 0.9 },
        { h: H, o: O, verb: 'hold', label: 'cup', score: 0.9 }, // class without GT
      ]),
    ];
    it('official averages all 600 classes, no-GT classes at 0', async () => {
      const { result } = await run(images, records, 'official');
      expect(result.classes).toBe(600);
      expect(result.perClass[HOLD_BICYCLE]).toBe(0);
      expect(result.perClass[HOLD_CUP]).toBe(0);
      expect(result.default.full).toBeCloseTo((1.0000000000000002 / 600) * 100, 14);
    });
    it.each(['qpic', 'da-hoi'] as const)('%s averages only classes with GT', async (protocol) => {
      const { result } = await run(images, records, protocol);
      expect(result.classes).toBe(2);
      expect(result.perClass[HOLD_CUP]).toBeNull();
      expect(result.perClass[HOLD_BICYCLE]).toBe(0);
      expect(result.default.full).toBeCloseTo(50, 12);
      expect(result.default.rare).toBeNull(); // neither class is rare
    });
  });

  it.each(ALL)('Known-Object keeps only images whose GT has the object (%s)', async (protocol) => {
    const images = [
      [{ cls: RIDE_BICYCLE, h: H, o: O }],
      [{ cls: HOLD_BICYCLE, h: H, o: O }], // has a bicycle
      [{ cls: HOLD_CUP, h: H, o: O }], // has no bicycle
    ];
    const det = { h: H, o: O, verb: 'ride', label: 'bicycle' };
    const records = [
      record(1, [{ ...det, score: 0.9 }]),
      record(2, [{ ...det, score: 0.8 }]),
      record(0, [{ ...det, score: 0.7 }]),
    ];
    const { result } = await run(images, records, protocol);
    expect(result.perClass[RIDE_BICYCLE]).toBeCloseTo((1 / 3) * 100, 12);
    // Known-Object ranks FP (image 1), TP: precision 1/2 at recall 1.
    const { knownObject } = result;
    const evaluated = result.classes;
    const expectedFull = protocol === 'official' ? (0.5 * 1.0000000000000002) / 600 : 0.5 / 3;
    expect(knownObject.full).toBeCloseTo(expectedFull * 100, 12);
    expect(evaluated).toBe(protocol === 'official' ? 600 : 3);
  });

  describe('da-hoi specifics', () => {
    it('drops no_interaction classes and images with only no_interaction GT; needs a person subject', async () => {
      const images = [
        [
          { cls: RIDE_BICYCLE, h: H, o: O },
          { cls: NO_INTERACTION_BICYCLE, h: H, o: O },
        ],
        [{ cls: NO_INTERACTION_BICYCLE, h: H, o: O }],
      ];
      const records = [
        record(1, [{ h: MISS, o: MISS, verb: 'ride', label: 'bicycle', score: 0.95 }]), // ignored image
        record(0, [
          { h: H, o: O, verb: 'ride', label: 'bicycle', score: 0.9, subjectLabel: 'dog' }, // ignored subject
          { h: MISS, o: O, verb: 'ride', label: 'bicycle', score: 0.8 },
          { h: H, o: O, verb: 'ride', label: 'bicycle', score: 0.7 },
        ]),
      ];
      const da = await run(images, records, 'da-hoi');
      expect(da.result.perClass[NO_INTERACTION_BICYCLE]).toBeNull();
      expect(da.result.classes).toBe(1);
      // FP (0.8), TP (0.7) -> 0.5
      expect(da.result.perClass[RIDE_BICYCLE]).toBeCloseTo(50, 12);
      // qpic keeps all: FP (image 1, 0.95), TP (dog subject, 0.9), FP, FP(dup) -> precision 1/2 at recall 1
      const qp = await run(images, records, 'qpic');
      expect(qp.result.perClass[RIDE_BICYCLE]).toBeCloseTo(50, 12);
      expect(qp.result.perClass[NO_INTERACTION_BICYCLE]).toBe(0);
      expect(qp.result.classes).toBe(2);
    });
  });

  it('zero-shot: unseen and seen means over the split', async () => {
    const unseenClass = HICO_DET_ZERO_SHOT_SPLITS['rf-uc'][0]!;
    const c = hicoDet.interactions[unseenClass]!;
    const images = [
      [
        { cls: RIDE_BICYCLE, h: H, o: O },
        { cls: unseenClass, h: H, o: O },
      ],
    ];
    const records = [record(0, [{ h: H, o: O, verb: c.verb, label: c.object, score: 0.9 }])];
    const { result } = await run(images, records, 'qpic', 'rf-uc');
    expect(result.zeroShot).toEqual({
      split: 'rf-uc',
      unseen: result.perClass[unseenClass],
      seen: 0,
      full: result.default.full,
    });
    expect(result.zeroShot?.unseen).toBeCloseTo(100, 12);
    expect(Object.keys(result)).toEqual([
      'protocol',
      'classes',
      'default',
      'knownObject',
      'zeroShot',
      'perClass',
    ]);
  });

  it('names compare with spaces/underscores equal and case-insensitive; bad records are counted', async () => {
    const images = [[{ cls: classOf('hit', 'sports ball'), h: H, o: O }]];
    const rec = record(0, [{ h: H, o: O, verb: 'HIT', label: 'Sports_Ball', score: 0.9 }]);
    rec.interactions.push({ subject: 0, object: 7, verb: 'hit', score: 0.5 });
    rec.interactions.push({ subject: 0, object: 1, verb: 'hit', score: Number.NaN });
    const other = { ...record(0, []), image: '/some/dir/unknown.jpg' };
    const pathRecord = { ...record(0, []), image: '/data/hico/synthetic_0000.jpg' };
    const { result, counters, warnings } = await run(images, [rec, other, pathRecord], 'official');
    expect(result.perClass[classOf('hit', 'sports ball')]).toBeCloseTo(100, 12);
    expect(counters).toMatchObject({
      records: 3,
      valid: 1,
      invalidIndex: 1,
      malformed: 1,
      unknownImages: 1,
      repeatedImages: 1,
    });
    expect(warnings.length).toBe(4);
  });

  it('reads JSON Lines text and rejects a malformed line with its number', async () => {
    const gt = parseHicoDetAnnotations(syntheticHicoFile([[{ cls: RIDE_BICYCLE, h: H, o: O }]], hicoDet));
    const line = JSON.stringify(record(0, [{ h: H, o: O, verb: 'ride', label: 'bicycle', score: 0.9 }]));
    const ok = await evaluateHicoDet({
      annotations: gt,
      predictions: { jsonl: `${line}\n\n` },
      protocol: 'official',
    });
    expect(ok.result.perClass[RIDE_BICYCLE]).toBeCloseTo(100, 12);
    await expect(
      evaluateHicoDet({ annotations: gt, predictions: { jsonl: `${line}\n{oops` }, protocol: 'official' }),
    ).rejects.toThrow(/line 2/);
  });
});
