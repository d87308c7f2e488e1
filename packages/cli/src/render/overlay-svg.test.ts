import type { HoiResult } from '@hoi/core/spec';
import { describe, expect, it } from 'vitest';
import { overlayPairs, overlaySvg } from './overlay-svg.js';

const result: HoiResult = {
  image: 'x.jpg',
  size: [640, 427],
  instances: [
    { box: [10, 10, 100, 400], label: 'person', score: 0.9 },
    { box: [200, 200, 400, 420], label: 'bicycle', score: 0.8 },
    { box: [500, 10, 600, 60], label: 'kite', score: 0.5 },
  ],
  interactions: [
    { subject: 0, object: 1, verb: 'ride', score: 0.7 },
    { subject: 0, object: 2, verb: 'fly', score: 0.4 },
    { subject: 0, object: 1, verb: 'hold', score: 0.3 },
    { subject: 0, object: 1, verb: 'sit_on', score: 0.2 },
    { subject: 0, object: 1, verb: 'push', score: 0.1 },
  ],
};

describe('overlayPairs', () => {
  it.each([
    { options: {}, pairs: ['0-1:ride,hold,sit_on', '0-2:fly'] },
    { options: { maxPairs: 1 }, pairs: ['0-1:ride,hold,sit_on'] },
    { options: { maxVerbsPerPair: 1 }, pairs: ['0-1:ride', '0-2:fly'] },
    { options: { minScore: 0.35 }, pairs: ['0-1:ride', '0-2:fly'] },
  ])('$options', ({ options, pairs }) => {
    expect(
      overlayPairs(result, options).map((p) => `${p.key}:${p.verbs.map((v) => v.verb).join(',')}`),
    ).toEqual(pairs);
  });

  it('is empty for a record without interactions', () => {
    expect(overlayPairs({ ...result, interactions: [] })).toEqual([]);
  });
});

describe('overlaySvg', () => {
  it('is sized to the source image and draws boxes, lines and labels', () => {
    const svg = overlaySvg(result);
    expect(svg).toContain('viewBox="0 0 640 427"');
    expect((svg.match(/<line /g) ?? []).length).toBe(4); // two pairs, a halo and a line each
    expect(svg).toContain('ride 0.70, hold 0.30, sit on 0.20');
    expect(svg).toContain('person 0.90');
  });

  it('scales strokes and text with the image', () => {
    const small = overlaySvg(result);
    const big = overlaySvg({ ...result, size: [6400, 4270] });
    const font = (s: string) => Number(/font-size="(\d+)"/.exec(s)![1]);
    expect(font(big)).toBeGreaterThan(font(small) * 5);
  });

  it('escapes labels', () => {
    const svg = overlaySvg({
      ...result,
      instances: [{ ...result.instances[0]!, label: '<b>&' }, ...result.instances.slice(1)],
    });
    expect(svg).not.toContain('<b>&');
    expect(svg).toContain('&#60;b&#62;&#38;');
  });
});
