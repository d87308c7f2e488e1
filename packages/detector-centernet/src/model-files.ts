import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelLoadError } from '@hoi/core';
import * as tf from '@tensorflow/tfjs-core';

/** The npm package whose `models/` folder ships the MB3-CenterNet weights. */
export const WEIGHTS_PACKAGE = '@vladmandic/human';

/**
 * Path of the shipped MB3-CenterNet `centernet.json` inside the installed `@vladmandic/human`.
 * Its `exports` map exposes neither `package.json` nor `models/`, so the package root is found by
 * resolving its main entry and walking up to the `package.json` that names it. Only the path is
 * resolved: nothing of that package is executed.
 */
export function defaultModelPath(): string {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(WEIGHTS_PACKAGE);
  } catch (error) {
    throw new ModelLoadError(
      WEIGHTS_PACKAGE,
      `the package is not installed; install ${WEIGHTS_PACKAGE}@3.3.6 or pass modelPath`,
      { cause: error },
    );
  }
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readPackageName(manifest) === WEIGHTS_PACKAGE) {
      return join(dir, 'models', 'centernet.json');
    }
  }
  throw new ModelLoadError(WEIGHTS_PACKAGE, `no package.json naming ${WEIGHTS_PACKAGE} above ${entry}`);
}

function readPackageName(manifest: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/**
 * Reads a TensorFlow.js graph-model (`model.json` plus the weight shards its `weightsManifest`
 * names, relative to it) from disk into memory, for `tf.io.fromMemory`. No URL is fetched: tfjs'
 * own `loadGraphModel(path)` would treat a path as a URL in Node.
 */
export async function readGraphModelArtifacts(modelPath: string): Promise<tf.io.ModelArtifacts> {
  const path = modelPath.startsWith('file:') ? fileURLToPath(modelPath) : resolve(modelPath);
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(await readFile(path, 'utf8')) as tf.io.ModelJSON;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file; pass the path of a TensorFlow.js model.json'
        : code === 'EISDIR'
          ? 'it is a folder; pass the path of its model.json'
          : `not a TensorFlow.js model.json (${(error as Error).message})`;
    throw new ModelLoadError(path, reason, { cause: error });
  }
  if (typeof json !== 'object' || json === null || typeof json.modelTopology !== 'object') {
    throw new ModelLoadError(path, 'the JSON has no `modelTopology`; it is not a TensorFlow.js graph model');
  }
  if (json.format !== undefined && json.format !== 'graph-model') {
    throw new ModelLoadError(path, `format is ${JSON.stringify(json.format)}; a "graph-model" is needed`);
  }
  if (!Array.isArray(json.weightsManifest)) {
    throw new ModelLoadError(path, 'the JSON has no `weightsManifest` array');
  }
  const folder = dirname(path);
  return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const specs = tf.io.getWeightSpecs(manifest);
    const shards: ArrayBuffer[] = [];
    for (const group of manifest) {
      for (const shard of group.paths) {
        const shardPath = join(folder, shard);
        try {
          const bytes = await readFile(shardPath);
          shards.push(
            bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
          );
        } catch (error) {
          throw new ModelLoadError(path, `cannot read weight shard ${shardPath}`, { cause: error });
        }
      }
    }
    const weightData = tf.io.concatenateArrayBuffers(shards);
    const needed = specs.reduce((sum, spec) => sum + weightByteLength(spec), 0);
    if (Number.isFinite(needed) && weightData.byteLength !== needed) {
      throw new ModelLoadError(
        path,
        `the weight shards hold ${weightData.byteLength} bytes but the manifest needs ${needed}; the .bin files do not belong to this model.json`,
      );
    }
    return [specs, weightData];
  });
}

const BYTES_PER_ELEMENT: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  float16: 2,
  uint8: 1,
  uint16: 2,
};

function weightByteLength(spec: tf.io.WeightsManifestEntry): number {
  const elements = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const size = BYTES_PER_ELEMENT[dtype];
  if (size === undefined) return Number.NaN;
  return elements * size;
}
