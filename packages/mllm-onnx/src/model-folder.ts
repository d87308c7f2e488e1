import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import {
  createModelCache,
  InvalidArgumentError,
  type ModelCacheOptions,
  type ModelDownloadProgress,
  ModelLoadError,
  parseModelReference,
} from '@hoi/core';

/**
 * Checks that `model` is an existing local folder (transformers.js layout: config.json, tokenizer files,
 * preprocessor_config.json, onnx/*.onnx) and returns its absolute path.
 */
export function resolveModelFolder(model: string): string {
  if (typeof model !== 'string' || model.length === 0) {
    throw new InvalidArgumentError(
      'model',
      'a path to a local model folder in transformers.js layout',
      model,
    );
  }
  const folder = isAbsolute(model) ? model : resolve(model);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new ModelLoadError(
      folder,
      'no such model folder. Pass a local folder holding config.json, the tokenizer files and onnx/*.onnx (download it from the Hugging Face hub first).',
    );
  }
  return folder;
}

/** Absolute path of a file that must exist in the model folder; a {@link ModelLoadError} names it otherwise. */
export function requireModelFile(folder: string, relative: string, why: string): string {
  const path = join(folder, relative);
  if (!existsSync(path)) {
    throw new ModelLoadError(
      path,
      `missing ${relative} (${why}). Re-export the model or copy the file into the folder.`,
    );
  }
  return path;
}

/** Absolute path of an optional file, or undefined. */
export function optionalModelFile(folder: string, relative: string): string | undefined {
  const path = join(folder, relative);
  return existsSync(path) ? path : undefined;
}

/** Parses a required JSON file of the model folder. */
export function readModelJson<T = Record<string, unknown>>(folder: string, relative: string, why: string): T {
  const path = requireModelFile(folder, relative, why);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (cause) {
    throw new ModelLoadError(path, `not valid JSON: ${(cause as Error).message}`, { cause });
  }
}

/** Where a recognizer's model comes from when `model` is a Hugging Face id rather than a folder. */
export interface ModelSourceOptions {
  /** Model cache settings (cache folder, offline switch, endpoint, token); see @hoi/core `createModelCache`. */
  cache?: ModelCacheOptions;
  /** Hub revision (branch, tag or commit). Default `main`. */
  revision?: string;
  /** Download progress, with an overall total across every file of the model. */
  onProgress?: (event: ModelDownloadProgress) => void;
  signal?: AbortSignal;
}

/**
 * A local folder for `model`: a folder path is checked and returned; a hub id (`org/name`) is downloaded
 * through @hoi/core's model cache (per-user cache folder, offline switch, resumable downloads), fetching
 * `files` first and then `more(folder)` - files whose names depend on what the first ones say (e.g. the
 * config's model type).
 */
export async function resolveModel(
  model: string,
  files: readonly string[],
  options: ModelSourceOptions = {},
  more?: (folder: string) => string[],
): Promise<string> {
  const ref = parseModelReference(model);
  if (ref.kind === 'local') return resolveModelFolder(ref.path);
  const cache = createModelCache(options.cache);
  const resolveOptions = {
    revision: options.revision,
    onProgress: options.onProgress,
    signal: options.signal,
  };
  const folder = await cache.resolve(ref.id, files, resolveOptions);
  const extra = more?.(folder) ?? [];
  return extra.length > 0 ? cache.resolve(ref.id, [...files, ...extra], resolveOptions) : folder;
}
