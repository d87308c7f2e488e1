import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ResponseCache } from './response-cache.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('ResponseCache', () => {
  it('round-trips values and misses unknown or corrupt keys', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hoi-remote-cache-'));
    const cache = new ResponseCache(dir);
    const key = ResponseCache.key({ a: 1 });
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(ResponseCache.key({ a: 1 })).toBe(key);
    expect(ResponseCache.key({ a: 2 })).not.toBe(key);
    expect(await cache.get(key)).toBeUndefined();
    await cache.set(key, { text: 'A', n: [1, 2] });
    expect(await cache.get(key)).toEqual({ text: 'A', n: [1, 2] });
    const bad = ResponseCache.key('bad');
    await mkdir(join(dir, bad.slice(0, 2)), { recursive: true });
    await writeFile(join(dir, bad.slice(0, 2), `${bad}.json`), '{"trunc');
    expect(await cache.get(bad)).toBeUndefined();
  });
});
