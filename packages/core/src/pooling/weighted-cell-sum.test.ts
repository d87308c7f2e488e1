import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/hoi-error.js';
import {
  buildWeightedSumWasm,
  canUseWasmKernel,
  type SeparableBoxWeights,
  separableBoxSums,
  separableBoxSumsJs,
  separableBoxSumsWasm,
} from './weighted-cell-sum.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Direct double loop over the cells: the definition both kernels must equal. */
function reference(tokens: Float32Array, W: number, C: number, boxes: SeparableBoxWeights[]): Float64Array {
  const out = new Float64Array(boxes.length * C);
  boxes.forEach((b, k) => {
    for (let i = 0; i < b.rowWeights.length; i++) {
      for (let j = 0; j < b.colWeights.length; j++) {
        const w = b.rowWeights[i]! * b.colWeights[j]!;
        const cell = (b.rowFirst + i) * W + b.colFirst + j;
        for (let ch = 0; ch < C; ch++) out[k * C + ch] += w * tokens[cell * C + ch]!;
      }
    }
  });
  return out;
}

/** Random boxes on an H x W grid; every third box reuses the previous box's row weights (a group). */
function makeCase(H: number, W: number, C: number, count: number, seed: number) {
  const rand = lcg(seed);
  const tokens = Float32Array.from({ length: H * W * C }, () => rand() * 2 - 1);
  const boxes: SeparableBoxWeights[] = [];
  for (let k = 0; k < count; k++) {
    const span = (n: number) => {
      const first = Math.floor(rand() * n);
      const len = 1 + Math.floor(rand() * (n - first));
      const w = Float64Array.from({ length: len }, () => (rand() < 0.15 ? 0 : rand() / len));
      return { first, w };
    };
    const prev = boxes[k - 1];
    const rows = k % 3 === 2 && prev ? { first: prev.rowFirst, w: prev.rowWeights } : span(H);
    const cols = span(W);
    boxes.push({ rowFirst: rows.first, rowWeights: rows.w, colFirst: cols.first, colWeights: cols.w });
  }
  // and an empty box
  boxes.push({ rowFirst: 0, rowWeights: new Float64Array(0), colFirst: 0, colWeights: new Float64Array(0) });
  return { tokens, boxes };
}

describe('separable box sums', () => {
  it('WebAssembly SIMD is available on Node >= 20, so the fast path is the one tested', () => {
    expect(buildWeightedSumWasm().subarray(0, 4)).toEqual(Uint8Array.of(0x00, 0x61, 0x73, 0x6d));
    expect(canUseWasmKernel(8)).toBe(true);
    expect(canUseWasmKernel(6)).toBe(false);
  });

  it.each([
    { H: 1, W: 1, C: 4, count: 1 },
    { H: 5, W: 7, C: 8, count: 12 },
    { H: 16, W: 23, C: 12, count: 30 },
    { H: 24, W: 32, C: 2048, count: 6 }, // 8 channel blocks of 256
    { H: 6, W: 5, C: 1280, count: 5 }, // 5 blocks
    { H: 6, W: 5, C: 1028, count: 4 }, // 5 blocks, the last zero-padded
    { H: 3, W: 40, C: 4, count: 25 }, // columns shorter than a pass
  ])('js and wasm equal the direct sum (H=$H W=$W C=$C, $count boxes)', ({ H, W, C, count }) => {
    const { tokens, boxes } = makeCase(H, W, C, count, H * 100 + C);
    const ref = reference(tokens, W, C, boxes);
    const js = new Float32Array(boxes.length * C);
    const wasm = new Float32Array(boxes.length * C);
    separableBoxSumsJs(tokens, W, C, boxes, js);
    separableBoxSumsWasm(tokens, W, C, boxes, wasm);
    for (let i = 0; i < ref.length; i++) {
      expect(Math.abs(js[i]! - ref[i]!)).toBeLessThan(1e-6);
      expect(Math.abs(wasm[i]! - ref[i]!)).toBeLessThan(1e-6);
    }
    // the last (empty) box pools to zeros
    expect(wasm.subarray(count * C).every((v) => v === 0)).toBe(true);
    // split output: the first rows into one array, the rest into `tail`, equal to the single array
    const split = Math.floor(boxes.length / 2);
    for (const fn of [separableBoxSumsJs, separableBoxSumsWasm]) {
      const head = new Float32Array(split * C);
      const tail = new Float32Array((boxes.length - split) * C);
      fn(tokens, W, C, boxes, head, tail);
      const whole = fn === separableBoxSumsJs ? js : wasm;
      expect(head).toEqual(whole.subarray(0, split * C));
      expect(tail).toEqual(whole.subarray(split * C));
    }
  });

  it('reuses its memory across calls of other shapes without leaking stale values', () => {
    // A large call with non-finite tokens leaves NaN and Inf in the kernel's memory; smaller calls that
    // follow must read none of it (zero padding and column sums are rewritten per call).
    const big = makeCase(24, 32, 2048, 40, 7);
    big.tokens.fill(Number.NaN);
    separableBoxSumsWasm(big.tokens, 32, 2048, big.boxes, new Float32Array(big.boxes.length * 2048));
    for (const [H, W, C, seed] of [
      [5, 7, 8, 1],
      [24, 32, 2048, 2],
      [9, 4, 136, 3],
    ] as const) {
      const { tokens, boxes } = makeCase(H, W, C, 20, seed);
      const ref = reference(tokens, W, C, boxes);
      const wasm = new Float32Array(boxes.length * C);
      separableBoxSumsWasm(tokens, W, C, boxes, wasm);
      for (let i = 0; i < ref.length; i++) expect(Math.abs(wasm[i]! - ref[i]!)).toBeLessThan(1e-6);
    }
  });

  it('falls back to plain JS when C is not a multiple of 4', () => {
    const { tokens, boxes } = makeCase(4, 4, 3, 5, 3);
    const out = new Float32Array(boxes.length * 3);
    separableBoxSums(tokens, 4, 3, boxes, out);
    const ref = reference(tokens, 4, 3, boxes);
    for (let i = 0; i < ref.length; i++) expect(out[i]).toBeCloseTo(ref[i]!, 6);
    expect(() => separableBoxSumsWasm(tokens, 4, 3, boxes, out)).toThrow(InvalidArgumentError);
  });
});
