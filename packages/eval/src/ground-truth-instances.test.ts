import { hicoDet } from '@hoi/core';
import { describe, expect, it } from 'vitest';
import { syntheticHicoFile } from '../test/fixtures.js';
import { hicoDetGroundTruthInstances } from './ground-truth-instances.js';
import { parseHicoDetAnnotations } from './hico-det-annotations.js';

const cls = (verb: string, object: string) =>
  hicoDet.interactions.find((c) => c.verb === verb && c.object === object)!.index;

describe('hicoDetGroundTruthInstances', () => {
  it('lists each distinct box once, humans first, with score 1', () => {
    const H = [0, 0, 10, 20];
    const gt = parseHicoDetAnnotations(
      syntheticHicoFile(
        [
          [
            { cls: cls('ride', 'bicycle'), h: H, o: [5, 5, 30, 30] },
            { cls: cls('hold', 'bicycle'), h: H, o: [5, 5, 30, 30] },
            { cls: cls('no_interaction', 'person'), h: H, o: [40, 0, 50, 20] },
          ],
          [],
        ],
        hicoDet,
      ),
    );
    const [first, second] = hicoDetGroundTruthInstances(gt);
    expect(first!.image).toBe('synthetic_0000.jpg');
    expect(first!.instances).toEqual([
      { box: H, label: 'person', score: 1 },
      { box: [5, 5, 30, 30], label: 'bicycle', score: 1 },
      { box: [40, 0, 50, 20], label: 'person', score: 1 },
    ]);
    expect(second!.instances).toEqual([]);
  });
});
