import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/hoi-error.js';
import { resolveCacheDir } from './cache-dir.js';

describe('resolveCacheDir', () => {
  it.each([
    ['option wins', { cacheDir: '/opt/c', env: { HOI_CACHE_DIR: '/h', HF_HOME: '/hf' } }, '/opt/c'],
    ['HOI_CACHE_DIR', { env: { HOI_CACHE_DIR: '/h', HF_HOME: '/hf', XDG_CACHE_HOME: '/x' } }, '/h'],
    ['HF_HOME/hoi', { env: { HF_HOME: '/hf', XDG_CACHE_HOME: '/x', HOME: '/home/u' } }, '/hf/hoi'],
    ['XDG_CACHE_HOME/hoi', { env: { XDG_CACHE_HOME: '/x', HOME: '/home/u' } }, '/x/hoi'],
    ['~/.cache/hoi from HOME', { env: { HOME: '/home/u' } }, '/home/u/.cache/hoi'],
    [
      'empty variables are unset',
      { env: { HOI_CACHE_DIR: '', HF_HOME: ' ', HOME: '/home/u' } },
      '/home/u/.cache/hoi',
    ],
    ['empty option is unset', { cacheDir: '', env: { XDG_CACHE_HOME: '/x' } }, '/x/hoi'],
  ])('%s', (_, options, expected) => {
    expect(resolveCacheDir(options)).toBe(expected);
  });

  it('resolves a relative folder against the working directory', () => {
    expect(resolveCacheDir({ cacheDir: 'rel/cache', env: {} })).toBe(resolve('rel/cache'));
  });

  it('falls back to the OS home folder without HOME', () => {
    expect(resolveCacheDir({ env: {} })).toBe(join(homedir(), '.cache', 'hoi'));
  });

  it.each([
    [{ cacheDir: '/app/node_modules/.cache/hoi', env: {} }],
    [{ env: { HF_HOME: '/app/node_modules/hf' } }],
  ])('refuses a folder inside node_modules: %j', (options) => {
    expect(() => resolveCacheDir(options)).toThrow(InvalidArgumentError);
  });

  it('allows names that merely contain node_modules', () => {
    expect(resolveCacheDir({ cacheDir: '/x/node_modules_backup', env: {} })).toBe('/x/node_modules_backup');
  });
});
