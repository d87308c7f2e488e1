import { describe, expect, it } from 'vitest';
import { buildDotProductsWasm, canUseDotKernel, dotProductsWasm } from './dot-products-wasm.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

describe('dotProductsWasm', () => {
  it('is available for positive multiples of 4 on Node >= 20', () => {
    expect(buildDotProductsWasm().subarray(0, 4)).toEqual(Uint8Array.of(0x00, 0x61, 0x73, 0x6d));
    expect(canUseDotKernel(512)).toBe(true);
    expect(canUseDotKernel(6)).toBe(false);
    expect(canUseDotKernel(0)).toBe(false);
    expect(dotProductsWasm(new Float32Array(6), new Float32Array(6), 1, 1, 6)).toBeNull();
  });

  it.each([
    { P: 1, M: 1, D: 4 },
    { P: 5, M: 7, D: 12 }, // M padded to 8 inside
    { P: 13, M: 16, D: 512 },
    { P: 0, M: 3, D: 8 },
    { P: 2, M: 0, D: 8 },
  ])('equals the float64 double loop (P=$P M=$M D=$D)', ({ P, M, D }) => {
    const rand = lcg(P * 97 + M * 13 + D);
    const a = Float32Array.from({ length: P * D }, rand);
    const b = Float32Array.from({ length: M * D }, rand);
    const out = dotProductsWasm(a, b, P, M, D)!;
    expect(out.length).toBe(P * M);
    for (let p = 0; p < P; p++) {
      for (let m = 0; m < M; m++) {
        let t = 0;
        for (let d = 0; d < D; d++) t += a[p * D + d]! * b[m * D + d]!;
        expect(Math.abs(out[p * M + m]! - t)).toBeLessThan(1e-5);
      }
    }
  });

  it('reuses its memory across calls without leaking stale values into later results', () => {
    const nan = new Float32Array(40 * 64).fill(Number.NaN);
    expect(dotProductsWasm(nan, nan, 40, 40, 64)!.every(Number.isNaN)).toBe(true);
    const rand = lcg(5);
    const a = Float32Array.from({ length: 3 * 8 }, rand);
    const b = Float32Array.from({ length: 5 * 8 }, rand); // padded to 8 rows inside
    const out = dotProductsWasm(a, b, 3, 5, 8)!;
    for (let p = 0; p < 3; p++) {
      for (let m = 0; m < 5; m++) {
        let t = 0;
        for (let d = 0; d < 8; d++) t += a[p * 8 + d]! * b[m * 8 + d]!;
        expect(Math.abs(out[p * 5 + m]! - t)).toBeLessThan(1e-5);
      }
    }
  });
});
