import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { InvalidArgumentError, ModelLoadError } from '@hoi/core';

/**
 * Resolves the `model` option to a local folder in transformers.js layout (config.json, tokenizer files,
 * preprocessor_config.json, onnx/*.onnx). Only local folders are accepted here; resolving Hugging Face
 * ids into a cache belongs to @hoi/core's model cache, which this package will call once it lands.
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
