import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_FILE, readManifest, sha256File, sha256FromEtag, writeManifest } from './model-manifest.js';

const HEX = 'a'.repeat(64);

describe('sha256FromEtag', () => {
  it.each([
    [`"${HEX}"`, HEX],
    [`W/"${HEX}"`, HEX],
    [HEX.toUpperCase(), HEX],
    ['"0123456789abcdef0123456789abcdef01234567"', undefined], // git sha1 of a small file
    ['"abc-123"', undefined],
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
  ])('%j -> %j', (etag, expected) => {
    expect(sha256FromEtag(etag)).toBe(expected);
  });
});

describe('manifest files', () => {
  it('writes atomically, reads back, and hashes files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hoi-manifest-'));
    try {
      expect(await readManifest(dir)).toBeUndefined();
      const manifest = {
        modelId: 'org/name',
        revision: 'main',
        files: {
          'a.bin': { size: 3, sha256: HEX, etagVerified: false, downloadedAt: '2026-01-01T00:00:00.000Z' },
        },
      };
      await writeManifest(dir, manifest);
      expect(await readManifest(dir)).toEqual(manifest);
      expect(await readdir(dir)).toEqual([MANIFEST_FILE]); // no temp file left
      await writeFile(join(dir, MANIFEST_FILE), '{broken');
      expect(await readManifest(dir)).toBeUndefined();

      await writeFile(join(dir, 'a.bin'), 'abc');
      expect(await sha256File(join(dir, 'a.bin'))).toBe(createHash('sha256').update('abc').digest('hex'));
      await writeFile(join(dir, 'empty.bin'), '');
      expect(await sha256File(join(dir, 'empty.bin'))).toBe(createHash('sha256').digest('hex'));
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
