import { hicoDet } from '@hoi/core';
import type { HoiResult } from '@hoi/core/spec';
import { describe, expect, it } from 'vitest';
import { syntheticHicoFile } from '../test/fixtures.js';
import { compareDetectors, GT_BOXES_ROW_NAME } from './cross-detector.js';
import { formatCrossDetectorTable } from './format.js';
import { parseHicoDetAnnotations } from './hico-det-annotations.js';

const ride = hicoDet.interactions.find((c) => c.verb === 'ride' && c.object === 'bicycle')!.index;
const H = [10, 10, 110, 210];
const O = [60, 150, 260, 260];
const gt = parseHicoDetAnnotations(
  syntheticHicoFile([[{ cls: ride, h: H, o: O }], [{ cls: ride, h: H, o: O }]], hicoDet),
);
const rec = (image: number, boxes: number[][], hits: boolean): HoiResult => ({
  image: `synthetic_${String(image).padStart(4, '0')}.jpg`,
  size: [320, 480],
  instances: boxes.map((b, k) => ({
    box: b as [number, number, number, number],
    label: k === 0 ? 'person' : 'bicycle',
    score: 1,
  })),
  interactions: hits ? [{ subject: 0, object: 1, verb: 'ride', score: 0.9 - image / 10 }] : [],
});

describe('compareDetectors', () => {
  it('rows per detector with instances per image and the drop against ground-truth boxes', async () => {
    const rows = await compareDetectors(
      [
        { name: 'good', predictions: [rec(0, [H, O, O], true), rec(1, [H, O, O, O], true)] },
        { name: 'misses one', predictions: [rec(0, [H, O], true), rec(1, [H, O], false)] },
      ],
      { annotations: gt, protocol: 'qpic', gtBoxes: [rec(0, [H, O], true), rec(1, [H, O], true)] },
    );
    expect(rows.map((r) => r.detector)).toEqual([GT_BOXES_ROW_NAME, 'good', 'misses one']);
    expect(rows[0]!.default.full).toBeCloseTo(100, 12);
    expect(rows[1]!.instancesPerImage).toBeCloseTo(3.5, 12);
    expect(rows[1]!.drop!.default).toBeCloseTo(0, 12);
    // One of two pairs found: recall 0.5 at precision 1 -> 6/11.
    expect(rows[2]!.default.full).toBeCloseTo((6 / 11) * 100, 12);
    expect(rows[2]!.drop!.default).toBeCloseTo(100 - (6 / 11) * 100, 12);
    const text = formatCrossDetectorTable(rows);
    expect(text.split('\n')).toHaveLength(4);
    expect(text).toContain('misses one');
    expect(text).toContain('45.45');
  });

  it('without a ground-truth-box run there is no drop column', async () => {
    const rows = await compareDetectors([{ name: 'none', predictions: [] }], {
      annotations: gt,
      protocol: 'official',
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.drop).toBeNull();
    expect(rows[0]!.instancesPerImage).toBe(0);
    expect(formatCrossDetectorTable(rows)).not.toContain('drop');
  });
});
