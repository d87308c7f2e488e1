import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelDownloadProgress } from '@hoi/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDualEncoderFixture } from '../scripts/dual-encoder-fixture.js';
import { colourImage } from '../test/colour-image.js';
import { createDualEncoderRecognizer } from './dual-encoder/create-dual-encoder-recognizer.js';
import { resolveModel } from './model-folder.js';

// A local stand-in for the hub: serves a fixture folder at /<org>/<name>/resolve/<revision>/<file>.
const root = mkdtempSync(join(tmpdir(), 'hoi-hub-'));
const served = join(root, 'served');
let server: Server;
let endpoint: string;
beforeAll(async () => {
  writeDualEncoderFixture(served, { family: 'clip', kind: 'colour' });
  server = createServer((req, res) => {
    const m = /^\/org\/tiny-clip\/resolve\/main\/(.+)$/.exec(req.url ?? '');
    const path = m ? join(served, decodeURIComponent(m[1]!)) : '';
    let body: Buffer;
    try {
      body = readFileSync(path);
    } catch {
      res.writeHead(404).end('Entry not found');
      return;
    }
    res.writeHead(200, { 'content-length': String(body.length), 'content-type': 'application/octet-stream' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(root, { recursive: true, force: true });
});

describe('models from a Hugging Face id (through @hoi/core model cache)', () => {
  it('downloads every file the recognizer needs, reporting an overall total, then runs', async () => {
    const events: ModelDownloadProgress[] = [];
    const cache = { cacheDir: join(root, 'cache'), endpoint, env: {} };
    const rec = await createDualEncoderRecognizer({
      model: 'org/tiny-clip',
      cache,
      onProgress: (e) => events.push(e),
    });
    const { image, boxes } = colourImage();
    const res = await rec.doRecognize({
      image,
      instances: boxes.map((box) => ({ box, label: 'x', score: 1 })),
      pairs: [{ subject: 0, object: 1, candidates: [0, 1] }],
      candidates: [
        { verb: 'a', object: 'b', phrase: 'red' },
        { verb: 'a', object: 'b', phrase: 'green' },
      ],
    });
    expect(res.pairs[0]!.scores[0]!).toBeGreaterThan(res.pairs[0]!.scores[1]!);
    const files = new Set(events.map((e) => e.file));
    expect(files).toContain('onnx/patch_projection.onnx'); // chosen from the downloaded config (clip)
    const last = events.at(-1)!;
    const expectedTotal = [...files].reduce((s, f) => s + statSync(join(served, f)).size, 0);
    expect(last.overall.total).toBe(expectedTotal);
    expect(last.overall.loaded).toBe(expectedTotal);
    // Offline afterwards: served from the cache.
    await expect(
      resolveModel('org/tiny-clip', ['config.json'], { cache: { ...cache, offline: true } }),
    ).resolves.toContain('tiny-clip');
  });

  it('offline with an empty cache is a ModelLoadError naming the missing files', async () => {
    const err = await createDualEncoderRecognizer({
      model: 'org/tiny-clip',
      cache: { cacheDir: join(root, 'empty'), endpoint, env: {}, offline: true },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'HoiModelLoadError' });
    expect((err as Error).message).toContain('config.json');
  });
});
