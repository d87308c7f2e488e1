import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadImage } from '@hoi/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createCenterNetDetector } from './centernet-detector.js';
import { defaultWasmDir, getTfjsRuntime } from './tfjs-runtime.js';

// This file must run in its own process (vitest's forks pool gives each test file one): it starts
// TensorFlow.js with a wasm folder that does not exist, to exercise the fallback to the cpu backend.
const ASTRONAUT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/images/astronaut.png');

describe('getTfjsRuntime', () => {
  it('ships the wasm binaries where the default wasm folder points', () => {
    for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) {
      expect(existsSync(join(defaultWasmDir(), f))).toBe(true);
    }
  });

  it('falls back to the cpu backend, with the reason, when wasm cannot start', async () => {
    const listeners =
      process.listenerCount('unhandledRejection') + process.listenerCount('uncaughtException');
    const runtime = await getTfjsRuntime({ wasmDir: '/nonexistent-wasm-dir' });
    expect(runtime.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(runtime.failures).toEqual([
      { backend: 'wasm', reason: expect.stringContaining('/nonexistent-wasm-dir') },
    ]);
    // Emscripten's process-wide error handlers are removed again.
    expect(process.listenerCount('unhandledRejection') + process.listenerCount('uncaughtException')).toBe(
      listeners,
    );
    // Initialised once: later options do not restart it.
    expect(await getTfjsRuntime({ backends: ['wasm'] })).toBe(runtime);
  });

  // The cpu backend takes about 5 s for one 512x512 inference on an idle core; allow for a busy machine.
  it('warns in every result of a detector running on the fallback', { timeout: 180_000 }, async () => {
    const detector = await createCenterNetDetector({ backends: ['wasm'] });
    try {
      const image = existsSync(ASTRONAUT)
        ? await loadImage(ASTRONAUT)
        : { width: 64, height: 48, channels: 3 as const, data: new Uint8Array(64 * 48 * 3) };
      const r = await detector.doDetect(image);
      expect(r.providerMetadata?.centernet?.backend).toBe('cpu');
      expect(r.warnings.map((w) => w.type)).toEqual(['degraded', 'unsupported-setting']);
      expect(r.warnings[0]!.message).toMatch(/backend 'wasm' is unavailable .* running on 'cpu'/);
      if (existsSync(ASTRONAUT)) expect(r.instances.filter((d) => d.label === 'person')).toHaveLength(1);
    } finally {
      await detector.dispose?.();
    }
  });
});
