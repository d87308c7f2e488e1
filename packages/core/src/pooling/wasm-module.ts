/**
 * The few pieces needed to emit and run the tiny hand-assembled WebAssembly SIMD kernels of core
 * (pooling and matching): LEB128 and section encoding, and typed access to the WebAssembly JS API
 * (core's TypeScript lib has no DOM types). See each kernel's builder for the instructions.
 * @internal
 */

/** Value types and the SIMD opcode prefix of the WebAssembly binary format. */
export const WASM_I32 = 0x7f;
export const WASM_F32 = 0x7d;
export const WASM_V128 = 0x7b;
export const WASM_SIMD = 0xfd;

/** Unsigned LEB128, the integer encoding of the binary format. */
export function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** A length-prefixed UTF-8 name. */
export function wasmName(s: string): number[] {
  return [s.length, ...Array.from(new TextEncoder().encode(s))];
}

/** A section: id, byte size, body. */
export function wasmSection(id: number, body: number[]): number[] {
  return [id, ...leb128(body.length), ...body];
}

/**
 * A module with one exported function of type (i32 x paramCount) -> () over an imported memory
 * `env.mem`, from the function's locals-and-code body.
 */
export function wasmModule(exportName: string, paramCount: number, body: number[]): Uint8Array {
  const funcType = [0x60, ...leb128(paramCount), ...new Array<number>(paramCount).fill(WASM_I32), 0x00];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // magic, version 1
    ...wasmSection(1, [0x01, ...funcType]),
    ...wasmSection(2, [0x01, ...wasmName('env'), ...wasmName('mem'), 0x02, 0x00, 0x01]), // memory, min 1 page
    ...wasmSection(3, [0x01, 0x00]),
    ...wasmSection(7, [0x01, ...wasmName(exportName), 0x00, 0x00]),
    ...wasmSection(10, [0x01, ...leb128(body.length), ...body]),
  ]);
}

/** The part of the WebAssembly JS API used here. */
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

/** A WebAssembly.Memory: `grow` adds 64 KiB pages (and replaces `buffer`). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The runtime's WebAssembly object, if any. */
export const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/**
 * Compiles `bytes` once and returns a getter for the module (null where WebAssembly or its SIMD
 * extension is unavailable). The cache holds a constant: compiled on first use, never changed.
 */
export function lazyWasmModule(build: () => Uint8Array): () => object | null {
  let compiled: object | null | undefined;
  return () => {
    if (compiled === undefined) {
      const bytes = build();
      compiled = wasmApi?.validate(bytes) ? new wasmApi.Module(bytes) : null;
    }
    return compiled;
  };
}

/** Bytes of one WebAssembly memory page. */
const PAGE_BYTES = 65536;

/**
 * Largest memory a {@link reusableKernel} keeps between calls (256 MiB): a bigger request gets a one-off
 * memory that is collected after the call, so one huge input does not pin its memory for the process.
 */
export const MAX_RETAINED_KERNEL_BYTES = 256 * 2 ** 20;

/**
 * A getter for one instance of `module` over one memory that is reused by every call and grown when a
 * call needs more (or null where the module is unavailable). Creating a memory and an instance per call
 * cost more than the work on small inputs, and a fresh multi-MiB memory pays a page fault per 4 KiB on
 * first touch every time. The memory is scratch space: callers write all they read in the same
 * synchronous call, so sharing it is safe (each worker thread loads its own copy of this module).
 * It keeps up to {@link MAX_RETAINED_KERNEL_BYTES} alive after the first call; larger calls use a
 * one-off memory.
 */
export function reusableKernel<F>(
  module: () => object | null,
  name: string,
): (bytes: number) => { buffer: ArrayBuffer; kernel: F } | null {
  let memory: WasmMemory | undefined;
  let kernel: F | undefined;
  return (bytes) => {
    const compiled = module();
    if (compiled === null) return null;
    if (bytes > MAX_RETAINED_KERNEL_BYTES) return instantiateKernel<F>(compiled, name, bytes);
    if (memory === undefined || kernel === undefined) {
      ({ memory, kernel } = instantiateKernelMemory<F>(compiled, name, bytes));
    } else if (memory.buffer.byteLength < bytes) {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE_BYTES));
    }
    return { buffer: memory.buffer, kernel };
  };
}

function instantiateKernelMemory<F>(
  module: object,
  name: string,
  bytes: number,
): { memory: WasmMemory; kernel: F } {
  const api = wasmApi!;
  const memory = new api.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE_BYTES)) });
  const kernel = new api.Instance(module, { env: { mem: memory } }).exports[name] as F;
  return { memory, kernel };
}

/**
 * Instantiates `module` over a fresh memory of at least `bytes` bytes and returns the memory and the
 * exported function `name`.
 */
export function instantiateKernel<F>(
  module: object,
  name: string,
  bytes: number,
): { buffer: ArrayBuffer; kernel: F } {
  const { memory, kernel } = instantiateKernelMemory<F>(module, name, bytes);
  return { buffer: memory.buffer, kernel };
}
