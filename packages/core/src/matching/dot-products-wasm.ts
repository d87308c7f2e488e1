/**
 * All P x M dot products of two row-major float32 matrices (rows of D values) with a WebAssembly SIMD
 * kernel: four lanes of float32 products, four candidate rows per pass so each loaded pair value feeds
 * four products. Float32 accumulation (4 partial sums per dot product, added at the end). It exists
 * because core has no BLAS: on 420 pairs x 600 candidates x 512 dims it is several times faster than
 * the float64 JS loop. Hand-assembled for the same reason as the pooling kernel (see wasm-module.ts).
 * @internal
 */
import {
  WASM_I32 as I32,
  lazyWasmModule,
  leb128,
  reusableKernel,
  WASM_SIMD as SIMD,
  WASM_V128 as V128,
  wasmModule,
} from '../pooling/wasm-module.js';

/**
 * Builds `dots(a, b, out, P, M4, dBytes)`: for p < P, m < M4 step 4:
 * out[p*M4 + m + i] = sum_d a[p][d] * b[m+i][d] (f32x4 lanes, then a horizontal add). Pointers are byte
 * offsets into `env.mem`; M4 is a multiple of 4 and dBytes of 16.
 */
export function buildDotProductsWasm(): Uint8Array {
  // params a=0 b=1 out=2 P=3 M4=4 dBytes=5; locals (i32) p=6 m=7 d=8 ap=9 b0..b3=10..13 o=14,
  // (v128) x=15 acc0..acc3=16..19
  const [A, Bp, OUT, PN, M4, DB, Pi, Mi, Di, AP, O, X] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 14, 15];
  const Bi = (i: number) => 10 + i;
  const ACC = (i: number) => 16 + i;
  const get = (i: number) => [0x20, i];
  const set = (i: number) => [0x21, i];
  const i32Const = (v: number) => [0x41, ...leb128(v)];
  const i32Add = [0x6a];
  const i32Mul = [0x6c];
  const i32GeU = [0x4f];
  const brIf1 = [0x0d, 0x01];
  const br0 = [0x0c, 0x00];
  const blockLoop = [0x02, 0x40, 0x03, 0x40];
  const endEnd = [0x0b, 0x0b];
  const v128Load = [SIMD, ...leb128(0x00), 0x00, 0x00];
  const v128Zero = [SIMD, ...leb128(0x0c), ...new Array<number>(16).fill(0)];
  const f32x4Add = [SIMD, ...leb128(0xe4)];
  const f32x4Mul = [SIMD, ...leb128(0xe6)];
  const extractLane = (lane: number) => [SIMD, ...leb128(0x1f), lane];
  const f32Add = [0x92];
  const f32Store = (offset: number) => [0x38, 0x02, ...leb128(offset)];

  const code: number[] = [0x02, 0x09, I32, 0x05, V128];
  code.push(...blockLoop, ...get(Pi), ...get(PN), ...i32GeU, ...brIf1); // for p < P
  code.push(...get(A), ...get(Pi), ...get(DB), ...i32Mul, ...i32Add, ...set(AP));
  code.push(...i32Const(0), ...set(Mi));
  code.push(...blockLoop, ...get(Mi), ...get(M4), ...i32GeU, ...brIf1); // for m < M4 step 4
  code.push(...get(Bp), ...get(Mi), ...get(DB), ...i32Mul, ...i32Add, ...set(Bi(0)));
  for (let i = 1; i < 4; i++) code.push(...get(Bi(i - 1)), ...get(DB), ...i32Add, ...set(Bi(i)));
  for (let i = 0; i < 4; i++) code.push(...v128Zero, ...set(ACC(i)));
  code.push(...i32Const(0), ...set(Di));
  code.push(...blockLoop, ...get(Di), ...get(DB), ...i32GeU, ...brIf1); // for d < dBytes step 16
  code.push(...get(AP), ...get(Di), ...i32Add, ...v128Load, ...set(X));
  for (let i = 0; i < 4; i++) {
    code.push(...get(ACC(i)), ...get(X), ...get(Bi(i)), ...get(Di), ...i32Add, ...v128Load);
    code.push(...f32x4Mul, ...f32x4Add, ...set(ACC(i)));
  }
  code.push(...get(Di), ...i32Const(16), ...i32Add, ...set(Di), ...br0, ...endEnd);
  // o = out + (p*M4 + m) * 4; out[o + 4i] = hsum(acc_i)
  code.push(...get(OUT), ...get(Pi), ...get(M4), ...i32Mul, ...get(Mi), ...i32Add, ...i32Const(2), 0x74);
  code.push(...i32Add, ...set(O));
  for (let i = 0; i < 4; i++) {
    code.push(...get(O), ...get(ACC(i)), ...extractLane(0));
    for (let lane = 1; lane < 4; lane++) code.push(...get(ACC(i)), ...extractLane(lane), ...f32Add);
    code.push(...f32Store(4 * i));
  }
  code.push(...get(Mi), ...i32Const(4), ...i32Add, ...set(Mi), ...br0, ...endEnd);
  code.push(...get(Pi), ...i32Const(1), ...i32Add, ...set(Pi), ...br0, ...endEnd);
  code.push(0x0b);
  return wasmModule('dots', 6, code);
}

const dotModule = lazyWasmModule(buildDotProductsWasm);
/** The kernel over one memory reused by every call (matching runs one small product per object class). */
const dotKernel = reusableKernel<(...args: number[]) => void>(dotModule, 'dots');

/** Whether {@link dotProductsWasm} can run for rows of `dim` values. */
export function canUseDotKernel(dim: number): boolean {
  return dim % 4 === 0 && dim > 0 && dotModule() !== null;
}

/**
 * P x M dot products (row-major result) of `a` (P x D) and `b` (M x D), or null when the kernel cannot
 * run (no WebAssembly SIMD, or D not a positive multiple of 4).
 */
export function dotProductsWasm(
  a: Float32Array,
  b: Float32Array,
  P: number,
  M: number,
  D: number,
): Float32Array | null {
  const module = dotModule();
  if (module === null || !canUseDotKernel(D)) return null;
  const M4 = Math.ceil(M / 4) * 4;
  const aByte = 0;
  const bByte = P * D * 4;
  const outByte = bByte + M4 * D * 4;
  const { buffer, kernel } = dotKernel(outByte + P * M4 * 4)!;
  new Float32Array(buffer, aByte, P * D).set(a.subarray(0, P * D));
  new Float32Array(buffer, bByte, M * D).set(b.subarray(0, M * D));
  new Float32Array(buffer, bByte + M * D * 4, (M4 - M) * D).fill(0); // padding rows (memory is reused)
  kernel(aByte, bByte, outByte, P, M4, D * 4);
  const padded = new Float32Array(buffer, outByte, P * M4);
  if (M4 === M) return padded.slice();
  const out = new Float32Array(P * M);
  for (let p = 0; p < P; p++) out.set(padded.subarray(p * M4, p * M4 + M), p * M);
  return out;
}
