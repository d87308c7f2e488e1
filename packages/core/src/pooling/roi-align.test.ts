import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/hoi-error.js';
import { roiAlign } from './roi-align.js';
import type { TokenGrid } from './token-grid.js';

interface Fixture {
  torch: string;
  torchvision: string;
  grid: { height: number; width: number; channels: number; data: number[] };
  cases: {
    outputSize: [number, number];
    samplingRatio: number;
    aligned: boolean;
    spatialScale: number;
    boxes: number[][];
    output: number[];
  }[];
}

const fixture: Fixture = JSON.parse(
  readFileSync(fileURLToPath(new URL('./fixtures/roi-align-torchvision.json', import.meta.url)), 'utf8'),
);
const grid: TokenGrid = { ...fixture.grid, data: Float32Array.from(fixture.grid.data) };

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe(`roiAlign equals torchvision.ops.roi_align (torchvision ${fixture.torchvision})`, () => {
  it.each(fixture.cases)(
    'output $outputSize, sampling $samplingRatio, aligned $aligned, scale $spatialScale',
    ({ outputSize, samplingRatio, aligned, spatialScale, boxes, output }) => {
      const ours = roiAlign(grid, boxes, { outputSize, samplingRatio, aligned, spatialScale });
      expect(ours.length).toBe(output.length);
      expect(maxAbsDiff(ours, output)).toBeLessThan(1e-5);
    },
  );

  it('the fixture is not trivial: boxes outside give 0, others do not', () => {
    const c = fixture.cases[0]!;
    const per = 7 * 7 * 3;
    const outside = c.output.slice(5 * per, 6 * per);
    expect(outside.every((v) => v === 0)).toBe(true);
    expect(c.output.slice(0, per).some((v) => Math.abs(v) > 0.1)).toBe(true);
  });
});

describe('roiAlign by hand', () => {
  // 2 x 3 grid, 2 channels: channel 0 = column index, channel 1 = 10 * row index.
  const small: TokenGrid = {
    height: 2,
    width: 3,
    channels: 2,
    data: Float32Array.from([0, 0, 1, 0, 2, 0, 0, 10, 1, 10, 2, 10]),
  };

  it('a 1x1 output with one sample reads the bilinear value at the box centre (aligned)', () => {
    // box [0.5,0.5,2.5,1.5] -> shifted by -0.5 -> centre (1, 0.5): channel0 = 1, channel1 = 5
    const out = roiAlign(small, [[0.5, 0.5, 2.5, 1.5]], { outputSize: 1, samplingRatio: 1 });
    expect(Array.from(out)).toEqual([1, 5]);
  });

  it('clamps samples within one cell outside and zeroes those beyond', () => {
    // centre at x = -0.75 (inside the -1 margin) reads column 0; at x = -1.5 reads nothing
    const out = roiAlign(
      small,
      [
        [-1, 0, -0.5, 1],
        [-2, 0, -1, 1],
      ],
      { outputSize: 1, samplingRatio: 1, aligned: false },
    );
    expect(Array.from(out)).toEqual([0, 5, 0, 0]);
  });

  it('returns an empty array for no boxes', () => {
    expect(roiAlign(small, []).length).toBe(0);
  });

  it.each([
    { options: { outputSize: 0 } },
    { options: { outputSize: [2, 1.5] as [number, number] } },
    { options: { samplingRatio: 1.5 } },
    { options: { spatialScale: Number.NaN } },
  ])('rejects options $options', ({ options }) => {
    expect(() => roiAlign(small, [[0, 0, 1, 1]], options)).toThrow(InvalidArgumentError);
  });

  it('rejects a grid whose data does not match its shape, and non-finite boxes', () => {
    expect(() => roiAlign({ ...small, channels: 3 }, [])).toThrow(/grid/);
    expect(() => roiAlign(small, [[0, 0, Number.POSITIVE_INFINITY, 1]])).toThrow(/boxes\[0\]/);
    expect(() => roiAlign(small, [[0, 0, 1]])).toThrow(InvalidArgumentError);
  });
});
