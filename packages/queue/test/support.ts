import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { connectRedis } from '../src/redis-connection.js';
import { RunClient } from '../src/run-client.js';
import { hasRedisServer, startRedisServer, type TestRedisServer } from '../src/testing/redis-server.js';

const here = dirname(fileURLToPath(import.meta.url));
/** ../shared next to the repository. */
export const SHARED = resolve(here, '../../../../shared');
export const PHOTOS = ['kite.jpg', 'astronaut.png', 'dog.jpg', 'horses.jpg', 'person.jpg', 'coffee.png'];
export const hasPhotos = PHOTOS.every((p) => existsSync(join(SHARED, 'images', p)));

/** `count` copies of the shared photos under a fresh folder; absolute paths, sorted. */
export function copyPhotos(count: number, dir = mkdtempSync(join(tmpdir(), 'hoi-queue-'))): string[] {
  mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const photo = PHOTOS[i % PHOTOS.length]!;
    const target = join(dir, `img-${String(i).padStart(3, '0')}${photo.slice(photo.lastIndexOf('.'))}`);
    copyFileSync(join(SHARED, 'images', photo), target);
    out.push(target);
  }
  return out.sort();
}

/** A file with an image extension that is not an image. */
export function badImage(dir: string, name = 'broken.jpg'): string {
  const path = join(dir, name);
  writeFileSync(path, 'this is not a JPEG');
  return path;
}

/** Why a Redis-backed test is skipped, or '' when it can run (a real redis-server, and photos if asked). */
export function redisSkipReason(options: { photos?: boolean } = {}): string {
  if (!hasRedisServer()) return ' (skipped: /usr/bin/redis-server not found; apt-get install redis-server)';
  if (options.photos && !hasPhotos) return ` (skipped: photos not found in ${SHARED}/images)`;
  return '';
}

/**
 * Starts a real redis-server and a RunClient on it for the enclosing `describe` (beforeAll/afterAll),
 * and stops both afterwards. The fields are read inside tests, after beforeAll has run.
 */
export function useRedisRunClient(): { server: TestRedisServer; redis: Redis; client: RunClient } {
  const ctx = {} as { server: TestRedisServer; redis: Redis; client: RunClient };
  beforeAll(async () => {
    ctx.server = await startRedisServer();
    ctx.redis = await connectRedis(ctx.server.url);
    ctx.client = new RunClient({ connection: ctx.redis });
  });
  afterAll(async () => {
    await ctx.client?.close();
    ctx.redis?.disconnect();
    await ctx.server?.stop();
  });
  return ctx;
}
