import { realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/hoi-error.js';
import { checkModelFile, checkRevision, parseModelReference } from './model-reference.js';

describe('parseModelReference', () => {
  it.each([
    [
      'Xenova/detr-resnet-50',
      { kind: 'hub', id: 'Xenova/detr-resnet-50', org: 'Xenova', name: 'detr-resnet-50' },
    ],
    [
      'onnx-community/Qwen2.5-VL-3B_x',
      { kind: 'hub', id: 'onnx-community/Qwen2.5-VL-3B_x', org: 'onnx-community', name: 'Qwen2.5-VL-3B_x' },
    ],
    [' org/name ', { kind: 'hub', id: 'org/name', org: 'org', name: 'name' }],
    ['/abs/model', { kind: 'local', path: '/abs/model' }],
    ['./org/name', { kind: 'local', path: resolve('org/name') }],
    ['../models/x', { kind: 'local', path: resolve('../models/x') }],
    ['~/models/x', { kind: 'local', path: join(homedir(), 'models/x') }],
  ])('%j', (input, expected) => {
    expect(parseModelReference(input)).toEqual(expected);
  });

  it('treats an existing relative folder as local even when it looks like an id', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hoi-ref-'));
    const cwd = process.cwd();
    try {
      await mkdir(join(dir, 'org', 'name'), { recursive: true });
      process.chdir(dir);
      expect(parseModelReference('org/name')).toEqual({
        kind: 'local',
        path: join(realpathSync(dir), 'org', 'name'),
      });
      expect(parseModelReference('org/other')).toMatchObject({ kind: 'hub' });
    } finally {
      process.chdir(cwd);
      await rm(dir, { recursive: true });
    }
  });

  it.each([[''], ['  '], ['name-only'], ['a/b/c'], ['org/..'], ['-org/name'], ['org/na me']])(
    'rejects %j',
    (input) => {
      expect(() => parseModelReference(input)).toThrow(InvalidArgumentError);
    },
  );
});

describe('checkModelFile and checkRevision', () => {
  it.each([['config.json'], ['onnx/model.onnx'], ['a/b/c.bin']])('accepts file %j', (file) => {
    expect(checkModelFile(file, 'files[0]')).toBe(file);
  });

  it.each([[''], ['/etc/passwd'], ['../x'], ['a/../../x'], ['a//b'], ['./a'], ['a\\b'], [3]])(
    'rejects file %j',
    (file) => {
      expect(() => checkModelFile(file, 'files[0]')).toThrow(/files\[0\]/);
    },
  );

  it.each([['main'], ['v1.0'], ['refs/pr/12'], ['0123abcd']])('accepts revision %j', (revision) => {
    expect(checkRevision(revision)).toBe(revision);
  });

  it.each([[''], ['..'], ['a/../b'], ['a b'], ['x?y'], [undefined]])('rejects revision %j', (revision) => {
    expect(() => checkRevision(revision)).toThrow(InvalidArgumentError);
  });
});
