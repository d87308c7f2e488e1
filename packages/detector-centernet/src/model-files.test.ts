import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HoiError } from '@hoi/core';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultModelPath, readGraphModelArtifacts } from './model-files.js';

describe('defaultModelPath', () => {
  it('finds the MB3-CenterNet weights inside the installed @vladmandic/human', () => {
    const path = defaultModelPath();
    expect(path).toMatch(/@vladmandic[/\\]human[/\\]models[/\\]centernet\.json$/);
    expect(existsSync(path)).toBe(true);
    expect(statSync(join(dirname(path), 'centernet.bin')).size).toBe(4_030_290);
  });
});

describe('readGraphModelArtifacts', () => {
  it('reads the shipped model.json and its shard from disk (path or file: URL)', async () => {
    for (const path of [defaultModelPath(), pathToFileURL(defaultModelPath()).href]) {
      const artifacts = await readGraphModelArtifacts(path);
      expect(artifacts.format).toBe('graph-model');
      expect(artifacts.weightSpecs).toHaveLength(267);
      expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(4_030_290);
      expect(JSON.stringify(artifacts.signature)).toContain('tower_0/detections');
    }
  });

  const dir = mkdtempSync(join(tmpdir(), 'hoi-centernet-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const shipped = JSON.parse(readFileSync(defaultModelPath(), 'utf8'));
  const write = (name: string, content: string | Uint8Array) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };

  it.each([
    ['a missing file', () => join(dir, 'absent.json'), /no such file/],
    ['a folder', () => dir, /it is a folder/],
    ['text that is not JSON', () => write('text.json', 'hello'), /not a TensorFlow\.js model\.json/],
    ['JSON without modelTopology', () => write('empty.json', '{}'), /no `modelTopology`/],
    [
      'a layers model',
      () => write('layers.json', JSON.stringify({ ...shipped, format: 'layers-model' })),
      /"graph-model" is needed/,
    ],
    [
      'a missing weight shard',
      () =>
        write(
          'noshard.json',
          JSON.stringify({
            ...shipped,
            weightsManifest: [{ ...shipped.weightsManifest[0], paths: ['gone.bin'] }],
          }),
        ),
      /cannot read weight shard/,
    ],
    [
      'a shard of the wrong size',
      () => {
        write('short.bin', new Uint8Array(1000));
        return write(
          'short.json',
          JSON.stringify({
            ...shipped,
            weightsManifest: [{ ...shipped.weightsManifest[0], paths: ['short.bin'] }],
          }),
        );
      },
      /hold 1000 bytes but the manifest needs 4030290/,
    ],
  ])('rejects %s with a ModelLoadError', async (_name, make, message) => {
    const path = make();
    const error = await readGraphModelArtifacts(path).catch((e: unknown) => e);
    expect(HoiError.isInstance(error)).toBe(true);
    expect((error as HoiError).name).toBe('HoiModelLoadError');
    expect((error as Error).message).toMatch(message);
  });
});
