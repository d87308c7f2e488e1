import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COCO_80_CATEGORY_IDS, HICO_DET_OBJECT_TO_COCO_INDEX, hicoDet } from '@hoi/core';
import { describe, expect, it } from 'vitest';
import { noisyPredictions, syntheticHicoFile, toQpicLayout } from '../test/fixtures.js';
import { loadHicoDetAnnotations, parseHicoDetAnnotations } from './hico-det-annotations.js';
import { evaluateHicoDet } from './hico-det-evaluate.js';

const cocoIds = HICO_DET_OBJECT_TO_COCO_INDEX.map((k) => COCO_80_CATEGORY_IDS[k]!);
const cls = (verb: string, object: string) =>
  hicoDet.interactions.find((c) => c.verb === verb && c.object === object)!.index;
const file = syntheticHicoFile(
  [
    [
      { cls: cls('ride', 'bicycle'), h: [10, 10, 110, 210], o: [60, 150, 260, 260] },
      { cls: cls('hold', 'bicycle'), h: [10, 10, 110, 210], o: [60, 150, 260, 260] },
      { cls: cls('no_interaction', 'sports ball'), h: [300, 10, 400, 200], o: [320, 150, 340, 170] },
    ],
    [],
    [{ cls: cls('hold', 'cup'), h: [5, 5, 50, 100], o: [40, 40, 60, 60] }],
  ],
  hicoDet,
);

describe('HICO-DET annotation layouts', () => {
  it('reads the instances_test2015.json layout into per-image pairs', () => {
    const gt = parseHicoDetAnnotations(file);
    expect(gt.layout).toBe('hico-det');
    expect(Array.from(gt.pairStart)).toEqual([0, 3, 3, 4]);
    expect(Array.from(gt.pairClass)).toEqual([
      cls('ride', 'bicycle'),
      cls('hold', 'bicycle'),
      cls('no_interaction', 'sports ball'),
      cls('hold', 'cup'),
    ]);
    expect(Array.from(gt.pairBoxes.subarray(24, 32))).toEqual([5, 5, 50, 100, 40, 40, 60, 60]);
    const ball = gt.classes.objects.indexOf('sports ball');
    expect(gt.objectPresent[ball]).toBe(1);
    expect(gt.objectPresent[2 * gt.classes.objects.length + ball]).toBe(0);
  });

  it.each([true, false])(
    'reads the QPIC layout (hoi_category_id given: %s) to the same ground truth',
    (withHoiIds) => {
      const a = parseHicoDetAnnotations(file);
      const b = parseHicoDetAnnotations(toQpicLayout(file, cocoIds, withHoiIds));
      expect(b.layout).toBe('qpic');
      expect(Array.from(b.pairClass)).toEqual(Array.from(a.pairClass));
      expect(Array.from(b.pairBoxes)).toEqual(Array.from(a.pairBoxes));
      expect(Array.from(b.objectPresent)).toEqual(Array.from(a.objectPresent));
      expect(b.fileNames).toEqual(a.fileNames);
    },
  );

  it('both layouts score a prediction file identically, also when loaded from disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoi-eval-ann-'));
    try {
      writeFileSync(join(dir, 'test_hico.json'), JSON.stringify(toQpicLayout(file, cocoIds)));
      const qpic = await loadHicoDetAnnotations(join(dir, 'test_hico.json'));
      const predictions = noisyPredictions(file, { seed: 5, maxExtra: 10 });
      for (const protocol of ['official', 'qpic', 'da-hoi'] as const) {
        const x = await evaluateHicoDet({ annotations: file, predictions, protocol });
        const y = await evaluateHicoDet({ annotations: qpic, predictions, protocol });
        expect(y.result).toEqual(x.result);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['not an annotation file', { foo: 1 }, /instances_test2015/],
    [
      'a class id out of range',
      { ...file, annotation: [{ ...file.annotation[0]!, hoi: [600, 0, 0] }, ...file.annotation.slice(1)] },
      /0\.\.599/,
    ],
    [
      'a different class list',
      { ...file, correspondence: file.correspondence.map(([h, o, v]) => [h, (o + 1) % 80, v]) },
      /class list/,
    ],
    [
      'a QPIC pair pointing past its boxes',
      [
        {
          file_name: 'x.jpg',
          annotations: [],
          hoi_annotation: [{ subject_id: 0, object_id: 1, category_id: 1, hoi_category_id: 1 }],
        },
      ],
      /subject_id/,
    ],
  ])('rejects %s', (_, json, message) => {
    expect(() => parseHicoDetAnnotations(json)).toThrow(message);
  });

  it('rejects a missing file with its path', async () => {
    await expect(loadHicoDetAnnotations('/nonexistent/test_hico.json')).rejects.toThrow(/nonexistent/);
  });
});
