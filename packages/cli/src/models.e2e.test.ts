import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './test/run-cli.js';

// A local stand-in for the hub's `resolve` route, serving two files of a model.
const files: Record<string, Buffer> = {
  'config.json': Buffer.from('{"model_type":"clip"}'),
  'onnx/model.onnx': Buffer.alloc(300_000, 7),
};
let server: Server;
let endpoint: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const m = /^\/acme\/tiny-clip\/resolve\/main\/(.+)$/.exec(req.url ?? '');
    const body = m ? files[decodeURIComponent(m[1]!)] : undefined;
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-length': body.length,
      etag: `"${createHash('sha256').update(body).digest('hex')}"`,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('hoi models', () => {
  it('pulls into the cache, lists, verifies, detects tampering and clears', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'hoi-models-'));
    const env = { HF_ENDPOINT: endpoint, HOI_CACHE_DIR: cache, HOI_OFFLINE: '' };
    const pull = await runCli(
      ['models', 'pull', 'acme/tiny-clip', '--files', 'config.json,onnx/model.onnx'],
      { env },
    );
    expect(pull.code, pull.stderr).toBe(0);
    const folder = pull.stdout.trim();
    expect(folder.startsWith(cache)).toBe(true);
    expect(readFileSync(join(folder, 'onnx/model.onnx')).equals(files['onnx/model.onnx']!)).toBe(true);

    const list = await runCli(['models', 'list', '--json'], { env });
    const models = JSON.parse(list.stdout) as { modelId: string; files: string[]; size: number }[];
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({
      modelId: 'acme/tiny-clip',
      size: 300_000 + files['config.json']!.length,
    });

    const ok = await runCli(['models', 'verify', 'acme/tiny-clip'], { env });
    expect(ok.code, ok.stderr).toBe(0);
    writeFileSync(join(folder, 'config.json'), '{"model_type":"tampered"}');
    const bad = await runCli(['models', 'verify', 'acme/tiny-clip'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/modified\s+main\/config.json/);

    // offline: the cache answers, the server is not asked
    const before = requests.length;
    const offline = await runCli(['models', 'pull', 'acme/tiny-clip', '--files', 'onnx/model.onnx'], {
      env: { ...env, HOI_OFFLINE: '1' },
    });
    expect(offline.code, offline.stderr).toBe(0);
    expect(requests.length).toBe(before);

    const clear = await runCli(['models', 'clear', 'acme/tiny-clip'], { env });
    expect(clear.code).toBe(0);
    expect(existsSync(folder)).toBe(false);
  }, 120_000);

  it('names the missing file when the hub has no such file', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'hoi-models-'));
    const run = await runCli(['models', 'pull', 'acme/tiny-clip', '--files', 'tokenizer.json'], {
      env: { HF_ENDPOINT: endpoint, HOI_CACHE_DIR: cache },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('tokenizer.json');
  }, 60_000);
});
