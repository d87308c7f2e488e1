import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type CocoInstances,
  evaluateVcocoOfficial,
  parseVcocoOfficial,
  type VcocoActionAnnotation,
  type VcocoDetection,
} from './vcoco-official.js';

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../test/vcoco-synthetic');
const read = <T>(name: string): T => JSON.parse(readFileSync(resolve(DIR, name), 'utf8')) as T;

describe('evaluateVcocoOfficial on a synthetic set in the official layout', () => {
  // expected.json comes from scripts/vcoco-reference.py (numpy 1.24, float32 as vsrl_eval.py).
  const vcoco = read<VcocoActionAnnotation[]>('vcoco_test.json');
  const coco = read<CocoInstances>('instances.json');
  const detections = read<VcocoDetection[]>('detections.json');
  const expected = read<{
    agent: Record<string, number>;
    scenario1: Record<string, number>;
    scenario2: Record<string, number>;
    npos: Record<string, number>;
  }>('expected.json');
  const gt = parseVcocoOfficial(vcoco, coco);
  const result = evaluateVcocoOfficial(gt, detections);

  it('counts positives as the reference does', () => {
    expect(Object.fromEntries(result.agent.classes.map((a, k) => [a, result.agent.npos[k]]))).toEqual(
      expected.npos,
    );
  });

  it('agent AP equals the numpy reference to 1e-9 per action', () => {
    result.agent.classes.forEach((action, k) => {
      expect(Math.abs(result.agent.perClass[k]! - expected.agent[action]!)).toBeLessThan(1e-9);
    });
  });

  it.each(['scenario1', 'scenario2'] as const)(
    'role AP %s equals the numpy reference to 1e-9 per class',
    (scenario) => {
      const table = result[scenario];
      // point instr is left out of the 24 published classes.
      expect(table.classes).not.toContain('point instr');
      expect(table.classes.length).toBe(Object.keys(expected[scenario]).length - 1);
      table.classes.forEach((name, k) => {
        expect(Math.abs(table.perClass[k]! - expected[scenario][name]!)).toBeLessThan(1e-9);
      });
      expect(table.mean).toBeCloseTo(table.perClass.reduce((s, v) => s! + v!, 0)! / table.classes.length, 12);
    },
  );

  it('scenario 2 is never below scenario 1 (it only relaxes missing roles)', () => {
    for (const [k, v] of result.scenario1.perClass.entries()) {
      expect(result.scenario2.perClass[k]!).toBeGreaterThanOrEqual(v!);
    }
  });

  it('accepts N x 1 and N x K nesting of the id lists (numpy-reshaped dumps)', () => {
    const nested = vcoco.map((a) => {
      const n = a.ann_id.length;
      const k = a.role_name.length;
      return {
        ...a,
        ann_id: a.ann_id.map((x) => [x]),
        image_id: a.image_id.map((x) => [x]),
        label: a.label.map((x) => [x]),
        role_object_id: Array.from({ length: n }, (_, r) =>
          Array.from({ length: k }, (_, j) => a.role_object_id[j * n + r]!),
        ),
      } as unknown as VcocoActionAnnotation;
    });
    const again = evaluateVcocoOfficial(parseVcocoOfficial(nested, coco), detections);
    expect(again.scenario1.perClass).toEqual(result.scenario1.perClass);
    expect(again.agent.perClass).toEqual(result.agent.perClass);
  });

  it('no detections: AP 0 where there are positives', () => {
    const empty = evaluateVcocoOfficial(gt, []);
    expect(empty.scenario1.perClass.every((v) => v === 0)).toBe(true);
    expect(empty.agent.mean).toBe(0);
  });
});

describe('hand-computed V-COCO cases', () => {
  // One image 640x480 with a person (ann 1) holding a cup (ann 2); person 3 is not in V-COCO.
  const coco: CocoInstances = {
    images: [{ id: 7, width: 640, height: 480, file_name: 'COCO_val2014_000000000007.jpg' }],
    annotations: [
      { id: 1, image_id: 7, category_id: 1, bbox: [10, 10, 100, 200], area: 20000 },
      { id: 2, image_id: 7, category_id: 47, bbox: [60, 100, 40, 40], area: 1600 },
      { id: 3, image_id: 7, category_id: 1, bbox: [400, 10, 100, 200], area: 20000 },
    ],
    categories: [
      { id: 1, name: 'person' },
      { id: 47, name: 'cup' },
    ],
  };
  const vcoco: VcocoActionAnnotation[] = [
    {
      action_name: 'hold',
      role_name: ['agent', 'obj'],
      ann_id: [1],
      image_id: [7],
      label: [1],
      role_object_id: [1, 2],
    },
    {
      action_name: 'sit',
      role_name: ['agent', 'instr'],
      ann_id: [1],
      image_id: [7],
      label: [1],
      role_object_id: [1, 0],
    },
  ];
  const gt = parseVcocoOfficial(vcoco, coco);
  // GT person box: x2 = 10 + 99 = 109, y2 = 209; cup: 60,100,99,139.
  const person = [10, 10, 109, 209];
  const cup = [60, 100, 99, 139];

  it.each([
    ['exact boxes', person, cup, 100],
    ['role box off the cup', person, [300, 300, 340, 340], 0],
    ['duplicate person: the second is a false positive', person, cup, 100],
  ])('%s', (name, p, o, expected) => {
    const dets: VcocoDetection[] = [{ image_id: 7, person_box: p, hold_agent: 0.9, hold_obj: [...o, 0.9] }];
    if (name.startsWith('duplicate'))
      dets.push({ image_id: 7, person_box: p, hold_agent: 0.8, hold_obj: [...o, 0.8] });
    const r = evaluateVcocoOfficial(gt, dets);
    expect(r.scenario1.perClass[r.scenario1.classes.indexOf('hold obj')]).toBeCloseTo(expected, 9);
  });

  it('a detection matched to an unannotated person is skipped, not a false positive', () => {
    const dets: VcocoDetection[] = [
      { image_id: 7, person_box: [400, 10, 499, 209], hold_agent: 0.95, hold_obj: [...cup, 0.95] },
      { image_id: 7, person_box: person, hold_agent: 0.5, hold_obj: [...cup, 0.5] },
    ];
    const r = evaluateVcocoOfficial(gt, dets);
    expect(r.scenario1.perClass[0]).toBeCloseTo(100, 9);
    expect(r.agent.perClass[0]).toBeCloseTo(100, 9);
  });

  it('missing GT role: scenario 1 needs an empty role box, scenario 2 accepts any', () => {
    const withBox = evaluateVcocoOfficial(gt, [
      { image_id: 7, person_box: person, sit_agent: 0.9, sit_instr: [...cup, 0.9] },
    ]);
    expect(withBox.scenario1.perClass[withBox.scenario1.classes.indexOf('sit instr')]).toBe(0);
    expect(withBox.scenario2.perClass[withBox.scenario2.classes.indexOf('sit instr')]).toBeCloseTo(100, 9);
    const empty = evaluateVcocoOfficial(gt, [
      { image_id: 7, person_box: person, sit_agent: 0.9, sit_instr: [0, 0, 0, 0, 0.9] },
    ]);
    expect(empty.scenario1.perClass[empty.scenario1.classes.indexOf('sit instr')]).toBeCloseTo(100, 9);
  });

  it('person IoU exactly 0.5 with +1 pixels counts', () => {
    // GT 100x200 (+1): a box of the same height and half the width inside it has IoU 0.5.
    const half = [10, 10, 59, 209];
    const r = evaluateVcocoOfficial(gt, [{ image_id: 7, person_box: half, hold_agent: 0.9 }]);
    expect(r.agent.perClass[0]).toBeCloseTo(100, 9);
    const less = evaluateVcocoOfficial(gt, [{ image_id: 7, person_box: [10, 10, 58, 209], hold_agent: 0.9 }]);
    expect(less.agent.perClass[0]).toBe(0);
  });
});
