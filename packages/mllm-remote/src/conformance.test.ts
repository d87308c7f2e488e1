import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveCacheDir } from '@hoi/core';
import { assertRecognizerConformance } from '@hoi/core/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeVlmServer, startFakeVlmServer } from '../test/fake-vlm-server.js';
import { createHuggingFaceRecognizer, createOpenAICompatibleRecognizer } from './create-recognizers.js';

let server: FakeVlmServer;
let plain: FakeVlmServer;
let cacheDir: string;
beforeAll(async () => {
  server = await startFakeVlmServer();
  plain = await startFakeVlmServer({ supportsLogprobs: false });
  cacheDir = await mkdtemp(join(tmpdir(), 'hoi-remote-conf-'));
});
afterAll(async () => {
  await server.close();
  await plain.close();
  await rm(cacheDir, { recursive: true, force: true });
});

describe('@hoi/core/test conformance kit (spec v1)', () => {
  it.each(['auto', 'yes-no', 'sequence-likelihood', 'text'] as const)(
    'OpenAI-compatible, strategy %s',
    async (strategy) => {
      await assertRecognizerConformance(
        createOpenAICompatibleRecognizer({
          baseURL: `${server.origin}/v1`,
          model: 'm',
          strategy,
          cacheDir: false,
        }),
      );
    },
  );

  it('OpenAI-compatible server without logprobs (text fallback), with the disk cache on', async () => {
    await assertRecognizerConformance(
      createOpenAICompatibleRecognizer({ baseURL: `${plain.origin}/v1`, model: 'm', cacheDir }),
    );
  });

  it('Hugging Face client with endpointUrl', async () => {
    await assertRecognizerConformance(
      createHuggingFaceRecognizer({
        endpointUrl: server.origin,
        token: 'hf_x1234',
        model: 'm',
        cacheDir: false,
      }),
    );
  });
});

describe('default cache folder', () => {
  it('lives under @hoi/core resolveCacheDir()', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hoi-home-'));
    const saved = process.env.HOI_CACHE_DIR;
    process.env.HOI_CACHE_DIR = dir;
    try {
      const r = createOpenAICompatibleRecognizer({
        baseURL: `${server.origin}/v1`,
        model: 'cache-default-test',
      });
      const before = server.requests.length;
      const { instances, candidates } = {
        instances: [
          { box: [100, 10, 150, 90] as [number, number, number, number], label: 'person', score: 1 },
          { box: [10, 10, 40, 40] as [number, number, number, number], label: 'cup', score: 1 },
        ],
        candidates: [{ verb: 'hold', object: 'cup', phrase: 'holding left a cup' }],
      };
      const image = { width: 160, height: 100, channels: 3 as const, data: new Uint8Array(160 * 100 * 3) };
      const call = () =>
        r.doRecognize({ image, instances, candidates, pairs: [{ subject: 0, object: 1, candidates: [0] }] });
      await call();
      const second = await call();
      expect(server.requests.length - before).toBe(1);
      expect(second.providerMetadata?.remote?.cacheHits).toBe(1);
      expect(resolveCacheDir()).toBe(dir);
    } finally {
      if (saved === undefined) delete process.env.HOI_CACHE_DIR;
      else process.env.HOI_CACHE_DIR = saved;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
