import { homedir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { InvalidArgumentError } from '../errors/hoi-error.js';

/** Where {@link resolveCacheDir} looks. */
export interface CacheDirOptions {
  /** Explicit folder; wins over every environment variable. */
  cacheDir?: string;
  /** Environment to read (default `process.env`); tests pass their own. */
  env?: NodeJS.ProcessEnv;
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value !== undefined && value.trim() !== '' ? value : undefined;

/**
 * The folder models are cached in, first match wins: `options.cacheDir`, `HOI_CACHE_DIR`,
 * `$HF_HOME/hoi`, `$XDG_CACHE_HOME/hoi`, `~/.cache/hoi` (HOME from `env`, else the OS). Empty
 * variables count as unset. A folder inside `node_modules` is refused with
 * {@link InvalidArgumentError}: package managers delete it, and gigabytes of weights with it.
 */
export function resolveCacheDir(options: CacheDirOptions = {}): string {
  const env = options.env ?? process.env;
  const explicit = nonEmpty(options.cacheDir) ?? nonEmpty(env.HOI_CACHE_DIR);
  let dir: string;
  if (explicit !== undefined) dir = resolve(explicit);
  else if (nonEmpty(env.HF_HOME) !== undefined) dir = resolve(env.HF_HOME as string, 'hoi');
  else if (nonEmpty(env.XDG_CACHE_HOME) !== undefined) dir = resolve(env.XDG_CACHE_HOME as string, 'hoi');
  else dir = join(nonEmpty(env.HOME) ?? homedir(), '.cache', 'hoi');
  if (dir.split(sep).includes('node_modules')) {
    throw new InvalidArgumentError(
      'cacheDir',
      'a folder outside node_modules (installs delete it); set HOI_CACHE_DIR or options.cacheDir',
      dir,
    );
  }
  return dir;
}
