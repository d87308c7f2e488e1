import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  ApiCallError,
  HoiError,
  InvalidArgumentError,
  ModelLoadError,
} from '../errors/hoi-error.js';
import { createModelCache, type ModelCacheOptions, type ModelDownloadProgress } from './model-cache.js';
import { MANIFEST_FILE } from './model-manifest.js';

/** How the test server answers one file. */
interface Route {
  body: Buffer;
  /** Fail the first N GETs with this status (then serve). */
  failGets?: { times: number; status: number; body?: string };
  /** Always answer GET and HEAD with this status. */
  status?: number;
  /** On GETs without Range, send the full Content-Length but only half the bytes, then cut the socket. */
  truncate?: { times: number };
  /** ETag to announce (quoted as given). */
  etag?: string;
  /** Answer like the hub answers LFS files: 302 to `redirectTo` with x-linked-size/x-linked-etag. */
  lfs?: { redirectTo: string; linkedEtag: string };
  /** Ignore Range headers. */
  noRange?: boolean;
  /** Answer a Range request with 206 but the whole file (a wrong Content-Range start). */
  wrongRange?: boolean;
}

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  range?: string;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const bytes = (n: number, seed = 1) =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) % 251));

function startServer(routes: Map<string, Route>, seen: Seen[]): Promise<Server> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = decodeURIComponent(req.url ?? '');
    seen.push({
      method: req.method ?? '',
      url,
      authorization: req.headers.authorization,
      range: req.headers.range,
    });
    const route = routes.get(url);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    if (route.status !== undefined) {
      res.writeHead(route.status, { 'content-type': 'text/plain' }).end(`error ${route.status}`);
      return;
    }
    if (route.lfs) {
      res
        .writeHead(302, {
          location: route.lfs.redirectTo,
          'x-linked-size': String(route.body.length),
          'x-linked-etag': `"${route.lfs.linkedEtag}"`,
          'x-repo-commit': 'abc123',
        })
        .end();
      return;
    }
    if (req.method === 'GET' && route.failGets && route.failGets.times > 0) {
      route.failGets.times--;
      res
        .writeHead(route.failGets.status, { 'content-type': 'text/plain' })
        .end(route.failGets.body ?? 'busy');
      return;
    }
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (route.etag) headers.etag = route.etag;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range && route.wrongRange) {
      res.writeHead(206, {
        ...headers,
        'content-length': String(route.body.length),
        'content-range': `bytes 0-${route.body.length - 1}/${route.body.length}`,
      });
      res.end(route.body);
      return;
    }
    if (range && !route.noRange) {
      const start = Number(range[1]);
      if (start >= route.body.length) {
        res.writeHead(416).end();
        return;
      }
      const part = route.body.subarray(start);
      res.writeHead(206, {
        ...headers,
        'content-length': String(part.length),
        'content-range': `bytes ${start}-${route.body.length - 1}/${route.body.length}`,
      });
      res.end(req.method === 'HEAD' ? undefined : part);
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': String(route.body.length) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (route.truncate && route.truncate.times > 0) {
      route.truncate.times--;
      res.write(route.body.subarray(0, Math.floor(route.body.length / 2)), () => {
        setTimeout(() => res.socket?.destroy(), 20);
      });
      return;
    }
    res.end(route.body);
  };
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const TOKEN = 'hf_secretTOKEN_123456';
let server: Server;
let otherServer: Server;
let endpoint: string;
let otherOrigin: string;
const routes = new Map<string, Route>();
const seen: Seen[] = [];
let dir: string;

beforeAll(async () => {
  server = await startServer(routes, seen);
  otherServer = await startServer(routes, seen);
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  otherOrigin = `http://127.0.0.1:${(otherServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await new Promise((r) => otherServer.close(r));
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hoi-cache-test-'));
  routes.clear();
  seen.length = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cacheFor = (options: Partial<ModelCacheOptions> = {}) =>
  createModelCache({ cacheDir: join(dir, 'cache'), endpoint, env: {}, retryDelayMs: 1, ...options });
const route = (id: string, file: string, r: Route, revision = 'main') =>
  routes.set(`/${id}/resolve/${revision}/${file}`, r);
const gets = () => seen.filter((s) => s.method === 'GET');

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('createModelCache: hub downloads', () => {
  it('downloads files (subfolders included) into <cacheDir>/models/<org>--<name>/<revision> and reuses them', async () => {
    const config = Buffer.from('{"model_type":"tiny"}');
    const model = bytes(100_000);
    route('org/tiny', 'config.json', { body: config });
    route('org/tiny', 'onnx/model.onnx', { body: model });
    const cache = cacheFor();
    const folder = await cache.resolve('org/tiny', ['config.json', 'onnx/model.onnx']);
    expect(folder).toBe(join(dir, 'cache', 'models', 'org--tiny', 'main'));
    expect(await readFile(join(folder, 'config.json'))).toEqual(config);
    expect(await readFile(join(folder, 'onnx/model.onnx'))).toEqual(model);
    expect(existsSync(join(folder, 'onnx/model.onnx.partial'))).toBe(false);
    expect(existsSync(join(folder, 'onnx/model.onnx.lock'))).toBe(false);
    const manifest = JSON.parse(await readFile(join(folder, MANIFEST_FILE), 'utf8'));
    expect(manifest.files['onnx/model.onnx']).toMatchObject({ size: 100_000, sha256: sha256(model) });
    expect(gets()).toHaveLength(2);

    const events: ModelDownloadProgress[] = [];
    expect(
      await cache.resolve('org/tiny', ['config.json', 'onnx/model.onnx'], {
        onProgress: (e) => events.push(e),
      }),
    ).toBe(folder);
    expect(gets()).toHaveLength(2); // nothing fetched again
    expect(events.map((e) => e.status)).toEqual(['cached', 'cached']);
    expect(events.at(-1)?.overall).toEqual({
      loaded: config.length + 100_000,
      total: config.length + 100_000,
    });
  });

  it('accepts an empty file list', async () => {
    const folder = await cacheFor().resolve('org/none', []);
    expect(folder).toBe(join(dir, 'cache', 'models', 'org--none', 'main'));
    expect(seen).toHaveLength(0);
  });

  it('reports per-file and overall progress with totals from HEAD', async () => {
    const a = bytes(70_000, 1);
    const b = bytes(30_000, 2);
    route('org/p', 'a.bin', { body: a });
    route('org/p', 'b.bin', { body: b });
    const events: ModelDownloadProgress[] = [];
    await cacheFor().resolve('org/p', ['a.bin', 'b.bin'], { onProgress: (e) => events.push(e) });
    expect(seen.filter((s) => s.method === 'HEAD')).toHaveLength(2);
    expect(events.every((e) => e.overall.total === 100_000)).toBe(true);
    const overall = events.map((e) => e.overall.loaded);
    expect(overall).toEqual([...overall].sort((x, y) => x - y)); // never goes back
    expect(events.at(-1)).toMatchObject({
      file: 'b.bin',
      status: 'done',
      fileProgress: { loaded: 30_000, total: 30_000 },
      overall: { loaded: 100_000, total: 100_000 },
    });
    const aDone = events.find((e) => e.file === 'a.bin' && e.status === 'done');
    expect(aDone?.overall).toEqual({ loaded: 70_000, total: 100_000 });
    expect(
      events
        .filter((e) => e.file === 'a.bin' && e.status === 'downloading')
        .every((e) => e.fileProgress.total === 70_000),
    ).toBe(true);
    expect(events[0]).toMatchObject({ modelId: 'org/p', revision: 'main' });
  });

  it('leaves no final file when the response is cut, and resumes with a Range request', async () => {
    const body = bytes(200_000);
    route('org/cut', 'model.onnx', { body, truncate: { times: 1 } });
    const folder = join(dir, 'cache', 'models', 'org--cut', 'main');
    const error = await caught(cacheFor({ maxRetries: 0 }).resolve('org/cut', ['model.onnx']));
    expect(error).toBeInstanceOf(ApiCallError);
    expect((error as ApiCallError).isRetryable).toBe(true);
    expect(existsSync(join(folder, 'model.onnx'))).toBe(false);
    expect(existsSync(join(folder, 'model.onnx.partial'))).toBe(true);
    expect(existsSync(join(folder, 'model.onnx.lock'))).toBe(false);

    await cacheFor({ maxRetries: 0 }).resolve('org/cut', ['model.onnx']);
    expect(await readFile(join(folder, 'model.onnx'))).toEqual(body);
    const lastGet = gets().at(-1);
    expect(lastGet?.range).toMatch(/^bytes=\d+-$/);
    expect(Number(lastGet?.range?.slice(6, -1))).toBeGreaterThan(0);
    expect(existsSync(join(folder, 'model.onnx.partial'))).toBe(false);
    const manifest = JSON.parse(await readFile(join(folder, MANIFEST_FILE), 'utf8'));
    expect(manifest.files['model.onnx'].sha256).toBe(sha256(body));
  });

  it('retries a cut response within one call (resuming)', async () => {
    const body = bytes(150_000);
    route('org/cut2', 'w.bin', { body, truncate: { times: 1 } });
    const folder = await cacheFor().resolve('org/cut2', ['w.bin']);
    expect(await readFile(join(folder, 'w.bin'))).toEqual(body);
    expect(gets().map((g) => g.range !== undefined)).toEqual([false, true]);
  });

  it('starts over when the server ignores Range', async () => {
    const body = bytes(120_000);
    route('org/norange', 'w.bin', { body, truncate: { times: 1 }, noRange: true });
    const folder = await cacheFor().resolve('org/norange', ['w.bin']);
    expect(await readFile(join(folder, 'w.bin'))).toEqual(body);
  });

  it('starts over when a 206 answer starts elsewhere than asked', async () => {
    const body = bytes(120_000);
    route('org/wrong', 'w.bin', { body, truncate: { times: 1 }, wrongRange: true });
    const cache = cacheFor({ maxRetries: 0 });
    expect(await caught(cache.resolve('org/wrong', ['w.bin']))).toBeInstanceOf(ApiCallError);
    const folder = await cache.resolve('org/wrong', ['w.bin']); // no retries left: must recover at once
    expect(await readFile(join(folder, 'w.bin'))).toEqual(body);
    expect(gets().map((g) => g.range !== undefined)).toEqual([false, true, false]);
  });

  it('turns 404 into ModelLoadError naming the file', async () => {
    route('org/m', 'config.json', { body: Buffer.from('{}') });
    const error = await caught(cacheFor().resolve('org/m', ['config.json', 'onnx/missing.onnx']));
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.message).toContain('onnx/missing.onnx');
    expect(error.message).toContain('404');
    expect(existsSync(join(dir, 'cache', 'models', 'org--m', 'main', 'onnx', 'missing.onnx'))).toBe(false);
  });

  it('retries 5xx and 429, then succeeds', async () => {
    const body = bytes(1000);
    route('org/busy', 'w.bin', { body, failGets: { times: 2, status: 503 } });
    route('org/busy', 'x.bin', { body, failGets: { times: 1, status: 429 } });
    const folder = await cacheFor().resolve('org/busy', ['w.bin', 'x.bin']);
    expect(await readFile(join(folder, 'x.bin'))).toEqual(body);
    expect(gets()).toHaveLength(5);
  });

  it.each([
    [500, true],
    [429, true],
    [400, false],
  ])('gives up on HTTP %i with ApiCallError (retryable: %s)', async (status, retryable) => {
    route('org/down', 'w.bin', { body: bytes(10), failGets: { times: 99, status } });
    const error = await caught(cacheFor({ maxRetries: 1 }).resolve('org/down', ['w.bin']));
    expect(error).toBeInstanceOf(ApiCallError);
    expect((error as ApiCallError).status).toBe(status);
    expect((error as ApiCallError).isRetryable).toBe(retryable);
    expect(gets()).toHaveLength(retryable ? 2 : 1);
  });

  it('follows hub-style LFS redirects, checks the x-linked-etag sha256 and records the commit', async () => {
    const body = bytes(50_000);
    route('org/lfs', 'model.onnx', {
      body,
      lfs: { redirectTo: `${otherOrigin}/cdn/model.onnx`, linkedEtag: sha256(body) },
    });
    routes.set('/cdn/model.onnx', { body });
    const events: ModelDownloadProgress[] = [];
    const folder = await cacheFor({ token: TOKEN }).resolve('org/lfs', ['model.onnx'], {
      onProgress: (e) => events.push(e),
    });
    expect(await readFile(join(folder, 'model.onnx'))).toEqual(body);
    expect(events.at(-1)?.overall).toEqual({ loaded: 50_000, total: 50_000 });
    const manifest = JSON.parse(await readFile(join(folder, MANIFEST_FILE), 'utf8'));
    expect(manifest.commit).toBe('abc123');
    expect(manifest.files['model.onnx']).toMatchObject({ sha256: sha256(body), etagVerified: true });
    // The token goes to the hub, never to the other origin the hub redirects to.
    expect(seen.find((s) => s.url.startsWith('/org/lfs'))?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen.filter((s) => s.url.startsWith('/cdn/')).every((s) => s.authorization === undefined)).toBe(
      true,
    );
  });

  it('discards a download whose sha256 differs from the ETag', async () => {
    route('org/bad', 'w.bin', { body: bytes(1000), etag: `"${'0'.repeat(64)}"` });
    const error = await caught(cacheFor().resolve('org/bad', ['w.bin']));
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.message).toContain('sha256');
    const folder = join(dir, 'cache', 'models', 'org--bad', 'main');
    expect(existsSync(join(folder, 'w.bin'))).toBe(false);
    expect(existsSync(join(folder, 'w.bin.partial'))).toBe(false);
  });

  it('keeps revisions apart', async () => {
    route('org/r', 'w.bin', { body: bytes(10, 1) }, 'v1');
    route('org/r', 'w.bin', { body: bytes(10, 2) }, 'refs/pr/2');
    const cache = cacheFor();
    const v1 = await cache.resolve('org/r', ['w.bin'], { revision: 'v1' });
    const pr = await cache.resolve('org/r', ['w.bin'], { revision: 'refs/pr/2' });
    expect(v1).not.toBe(pr);
    expect(await readFile(join(pr, 'w.bin'))).toEqual(bytes(10, 2));
    expect((await cache.list()).map((m) => m.revision).sort()).toEqual(['refs/pr/2', 'v1']);
  });

  it('takes over a lock left by a dead process', async () => {
    route('org/lock', 'w.bin', { body: bytes(100) });
    const folder = join(dir, 'cache', 'models', 'org--lock', 'main');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'w.bin.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, at: 0 }));
    await cacheFor().resolve('org/lock', ['w.bin']);
    expect(existsSync(join(folder, 'w.bin'))).toBe(true);
  });

  it('serialises concurrent calls for the same file in one process', async () => {
    route('org/twice', 'w.bin', { body: bytes(300_000) });
    const cache = cacheFor();
    const [a, b] = await Promise.all([
      cache.resolve('org/twice', ['w.bin']),
      cache.resolve('org/twice', ['w.bin']),
    ]);
    expect(a).toBe(b);
    expect(gets()).toHaveLength(1);
    expect(await readFile(join(a, 'w.bin'))).toEqual(bytes(300_000));
  });

  it('turns a cache folder it cannot write into ModelLoadError naming the path', async () => {
    route('org/ro', 'w.bin', { body: bytes(10) });
    await mkdir(join(dir, 'cache', 'models'), { recursive: true });
    await writeFile(join(dir, 'cache', 'models', 'org--ro'), 'a file where a folder must go');
    const error = await caught(cacheFor().resolve('org/ro', ['w.bin']));
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.message).toContain(join(dir, 'cache', 'models', 'org--ro', 'main', 'w.bin'));
    expect(error.message).toContain('HOI_CACHE_DIR');
  });

  it('stops on an aborted signal', async () => {
    route('org/abort', 'w.bin', { body: bytes(10) });
    const error = await caught(cacheFor().resolve('org/abort', ['w.bin'], { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(AbortError);
    expect(seen).toHaveLength(0);
  });
});

describe('createModelCache: offline mode', () => {
  it.each([
    ['HOI_OFFLINE=1', { env: { HOI_OFFLINE: '1' } }],
    ['HF_HUB_OFFLINE=1', { env: { HF_HUB_OFFLINE: '1' } }],
    ['offline: true', { offline: true }],
  ])('%s uses only the cache and says what to download', async (_, options) => {
    route('org/off', 'a.json', { body: Buffer.from('{}') });
    const cache = cacheFor(options);
    expect(cache.offline).toBe(true);
    const error = await caught(cache.resolve('org/off', ['a.json']));
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.message).toContain(`${endpoint}/org/off/resolve/main/a.json`);
    expect(error.message).toContain(join(dir, 'cache', 'models', 'org--off', 'main'));
    expect(seen).toHaveLength(0);

    await cacheFor().resolve('org/off', ['a.json']); // online fills the cache
    seen.length = 0;
    expect(await cache.resolve('org/off', ['a.json'])).toBe(join(dir, 'cache', 'models', 'org--off', 'main'));
    expect(seen).toHaveLength(0);
  });

  it('is online by default and with HOI_OFFLINE=0', () => {
    expect(cacheFor().offline).toBe(false);
    expect(cacheFor({ env: { HOI_OFFLINE: '0' } }).offline).toBe(false);
  });
});

describe('createModelCache: tokens', () => {
  it('sends HF_TOKEN as a bearer token and never puts it into errors', async () => {
    route('org/gated', 'a.bin', { body: bytes(10) });
    route('org/gated', 'b.bin', { body: bytes(10), status: 403 });
    route('org/echo', 'c.bin', {
      body: bytes(10),
      failGets: { times: 9, status: 500, body: `bad token ${TOKEN}` },
    });
    const cache = cacheFor({ env: { HF_TOKEN: TOKEN }, maxRetries: 0 });
    await cache.resolve('org/gated', ['a.bin']);
    expect(seen.every((s) => s.authorization === `Bearer ${TOKEN}`)).toBe(true);

    const denied = await caught(cache.resolve('org/gated', ['b.bin']));
    expect(denied).toBeInstanceOf(ModelLoadError);
    expect(denied.message).toContain('HF_TOKEN');
    const echoed = (await caught(cache.resolve('org/echo', ['c.bin']))) as ApiCallError;
    expect(echoed).toBeInstanceOf(ApiCallError);
    for (const error of [denied, echoed]) {
      const everything = `${error.message} ${error.stack} ${JSON.stringify(error)} ${String((error as ApiCallError).responseBody)}`;
      expect(everything).not.toContain(TOKEN);
    }
    expect(echoed.responseBody).toContain('***');
  });

  it('sends no Authorization without a token', async () => {
    route('org/open', 'a.bin', { body: bytes(10) });
    await cacheFor().resolve('org/open', ['a.bin']);
    expect(seen.every((s) => s.authorization === undefined)).toBe(true);
  });
});

describe('createModelCache: local folders', () => {
  it('returns a local folder as is when every file exists', async () => {
    const local = join(dir, 'my-model');
    await mkdir(join(local, 'onnx'), { recursive: true });
    await writeFile(join(local, 'config.json'), '{}');
    await writeFile(join(local, 'onnx', 'model.onnx'), 'x');
    const cache = cacheFor({ offline: true });
    expect(await cache.resolve(local, ['config.json', 'onnx/model.onnx'])).toBe(local);
    expect(await cache.resolve(local, [])).toBe(local);
    const error = await caught(cache.resolve(local, ['config.json', 'onnx/decoder.onnx']));
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.message).toContain('onnx/decoder.onnx');
    expect((error as ModelLoadError).path).toBe(local);
    expect(seen).toHaveLength(0);
  });

  it('rejects a path that is not a folder', async () => {
    await writeFile(join(dir, 'file.onnx'), 'x');
    expect(await caught(cacheFor().resolve(join(dir, 'file.onnx'), []))).toBeInstanceOf(ModelLoadError);
    expect(await caught(cacheFor().resolve(join(dir, 'absent'), []))).toBeInstanceOf(ModelLoadError);
  });

  it.each([
    ['not an id', ['a']],
    ['org/name', ['../escape']],
    ['org/name', ['/abs']],
    ['org/name', ['a//b']],
    ['org/name', [7]],
  ])('rejects model %j with files %j', async (model, files) => {
    const error = await caught(cacheFor().resolve(model, files as string[]));
    expect(error).toBeInstanceOf(InvalidArgumentError);
  });

  it('rejects a bad revision', async () => {
    const error = await caught(cacheFor().resolve('org/name', ['a'], { revision: '../x' }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
  });
});

describe('createModelCache: list, verify, clear', () => {
  it('lists, verifies and clears cached models', async () => {
    route('org/v', 'a.bin', { body: bytes(1000) });
    route('org/v', 'sub/b.bin', { body: bytes(500) });
    route('other/w', 'c.bin', { body: bytes(10) });
    const cache = cacheFor();
    const folder = await cache.resolve('org/v', ['a.bin', 'sub/b.bin']);
    await cache.resolve('other/w', ['c.bin']);
    expect(await cache.list()).toEqual([
      { modelId: 'org/v', revision: 'main', path: folder, files: ['a.bin', 'sub/b.bin'], size: 1500 },
      {
        modelId: 'other/w',
        revision: 'main',
        path: join(dir, 'cache', 'models', 'other--w', 'main'),
        files: ['c.bin'],
        size: 10,
      },
    ]);

    expect(await cache.verify('org/v')).toMatchObject({ modelId: 'org/v', ok: true });
    await writeFile(join(folder, 'a.bin'), bytes(1000, 9)); // damage
    await writeFile(join(folder, 'stray.txt'), 'x');
    await rm(join(folder, 'sub/b.bin'));
    const report = await cache.verify('org/v', { revision: 'main' });
    expect(report.ok).toBe(false);
    expect(Object.fromEntries(report.files.map((f) => [f.file, f.status]))).toEqual({
      'a.bin': 'modified',
      'sub/b.bin': 'missing',
      'stray.txt': 'unrecorded',
    });

    await cache.clear('org/v');
    expect((await cache.list()).map((m) => m.modelId)).toEqual(['other/w']);
    expect(HoiError.isInstance(await caught(cache.verify('org/v')))).toBe(true);
    await cache.clear();
    expect(await cache.list()).toEqual([]);
    expect(existsSync(join(dir, 'cache'))).toBe(true); // only models/ is removed
  });

  it('lists an empty cache', async () => {
    expect(await cacheFor().list()).toEqual([]);
    await cacheFor().clear();
  });
});
