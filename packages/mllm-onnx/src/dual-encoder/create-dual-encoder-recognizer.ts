import {
  type InteractionCandidate,
  type InteractionRecognizer,
  InvalidArgumentError,
  l2NormalizeRows,
  type PairScores,
  type PoolBoxesOptions,
  poolPairFeatures,
  sigmoid,
  spatialEncodings36,
  throwIfAborted,
} from '@hoi/core';
import { type ModelSourceOptions, readModelJson } from '../model-folder.js';
import type { OrtSessionOptions } from '../ort-session.js';
import { matmulTransposed, softmax } from '../vector-math.js';
import { type DualEncoderFamily, DualEncoderModel } from './dual-encoder-model.js';

/** An optional prior added to each candidate's logit from the pair's 36-d spatial encoding. */
export interface SpatialPrior {
  /** Multiplies `score` before it is added to the logit. */
  weight: number;
  /** Any function of the UPT-style 36-d encoding (@hoi/core `spatialEncoding36`) and the candidate. */
  score(encoding36: Float32Array, candidate: InteractionCandidate): number;
}

export interface DualEncoderRecognizerOptions extends OrtSessionOptions, ModelSourceOptions {
  /**
   * A local folder or a Hugging Face id (downloaded through @hoi/core's model cache) in transformers.js
   * layout plus this package's patch projection (see README).
   */
  model: string;
  /** Default: from config.json `model_type`. */
  family?: DualEncoderFamily;
  /**
   * Prompt templates, `{}` standing for the phrase. Each phrase's text embedding is the normalised mean of
   * its normalised template embeddings (prompt ensembling). Default `['a photo of a person {}.']`.
   */
  promptTemplates?: string[];
  /**
   * Multiplier of the cosine (already exponentiated). Default: measured from `onnx/model.onnx` (the full
   * model, which holds the learned value) when the folder has it; else config.json `logit_scale` (log
   * value) if present; else 100 for CLIP (OpenAI CLIP's trained value) and 10 for SigLIP (its init).
   */
  logitScale?: number;
  /**
   * Added to the logit (SigLIP's logit_bias). Default: measured from `onnx/model.onnx` when present, else
   * config.json `logit_bias`, else 0 (CLIP) / -10 (SigLIP).
   */
  logitBias?: number;
  /** 'softmax' over a pair's candidates (CLIP default) or independent 'sigmoid' (SigLIP default). */
  scoreMode?: 'softmax' | 'sigmoid';
  /** Weights of the normalised human, object and union features in the pair feature. Default 1/3 each. */
  boxWeights?: { human: number; object: number; union: number };
  spatialPrior?: SpatialPrior;
  /** More model-relative files to fetch for a hub id (e.g. external weight data). */
  extraFiles?: string[];
  /** RoI-Align settings (default 7x7, 2 samples, aligned). */
  pooling?: PoolBoxesOptions;
}

/** The dual-encoder recognizer: also exposes its model for baselines and tools. */
export interface DualEncoderRecognizer extends InteractionRecognizer {
  readonly model: DualEncoderModel;
}

/**
 * Zero-shot interaction recognition with a CLIP/SigLIP model, CPU friendly: one image encoding per image
 * whatever the number of pairs. Patch tokens (projected into the joint space) are pooled with RoI-Align
 * in the human, object and union boxes (@hoi/core `poolPairFeatures`), combined into one pair feature,
 * and matched against the cached text embeddings of every candidate phrase in one matrix product.
 */
export async function createDualEncoderRecognizer(
  options: DualEncoderRecognizerOptions,
): Promise<DualEncoderRecognizer> {
  const model = await DualEncoderModel.load(options.model, options);
  const family = model.family;
  const config = readModelJson(model.folder, 'config.json', 'model configuration');
  const templates = options.promptTemplates ?? ['a photo of a person {}.'];
  if (templates.length === 0 || templates.some((t) => !t.includes('{}'))) {
    throw new InvalidArgumentError(
      'promptTemplates',
      'a non-empty list of strings each containing {}',
      templates,
    );
  }
  // Scale and bias: explicit options, else measured from the full model.onnx when present, else the
  // config's logit_scale/logit_bias, else the families' usual values.
  const calibration =
    options.logitScale === undefined || options.logitBias === undefined
      ? await model.readLogitCalibration(options)
      : undefined;
  const scale =
    options.logitScale ??
    calibration?.scale ??
    (typeof config.logit_scale === 'number' ? Math.exp(config.logit_scale) : family === 'clip' ? 100 : 10);
  const bias =
    options.logitBias ??
    calibration?.bias ??
    (typeof config.logit_bias === 'number' ? config.logit_bias : family === 'clip' ? 0 : -10);
  const calibrationSource =
    options.logitScale !== undefined ? 'options' : calibration ? 'onnx/model.onnx' : 'config or default';
  const scoreMode = options.scoreMode ?? (family === 'clip' ? 'softmax' : 'sigmoid');
  const weights = options.boxWeights ?? { human: 1 / 3, object: 1 / 3, union: 1 / 3 };

  /** Ensembled, normalised phrase embeddings: phrases x dim. */
  async function phraseEmbeddings(phrases: readonly string[]): Promise<{ data: Float32Array; dim: number }> {
    const texts = phrases.flatMap((p) => templates.map((t) => t.replaceAll('{}', p)));
    const { data, dim } = await model.embedTexts(texts);
    const out = new Float32Array(phrases.length * dim);
    for (let p = 0; p < phrases.length; p++) {
      for (let t = 0; t < templates.length; t++) {
        const row = (p * templates.length + t) * dim;
        for (let c = 0; c < dim; c++) out[p * dim + c]! += data[row + c]!;
      }
    }
    return { data: l2NormalizeRows(out, phrases.length, dim), dim };
  }

  return {
    specificationVersion: 'v1',
    provider: family,
    modelId: model.folder,
    capabilities: { interactiveness: false, openVocabulary: true },
    model,
    async doRecognize({ image, instances, pairs, candidates, signal }) {
      throwIfAborted(signal);
      if (pairs.length === 0) return { pairs: [], warnings: [...model.warnings] };
      // Only candidates some pair uses are embedded.
      const used = [...new Set(pairs.flatMap((p) => p.candidates))];
      for (const c of used) {
        if (!candidates[c])
          throw new InvalidArgumentError(
            'pairs[].candidates',
            `indices into candidates (0..${candidates.length - 1})`,
            c,
          );
      }
      if (used.length === 0)
        return { pairs: pairs.map(() => ({ scores: [] })), warnings: [...model.warnings] };
      const column = new Map(used.map((c, i) => [c, i]));
      const text = await phraseEmbeddings(used.map((c) => candidates[c]!.phrase));
      throwIfAborted(signal);
      const grid = await model.encodePatchGrid(image);
      throwIfAborted(signal);
      if (grid.channels !== text.dim) {
        throw new InvalidArgumentError(
          'model',
          `patch embeddings and text embeddings of one width (got ${grid.channels} vs ${text.dim}); check onnx/patch_projection.onnx`,
          model.folder,
        );
      }
      const boxes = instances.map((i) => i.box);
      const size = { width: image.width, height: image.height };
      const pooled = poolPairFeatures(grid, size, boxes, pairs, options.pooling);
      const C = grid.channels;
      const P = pairs.length;
      const [hn, on, un] = [pooled.human, pooled.object, pooled.union].map((m) =>
        l2NormalizeRows(m, P, C),
      ) as [Float32Array, Float32Array, Float32Array];
      const pairFeat = new Float32Array(pairs.length * C);
      for (let i = 0; i < pairFeat.length; i++) {
        pairFeat[i] = weights.human * hn[i]! + weights.object * on[i]! + weights.union * un[i]!;
      }
      // One matrix product: every pair against every used candidate phrase.
      const cos = matmulTransposed(l2NormalizeRows(pairFeat, P, C), text.data, C);
      const enc = options.spatialPrior ? spatialEncodings36(boxes, pairs, size) : undefined;
      const M = used.length;
      const out: PairScores[] = pairs.map((pair, p) => {
        const logits = pair.candidates.map((c) => {
          let l = scale * cos[p * M + column.get(c)!]! + bias;
          if (enc && options.spatialPrior)
            l +=
              options.spatialPrior.weight *
              options.spatialPrior.score(enc.subarray(p * 36, p * 36 + 36), candidates[c]!);
          return l;
        });
        const scores = scoreMode === 'softmax' ? softmax(logits) : logits.map(sigmoid);
        return { scores };
      });
      return {
        pairs: out,
        warnings: [...model.warnings],
        providerMetadata: {
          [family]: {
            imageEncodings: 1,
            phrases: M,
            templates: templates.length,
            logitScale: scale,
            logitBias: bias,
            calibrationSource,
          },
        },
      };
    },
    async dispose() {
      await model.dispose();
    },
  };
}
