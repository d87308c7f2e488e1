import {
  l2NormalizeRows,
  ModelLoadError,
  type RgbImage,
  type SpecWarning,
  type TokenGrid,
  UnexpectedModelOutputError,
} from '@hoi/core';
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import {
  type ModelSourceOptions,
  optionalModelFile,
  readModelJson,
  requireModelFile,
  resolveModel,
} from '../model-folder.js';
import { type OrtSessionOptions, openSession, ort, takeOutput } from '../ort-session.js';
import { matmulTransposed } from '../vector-math.js';
import { type StretchPreprocessing, stretchSettings, stretchToTensor } from './preprocess-image.js';

/** Contrastive model families this runtime reads. */
export type DualEncoderFamily = 'clip' | 'siglip';

/**
 * The three graphs of a CLIP/SigLIP checkpoint in this package's export layout (see README):
 * `onnx/vision_model.onnx` (`pixel_values` -> `last_hidden_state` [1, (1+)N, D], plus `image_embeds` or
 * `pooler_output`), `onnx/text_model.onnx` (`input_ids`[, `attention_mask`] -> `text_embeds` or
 * `pooler_output`) and, for CLIP, `onnx/patch_projection.onnx` (`hidden_states` [N, D] -> `patch_embeds`
 * [N, E]: post_layernorm then visual_projection, which CLIP applies to the CLS token only).
 *
 * Graphs run in raw onnxruntime sessions because transformers.js' CLIP/SigLIP classes return only what
 * they declare and know nothing of the patch projection; its tokenizer is used as is.
 */
export class DualEncoderModel {
  private readonly textCache = new Map<string, Float32Array>();

  private constructor(
    readonly folder: string,
    readonly family: DualEncoderFamily,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly vision: ort.InferenceSession,
    private readonly text: ort.InferenceSession,
    private readonly projection: ort.InferenceSession | undefined,
    readonly preprocessing: StretchPreprocessing,
    readonly patchSize: number,
    readonly textMaxLength: number,
    /** Execution-provider fallbacks met while opening the graphs (returned with every result). */
    readonly warnings: SpecWarning[],
  ) {}

  /** Opens a model folder; every missing required file is a ModelLoadError naming it. */
  static async load(
    model: string,
    options: OrtSessionOptions &
      ModelSourceOptions & { family?: DualEncoderFamily; extraFiles?: string[] } = {},
  ): Promise<DualEncoderModel> {
    const base = ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json'];
    const graphs = ['onnx/vision_model.onnx', 'onnx/text_model.onnx', ...(options.extraFiles ?? [])];
    const folder = await resolveModel(model, [...base, ...graphs], options, (dir) => {
      const type = String(readModelJson(dir, 'config.json', 'model configuration').model_type ?? '');
      return (options.family ?? type).startsWith('clip') ? ['onnx/patch_projection.onnx'] : [];
    });
    const config = readModelJson(folder, 'config.json', 'model configuration');
    const preprocessor = readModelJson(folder, 'preprocessor_config.json', 'image preprocessing settings');
    requireModelFile(folder, 'tokenizer.json', 'the text tokenizer');
    requireModelFile(folder, 'tokenizer_config.json', 'the text tokenizer settings');
    const modelType = String(config.model_type ?? '');
    const family =
      options.family ??
      (modelType.startsWith('siglip') ? 'siglip' : modelType.startsWith('clip') ? 'clip' : undefined);
    if (!family) {
      throw new ModelLoadError(
        `${folder}/config.json`,
        `model_type "${modelType}" is neither clip nor siglip; pass family explicitly`,
      );
    }
    const visionPath = requireModelFile(
      folder,
      'onnx/vision_model.onnx',
      'vision encoder exposing last_hidden_state',
    );
    const textPath = requireModelFile(folder, 'onnx/text_model.onnx', 'text encoder');
    const projectionPath =
      family === 'clip'
        ? requireModelFile(
            folder,
            'onnx/patch_projection.onnx',
            'CLIP post_layernorm + visual_projection for patch tokens',
          )
        : optionalModelFile(folder, 'onnx/patch_projection.onnx');
    const tokenizer = await AutoTokenizer.from_pretrained(folder, { local_files_only: true });
    const loadWarnings: SpecWarning[] = [];
    const [vision, text, projection] = await Promise.all([
      openSession(visionPath, options, loadWarnings),
      openSession(textPath, options, loadWarnings),
      projectionPath ? openSession(projectionPath, options, loadWarnings) : Promise.resolve(undefined),
    ]);
    const visionConfig = (config.vision_config ?? {}) as Record<string, unknown>;
    const tokenizerConfig = readModelJson(folder, 'tokenizer_config.json', 'the text tokenizer settings');
    const textConfig = (config.text_config ?? {}) as Record<string, unknown>;
    return new DualEncoderModel(
      folder,
      family,
      tokenizer,
      vision,
      text,
      projection,
      stretchSettings(preprocessor, config),
      Number(visionConfig.patch_size ?? 16),
      Number(textConfig.max_position_embeddings ?? tokenizerConfig.model_max_length ?? 64),
      loadWarnings,
    );
  }

  /**
   * Encodes the image once and returns its patch tokens in the joint space as a token grid
   * (patch_projection applied when the folder has it; CLS dropped).
   */
  async encodePatchGrid(image: RgbImage): Promise<TokenGrid> {
    const S = this.preprocessing.size;
    const pixels = await stretchToTensor(image, this.preprocessing);
    const out = await this.vision.run({ pixel_values: new ort.Tensor('float32', pixels, [1, 3, S, S]) });
    const hidden = takeOutput(
      out,
      'last_hidden_state',
      '[1, (1+)N, D] patch tokens',
      'onnx/vision_model.onnx',
    );
    const side = Math.round(S / this.patchSize);
    const n = side * side;
    const [, T, D] = hidden.dims as number[];
    if (T !== n && T !== n + 1) {
      throw new UnexpectedModelOutputError(
        'last_hidden_state',
        `[1, ${n} or ${n + 1}, D]`,
        `[${hidden.dims.join(', ')}]`,
        'vision_config.image_size / patch_size disagree with the graph',
      );
    }
    const data = hidden.data as Float32Array;
    let tokens = data.subarray((T! - n) * D!, T! * D!);
    let channels = D!;
    if (this.projection) {
      const pout = await this.projection.run({
        [this.projection.inputNames[0]!]: new ort.Tensor('float32', tokens.slice(), [n, D!]),
      });
      const proj = takeOutput(pout, 'patch_embeds', '[N, E]', 'onnx/patch_projection.onnx');
      tokens = proj.data as Float32Array;
      channels = proj.dims[1] as number;
    }
    return { data: Float32Array.from(tokens), height: side, width: side, channels };
  }

  /** The model's own global image embedding (normalised), used by the crop-and-encode baseline. */
  async encodeImageGlobal(image: RgbImage): Promise<Float32Array> {
    const S = this.preprocessing.size;
    const pixels = await stretchToTensor(image, this.preprocessing);
    const out = await this.vision.run({ pixel_values: new ort.Tensor('float32', pixels, [1, 3, S, S]) });
    const name = 'image_embeds' in out ? 'image_embeds' : 'pooler_output';
    return l2NormalizeRows(
      takeOutput(out, name, '[1, E]', 'onnx/vision_model.onnx').data as Float32Array,
      1,
      out[name]!.dims[1] as number,
    );
  }

  /**
   * L2-normalised text embeddings of `texts` (rows, row-major), computed in one batch for the texts not
   * seen before and cached for the model's lifetime. SigLIP pads to max_length as it was trained.
   */
  async embedTexts(texts: readonly string[]): Promise<{ data: Float32Array; dim: number }> {
    const missing = [...new Set(texts.filter((t) => !this.textCache.has(t)))];
    if (missing.length > 0) {
      const enc = this.tokenizer(missing, {
        padding: this.family === 'siglip' ? 'max_length' : true,
        truncation: true,
        max_length: this.textMaxLength,
      }) as unknown as {
        input_ids: { data: BigInt64Array; dims: number[] };
        attention_mask: { data: BigInt64Array; dims: number[] };
      };
      const feeds: Record<string, ort.Tensor> = {
        input_ids: new ort.Tensor('int64', enc.input_ids.data, enc.input_ids.dims),
      };
      if (this.text.inputNames.includes('attention_mask')) {
        feeds.attention_mask = new ort.Tensor('int64', enc.attention_mask.data, enc.attention_mask.dims);
      }
      const out = await this.text.run(feeds);
      const name = 'text_embeds' in out ? 'text_embeds' : 'pooler_output';
      const t = takeOutput(out, name, '[B, E]', 'onnx/text_model.onnx');
      const dim = t.dims[1] as number;
      const rows = l2NormalizeRows(t.data as Float32Array, missing.length, dim);
      for (const [i, text] of missing.entries()) this.textCache.set(text, rows.slice(i * dim, (i + 1) * dim));
    }
    const dim = this.textCache.get(texts[0] ?? missing[0] ?? '')?.length ?? 0;
    const data = new Float32Array(texts.length * dim);
    for (const [i, text] of texts.entries()) data.set(this.textCache.get(text)!, i * dim);
    return { data, dim };
  }

  /**
   * The learned logit scale (exponentiated) and bias, measured from `onnx/model.onnx` (the full
   * CLIPModel/SiglipModel export) when the folder has it: the split vision/text graphs do not contain
   * them, and the config only holds the initial value. One probe image and two probe texts give
   * logit_k = scale * cos_k + bias for k = 1, 2, which is solved for both. The session is released
   * afterwards. Undefined when the file is absent or the probe is degenerate.
   */
  async readLogitCalibration(
    options: OrtSessionOptions = {},
  ): Promise<{ scale: number; bias: number } | undefined> {
    const path = optionalModelFile(this.folder, 'onnx/model.onnx');
    if (!path) return undefined;
    const session = await openSession(path, options, this.warnings);
    try {
      const S = this.preprocessing.size;
      const data = new Uint8Array(S * S * 3);
      for (let i = 0; i < S * S; i++) data.set([200, 40 + (i % S), 40], i * 3);
      const pixels = await stretchToTensor({ width: S, height: S, channels: 3, data }, this.preprocessing);
      const texts = ['a photo of a red object', 'a photo of a blue object'];
      const enc = this.tokenizer(texts, {
        padding: this.family === 'siglip' ? 'max_length' : true,
        truncation: true,
        max_length: this.textMaxLength,
      }) as unknown as Record<'input_ids' | 'attention_mask', { data: BigInt64Array; dims: number[] }>;
      const feeds: Record<string, ort.Tensor> = {
        input_ids: new ort.Tensor('int64', enc.input_ids.data, enc.input_ids.dims),
        pixel_values: new ort.Tensor('float32', pixels, [1, 3, S, S]),
      };
      if (session.inputNames.includes('attention_mask')) {
        feeds.attention_mask = new ort.Tensor('int64', enc.attention_mask.data, enc.attention_mask.dims);
      }
      const out = await session.run(feeds);
      const logits = takeOutput(out, 'logits_per_image', '[1, 2]', 'onnx/model.onnx').data as Float32Array;
      const image = takeOutput(out, 'image_embeds', '[1, E]', 'onnx/model.onnx');
      const text = takeOutput(out, 'text_embeds', '[2, E]', 'onnx/model.onnx');
      const E = image.dims[1] as number;
      const cos = matmulTransposed(
        l2NormalizeRows(image.data as Float32Array, 1, E),
        l2NormalizeRows(text.data as Float32Array, 2, E),
        E,
      );
      const dc = cos[0]! - cos[1]!;
      if (!(Math.abs(dc) > 1e-4)) return undefined;
      const scale = (logits[0]! - logits[1]!) / dc;
      const bias = logits[0]! - scale * cos[0]!;
      return Number.isFinite(scale) && Number.isFinite(bias) ? { scale, bias } : undefined;
    } finally {
      await session.release();
    }
  }

  async dispose(): Promise<void> {
    await Promise.all([this.vision.release(), this.text.release(), this.projection?.release()]);
    this.textCache.clear();
  }
}
