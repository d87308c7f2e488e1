/**
 * Writes a tiny random-weight Qwen2-VL / Qwen2.5-VL / Qwen3-VL model folder in transformers.js layout:
 * `onnx/vision_encoder.onnx` (`pixel_values` [num_patches, C*T*P*P], `image_grid_thw`/`grid_thw` ->
 * `image_features` [num_patches/4, hidden]), `onnx/embed_tokens.onnx` (`input_ids` -> `inputs_embeds`) and
 * `onnx/decoder_model_merged.onnx` (`inputs_embeds`, `attention_mask`, `position_ids` [3,B,S],
 * `past_key_values.{i}.key|value` [batch_size, kv_heads, past_sequence_length, head_dim], optional
 * `num_logits_to_keep` -> `logits`, `present.{i}.key|value`). The decoder is a real Qwen2-style block stack:
 * RMSNorm, grouped-query attention with multimodal RoPE (mrope_section over the 3 position rows), causal +
 * padding mask from `attention_mask`, SwiGLU MLP. The vision encoder is only a linear merger over each 2x2
 * window of patch rows (vision cost is not what the tests measure).
 *
 * With `hiddenStates: true` the decoder additionally outputs `last_hidden_state` (the final-normed hidden
 * states), as this package's DM layout requires.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DT, GraphBuilder, randomArray, seededRandom } from './onnx-graph.js';
import { buildTinyTokenizer, type TinyTokenizerOptions } from './tiny-tokenizer.js';

export type QwenFamily = 'qwen2_vl' | 'qwen2_5_vl' | 'qwen3_vl';

export interface QwenVlFixtureOptions {
  family?: QwenFamily;
  hidden?: number;
  layers?: number;
  heads?: number;
  kvHeads?: number;
  intermediate?: number;
  /** Model vocabulary (>= tokenizer size; real Qwen has 151936). */
  vocab?: number;
  /** Max pixels for the processor (default 112*112 -> 16 image tokens). */
  maxPixels?: number;
  seed?: number;
  /** Also output `last_hidden_state` (DM layout). */
  hiddenStates?: boolean;
  /** Scale of random weights (larger -> peakier distributions). */
  weightScale?: number;
  /** 'mrope' (Qwen: position_ids [3, B, S]) or '1d' (Llama-style decoders: position_ids [B, S]). */
  positionIds?: 'mrope' | '1d';
  /** Replaces the Qwen tokenizer settings (other families). */
  tokenizer?: TinyTokenizerOptions;
}

/** The special tokens of the Qwen tokenizer, in Qwen's id order. */
export const QWEN_SPECIAL_TOKENS = [
  '<|endoftext|>',
  '<|im_start|>',
  '<|im_end|>',
  '<|object_ref_start|>',
  '<|object_ref_end|>',
  '<|box_start|>',
  '<|box_end|>',
  '<|quad_start|>',
  '<|quad_end|>',
  '<|vision_start|>',
  '<|vision_end|>',
  '<|vision_pad|>',
  '<|image_pad|>',
  '<|video_pad|>',
];

/** Qwen's chat template, reduced to what image+text user turns need (system turn, content lists). */
export const QWEN_CHAT_TEMPLATE =
  "{% for message in messages %}{% if loop.first and message['role'] != 'system' %}<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n{% endif %}<|im_start|>{{ message['role'] }}\n{% if message['content'] is string %}{{ message['content'] }}<|im_end|>\n{% else %}{% for content in message['content'] %}{% if content['type'] == 'image' %}<|vision_start|><|image_pad|><|vision_end|>{% elif content['type'] == 'text' %}{{ content['text'] }}{% endif %}{% endfor %}<|im_end|>\n{% endif %}{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

export function writeQwenVlFixture(dir: string, options: QwenVlFixtureOptions = {}): string {
  const family = options.family ?? 'qwen2_5_vl';
  const H = options.hidden ?? 32;
  const L = options.layers ?? 2;
  const nh = options.heads ?? 4;
  const kvh = options.kvHeads ?? 2;
  const hd = H / nh;
  const inter = options.intermediate ?? H * 2;
  const ws = options.weightScale ?? 1;
  const rand = seededRandom(options.seed ?? 11);
  const patch = family === 'qwen3_vl' ? 16 : 14;
  const tok = buildTinyTokenizer(
    options.tokenizer ?? {
      specialTokens: QWEN_SPECIAL_TOKENS,
      tokenizerClass: 'Qwen2Tokenizer',
      chatTemplate: QWEN_CHAT_TEMPLATE,
      eosToken: '<|im_end|>',
      padToken: '<|endoftext|>',
    },
  );
  const rope1d = options.positionIds === '1d';
  const V = Math.max(options.vocab ?? 0, tok.size);
  const id = (t: string) => tok.vocab.get(t)!;
  const half = hd / 2;
  const mropeSection = [Math.floor(half / 4), Math.floor((half - Math.floor(half / 4)) / 2)];
  mropeSection.push(half - mropeSection[0]! - mropeSection[1]!);
  mkdirSync(join(dir, 'onnx'), { recursive: true });

  // ---- vision_encoder.onnx
  const rowWidth = 3 * 2 * patch * patch;
  const ve = new GraphBuilder();
  ve.input('pixel_values', DT.FLOAT, ['num_patches', rowWidth]);
  ve.input(family === 'qwen2_vl' ? 'grid_thw' : 'image_grid_thw', DT.INT64, ['num_images', 3]);
  const merged = ve.op('Reshape', ['pixel_values', ve.i64('merge_shape', [-1, 4 * rowWidth], [2])]);
  ve.op(
    'MatMul',
    [
      merged,
      ve.f32('merger', randomArray(rand, 4 * rowWidth * H, (ws * 2) / Math.sqrt(4 * rowWidth)), [
        4 * rowWidth,
        H,
      ]),
    ],
    {},
    'image_features',
  );
  ve.output('image_features', DT.FLOAT, ['num_image_tokens', H]);
  writeFileSync(join(dir, 'onnx', 'vision_encoder.onnx'), ve.toBytes());

  // ---- embed_tokens.onnx
  const embedTable = randomArray(rand, V * H, ws);
  const et = new GraphBuilder();
  et.input('input_ids', DT.INT64, ['batch_size', 'sequence_length']);
  et.op('Gather', [et.f32('embed', embedTable, [V, H]), 'input_ids'], { axis: 0 }, 'inputs_embeds');
  et.output('inputs_embeds', DT.FLOAT, ['batch_size', 'sequence_length', H]);
  writeFileSync(join(dir, 'onnx', 'embed_tokens.onnx'), et.toBytes());

  // ---- decoder_model_merged.onnx
  const g = new GraphBuilder();
  g.input('inputs_embeds', DT.FLOAT, ['batch_size', 'sequence_length', H]);
  g.input('attention_mask', DT.INT64, ['batch_size', 'total_sequence_length']);
  g.input(
    'position_ids',
    DT.INT64,
    rope1d ? ['batch_size', 'sequence_length'] : [3, 'batch_size', 'sequence_length'],
  );
  for (let i = 0; i < L; i++) {
    g.input(`past_key_values.${i}.key`, DT.FLOAT, ['batch_size', kvh, 'past_sequence_length', hd]);
    g.input(`past_key_values.${i}.value`, DT.FLOAT, ['batch_size', kvh, 'past_sequence_length', hd]);
  }
  g.input('num_logits_to_keep', DT.INT64, []);
  const c = (name: string, v: number[], dims: number[]) => g.f32(name, v, dims);
  const i64 = (name: string, v: number[]) => g.i64(name, v, [v.length]);
  // Mask bias [B,1,1,S,T]: key j visible to query i iff j <= past+i and attention_mask[j] = 1.
  const T = g.op('Gather', [g.op('Shape', ['attention_mask']), g.i64('idx1', [1], [])], { axis: 0 });
  const S = g.op('Gather', [g.op('Shape', ['inputs_embeds']), g.i64('idx1b', [1], [])], { axis: 0 });
  const past = g.op('Sub', [T, S]);
  const one = g.i64('one', [1], []);
  const zero = g.i64('zero', [0], []);
  const qpos = g.op('Range', [past, T, one]);
  const kpos = g.op('Range', [zero, T, one]);
  const causal = g.op('LessOrEqual', [
    g.op('Unsqueeze', [kpos, i64('ax0', [0])]),
    g.op('Unsqueeze', [qpos, i64('ax1', [1])]),
  ]); // [S,T]
  const padOk = g.op('Cast', [g.op('Unsqueeze', ['attention_mask', i64('ax12', [1, 2, 3])])], {
    to: DT.BOOL,
  }); // [B,1,1,1,T]
  const allowed = g.op('And', [causal, padOk]); // [B,1,1,S,T]
  const maskBias = g.op('Where', [allowed, c('zero_f', [0], []), c('neg_big', [-1e9], [])]);
  // M-RoPE cos/sin [B,1,S,hd] (broadcast over heads).
  const invFreq = Array.from({ length: half }, (_, j) => 1 / 10000 ** ((2 * j) / hd));
  let f: string; // [B,S,half]
  if (rope1d) {
    const pos = g.op('Unsqueeze', [g.op('Cast', ['position_ids'], { to: DT.FLOAT }), i64('ax2p', [2])]); // [B,S,1]
    f = g.op('Mul', [pos, c('inv_freq', invFreq, [half])]);
  } else {
    const pos = g.op('Unsqueeze', [g.op('Cast', ['position_ids'], { to: DT.FLOAT }), i64('ax3', [3])]); // [3,B,S,1]
    const freqs = g.op('Mul', [pos, c('inv_freq', invFreq, [half])]); // [3,B,S,half]
    const sel = new Float32Array(3 * half);
    for (let j = 0, a = 0, acc = mropeSection[0]!; j < half; j++) {
      while (j >= acc) acc += mropeSection[++a]!;
      sel[a * half + j] = 1;
    }
    f = g.op(
      'ReduceSum',
      [g.op('Mul', [freqs, g.f32('mrope_select', sel, [3, 1, 1, half])]), i64('ax0r', [0])],
      { keepdims: 0 },
    ); // [B,S,half]
  }
  const emb = g.op('Unsqueeze', [g.op('Concat', [f, f], { axis: -1 }), i64('ax1h', [1])]); // [B,1,S,hd]
  const cos = g.op('Cos', [emb]);
  const sin = g.op('Sin', [emb]);
  const rope = (x: string) => {
    const [x1, x2] = g.node('Split', [x, i64(g.fresh('split'), [half, half])], { axis: -1 }, 2);
    const rot = g.op('Concat', [g.op('Neg', [x2!]), x1!], { axis: -1 });
    return g.op('Add', [g.op('Mul', [x, cos]), g.op('Mul', [rot, sin])]);
  };
  const rms = (x: string, name: string) => {
    const ms = g.op('ReduceMean', [g.op('Mul', [x, x])], { axes: [-1], keepdims: 1 });
    const inv = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [ms, c(g.fresh('eps'), [1e-6], [])])])]);
    return g.op('Mul', [
      g.op('Mul', [x, inv]),
      c(
        name,
        Array.from({ length: H }, () => 1 + (rand() - 0.5) * 0.2),
        [H],
      ),
    ]);
  };
  const lin = (x: string, name: string, i: number, o: number, bias: boolean) => {
    const y = g.op('MatMul', [x, g.f32(name, randomArray(rand, i * o, ws / Math.sqrt(i)), [i, o])]);
    return bias ? g.op('Add', [y, g.f32(`${name}_b`, randomArray(rand, o, 0.1 * ws), [o])]) : y;
  };
  let x = 'inputs_embeds';
  const rep = nh / kvh;
  for (let l = 0; l < L; l++) {
    const a = rms(x, `l${l}_in_norm`);
    // q: [B,S,nh*hd] -> [B,S,kvh,rep,hd] -> [B,kvh,rep,S,hd]; k,v: [B,kvh,S,hd]
    const q5 = g.op(
      'Transpose',
      [g.op('Reshape', [lin(a, `l${l}_q`, H, H, true), i64(`l${l}_q5`, [0, 0, kvh, rep, hd])])],
      { perm: [0, 2, 3, 1, 4] },
    );
    const q = rope(g.op('Reshape', [q5, i64(`l${l}_q4`, [0, kvh * rep, -1, hd])])); // [B,nh,S,hd]
    const k = rope(
      g.op(
        'Transpose',
        [g.op('Reshape', [lin(a, `l${l}_k`, H, kvh * hd, true), i64(`l${l}_k4`, [0, 0, kvh, hd])])],
        { perm: [0, 2, 1, 3] },
      ),
    );
    const v = g.op(
      'Transpose',
      [g.op('Reshape', [lin(a, `l${l}_v`, H, kvh * hd, true), i64(`l${l}_v4`, [0, 0, kvh, hd])])],
      { perm: [0, 2, 1, 3] },
    );
    const kAll = g.op('Concat', [`past_key_values.${l}.key`, k], { axis: 2 }, `present.${l}.key`);
    const vAll = g.op('Concat', [`past_key_values.${l}.value`, v], { axis: 2 }, `present.${l}.value`);
    const qg = g.op('Reshape', [q, i64(`l${l}_qg`, [0, kvh, rep, -1, hd])]); // [B,kvh,rep,S,hd]
    const kT = g.op('Unsqueeze', [g.op('Transpose', [kAll], { perm: [0, 1, 3, 2] }), i64(`l${l}_u2`, [2])]); // [B,kvh,1,hd,T]
    const scores = g.op('Add', [
      g.op('Mul', [g.op('MatMul', [qg, kT]), c(`l${l}_scale`, [1 / Math.sqrt(hd)], [])]),
      maskBias,
    ]);
    const probs = g.op('Softmax', [scores], { axis: -1 });
    const ctx = g.op('MatMul', [probs, g.op('Unsqueeze', [vAll, i64(`l${l}_u2v`, [2])])]); // [B,kvh,rep,S,hd]
    const ctx3 = g.op('Reshape', [
      g.op('Transpose', [ctx], { perm: [0, 3, 1, 2, 4] }),
      i64(`l${l}_ctx`, [0, 0, H]),
    ]);
    x = g.op('Add', [x, lin(ctx3, `l${l}_o`, H, H, false)]);
    const m = rms(x, `l${l}_post_norm`);
    const gate = lin(m, `l${l}_gate`, H, inter, false);
    const up = lin(m, `l${l}_up`, H, inter, false);
    const act = g.op('Mul', [g.op('Mul', [gate, g.op('Sigmoid', [gate])]), up]);
    x = g.op('Add', [x, lin(act, `l${l}_down`, inter, H, false)]);
  }
  const normed = rms(x, 'final_norm');
  if (options.hiddenStates) {
    g.op('Identity', [normed], {}, 'last_hidden_state');
    g.output('last_hidden_state', DT.FLOAT, ['batch_size', 'sequence_length', H]);
  }
  // num_logits_to_keep = n > 0 keeps the last n positions, 0 keeps all: Slice(start = -n).
  const start = g.op('Unsqueeze', [g.op('Neg', ['num_logits_to_keep']), i64('ax0s', [0])]);
  const kept = g.op('Slice', [normed, start, i64('big', [2 ** 31 - 1]), i64('ax1s', [1])]);
  g.op(
    'MatMul',
    [kept, g.f32('lm_head', randomArray(rand, H * V, (ws * 3) / Math.sqrt(H)), [H, V])],
    {},
    'logits',
  );
  g.output('logits', DT.FLOAT, ['batch_size', 'kept_length', V]);
  for (let i = 0; i < L; i++) {
    g.output(`present.${i}.key`, DT.FLOAT, ['batch_size', kvh, 'total_sequence_length', hd]);
    g.output(`present.${i}.value`, DT.FLOAT, ['batch_size', kvh, 'total_sequence_length', hd]);
  }
  writeFileSync(join(dir, 'onnx', 'decoder_model_merged.onnx'), g.toBytes());

  // ---- config, tokenizer, preprocessor
  const textConfig = {
    model_type: family === 'qwen2_vl' ? 'qwen2_vl' : `${family}_text`,
    hidden_size: H,
    num_hidden_layers: L,
    num_attention_heads: nh,
    num_key_value_heads: kvh,
    head_dim: hd,
    intermediate_size: inter,
    vocab_size: V,
    rope_theta: 10000,
    rope_scaling: { type: 'mrope', mrope_section: mropeSection },
  };
  const config: Record<string, unknown> = {
    model_type: family,
    architectures: [
      family === 'qwen2_vl'
        ? 'Qwen2VLForConditionalGeneration'
        : family === 'qwen2_5_vl'
          ? 'Qwen2_5_VLForConditionalGeneration'
          : 'Qwen3VLForConditionalGeneration',
    ],
    image_token_id: id('<|image_pad|>'),
    video_token_id: id('<|video_pad|>'),
    vision_start_token_id: id('<|vision_start|>'),
    vision_end_token_id: id('<|vision_end|>'),
    vision_config: { spatial_merge_size: 2, patch_size: patch, temporal_patch_size: 2 },
  };
  if (family === 'qwen2_vl') Object.assign(config, textConfig, { model_type: 'qwen2_vl' });
  else config.text_config = textConfig;
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tok.tokenizer));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(tok.tokenizerConfig, null, 2));
  const processorClass =
    family === 'qwen2_vl'
      ? 'Qwen2VLProcessor'
      : family === 'qwen2_5_vl'
        ? 'Qwen2_5_VLProcessor'
        : 'Qwen3VLProcessor';
  writeFileSync(
    join(dir, 'preprocessor_config.json'),
    JSON.stringify(
      {
        processor_class: processorClass,
        image_processor_type: 'Qwen2VLImageProcessor',
        do_resize: true,
        do_rescale: true,
        rescale_factor: 1 / 255,
        do_normalize: true,
        do_convert_rgb: true,
        resample: 3,
        image_mean: [0.48145466, 0.4578275, 0.40821073],
        image_std: [0.26862954, 0.26130258, 0.27577711],
        min_pixels: 4 * 28 * 28,
        max_pixels: options.maxPixels ?? 112 * 112,
        patch_size: patch,
        merge_size: 2,
        temporal_patch_size: 2,
      },
      null,
      2,
    ),
  );
  return dir;
}
