import { InvalidArgumentError } from '../errors/hoi-error.js';
import { canUseDotKernel, dotProductsWasm } from './dot-products-wasm.js';

/**
 * Logistic function 1 / (1 + e^-x), written so neither branch overflows: sigmoid(1000) = 1,
 * sigmoid(-1000) = 0, never NaN for finite input. Candidate scores are independent sigmoids, not a
 * softmax, because a person can do several things with one object at once (multi-label).
 */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Smallest norm divided by, as torch.nn.functional.normalize's default eps. */
const NORM_EPS = 1e-12;

function assertCount(argument: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(argument, 'a non-negative integer', value);
  }
}

function assertMatrix(argument: string, m: Float32Array, rows: number, cols: number): void {
  if (!(m instanceof Float32Array) || m.length !== rows * cols) {
    throw new InvalidArgumentError(argument, `a Float32Array of ${rows} x ${cols} = ${rows * cols} values`, {
      length: m?.length,
    });
  }
}

/**
 * Scales every row of a rows x cols row-major matrix to unit L2 norm, returning a new matrix.
 * A row whose norm is below 1e-12 is divided by 1e-12 instead (torch's `F.normalize` rule), so an
 * all-zero row stays all zeros: it has no direction, its cosine with anything is 0 and its match score
 * is sigmoid(0) = 0.5 - "no evidence either way" - rather than NaN. Norms are accumulated in float64.
 */
export function l2NormalizeRows(m: Float32Array, rows: number, cols: number): Float32Array {
  assertCount('rows', rows);
  assertCount('cols', cols);
  assertMatrix('m', m, rows, cols);
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let ss = 0;
    for (let c = 0; c < cols; c++) ss += m[o + c]! * m[o + c]!;
    const inv = 1 / Math.max(Math.sqrt(ss), NORM_EPS);
    for (let c = 0; c < cols; c++) out[o + c] = m[o + c]! * inv;
  }
  return out;
}

/** Settings of {@link matchScores}. */
export interface MatchScoresOptions {
  /** Rows of `pairFeatures` (P). */
  pairs: number;
  /** Rows of `candidateEmbeddings` (M). */
  candidates: number;
  /** Feature size of both (D). */
  dim: number;
  /** The learned log temperature: logits are exp(logitScale) * cosine. */
  logitScale: number;
  /** L2-normalize both sides first (cosine similarity). Default true; false for already-normalized input. */
  normalize?: boolean;
}

/** Dot product of two length-D rows, accumulated in float64. */
function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, D: number): number {
  let s = 0;
  for (let d = 0; d < D; d++) s += a[ao + d]! * b[bo + d]!;
  return s;
}

/** Candidates per tile: 64 x 512 floats = 128 KiB, which stays in L2 while every pair row passes over it. */
const CANDIDATE_TILE = 64;

/**
 * One-pass deterministic matching: the score of every candidate for every pair,
 * `sigmoid(exp(logitScale) * <normalize(v_p), normalize(a_k)>)`, as one P x M matrix product (the
 * method's s_sap, and the dual-encoder recognizer's scores against cached phrase embeddings).
 *
 * Both inputs are row-major with the feature axis contiguous, so each dot product reads two contiguous
 * rows. When D is a multiple of 4 the products run in a WebAssembly SIMD kernel (float32 lanes and
 * accumulation; see dot-products-wasm.ts). Otherwise a plain-JS loop computes them, blocked: candidates in
 * tiles of 64 rows (kept in cache), and within a tile two pairs x four candidates per pass, so six loaded
 * values feed eight products held in locals; its products and sums are float64 (JS numbers). Either way
 * each score is rounded to float32 once. Hand-written because core has no BLAS dependency; P x M x D for
 * one image is a few million multiply-adds when each pair is matched against its own ~15 candidates.
 *
 * @param pairFeatures P x D row-major
 * @param candidateEmbeddings M x D row-major
 * @returns P x M row-major scores in [0, 1]
 */
export function matchScores(
  pairFeatures: Float32Array,
  candidateEmbeddings: Float32Array,
  options: MatchScoresOptions,
): Float32Array {
  const { pairs: P, candidates: M, dim: D, logitScale, normalize = true } = options;
  assertCount('pairs', P);
  assertCount('candidates', M);
  assertCount('dim', D);
  if (!Number.isFinite(logitScale)) {
    throw new InvalidArgumentError(
      'logitScale',
      'a finite number (the log of the logit multiplier)',
      logitScale,
    );
  }
  assertMatrix('pairFeatures', pairFeatures, P, D);
  assertMatrix('candidateEmbeddings', candidateEmbeddings, M, D);
  const a = normalize ? l2NormalizeRows(pairFeatures, P, D) : pairFeatures;
  const b = normalize ? l2NormalizeRows(candidateEmbeddings, M, D) : candidateEmbeddings;
  const scale = Math.exp(logitScale);
  if (P > 0 && M > 0 && canUseDotKernel(D)) {
    const dots = dotProductsWasm(a, b, P, M, D);
    if (dots !== null) {
      for (let i = 0; i < dots.length; i++) dots[i] = sigmoid(scale * dots[i]!);
      return dots;
    }
  }
  const out = new Float32Array(P * M);
  for (let m0 = 0; m0 < M; m0 += CANDIDATE_TILE) {
    const m1 = Math.min(M, m0 + CANDIDATE_TILE);
    let p = 0;
    // Two pairs x four candidates per pass: 6 loads feed 8 multiply-adds held in locals.
    for (; p + 2 <= P; p += 2) {
      const a0 = p * D;
      const a1 = a0 + D;
      const o0 = p * M;
      const o1 = o0 + M;
      let m = m0;
      for (; m + 4 <= m1; m += 4) {
        const b0 = m * D;
        const b1 = b0 + D;
        const b2 = b1 + D;
        const b3 = b2 + D;
        let s00 = 0;
        let s01 = 0;
        let s02 = 0;
        let s03 = 0;
        let s10 = 0;
        let s11 = 0;
        let s12 = 0;
        let s13 = 0;
        for (let d = 0; d < D; d++) {
          const x = a[a0 + d]!;
          const y = a[a1 + d]!;
          const c0 = b[b0 + d]!;
          const c1 = b[b1 + d]!;
          const c2 = b[b2 + d]!;
          const c3 = b[b3 + d]!;
          s00 += x * c0;
          s01 += x * c1;
          s02 += x * c2;
          s03 += x * c3;
          s10 += y * c0;
          s11 += y * c1;
          s12 += y * c2;
          s13 += y * c3;
        }
        out[o0 + m] = sigmoid(scale * s00);
        out[o0 + m + 1] = sigmoid(scale * s01);
        out[o0 + m + 2] = sigmoid(scale * s02);
        out[o0 + m + 3] = sigmoid(scale * s03);
        out[o1 + m] = sigmoid(scale * s10);
        out[o1 + m + 1] = sigmoid(scale * s11);
        out[o1 + m + 2] = sigmoid(scale * s12);
        out[o1 + m + 3] = sigmoid(scale * s13);
      }
      for (; m < m1; m++) {
        out[o0 + m] = sigmoid(scale * dot(a, a0, b, m * D, D));
        out[o1 + m] = sigmoid(scale * dot(a, a1, b, m * D, D));
      }
    }
    for (; p < P; p++) {
      for (let m = m0; m < m1; m++) out[p * M + m] = sigmoid(scale * dot(a, p * D, b, m * D, D));
    }
  }
  return out;
}
