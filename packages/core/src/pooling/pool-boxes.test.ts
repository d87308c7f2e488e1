import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/hoi-error.js';
import { imageBoxToGrid } from './box-to-grid.js';
import { poolBoxes, poolPairFeatures } from './pool-boxes.js';
import { type RoiAlignOptions, roiAlign } from './roi-align.js';
import type { TokenGrid } from './token-grid.js';

/** Deterministic pseudo-random numbers (LCG) so the test data is fixed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function makeGrid(height: number, width: number, channels: number, seed = 1): TokenGrid {
  const rand = lcg(seed);
  const data = new Float32Array(height * width * channels);
  for (let i = 0; i < data.length; i++) data[i] = rand() * 2 - 1;
  return { height, width, channels, data };
}

/** Mean over the outH x outW bins of a roiAlign result: the slow definition poolBoxes must equal. */
function meanOfRoiAlign(grid: TokenGrid, gridBoxes: number[][], options: RoiAlignOptions): Float32Array {
  const [oh, ow] =
    typeof options.outputSize === 'number'
      ? [options.outputSize, options.outputSize]
      : (options.outputSize ?? [7, 7]);
  const C = grid.channels;
  const r = roiAlign(grid, gridBoxes, options);
  const out = new Float32Array(gridBoxes.length * C);
  for (let k = 0; k < gridBoxes.length; k++) {
    for (let b = 0; b < oh * ow; b++) {
      for (let c = 0; c < C; c++) out[k * C + c] += r[(k * oh * ow + b) * C + c]! / (oh * ow);
    }
  }
  return out;
}

// Non-square image and grid: a 640 x 427 image on a 16 x 23 grid.
const IMAGE = { width: 640, height: 427 };
const GRID = makeGrid(16, 23, 5);

describe('imageBoxToGrid', () => {
  it.each([
    { box: [0, 0, 640, 427], expected: [0, 0, 23, 16] },
    { box: [320, 213.5, 640, 427], expected: [11.5, 8, 23, 16] },
    { box: [-64, 0, 0, 42.7], expected: [-2.3, 0, 0, 1.6] },
  ])('maps $box', ({ box, expected }) => {
    const g = imageBoxToGrid(box, IMAGE, GRID);
    for (let i = 0; i < 4; i++) expect(g[i]).toBeCloseTo(expected[i]!, 10);
  });

  it('rejects empty sizes', () => {
    expect(() => imageBoxToGrid([0, 0, 1, 1], { width: 0, height: 1 }, GRID)).toThrow(InvalidArgumentError);
    expect(() => imageBoxToGrid([0, 0, 1, 1], IMAGE, { width: 1, height: 0 })).toThrow(InvalidArgumentError);
  });
});

describe('poolBoxes equals the mean of roiAlign', () => {
  const rand = lcg(7);
  const boxes: number[][] = [
    [0, 0, 640, 427], // whole image
    [100.5, 50.25, 300.75, 400], // fractional
    [-200, -100, 150, 120], // partly outside
    [700, 500, 900, 600], // fully outside
    [320, 200, 320, 200], // zero size
    [630, 420, 640, 427], // tiny, in the corner
  ];
  // Same vertical extent, different widths (shared row weights; under adaptive sampling a different
  // number of x samples per bin), as a person and the union boxes of its pairs.
  boxes.push([40, 60, 90, 400], [40, 60, 300, 400], [10, 60, 620, 400], [200, 60, 230, 400]);
  for (let i = 0; i < 20; i++) {
    const x1 = rand() * 700 - 30;
    const y1 = rand() * 470 - 20;
    boxes.push([x1, y1, x1 + rand() * 400, y1 + rand() * 300]);
  }
  const gridBoxes = boxes.map((b) => imageBoxToGrid(b, IMAGE, GRID));
  const settings: RoiAlignOptions[] = [
    {},
    { aligned: false },
    { samplingRatio: 0 },
    { samplingRatio: 0, aligned: false },
    { samplingRatio: 1, outputSize: [2, 3] },
    { outputSize: 1 },
  ];
  // C = 5 runs the plain-JS sums, C = 8 the WebAssembly SIMD kernel.
  const grids = [GRID, makeGrid(16, 23, 8, 3)];
  const table = grids.flatMap((grid) => settings.map((options) => ({ grid, C: grid.channels, options })));
  it.each(table)('C=$C, options $options', ({ grid, options }) => {
    const fast = poolBoxes(grid, boxes, IMAGE, options);
    const slow = meanOfRoiAlign(grid, gridBoxes, options);
    expect(fast.length).toBe(boxes.length * grid.channels);
    for (let i = 0; i < fast.length; i++) expect(Math.abs(fast[i]! - slow[i]!)).toBeLessThan(1e-5);
    // and the fixture boxes are not all zero
    expect(fast.slice(0, grid.channels).some((v) => v !== 0)).toBe(true);
  });

  it('a box covering a constant grid pools to that constant', () => {
    const constant: TokenGrid = { height: 3, width: 4, channels: 2, data: new Float32Array(24).fill(0.25) };
    const out = poolBoxes(constant, [[0, 0, 80, 60]], { width: 80, height: 60 });
    expect(out[0]).toBeCloseTo(0.25, 6);
    expect(out[1]).toBeCloseTo(0.25, 6);
  });

  it('returns an empty output for no boxes', () => {
    expect(poolBoxes(GRID, [], IMAGE).length).toBe(0);
  });
});

describe('poolBoxes equals the mean of torchvision.ops.roi_align (committed fixture)', () => {
  const fixture = JSON.parse(
    readFileSync(fileURLToPath(new URL('./fixtures/roi-align-torchvision.json', import.meta.url)), 'utf8'),
  ) as {
    grid: { height: number; width: number; channels: number; data: number[] };
    cases: {
      outputSize: [number, number];
      samplingRatio: number;
      aligned: boolean;
      spatialScale: number;
      boxes: number[][];
      output: number[];
    }[];
  };
  const { height, width, channels: C } = fixture.grid;
  // Four channels (the fixture's three plus a copy of the first) so the SIMD path runs too.
  const grid3: TokenGrid = { height, width, channels: C, data: Float32Array.from(fixture.grid.data) };
  const grid4: TokenGrid = { height, width, channels: 4, data: new Float32Array(height * width * 4) };
  for (let cell = 0; cell < height * width; cell++) {
    for (let c = 0; c < C; c++) grid4.data[cell * 4 + c] = grid3.data[cell * C + c]!;
    grid4.data[cell * 4 + 3] = grid3.data[cell * C]!;
  }
  // With the image the size of the grid, image pixels are grid cells.
  const image = { width, height };
  it.each(fixture.cases.filter((c) => c.spatialScale === 1))(
    'output $outputSize, sampling $samplingRatio, aligned $aligned',
    ({ outputSize, samplingRatio, aligned, boxes, output }) => {
      const bins = outputSize[0] * outputSize[1];
      const p3 = poolBoxes(grid3, boxes, image, { outputSize, samplingRatio, aligned });
      const p4 = poolBoxes(grid4, boxes, image, { outputSize, samplingRatio, aligned });
      boxes.forEach((_, k) => {
        for (let c = 0; c < C; c++) {
          let mean = 0;
          for (let b = 0; b < bins; b++) mean += output[(k * bins + b) * C + c]! / bins;
          expect(Math.abs(p3[k * C + c]! - mean)).toBeLessThan(1e-5);
          expect(Math.abs(p4[k * 4 + c]! - mean)).toBeLessThan(1e-5);
        }
      });
    },
  );
});

describe('poolPairFeatures', () => {
  const boxes = [
    [10, 20, 200, 400], // person
    [150, 100, 500, 380], // bicycle
    [400, 10, 630, 200], // person
  ];
  const pairs = [
    { subject: 0, object: 1 },
    { subject: 0, object: 2 },
    { subject: 2, object: 0 },
    { subject: 2, object: 1 },
  ];
  it('gives human, object and union features per pair, equal to pooling each box directly', () => {
    const f = poolPairFeatures(GRID, IMAGE, boxes, pairs);
    const C = GRID.channels;
    expect(f.channels).toBe(C);
    const single = (box: readonly number[]) => Array.from(poolBoxes(GRID, [box], IMAGE));
    pairs.forEach(({ subject, object }, p) => {
      const u = [
        Math.min(boxes[subject]![0]!, boxes[object]![0]!),
        Math.min(boxes[subject]![1]!, boxes[object]![1]!),
        Math.max(boxes[subject]![2]!, boxes[object]![2]!),
        Math.max(boxes[subject]![3]!, boxes[object]![3]!),
      ];
      expect(Array.from(f.human.subarray(p * C, p * C + C))).toEqual(single(boxes[subject]!));
      expect(Array.from(f.object.subarray(p * C, p * C + C))).toEqual(single(boxes[object]!));
      expect(Array.from(f.union.subarray(p * C, p * C + C))).toEqual(single(u));
    });
  });

  it('handles no pairs', () => {
    const f = poolPairFeatures(GRID, IMAGE, boxes, []);
    expect([f.human.length, f.object.length, f.union.length, f.channels]).toEqual([0, 0, 0, GRID.channels]);
  });

  it('rejects pairs that do not index the boxes', () => {
    expect(() => poolPairFeatures(GRID, IMAGE, boxes, [{ subject: 0, object: 3 }])).toThrow(
      /pairs\[0\]\.object/,
    );
  });
});
