import { readFileSync } from 'node:fs';
import { ModelLoadError } from '@hoi/core';
import { readModelJson, requireModelFile } from '../model-folder.js';

/**
 * `hoi_dm.json`: what a fine-tuned one-pass deterministic-matching checkpoint adds to a Qwen-VL export.
 * Documented in the package README ("DM export layout").
 */
export interface DmManifest {
  format: 'hoi-dm';
  version: 1;
  /** Base family of the decoder and vision encoder. */
  family: 'qwen2_vl' | 'qwen2_5_vl' | 'qwen3_vl';
  /** The learned log temperature: logits are exp(logit_scale) * cosine. */
  logit_scale: number;
  box_start_token_id: number;
  box_end_token_id: number;
  /** Pairs with sigmoid(interactiveness) <= this skip the decoder. Default 0.15. */
  interactiveness_threshold?: number;
  /** Spatial encoding fed to the SAP head; only the 36-d UPT-style layout is supported. */
  spatial_encoding?: '36';
  /** RoI-Align settings of the pooling (defaults 7, 2, true). */
  pooling?: { output_size?: number; sampling_ratio?: number; aligned?: boolean };
  /** Model-relative path of the SAP head ONNX. Default `onnx/sap_head.onnx`. */
  sap_head?: string;
  /** Model-relative path of the learned <|box_end|> input embedding, raw float32 little-endian [hidden]. */
  box_end_embedding?: string;
}

/** Reads and checks `hoi_dm.json` and the learned <|box_end|> embedding. */
export function readDmManifest(
  folder: string,
  hidden: number,
): { manifest: DmManifest; boxEnd: Float32Array; sapHeadPath: string } {
  const manifest = readModelJson<DmManifest>(folder, 'hoi_dm.json', 'the one-pass matching manifest');
  const where = `${folder}/hoi_dm.json`;
  if (manifest.format !== 'hoi-dm' || manifest.version !== 1)
    throw new ModelLoadError(where, 'expected "format": "hoi-dm" and "version": 1');
  for (const key of ['logit_scale', 'box_start_token_id', 'box_end_token_id'] as const) {
    if (!Number.isFinite(manifest[key])) throw new ModelLoadError(where, `"${key}" must be a number`);
  }
  if ((manifest.spatial_encoding ?? '36') !== '36')
    throw new ModelLoadError(where, 'only "spatial_encoding": "36" is supported');
  const sapHeadPath = requireModelFile(
    folder,
    manifest.sap_head ?? 'onnx/sap_head.onnx',
    'the spatial-aware pooling head',
  );
  const boxEndFile = manifest.box_end_embedding ?? 'box_end_embedding.bin';
  const boxEndPath = requireModelFile(folder, boxEndFile, 'the learned <|box_end|> embedding');
  const bytes = readFileSync(boxEndPath);
  if (bytes.byteLength !== hidden * 4) {
    throw new ModelLoadError(
      boxEndPath,
      `expected ${hidden} float32 values (${hidden * 4} bytes), got ${bytes.byteLength} bytes`,
    );
  }
  const boxEnd = new Float32Array(hidden);
  new Uint8Array(boxEnd.buffer).set(bytes);
  return { manifest, boxEnd, sapHeadPath };
}
