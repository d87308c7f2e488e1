import { describe, expect, it } from 'vitest';
import { resizeBilinearToPlanar } from './resize-bilinear-planar.js';

// Identity look-up: planar output holds the resized bytes themselves.
const lut = Float32Array.from({ length: 768 }, (_, i) => i % 256);

function resize(src: number[][][], dstW: number, dstH: number): number[][][] {
  const h = src.length;
  const w = src[0]!.length;
  const bytes = Uint8Array.from(src.flat(2));
  const out = new Float32Array(3 * dstW * dstH);
  resizeBilinearToPlanar(bytes, w, h, dstW, dstH, out, 0, dstW, dstW * dstH, lut);
  return [0, 1, 2].map((c) =>
    Array.from({ length: dstH }, (_, y) =>
      Array.from(out.subarray(c * dstW * dstH + y * dstW, c * dstW * dstH + (y + 1) * dstW)),
    ),
  );
}

describe('resizeBilinearToPlanar', () => {
  it('keeps pixels at the same size and writes planes (non-square)', () => {
    const src = [
      [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ],
      [
        [10, 11, 12],
        [13, 14, 15],
        [16, 17, 18],
      ],
    ];
    expect(resize(src, 3, 2)).toEqual([
      [
        [1, 4, 7],
        [10, 13, 16],
      ],
      [
        [2, 5, 8],
        [11, 14, 17],
      ],
      [
        [3, 6, 9],
        [12, 15, 18],
      ],
    ]);
  });

  it('averages neighbours exactly when halving', () => {
    const row = [
      [0, 0, 0],
      [100, 50, 10],
      [200, 200, 200],
      [40, 60, 80],
    ];
    const out = resize([row, row], 2, 1);
    expect(out.map((plane) => plane[0])).toEqual([
      [50, 120],
      [25, 130],
      [5, 140],
    ]);
  });

  it('repeats edge pixels when enlarging (no blending with black)', () => {
    const out = resize([[[90, 90, 90]]], 3, 2);
    expect(out[0]).toEqual([
      [90, 90, 90],
      [90, 90, 90],
    ]);
  });

  it('writes at an offset with a row stride (letterbox placement)', () => {
    const out = new Float32Array(3 * 4 * 3).fill(-1);
    resizeBilinearToPlanar(Uint8Array.from([7, 8, 9]), 1, 1, 2, 1, out, 4 + 1, 4, 12, lut);
    expect(Array.from(out.subarray(0, 12))).toEqual([-1, -1, -1, -1, -1, 7, 7, -1, -1, -1, -1, -1]);
    expect(out[12 + 5]).toBe(8);
    expect(out[24 + 6]).toBe(9);
  });

  it('does nothing for an empty target', () => {
    const out = new Float32Array(3).fill(-1);
    resizeBilinearToPlanar(Uint8Array.from([1, 2, 3]), 1, 1, 0, 0, out, 0, 0, 0, lut);
    expect(Array.from(out)).toEqual([-1, -1, -1]);
  });
});
