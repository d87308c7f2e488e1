import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/hoi-error.js';
import {
  buildWeightedSumWasm,
  type CellList,
  canUseWasmKernel,
  weightedCellSums,
  weightedCellSumsJs,
  weightedCellSumsWasm,
} from './weighted-cell-sum.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Direct double loop: the definition both kernels must equal. */
function reference(tokens: Float32Array, C: number, boxes: CellList[]): Float64Array {
  const out = new Float64Array(boxes.length * C);
  boxes.forEach((b, k) => {
    for (let i = 0; i < b.length; i++) {
      for (let ch = 0; ch < C; ch++) out[k * C + ch] += b.weights[i]! * tokens[b.offsets[i]! + ch]!;
    }
  });
  return out;
}

function makeCase(cells: number, C: number, counts: number[], seed: number) {
  const rand = lcg(seed);
  const tokens = Float32Array.from({ length: cells * C }, () => rand() * 2 - 1);
  const boxes: CellList[] = counts.map((n) => {
    const offsets = Int32Array.from({ length: n }, () => Math.floor(rand() * cells) * C);
    const weights = Float64Array.from({ length: n }, () => rand());
    return { offsets, weights, length: n };
  });
  return { tokens, boxes };
}

describe('weighted cell sums', () => {
  it('WebAssembly SIMD is available on Node >= 20, so the fast path is the one tested', () => {
    expect(buildWeightedSumWasm().subarray(0, 4)).toEqual(Uint8Array.of(0x00, 0x61, 0x73, 0x6d));
    expect(canUseWasmKernel(8)).toBe(true);
    expect(canUseWasmKernel(6)).toBe(false);
  });

  it.each([
    { C: 4, counts: [1] },
    { C: 8, counts: [0, 1, 7, 8, 9, 17] }, // empty box, partial and full passes of 8 cells
    { C: 12, counts: [3, 16, 33] },
    { C: 2048, counts: [25, 300] }, // two channel blocks of 1024
    { C: 1280, counts: [9] }, // two blocks of 640
    { C: 1028, counts: [11] }, // no block size divides it: one block
  ])('js and wasm equal the direct sum (C=$C, cells per box $counts)', ({ C, counts }) => {
    const { tokens, boxes } = makeCase(64, C, counts, C + counts.length);
    const ref = reference(tokens, C, boxes);
    const js = new Float32Array(boxes.length * C);
    const wasm = new Float32Array(boxes.length * C);
    weightedCellSumsJs(tokens, C, boxes, js);
    weightedCellSumsWasm(tokens, C, boxes, wasm);
    boxes.forEach((b, k) => {
      // float32 accumulation: error grows with the total weight (a pooling mean has total weight 1)
      const scale = 1 + b.weights.reduce((a, w) => a + w, 0);
      for (let ch = 0; ch < C; ch++) {
        const i = k * C + ch;
        expect(Math.abs(js[i]! - ref[i]!)).toBeLessThan(1e-6 * scale);
        expect(Math.abs(wasm[i]! - ref[i]!)).toBeLessThan(1e-6 * scale);
      }
    });
  });

  it('falls back to plain JS when C is not a multiple of 4', () => {
    const { tokens, boxes } = makeCase(10, 3, [5], 3);
    const out = new Float32Array(3);
    weightedCellSums(tokens, 3, boxes, out);
    const ref = reference(tokens, 3, boxes);
    for (let i = 0; i < 3; i++) expect(out[i]).toBeCloseTo(ref[i]!, 6);
    expect(() => weightedCellSumsWasm(tokens, 3, boxes, out)).toThrow(InvalidArgumentError);
  });
});
