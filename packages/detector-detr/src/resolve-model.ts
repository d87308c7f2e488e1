import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ModelLoadError } from '@hoi/core';

/** The files of a local DETR-family model. */
export interface ResolvedDetrModel {
  /** The ONNX file. */
  onnxPath: string;
  /** Parsed `config.json`, when found. */
  config?: Record<string, unknown>;
  /** Parsed `preprocessor_config.json`, when found. */
  preprocessorConfig?: Record<string, unknown>;
}

/**
 * Finds the ONNX file and the JSON configs of a local model: a transformers.js folder
 * (`config.json`, `preprocessor_config.json`, `onnx/<modelFileName>`), a folder holding the ONNX file
 * directly, or the ONNX file itself (configs then read from its folder or the folder above, so
 * `<repo>/onnx/model.onnx` finds `<repo>/config.json`).
 */
export function resolveLocalDetrModel(model: string, modelFileName = 'model.onnx'): ResolvedDetrModel {
  let isFile: boolean;
  try {
    isFile = statSync(model).isFile();
  } catch {
    throw new ModelLoadError(
      model,
      'no such file or folder; pass a transformers.js model folder (config.json + onnx/model.onnx), an .onnx file, or a Hugging Face id',
    );
  }
  let onnxPath: string;
  let configDirs: string[];
  if (isFile) {
    onnxPath = model;
    configDirs = [dirname(model), dirname(dirname(model))];
  } else {
    const candidates = [join(model, 'onnx', modelFileName), join(model, modelFileName)];
    const found = candidates.find((c) => existsSync(c));
    if (!found) {
      throw new ModelLoadError(
        model,
        `the folder holds neither ${candidates.map((c) => c.slice(model.length + 1)).join(' nor ')}`,
      );
    }
    onnxPath = found;
    configDirs = [model];
  }
  const readJson = (name: string): Record<string, unknown> | undefined => {
    for (const dir of configDirs) {
      const file = join(dir, name);
      if (!existsSync(file)) continue;
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      } catch (error) {
        throw new ModelLoadError(file, `not valid JSON (${(error as Error).message})`, { cause: error });
      }
    }
    return undefined;
  };
  return {
    onnxPath,
    config: readJson('config.json'),
    preprocessorConfig: readJson('preprocessor_config.json'),
  };
}
