import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

/** A TensorFlow.js backend this package can run on. */
export type TfjsBackendName = 'wasm' | 'cpu';

/** The backends tried by default, in order: WebAssembly (SIMD) first, the pure-JS cpu backend last. */
export const DEFAULT_BACKENDS: readonly TfjsBackendName[] = Object.freeze(['wasm', 'cpu']);

/** How to start TensorFlow.js; honoured only by the first call in a process. */
export interface TfjsRuntimeOptions {
  /** Backends to try, in order. The first that initialises wins. Default `['wasm', 'cpu']`. */
  backends?: readonly TfjsBackendName[];
  /**
   * Folder holding `tfjs-backend-wasm*.wasm` (a path or a `file:` URL, with or without the trailing
   * separator). Default: the `dist` folder of the installed `@tensorflow/tfjs-backend-wasm`.
   */
  wasmDir?: string;
}

/** What the process-wide runtime ended up with. Plain data. */
export interface TfjsRuntime {
  /** The active backend. */
  readonly backend: TfjsBackendName;
  /** The backends that were tried and failed before it, with the reason. */
  readonly failures: readonly { backend: TfjsBackendName; reason: string }[];
  /** The backend list and wasm folder the runtime was initialised with. */
  readonly requested: { backends: readonly TfjsBackendName[]; wasmDir: string };
}

// TensorFlow.js keeps one engine per copy of @tensorflow/tfjs-core: the backend registry, the active
// backend and every tensor live in module-level state that no API scopes per caller. This file is the
// only place in the package that touches that state, and it does so once: the first detector created
// initialises the backend, every later one reuses it. This is the one deliberate exception to the
// "no global mutable state" rule, because tfjs offers no other way.
let runtimePromise: Promise<TfjsRuntime> | undefined;

/**
 * Initialises TensorFlow.js once per process (the first call wins; later calls return the same
 * runtime, whatever options they pass) and resolves to the active backend. Never throws for a backend
 * that fails to start: it tries the next one and records why. Rejects only when none works.
 */
export function getTfjsRuntime(options: TfjsRuntimeOptions = {}): Promise<TfjsRuntime> {
  runtimePromise ??= initialise(options).catch((error: unknown) => {
    runtimePromise = undefined; // let a later call try again (for example with other options)
    throw error;
  });
  return runtimePromise;
}

/** The default wasm folder: `dist/` of the `@tensorflow/tfjs-backend-wasm` this package resolves. */
export function defaultWasmDir(): string {
  // The package has no `exports` map; `main` is dist/tf-backend-wasm.node.js, beside the .wasm files.
  return dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
}

async function initialise(options: TfjsRuntimeOptions): Promise<TfjsRuntime> {
  const backends = options.backends?.length ? [...options.backends] : [...DEFAULT_BACKENDS];
  const wasmDir = options.wasmDir ?? defaultWasmDir();
  const failures: { backend: TfjsBackendName; reason: string }[] = [];
  for (const backend of backends) {
    const reason = backend === 'wasm' ? await startWasm(wasmDir) : await startBackend('cpu');
    if (reason === undefined) return { backend, failures, requested: { backends, wasmDir } };
    failures.push({ backend, reason });
  }
  throw new Error(
    `no TensorFlow.js backend could start (${failures.map((f) => `${f.backend}: ${f.reason}`).join('; ')})`,
  );
}

async function startWasm(wasmDir: string): Promise<string | undefined> {
  // setWasmPaths takes a prefix that is concatenated with the file name; Emscripten reads it with
  // fs.readFileSync in Node (plain paths and file: URLs both work).
  const prefix = wasmDir.endsWith('/') || wasmDir.endsWith(sep) ? wasmDir : `${wasmDir}${sep}`;
  // Emscripten's Node glue installs process-wide 'uncaughtException' and 'unhandledRejection' handlers
  // that rethrow; they would change how the host application's own errors surface. Remove exactly the
  // ones it added, keeping everything else.
  const before = {
    uncaughtException: process.listeners('uncaughtException'),
    unhandledRejection: process.listeners('unhandledRejection'),
  };
  try {
    // Another tfjs user sharing this copy of tfjs-core (for example @hoi/recognizer-prior's MoveNet)
    // may have started wasm already; it is then reused as is.
    if (tf.getBackend() === 'wasm') return undefined;
    setWasmPaths(prefix);
    const ok = await tf.setBackend('wasm');
    await tf.ready();
    if (!ok || tf.getBackend() !== 'wasm') return `the WebAssembly binary could not be loaded from ${prefix}`;
    return undefined;
  } catch (error) {
    return (error as Error).message ?? String(error);
  } finally {
    const emitter: NodeJS.EventEmitter = process;
    for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
      for (const listener of emitter.listeners(event) as ((...args: unknown[]) => void)[]) {
        if (!(before[event] as unknown[]).includes(listener)) emitter.removeListener(event, listener);
      }
    }
  }
}

async function startBackend(name: 'cpu'): Promise<string | undefined> {
  try {
    const ok = await tf.setBackend(name);
    await tf.ready();
    return ok && tf.getBackend() === name ? undefined : `tf.setBackend('${name}') failed`;
  } catch (error) {
    return (error as Error).message ?? String(error);
  }
}
