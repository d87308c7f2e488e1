import { describe, expect, it } from 'vitest';
import { fitLogisticHead } from './fit-logistic.js';

/** Deterministic pseudo-random numbers (LCG) for a synthetic problem. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function problem(N: number, D: number, K: number) {
  const rand = lcg(42);
  const z = new Float64Array(N * D);
  const obj = new Int32Array(N);
  const y = new Uint8Array(N);
  for (let i = 0; i < N; i++) {
    let s = -0.5;
    for (let d = 0; d < D; d++) {
      z[i * D + d] = rand() * 2 - 1;
      s += (d + 1) * 0.7 * z[i * D + d]!;
    }
    obj[i] = i % K;
    s += obj[i] === 0 ? 1.5 : 0;
    y[i] = rand() < 1 / (1 + Math.exp(-s)) ? 1 : 0;
  }
  return { z, obj, y };
}

describe('fitLogisticHead', () => {
  it('reaches the penalised optimum: the gradient vanishes', () => {
    const N = 400;
    const D = 3;
    const K = 4;
    const l2 = 0.5;
    const { z, obj, y } = problem(N, D, K);
    const h = fitLogisticHead(z, D, obj, K, y, { l2, iterations: 15 });
    const gI = { b: 0, w: new Float64Array(D), u: new Float64Array(K) };
    for (let i = 0; i < N; i++) {
      let s = h.intercept + h.object[obj[i]!]!;
      for (let d = 0; d < D; d++) s += h.spatial[d]! * z[i * D + d]!;
      const r = 1 / (1 + Math.exp(-s)) - y[i]!;
      gI.b += r;
      gI.u[obj[i]!] += r;
      for (let d = 0; d < D; d++) gI.w[d] += r * z[i * D + d]!;
    }
    expect(Math.abs(gI.b)).toBeLessThan(1e-8);
    for (let d = 0; d < D; d++) expect(Math.abs(gI.w[d]! + l2 * h.spatial[d]!)).toBeLessThan(1e-8);
    for (let k = 0; k < K; k++) expect(Math.abs(gI.u[k]! + l2 * h.object[k]!)).toBeLessThan(1e-8);
    // The signal is recovered: increasing weights, object 0 favoured.
    expect(h.spatial[0]!).toBeGreaterThan(0);
    expect(h.spatial[2]!).toBeGreaterThan(h.spatial[0]!);
    expect(h.object[0]!).toBeGreaterThan(h.object[1]!);
  });

  it('is deterministic and handles an all-negative label set and zero samples', () => {
    const { z, obj, y } = problem(50, 2, 3);
    const a = fitLogisticHead(z, 2, obj, 3, y, { l2: 1, iterations: 8 });
    const b = fitLogisticHead(z, 2, obj, 3, y, { l2: 1, iterations: 8 });
    expect(a).toEqual(b);
    const neg = fitLogisticHead(z, 2, obj, 3, new Uint8Array(50), { l2: 1, iterations: 8 });
    expect(neg.intercept).toBeLessThan(-2);
    const empty = fitLogisticHead(new Float64Array(0), 2, new Int32Array(0), 3, new Uint8Array(0), {
      l2: 1,
      iterations: 8,
    });
    expect(empty.intercept).toBe(0);
    expect(empty.spatial).toEqual([0, 0]);
  });
});
