import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HoiResult } from '@hoi/core/spec';
import { describe, expect, it } from 'vitest';
import { hasVcoco, VCOCO_TEST_FILE } from '../test/fixtures.js';
import type { VcocoOfficialEvaluation } from './vcoco-evaluate.js';
import { evaluateVcoco } from './vcoco-evaluate.js';
import type { VcocoDetection } from './vcoco-official.js';
import type { VcocoPairsFile, VcocoPairsResult } from './vcoco-pairs.js';

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../test/vcoco-synthetic');

describe('evaluateVcoco, official layout', () => {
  it('result records convert to the same numbers as the equivalent official detections', async () => {
    const annotations = resolve(DIR, 'vcoco_test.json');
    const coco = resolve(DIR, 'instances.json');
    const official = JSON.parse(readFileSync(resolve(DIR, 'detections.json'), 'utf8')) as VcocoDetection[];
    // Keep only detections the record format expresses one-to-one: one role box per action,
    // agent score = role score. Then records and detections must score identically.
    const dets: VcocoDetection[] = official.map((d) => {
      const out: VcocoDetection = { image_id: d.image_id, person_box: d.person_box };
      const hold = d.hold_obj as number[] | null;
      if (hold) {
        out.hold_agent = hold[4]!;
        out.hold_obj = hold;
      }
      return out;
    });
    const records: HoiResult[] = dets.map((d) => ({
      image: `COCO_val2014_${String(d.image_id).padStart(12, '0')}.jpg`,
      size: [640, 480],
      instances: [
        { box: d.person_box as [number, number, number, number], label: 'person', score: 1 },
        ...(d.hold_obj
          ? [
              {
                box: (d.hold_obj as number[]).slice(0, 4) as [number, number, number, number],
                label: 'cup',
                score: 1,
              },
            ]
          : []),
      ],
      interactions: d.hold_obj
        ? [{ subject: 0, object: 1, verb: 'hold', score: (d.hold_obj as number[])[4]! }]
        : [],
    }));
    const a = (await evaluateVcoco({
      annotations,
      coco,
      predictions: { detections: dets },
    })) as VcocoOfficialEvaluation;
    const b = (await evaluateVcoco({ annotations, coco, predictions: records })) as VcocoOfficialEvaluation;
    expect(b.layout).toBe('official');
    expect(b.scenario1.perClass).toEqual(a.scenario1.perClass);
    expect(b.agent.perClass).toEqual(a.agent.perClass);
    expect(a.scenario1.perClass[0]).toBeGreaterThan(0);
  });

  it('requires the COCO annotations', async () => {
    await expect(
      evaluateVcoco({ annotations: resolve(DIR, 'vcoco_test.json'), predictions: [] }),
    ).rejects.toThrow(/coco/);
  });
});

describe('evaluateVcoco, reduced pair layout (hand-computed)', () => {
  const file: VcocoPairsFile = {
    classes: ['hold obj', 'hit instr', 'hit obj'],
    annotations: [
      {
        file_name: 'a.jpg',
        boxes_h: [
          [0, 0, 99, 199],
          [0, 0, 99, 199],
        ],
        boxes_o: [
          [50, 50, 89, 89],
          [200, 0, 239, 39],
        ],
        actions: [0, 1],
      },
      { file_name: 'b.jpg', boxes_h: [], boxes_o: [], actions: [] },
    ],
  };
  const rec = (image: string, verb: string, o: number[], score: number): HoiResult => ({
    image,
    size: [640, 480],
    instances: [
      { box: [0, 0, 99, 199], label: 'person', score: 1 },
      { box: o as [number, number, number, number], label: 'cup', score: 1 },
    ],
    interactions: [{ subject: 0, object: 1, verb, score }],
  });

  it('empty predictions: 0 for classes with GT, null without', async () => {
    const r = (await evaluateVcoco({ annotations: file, predictions: [] })) as VcocoPairsResult;
    expect(r.perClass).toEqual([0, 0, null]);
    expect(r.mean).toBe(0);
  });

  it('ranks, matches and averages (all-point AP)', async () => {
    const r = (await evaluateVcoco({
      annotations: file,
      predictions: [
        rec('b.jpg', 'hold', [50, 50, 89, 89], 0.9), // FP in an image without GT
        rec('/x/a.jpg', 'hold', [50, 50, 89, 89], 0.8), // TP; verb `hold` = `hold obj`
        rec('a.jpg', 'hit_instr', [200, 0, 239, 39], 0.7), // TP
        rec('a.jpg', 'Hit Instr', [200, 0, 239, 39], 0.6), // duplicate: FP
        rec('a.jpg', 'fly', [200, 0, 239, 39], 0.6), // unknown verb
      ],
    })) as VcocoPairsResult;
    // hold obj: FP then TP -> precision envelope 0.5 over recall 0..1 = 0.5
    expect(r.perClass[0]).toBeCloseTo(50, 12);
    expect(r.perClass[1]).toBeCloseTo(100, 12);
    expect(r.mean).toBeCloseTo(75, 12);
    expect(r.counters.unknownVerbs).toEqual({ fly: 1 });
  });
});

describe.skipIf(!hasVcoco)(
  `V-COCO reduced test file${hasVcoco ? '' : ` (skipped: ${VCOCO_TEST_FILE} not found)`}`,
  () => {
    it('predictions built from the ground truth score 100 on every class', async () => {
      const file = JSON.parse(readFileSync(VCOCO_TEST_FILE, 'utf8')) as VcocoPairsFile;
      const records: HoiResult[] = file.annotations.map((a) => ({
        image: a.file_name,
        size: [640, 480],
        instances: a.boxes_h.flatMap((h, k) => [
          { box: h as [number, number, number, number], label: 'person', score: 1 },
          { box: a.boxes_o[k] as [number, number, number, number], label: 'thing', score: 1 },
        ]),
        interactions: a.actions.map((c, k) => ({
          subject: 2 * k,
          object: 2 * k + 1,
          verb: file.classes[c]!,
          score: 1,
        })),
      }));
      const r = (await evaluateVcoco({
        annotations: VCOCO_TEST_FILE,
        predictions: records,
      })) as VcocoPairsResult;
      expect(r.classes.length).toBe(24);
      for (const ap of r.perClass) expect(ap).toBeCloseTo(100, 9);
    });
  },
);
