import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/hoi-error.js';
import { l2NormalizeRows, matchScores, sigmoid } from './one-pass-matching.js';

const f32 = (v: number[]) => Float32Array.from(v);

describe('sigmoid', () => {
  it.each([
    { x: 0, y: 0.5 },
    { x: 2, y: 1 / (1 + Math.exp(-2)) },
    { x: -2, y: 1 / (1 + Math.exp(2)) },
    { x: 1000, y: 1 },
    { x: -1000, y: 0 },
  ])('sigmoid($x) = $y', ({ x, y }) => {
    expect(sigmoid(x)).toBeCloseTo(y, 12);
    expect(Number.isNaN(sigmoid(x))).toBe(false);
  });
});

describe('l2NormalizeRows', () => {
  it.each([
    { name: '3-4-5 row', m: [3, 4], rows: 1, cols: 2, expected: [0.6, 0.8] },
    { name: 'zero row stays zero', m: [0, 0, 0, 2, 0, 0], rows: 2, cols: 3, expected: [0, 0, 0, 1, 0, 0] },
    { name: 'negative values', m: [-1, 0, 0, -1], rows: 2, cols: 2, expected: [-1, 0, 0, -1] },
    { name: 'no rows', m: [], rows: 0, cols: 4, expected: [] },
    { name: 'no columns', m: [], rows: 3, cols: 0, expected: [] },
  ])('$name', ({ m, rows, cols, expected }) => {
    const input = f32(m);
    const out = l2NormalizeRows(input, rows, cols);
    expect(Array.from(out).map((v) => Math.round(v * 1e6) / 1e6)).toEqual(expected);
    expect(out).not.toBe(input);
  });

  it('rejects a length that does not match rows x cols', () => {
    expect(() => l2NormalizeRows(f32([1, 2, 3]), 2, 2)).toThrow(InvalidArgumentError);
  });
});

function naiveScores(a: Float32Array, b: Float32Array, P: number, M: number, D: number, s: number): number[] {
  const an = l2NormalizeRows(a, P, D);
  const bn = l2NormalizeRows(b, M, D);
  const out: number[] = [];
  for (let p = 0; p < P; p++) {
    for (let m = 0; m < M; m++) {
      let dot = 0;
      for (let d = 0; d < D; d++) dot += an[p * D + d]! * bn[m * D + d]!;
      out.push(1 / (1 + Math.exp(-Math.exp(s) * dot)));
    }
  }
  return out;
}

describe('matchScores', () => {
  const S = Math.log(10); // logit multiplier 10
  it.each([
    { name: 'same direction', a: [1, 0], b: [5, 0], expected: [sigmoid(10)] },
    { name: 'orthogonal', a: [1, 0], b: [0, 3], expected: [0.5] },
    { name: 'opposite', a: [1, 0], b: [-2, 0], expected: [sigmoid(-10)] },
    { name: '45 degrees', a: [1, 1], b: [1, 0], expected: [sigmoid(10 * Math.SQRT1_2)] },
    { name: 'zero pair feature -> 0.5', a: [0, 0], b: [1, 0], expected: [0.5] },
    { name: 'zero candidate -> 0.5', a: [1, 0], b: [0, 0], expected: [0.5] },
  ])('$name', ({ a, b, expected }) => {
    const out = matchScores(f32(a), f32(b), { pairs: 1, candidates: 1, dim: 2, logitScale: S });
    expect(out[0]).toBeCloseTo(expected[0]!, 6);
  });

  it('zero rows score 0.5 on the SIMD path too (D = 4)', () => {
    const out = matchScores(f32([0, 0, 0, 0, 1, 0, 0, 0]), f32([1, 0, 0, 0, 0, 0, 0, 0]), {
      pairs: 2,
      candidates: 2,
      dim: 4,
      logitScale: S,
    });
    expect(Array.from(out).map((v) => Math.round(v * 1e6) / 1e6)).toEqual(
      [0.5, 0.5, sigmoid(10), 0.5].map((v) => Math.round(v * 1e6) / 1e6),
    );
  });

  it('normalize: false uses raw dot products', () => {
    const out = matchScores(f32([2, 0]), f32([0.5, 7]), {
      pairs: 1,
      candidates: 1,
      dim: 2,
      logitScale: 0,
      normalize: false,
    });
    expect(out[0]).toBeCloseTo(sigmoid(1), 6);
  });

  it.each([
    { P: 0, M: 5, D: 8 },
    { P: 4, M: 0, D: 8 },
    { P: 0, M: 0, D: 8 },
  ])('returns an empty P x M matrix for P=$P, M=$M', ({ P, M, D }) => {
    const out = matchScores(new Float32Array(P * D), new Float32Array(M * D), {
      pairs: P,
      candidates: M,
      dim: D,
      logitScale: S,
    });
    expect(out.length).toBe(0);
  });

  it('dim 0 gives 0.5 everywhere (no evidence)', () => {
    const out = matchScores(new Float32Array(0), new Float32Array(0), {
      pairs: 2,
      candidates: 3,
      dim: 0,
      logitScale: S,
    });
    expect(Array.from(out)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  });

  it.each([
    { P: 1, M: 1, D: 1 },
    { P: 3, M: 7, D: 5 },
    { P: 37, M: 131, D: 70 }, // plain JS: crosses the 64-candidate tile and the 4-wide remainder
    { P: 37, M: 131, D: 72 }, // SIMD kernel (D % 4 = 0), M not a multiple of 4
    { P: 3, M: 8, D: 512 }, // SIMD kernel, the method's matching width
    { P: 1, M: 1, D: 4 },
  ])('equals a naive double loop, row-major P x M (P=$P M=$M D=$D)', ({ P, M, D }) => {
    let seed = P * 1000 + M * 10 + D;
    const rand = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32 - 0.5;
    };
    const a = Float32Array.from({ length: P * D }, rand);
    const b = Float32Array.from({ length: M * D }, rand);
    const out = matchScores(a, b, { pairs: P, candidates: M, dim: D, logitScale: 2.5 });
    const ref = naiveScores(a, b, P, M, D, 2.5);
    expect(out.length).toBe(P * M);
    for (let i = 0; i < ref.length; i++) expect(Math.abs(out[i]! - ref[i]!)).toBeLessThan(1e-6);
  });

  it.each([
    { name: 'pair length', a: 5, b: 4, opts: {} },
    { name: 'candidate length', a: 4, b: 5, opts: {} },
    { name: 'logitScale NaN', a: 4, b: 4, opts: { logitScale: Number.NaN } },
    { name: 'negative pairs', a: 4, b: 4, opts: { pairs: -2 } },
  ])('rejects wrong $name', ({ a, b, opts }) => {
    expect(() =>
      matchScores(new Float32Array(a), new Float32Array(b), {
        pairs: 2,
        candidates: 2,
        dim: 2,
        logitScale: 0,
        ...opts,
      }),
    ).toThrow(InvalidArgumentError);
  });
});
