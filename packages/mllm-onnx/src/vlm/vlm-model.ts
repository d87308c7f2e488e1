import {
  InvalidArgumentError,
  ModelLoadError,
  type RgbImage,
  type SpecWarning,
  UnexpectedModelOutputError,
} from '@hoi/core';
import {
  AutoImageProcessor,
  AutoTokenizer,
  type PreTrainedTokenizer,
  RawImage,
} from '@huggingface/transformers';
import { type ModelSourceOptions, readModelJson, requireModelFile, resolveModel } from '../model-folder.js';
import { type OrtSessionOptions, openSession, ort, takeOutput } from '../ort-session.js';

/** Qwen-VL families whose transformers.js ONNX layout this runtime reads. */
export type QwenVlFamily = 'qwen2_vl' | 'qwen2_5_vl' | 'qwen3_vl';
/** Every family: the Qwen-VL ones (M-RoPE, 3-row position ids) and Idefics3 / SmolVLM (1-D positions). */
export type VlmFamily = QwenVlFamily | 'idefics3';

/** File-name suffix per dtype, as transformers.js names quantized exports. */
const DTYPE_SUFFIX = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
} as const;
/** Which weights variant to load (`onnx/<base><suffix>.onnx`); inputs/outputs must be float32. */
export type OnnxDtype = keyof typeof DTYPE_SUFFIX;

/** A KV cache for batch 1 or B: one float32 [B, kv_heads, length, head_dim] tensor per past input name. */
export interface KvCache {
  tensors: Record<string, Float32Array>;
  batch: number;
  length: number;
}

/** What one decoder pass returns (plus its KV cache unless the pass asked for none). */
export interface DecodeOutput {
  /** [B, kept, vocab] row-major. */
  logits: Float32Array;
  logitsDims: number[];
  /** [B, S, hidden] when the graph outputs `last_hidden_state` (DM exports). */
  hiddenStates?: Float32Array;
}

/** The image encoded once: its features, merged grid and the resized size boxes are expressed in. */
export interface EncodedImage {
  features: Float32Array;
  tokens: number;
  /** Merged token grid (Qwen-VL; drives M-RoPE). Undefined for families with 1-D positions. */
  grid?: { t: number; h: number; w: number };
  resized: { width: number; height: number };
  /** The image placeholder the chat template emits, and the token string it expands to for this image. */
  placeholder: string;
  expansion: string;
}

/**
 * The three sessions of a Qwen-VL export (`vision_encoder`, `embed_tokens`, `decoder_model_merged`), plus
 * transformers.js' tokenizer (with the checkpoint's chat template) and its Qwen2-VL image processor.
 *
 * The decoder runs as a raw onnxruntime session because transformers.js has no API to score a batch of
 * continuations on one cached prefix: `generate()` returns no scores and mutates its cache, and
 * `model.forward` would need a DynamicCache rebuilt and tiled per call. Here the cache is plain typed
 * arrays that are tiled along the batch axis directly.
 */
export class VlmModel {
  /** Work counters (decoder calls and token positions processed, batch rows included), for benchmarks. */
  readonly stats = { decoderCalls: 0, tokenSteps: 0 };

  private constructor(
    readonly folder: string,
    readonly family: VlmFamily,
    readonly tokenizer: PreTrainedTokenizer,
    private readonly imageProcessor: (
      image: RawImage,
      options?: Record<string, unknown>,
    ) => Promise<Record<string, unknown>>,
    private readonly vision: ort.InferenceSession,
    private readonly embed: ort.InferenceSession,
    private readonly decoder: ort.InferenceSession,
    /** image: the image-token id; visionEnd: the token that closes the image block (Idefics3: <fake_token_around_image>). */
    readonly ids: { image: number; visionEnd: number },
    readonly dims: { hidden: number; layers: number; kvHeads: number; headDim: number },
    readonly mergeSize: number,
    /** Idefics3: tokens per image tile (processor_config.json image_seq_len). */
    readonly imageSeqLen: number,
    /** Execution-provider fallbacks met while opening the graphs (returned with every result). */
    readonly warnings: SpecWarning[],
  ) {}

  static async load(
    model: string,
    options: OrtSessionOptions &
      ModelSourceOptions & { family?: VlmFamily; dtype?: OnnxDtype; extraFiles?: string[] } = {},
  ): Promise<VlmModel> {
    const sfx = DTYPE_SUFFIX[options.dtype ?? 'fp32'];
    const folder = await resolveModel(
      model,
      [
        'config.json',
        'preprocessor_config.json',
        'tokenizer.json',
        'tokenizer_config.json',
        ...['vision_encoder', 'embed_tokens', 'decoder_model_merged'].map((b) => `onnx/${b}${sfx}.onnx`),
        ...(options.extraFiles ?? []),
      ],
      options,
    );
    const config = readModelJson(folder, 'config.json', 'model configuration');
    readModelJson(folder, 'preprocessor_config.json', 'image processor settings');
    requireModelFile(folder, 'tokenizer.json', 'the tokenizer');
    requireModelFile(folder, 'tokenizer_config.json', 'the tokenizer settings and chat template');
    const modelType = String(config.model_type ?? '');
    const family: VlmFamily | undefined =
      options.family ??
      (['qwen2_vl', 'qwen2_5_vl', 'qwen3_vl'].includes(modelType)
        ? (modelType as QwenVlFamily)
        : ['idefics3', 'smolvlm'].includes(modelType)
          ? 'idefics3'
          : undefined);
    if (!family)
      throw new ModelLoadError(
        `${folder}/config.json`,
        `model_type "${modelType}" is not qwen2_vl, qwen2_5_vl, qwen3_vl or idefics3/smolvlm; pass family explicitly`,
      );
    const processorConfig =
      family === 'idefics3' ? readModelJson(folder, 'processor_config.json', 'Idefics3 image_seq_len') : {};
    const suffix = DTYPE_SUFFIX[options.dtype ?? 'fp32'];
    const file = (base: string, why: string) => requireModelFile(folder, `onnx/${base}${suffix}.onnx`, why);
    const paths = [
      file('vision_encoder', 'the vision encoder'),
      file('embed_tokens', 'the token embedding'),
      file('decoder_model_merged', 'the language decoder'),
    ];
    const tokenizer = await AutoTokenizer.from_pretrained(folder, { local_files_only: true });
    const processor = await AutoImageProcessor.from_pretrained(folder, { local_files_only: true });
    const loadWarnings: SpecWarning[] = [];
    const [vision, embed, decoder] = await Promise.all(
      paths.map((p) => openSession(p, options, loadWarnings)),
    );
    const text = (family === 'qwen2_vl' ? config : (config.text_config ?? config)) as Record<string, number>;
    const hidden = Number(text.hidden_size);
    const heads = Number(text.num_attention_heads);
    const layers = Number(text.num_hidden_layers);
    const dims = {
      hidden,
      layers,
      kvHeads: Number(text.num_key_value_heads ?? heads),
      headDim: Number(text.head_dim ?? hidden / heads),
    };
    if (![hidden, layers, dims.kvHeads, dims.headDim].every((n) => Number.isInteger(n) && n > 0)) {
      throw new ModelLoadError(
        `${folder}/config.json`,
        'needs hidden_size, num_hidden_layers, num_attention_heads (and num_key_value_heads) in its text config',
      );
    }
    const idOf = (key: string, token: string) => {
      const enc = tokenizer.encode(token, { add_special_tokens: false });
      const v = (config[key] as number | undefined) ?? (enc.length === 1 ? enc[0] : undefined);
      if (v === undefined)
        throw new ModelLoadError(
          `${folder}/config.json`,
          `missing ${key} (and ${token} is not in the tokenizer)`,
        );
      return v;
    };
    const ids =
      family === 'idefics3'
        ? {
            image: idOf('image_token_id', '<image>'),
            visionEnd: idOf('fake_image_token_id', '<fake_token_around_image>'),
          }
        : {
            image: idOf('image_token_id', '<|image_pad|>'),
            visionEnd: idOf('vision_end_token_id', '<|vision_end|>'),
          };
    const merge = Number(
      (config.vision_config as Record<string, number> | undefined)?.spatial_merge_size ?? 2,
    );
    return new VlmModel(
      folder,
      family,
      tokenizer,
      (image, opts) =>
        (
          processor as unknown as (
            i: RawImage,
            o?: Record<string, unknown>,
          ) => Promise<Record<string, unknown>>
        )(image, opts),
      vision!,
      embed!,
      decoder!,
      ids,
      dims,
      merge,
      Number(processorConfig.image_seq_len ?? 0),
      loadWarnings,
    );
  }

  /** Output names of the decoder graph (the DM runtime needs `last_hidden_state`). */
  get decoderOutputNames(): readonly string[] {
    return this.decoder.outputNames;
  }

  /** Index just after the image block in a prompt's ids (0 when there is none). */
  imagePrefixEnd(ids: readonly number[]): number {
    return (
      (this.family === 'idefics3' ? ids.lastIndexOf(this.ids.visionEnd) : ids.indexOf(this.ids.visionEnd)) + 1
    );
  }

  /** Token ids of `text` (no special tokens added). */
  encode(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false });
  }

  /** The id of a single-token string, or undefined when it is not one token. */
  singleTokenId(text: string): number | undefined {
    const ids = this.encode(text);
    return ids.length === 1 ? ids[0] : undefined;
  }

  /**
   * Runs the checkpoint's image processor (Qwen: smart resize to multiples of patch*merge; Idefics3:
   * tiles plus a global view) and the vision encoder, once per image.
   */
  async encodeImage(image: RgbImage): Promise<EncodedImage> {
    const raw = new RawImage(
      new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength),
      image.width,
      image.height,
      3,
    );
    if (this.family === 'idefics3') return this.encodeIdefics3(raw, image);
    const out = (await this.imageProcessor(raw)) as {
      pixel_values: { data: Float32Array; dims: number[] };
      image_grid_thw: { data: BigInt64Array };
    };
    const [t, gh, gw] = Array.from(out.image_grid_thw.data, Number) as [number, number, number];
    const gridName = this.vision.inputNames.includes('grid_thw') ? 'grid_thw' : 'image_grid_thw';
    const res = await this.vision.run({
      pixel_values: new ort.Tensor('float32', out.pixel_values.data, out.pixel_values.dims),
      [gridName]: new ort.Tensor('int64', out.image_grid_thw.data, [1, 3]),
    });
    const feats = takeOutput(res, 'image_features', '[tokens, hidden]', 'onnx/vision_encoder.onnx');
    const m = this.mergeSize;
    const grid = { t, h: gh / m, w: gw / m };
    const tokens = grid.t * grid.h * grid.w;
    if (feats.dims[0] !== tokens || feats.dims[1] !== this.dims.hidden) {
      throw new UnexpectedModelOutputError(
        'image_features',
        `[${tokens}, ${this.dims.hidden}]`,
        `[${feats.dims.join(', ')}]`,
        'check vision_config.spatial_merge_size and hidden_size',
      );
    }
    const patch = (out.pixel_values.dims[1]! / (3 * 2)) ** 0.5;
    return {
      features: feats.data as Float32Array,
      tokens,
      grid,
      resized: { width: gw * patch, height: gh * patch },
      placeholder: '<|image_pad|>',
      expansion: '<|image_pad|>'.repeat(tokens),
    };
  }

  /**
   * Idefics3 / SmolVLM: transformers.js' Idefics3 image processor cuts the image into tiles plus a global
   * view; the vision encoder gives image_seq_len rows per tile. The `<image>` placeholder expands as
   * transformers.js' Idefics3Processor does (per tile `<fake_token_around_image><row_r_col_c>` + image
   * tokens, then the global image), rebuilt here so the text can be expanded per pair without
   * re-processing the image.
   */
  private async encodeIdefics3(raw: RawImage, image: RgbImage): Promise<EncodedImage> {
    const out = (await this.imageProcessor(raw, { return_row_col_info: true })) as {
      pixel_values: { data: Float32Array; dims: number[] };
      pixel_attention_mask: { data: ArrayLike<unknown>; dims: number[] };
      rows: number[][];
      cols: number[][];
    };
    const feeds: Record<string, ort.Tensor> = {
      pixel_values: new ort.Tensor('float32', out.pixel_values.data, out.pixel_values.dims),
    };
    if (this.vision.inputNames.includes('pixel_attention_mask')) {
      const m = out.pixel_attention_mask;
      feeds.pixel_attention_mask = new ort.Tensor(
        'bool',
        Uint8Array.from(m.data as ArrayLike<number>, (v) => (v ? 1 : 0)),
        m.dims,
      );
    }
    const res = await this.vision.run(feeds);
    const feats = takeOutput(res, 'image_features', '[..., hidden]', 'onnx/vision_encoder.onnx');
    const H = this.dims.hidden;
    const tokens = (feats.data as Float32Array).length / H;
    const rows = out.rows[0]![0]!;
    const cols = out.cols[0]![0]!;
    const seq = this.imageSeqLen;
    const tiles = rows * cols + 1;
    if (seq * tiles !== tokens) {
      throw new UnexpectedModelOutputError(
        'image_features',
        `${seq * tiles} rows (${tiles} tiles x image_seq_len ${seq})`,
        `${tokens}`,
        'check processor_config.json image_seq_len',
      );
    }
    const fake = '<fake_token_around_image>';
    const img = '<image>'.repeat(seq);
    let expansion = '';
    if (rows > 0 || cols > 0) {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) expansion += `${fake}<row_${r + 1}_col_${c + 1}>${img}`;
        expansion += '\n';
      }
      expansion += '\n';
    }
    expansion += `${fake}<global-img>${img}${fake}`;
    return {
      features: feats.data as Float32Array,
      tokens,
      resized: { width: image.width, height: image.height },
      placeholder: '<image>',
      expansion,
    };
  }

  /** Input embeddings of `rows` (all the same length) with image features written over image-token rows. */
  async embedRows(rows: readonly number[][], image?: EncodedImage): Promise<Float32Array> {
    const B = rows.length;
    const S = rows[0]?.length ?? 0;
    const ids = new BigInt64Array(B * S);
    rows.forEach((r, b) => {
      for (let s = 0; s < S; s++) ids[b * S + s] = BigInt(r[s]!);
    });
    const out = await this.embed.run({ input_ids: new ort.Tensor('int64', ids, [B, S]) });
    const emb = Float32Array.from(
      takeOutput(out, 'inputs_embeds', '[B, S, hidden]', 'onnx/embed_tokens.onnx').data as Float32Array,
    );
    if (image) {
      const H = this.dims.hidden;
      let next = 0;
      for (let i = 0; i < B * S; i++) {
        if (Number(ids[i]) !== this.ids.image) continue;
        if (next >= image.tokens)
          throw new UnexpectedModelOutputError(
            'input_ids',
            `${image.tokens} image tokens`,
            'more',
            'the prompt expanded the image placeholder wrongly',
          );
        emb.set(image.features.subarray(next * H, (next + 1) * H), i * H);
        next += 1;
      }
    }
    return emb;
  }

  /** An empty cache for batch B. */
  emptyCache(batch: number): KvCache {
    const tensors: Record<string, Float32Array> = {};
    for (let i = 0; i < this.dims.layers; i++) {
      tensors[`past_key_values.${i}.key`] = new Float32Array(0);
      tensors[`past_key_values.${i}.value`] = new Float32Array(0);
    }
    return { tensors, batch, length: 0 };
  }

  /** Repeats a batch-1 cache B times along the batch axis (each row a copy of the shared prefix). */
  tileCache(cache: KvCache, batch: number): KvCache {
    if (cache.batch !== 1) throw new InvalidArgumentError('cache', 'a batch-1 KV cache to tile', cache.batch);
    const tensors: Record<string, Float32Array> = {};
    for (const [name, data] of Object.entries(cache.tensors)) {
      const out = new Float32Array(data.length * batch);
      for (let b = 0; b < batch; b++) out.set(data, b * data.length);
      tensors[name] = out;
    }
    return { tensors, batch, length: cache.length };
  }

  /**
   * One decoder pass over B rows of S new tokens on top of `past`.
   * @param mask [B, past + S] (1 = attend)
   * @param positions [3, B, S] (the 3 M-RoPE rows; 1-D families read the first)
   * @param keepLogits 0 = logits of every position, n = the last n positions
   * @param options.cache false: fetch only `logits` (and `last_hidden_state`), not the `present.*` KV
   *   tensors, for a pass whose cache is never extended (saves copying batch x layers x 2 x kv_heads x
   *   (past + S) x head_dim floats out of onnxruntime).
   */
  async decode(
    embeds: Float32Array,
    B: number,
    S: number,
    mask: BigInt64Array,
    positions: BigInt64Array,
    past: KvCache,
    keepLogits: number,
    options?: { cache?: true },
  ): Promise<DecodeOutput & { cache: KvCache }>;
  async decode(
    embeds: Float32Array,
    B: number,
    S: number,
    mask: BigInt64Array,
    positions: BigInt64Array,
    past: KvCache,
    keepLogits: number,
    options: { cache: false },
  ): Promise<DecodeOutput>;
  async decode(
    embeds: Float32Array,
    B: number,
    S: number,
    mask: BigInt64Array,
    positions: BigInt64Array,
    past: KvCache,
    keepLogits: number,
    options: { cache?: boolean } = {},
  ): Promise<DecodeOutput & { cache?: KvCache }> {
    const { hidden, kvHeads, headDim, layers } = this.dims;
    const feeds: Record<string, ort.Tensor> = {
      inputs_embeds: new ort.Tensor('float32', embeds, [B, S, hidden]),
      attention_mask: new ort.Tensor('int64', mask, [B, past.length + S]),
    };
    // Positions come as [3, B, S] (M-RoPE rows); 1-D families (Idefics3/SmolVLM) take the first row, and
    // only when the graph declares position_ids at all.
    if (this.decoder.inputNames.includes('position_ids')) {
      feeds.position_ids =
        this.family === 'idefics3'
          ? new ort.Tensor('int64', positions.subarray(0, B * S), [B, S])
          : new ort.Tensor('int64', positions, [3, B, S]);
    }
    for (const [name, data] of Object.entries(past.tensors))
      feeds[name] = new ort.Tensor('float32', data, [B, kvHeads, past.length, headDim]);
    if (this.decoder.inputNames.includes('num_logits_to_keep'))
      feeds.num_logits_to_keep = new ort.Tensor('int64', BigInt64Array.from([BigInt(keepLogits)]), []);
    if (this.decoder.inputNames.includes('use_cache_branch'))
      feeds.use_cache_branch = new ort.Tensor('bool', Uint8Array.from([past.length > 0 ? 1 : 0]), [1]);
    const wantCache = options.cache !== false;
    const out = wantCache
      ? await this.decoder.run(feeds)
      : await this.decoder.run(
          feeds,
          this.decoder.outputNames.filter((n) => n === 'logits' || n === 'last_hidden_state'),
        );
    this.stats.decoderCalls += 1;
    this.stats.tokenSteps += B * S;
    const logits = takeOutput(out, 'logits', '[B, S, vocab]', 'onnx/decoder_model_merged.onnx');
    if (logits.type !== 'float32')
      throw new UnexpectedModelOutputError(
        'logits',
        'float32',
        logits.type,
        'use an export with float32 inputs/outputs (dtype fp32, q8, q4 ...)',
      );
    const hiddenStates = out.last_hidden_state?.data as Float32Array | undefined;
    const result: DecodeOutput = {
      logits: logits.data as Float32Array,
      logitsDims: logits.dims as number[],
      hiddenStates,
    };
    if (!wantCache) return result;
    const tensors: Record<string, Float32Array> = {};
    for (let i = 0; i < layers; i++) {
      for (const kind of ['key', 'value'])
        tensors[`past_key_values.${i}.${kind}`] = takeOutput(
          out,
          `present.${i}.${kind}`,
          'present KV',
          'onnx/decoder_model_merged.onnx',
        ).data as Float32Array;
    }
    return { ...result, cache: { tensors, batch: B, length: past.length + S } };
  }

  async dispose(): Promise<void> {
    await Promise.all([this.vision.release(), this.embed.release(), this.decoder.release()]);
  }
}
