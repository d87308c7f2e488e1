import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/hoi-error.js';
import {
  SPATIAL_ENCODING_EPS,
  spatialEncoding7,
  spatialEncoding36,
  spatialEncodings36,
} from './spatial-encoding.js';

// A non-square image: 200 px wide, 100 px high, so x and y normalizations differ.
const IMAGE = { width: 200, height: 100 };
// Human: w=40, h=80, centre (40, 50).
const HUMAN = [20, 10, 60, 90];
const LOG_EPS = Math.log(SPATIAL_ENCODING_EPS);

function withLogs(raw: number[]): number[] {
  return [...raw, ...raw.map((f) => Math.log(f + SPATIAL_ENCODING_EPS))];
}

function expectClose(actual: Float32Array, expected: number[], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(actual[i], `feature ${i}`).toBeCloseTo(expected[i]!, digits);
  }
}

describe('spatialEncoding36 (hand-computed, 200x100 image)', () => {
  const cases: { name: string; object: number[]; raw: number[] }[] = [
    {
      // object w=40 h=20 centre (120, 50): right of the human, same height.
      name: 'object right',
      object: [100, 40, 140, 60],
      raw: [0.2, 0.5, 0.6, 0.5, 0.2, 0.8, 0.2, 0.2, 0.16, 0.04, 0.25, 0.5, 2, 0, 2, 0, 0, 0],
    },
    {
      // object w=10 h=20 centre (5, 30): left and above; dx = 35/40, dy = 20/80.
      name: 'object left and above',
      object: [0, 20, 10, 40],
      raw: [
        0.2,
        0.5,
        0.025,
        0.3,
        0.2,
        0.8,
        0.05,
        0.2,
        0.16,
        0.01,
        200 / 3200,
        0.5,
        0.5,
        0,
        0,
        0.875,
        0,
        0.25,
      ],
    },
    {
      // touching the human's bottom-right corner: w=40 h=10 centre (80, 95); dx = 1, dy = 45/80.
      name: 'object below-right, touching at a corner',
      object: [60, 90, 100, 100],
      raw: [0.2, 0.5, 0.4, 0.95, 0.2, 0.8, 0.2, 0.1, 0.16, 0.02, 0.125, 0.5, 4, 0, 1, 0, 0.5625, 0],
    },
    {
      // sharing the edge x=60 (IoU 0), same vertical centre: dy = 0 in both directions.
      name: 'object touching along an edge',
      object: [60, 10, 100, 90],
      raw: [0.2, 0.5, 0.4, 0.5, 0.2, 0.8, 0.2, 0.8, 0.16, 0.16, 1, 0.5, 0.5, 0, 1, 0, 0, 0],
    },
    {
      // below, overlapping: object [30,50,50,100] w=20 h=50 centre (40,75); inter 20x40=800,
      // union 3200+1000-800=3400.
      name: 'object below, overlapping',
      object: [30, 50, 50, 100],
      raw: [
        0.2,
        0.5,
        0.2,
        0.75,
        0.2,
        0.8,
        0.1,
        0.5,
        0.16,
        0.05,
        1000 / 3200,
        0.5,
        0.4,
        800 / 3400,
        0,
        0,
        25 / 80,
        0,
      ],
    },
    {
      name: 'identical boxes',
      object: HUMAN,
      raw: [0.2, 0.5, 0.2, 0.5, 0.2, 0.8, 0.2, 0.8, 0.16, 0.16, 1, 0.5, 0.5, 1, 0, 0, 0, 0],
    },
    {
      // zero-size object at (50, 50): its area, ratio and aspect are 0 (no NaN), logs are log(eps).
      name: 'zero-size object',
      object: [50, 50, 50, 50],
      raw: [0.2, 0.5, 0.25, 0.5, 0.2, 0.8, 0, 0, 0.16, 0, 0, 0.5, 0, 0, 0.25, 0, 0, 0],
    },
  ];
  it.each(cases)('$name', ({ object, raw }) => {
    const f = spatialEncoding36(HUMAN, object, IMAGE);
    expectClose(f, withLogs(raw));
  });

  it('puts the logs of zero features at log(eps), finite', () => {
    const f = spatialEncoding36(HUMAN, HUMAN, IMAGE);
    expect(f[18 + 14]).toBeCloseTo(LOG_EPS, 4);
    expect(f.every(Number.isFinite)).toBe(true);
  });

  it('stays finite for a zero-size human (eps in every denominator)', () => {
    const f = spatialEncoding36([50, 50, 50, 50], [0, 0, 10, 10], IMAGE);
    expect(f.every(Number.isFinite)).toBe(true);
    expect(f[15]).toBeGreaterThan(1e9); // |dx| / (0 + eps)
  });

  it('uses pixel aspect ratios, so stretching the image does not change them', () => {
    const a = spatialEncoding36(HUMAN, [100, 40, 140, 60], IMAGE);
    const b = spatialEncoding36(HUMAN, [100, 40, 140, 60], { width: 400, height: 100 });
    expect(b[11]).toBeCloseTo(a[11]!, 6);
    expect(b[4]).toBeCloseTo(a[4]! / 2, 6);
  });

  it.each([
    { human: [10, 10, 5, 20], object: [0, 0, 1, 1] },
    { human: [0, 0, 1, 1], object: [0, 0, Number.NaN, 1] },
    { human: [0, 0, 1], object: [0, 0, 1, 1] },
  ])('rejects invalid box %j', ({ human, object }) => {
    expect(() => spatialEncoding36(human, object, IMAGE)).toThrow(InvalidArgumentError);
  });

  it('rejects an empty image size', () => {
    expect(() => spatialEncoding36(HUMAN, HUMAN, { width: 0, height: 10 })).toThrow(/image/);
  });
});

describe('spatialEncoding7 (the paper form, on normalized boxes)', () => {
  // Normalized human: [0.1,0.1,0.3,0.9], w=0.2 h=0.8, centre (0.2, 0.5).
  const cases: { name: string; object: number[]; expected: number[] }[] = [
    // object [0.5,0.4,0.7,0.6] w=0.2 h=0.2 centre (0.6, 0.5)
    { name: 'object right', object: [100, 40, 140, 60], expected: [0.16, 0.04, 0.25, 1, 0, -2, 0] },
    // object [0,0.2,0.05,0.4] w=0.05 h=0.2 centre (0.025, 0.3)
    {
      name: 'object left and above',
      object: [0, 20, 10, 40],
      expected: [0.16, 0.01, 0.25, 0.25, 0, 0.875, 0.25],
    },
    // object [0.15,0.5,0.25,1] centre (0.2, 0.75): below, overlapping
    {
      name: 'object below, overlapping',
      object: [30, 50, 50, 100],
      expected: [0.16, 0.05, 0.25, 0.2, 800 / 3400, 0, -0.3125],
    },
    { name: 'identical boxes', object: HUMAN, expected: [0.16, 0.16, 0.25, 0.25, 1, 0, 0] },
    {
      name: 'touching at a corner',
      object: [60, 90, 100, 100],
      expected: [0.16, 0.02, 0.25, 2, 0, -1, -0.5625],
    },
    { name: 'zero-size object', object: [50, 50, 50, 50], expected: [0.16, 0, 0.25, 0, 0, -0.25, 0] },
  ];
  it.each(cases)('$name', ({ object, expected }) => {
    expectClose(spatialEncoding7(HUMAN, object, IMAGE), expected);
  });

  it('aspect ratios follow the normalized boxes (they change with the image aspect)', () => {
    const square = spatialEncoding7(HUMAN, HUMAN, { width: 100, height: 100 });
    expect(square[2]).toBeCloseTo(0.5, 6);
  });
});

describe('spatialEncodings36 (batch)', () => {
  const boxes = [HUMAN, [100, 40, 140, 60], [0, 20, 10, 40]];
  it('equals the single form row by row, in pair order', () => {
    const pairs = [
      { subject: 0, object: 1 },
      { subject: 0, object: 2 },
      { subject: 1, object: 0 },
    ];
    const m = spatialEncodings36(boxes, pairs, IMAGE);
    expect(m.length).toBe(3 * 36);
    pairs.forEach(({ subject, object }, p) => {
      expect(Array.from(m.subarray(p * 36, p * 36 + 36))).toEqual(
        Array.from(spatialEncoding36(boxes[subject]!, boxes[object]!, IMAGE)),
      );
    });
  });

  it('returns an empty matrix for no pairs and for no boxes', () => {
    expect(spatialEncodings36(boxes, [], IMAGE).length).toBe(0);
    expect(spatialEncodings36([], [], IMAGE).length).toBe(0);
  });

  it.each([
    { subject: 3, object: 0 },
    { subject: 0, object: -1 },
    { subject: 0.5, object: 1 },
  ])('rejects pair %j that does not index the boxes', (pair) => {
    expect(() => spatialEncodings36(boxes, [pair], IMAGE)).toThrow(InvalidArgumentError);
  });
});
