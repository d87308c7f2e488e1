import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/** Which tfjs backend pose estimation ran on, and why when it is not wasm. */
export interface TfBackendInfo {
  backend: string;
  /** Set when the preferred wasm backend could not start and the (about 40x slower) cpu backend is used. */
  warning?: string;
}

let ready: Promise<TfBackendInfo> | undefined;

/**
 * Starts tfjs on the wasm backend (SIMD build shipped with @tensorflow/tfjs-backend-wasm), falling back
 * to the pure-JS cpu backend with a warning. tfjs keeps its active backend in a process-wide registry,
 * so this runs once per process and is shared by every recognizer instance (other tfjs users in the
 * same process, such as a CenterNet detector, share it too).
 */
export function ensureTfBackend(): Promise<TfBackendInfo> {
  ready ??= (async () => {
    const current = tf.getBackend?.();
    if (current === 'wasm') return { backend: 'wasm' };
    try {
      const require = createRequire(import.meta.url);
      const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
      setWasmPaths(`${wasmDir}/`);
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return { backend: 'wasm' };
      }
      throw new Error('tf.setBackend("wasm") returned false');
    } catch (error) {
      await tf.setBackend('cpu');
      await tf.ready();
      return {
        backend: 'cpu',
        warning: `tfjs wasm backend unavailable (${(error as Error).message}); pose runs on the slow cpu backend`,
      };
    }
  })();
  return ready;
}
