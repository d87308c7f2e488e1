import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ModelLoadError } from '@hoi/core';

/**
 * Turns the `model` option into an ONNX file path: a file is used as is; a folder is searched for
 * `model.onnx`, `onnx/model.onnx`, then its only `.onnx` file, so an Ultralytics export folder or a
 * Hugging Face-style folder both work.
 */
export function resolveModelPath(model: string): string {
  let stat: ReturnType<typeof statSync> | undefined;
  try {
    stat = statSync(model);
  } catch {
    throw new ModelLoadError(
      model,
      'no such file or folder; pass the path of an .onnx file or of a folder holding one',
    );
  }
  if (stat.isFile()) return model;
  for (const candidate of ['model.onnx', join('onnx', 'model.onnx')]) {
    try {
      if (statSync(join(model, candidate)).isFile()) return join(model, candidate);
    } catch {
      // try the next candidate
    }
  }
  const onnxFiles = readdirSync(model).filter((f) => f.endsWith('.onnx'));
  if (onnxFiles.length === 1) return join(model, onnxFiles[0]!);
  throw new ModelLoadError(
    model,
    onnxFiles.length === 0
      ? 'the folder holds no .onnx file (looked for model.onnx, onnx/model.onnx, *.onnx)'
      : `the folder holds several .onnx files (${onnxFiles.join(', ')}); pass the file itself`,
  );
}
