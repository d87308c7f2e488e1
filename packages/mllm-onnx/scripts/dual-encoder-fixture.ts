/**
 * Writes tiny CLIP / SigLIP model folders in transformers.js layout (plus this package's documented
 * `onnx/patch_projection.onnx`) for tests and the benchmark:
 *
 * - `kind: 'colour'`: hand-set weights whose answer is known by construction. The vision model's patch
 *   tokens are the mean normalised RGB of each 8x8 patch; the text model sums per-token embeddings in which
 *   only `red`, `green` and `blue` are non-zero, set to the normalised RGB of a pure red/green/blue pixel.
 *   So a box over a red patch is closest to "red".
 * - `kind: 'random'`: a ViT of realistic width (default 384, 4 layers, 224 px, 16-px patches) with seeded
 *   random weights, for timing only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DT, GraphBuilder, randomArray, seededRandom } from './onnx-graph.js';
import { buildTinyTokenizer } from './tiny-tokenizer.js';

export interface DualEncoderFixtureOptions {
  family: 'clip' | 'siglip';
  kind: 'colour' | 'random';
  /** Random ViT width / depth / image size (random kind only). */
  hidden?: number;
  layers?: number;
  imageSize?: number;
  patchSize?: number;
  /** Write `onnx/patch_projection.onnx` (default: true for CLIP). */
  patchProjection?: boolean;
  seed?: number;
  /**
   * Colour kind only: also write `onnx/model.onnx` (the full CLIPModel/SiglipModel graph: `logits_per_image`,
   * `logits_per_text`, `text_embeds`, `image_embeds`) with this learned scale (already exponentiated) and bias.
   */
  fullModel?: { scale: number; bias: number };
}

/** Writes the folder and returns the path. */
export function writeDualEncoderFixture(dir: string, options: DualEncoderFixtureOptions): string {
  const { family, kind } = options;
  const colour = kind === 'colour';
  const imageSize = options.imageSize ?? (colour ? 32 : 224);
  const patch = options.patchSize ?? (colour ? 8 : 16);
  const hidden = colour ? 3 : (options.hidden ?? 384);
  const embedDim = colour ? 3 : 256;
  const layers = colour ? 0 : (options.layers ?? 4);
  const rand = seededRandom(options.seed ?? 7);
  const withProjection = options.patchProjection ?? family === 'clip';
  const tok = buildTinyTokenizer({
    tokenizerClass: family === 'clip' ? 'CLIPTokenizer' : 'SiglipTokenizer',
    modelMaxLength: family === 'clip' ? 77 : 16,
  });

  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const grid = imageSize / patch;
  const tokens = grid * grid;

  // ---- vision_model.onnx
  const v = new GraphBuilder();
  v.input('pixel_values', DT.FLOAT, ['batch_size', 3, imageSize, imageSize]);
  let convW: Float32Array;
  if (colour) {
    convW = new Float32Array(hidden * 3 * patch * patch);
    for (let d = 0; d < 3; d++)
      for (let i = 0; i < patch * patch; i++) convW[(d * 3 + d) * patch * patch + i] = 1 / (patch * patch);
  } else {
    convW = randomArray(rand, hidden * 3 * patch * patch, 1 / Math.sqrt(3 * patch * patch));
  }
  v.f32('patch_w', convW, [hidden, 3, patch, patch]);
  const conv = v.op('Conv', ['pixel_values', 'patch_w'], {
    kernel_shape: [patch, patch],
    strides: [patch, patch],
  });
  const flat = v.op('Reshape', [conv, v.i64('shape_bdn', [0, hidden, tokens], [3])]);
  let h = v.op('Transpose', [flat], { perm: [0, 2, 1] }); // [B, N, D]
  if (!colour) {
    h = v.op('Add', [h, v.f32('pos_emb', randomArray(rand, tokens * hidden, 0.02), [tokens, hidden])]);
    for (let l = 0; l < layers; l++) h = vitBlock(v, h, hidden, Math.max(1, hidden / 64), rand, `l${l}`);
  }
  const mean = v.op('ReduceMean', [h], { axes: [1], keepdims: 1 }); // [B,1,D] stands in for CLS / pooler
  if (family === 'clip') {
    v.op('Concat', [mean, h], { axis: 1 }, 'last_hidden_state');
    v.output('last_hidden_state', DT.FLOAT, ['batch_size', tokens + 1, hidden]);
    const cls = v.op('Reshape', [mean, v.i64('shape_bd', [0, hidden], [2])]);
    v.op(
      'MatMul',
      [cls, v.f32('visual_projection', eye(hidden, embedDim, rand, colour), [hidden, embedDim])],
      {},
      'image_embeds',
    );
    v.output('image_embeds', DT.FLOAT, ['batch_size', embedDim]);
  } else {
    v.op('Identity', [h], {}, 'last_hidden_state');
    v.output('last_hidden_state', DT.FLOAT, ['batch_size', tokens, hidden]);
    v.op('Reshape', [mean, v.i64('shape_bd', [0, hidden], [2])], {}, 'pooler_output');
    v.output('pooler_output', DT.FLOAT, ['batch_size', hidden]);
  }
  writeFileSync(join(dir, 'onnx', 'vision_model.onnx'), v.toBytes());

  // ---- patch_projection.onnx (this package's layout: post-layernorm + visual projection per token)
  if (withProjection) {
    const p = new GraphBuilder();
    p.input('hidden_states', DT.FLOAT, ['num_tokens', hidden]);
    let x = 'hidden_states';
    if (!colour) {
      x = p.op(
        'LayerNormalization',
        [x, p.f32('ln_g', ones(hidden), [hidden]), p.f32('ln_b', new Float32Array(hidden), [hidden])],
        { axis: -1, epsilon: 1e-5 },
      );
    }
    const w = colour ? scaledEye(3, 2) : randomArray(rand, hidden * embedDim, 1 / Math.sqrt(hidden));
    p.op('MatMul', [x, p.f32('proj', w, [hidden, embedDim])], {}, 'patch_embeds');
    p.output('patch_embeds', DT.FLOAT, ['num_tokens', embedDim]);
    writeFileSync(join(dir, 'onnx', 'patch_projection.onnx'), p.toBytes());
  }

  // ---- text_model.onnx: sum of token embeddings (pad id 0 embeds to zero)
  const textDim = family === 'clip' || withProjection ? embedDim : hidden;
  const table = new Float32Array(tok.size * textDim);
  if (colour) {
    const set = (word: string, vec: number[]) => table.set(vec, tok.vocab.get(word)! * textDim);
    set('red', [1, -1, -1]);
    set('green', [-1, 1, -1]);
    set('blue', [-1, -1, 1]);
  } else {
    table.set(randomArray(rand, (tok.size - 1) * textDim, 1), textDim);
  }
  const t = new GraphBuilder();
  t.input('input_ids', DT.INT64, ['batch_size', 'sequence_length']);
  if (family === 'clip') t.input('attention_mask', DT.INT64, ['batch_size', 'sequence_length']);
  const emb = t.op('Gather', [t.f32('token_embedding', table, [tok.size, textDim]), 'input_ids'], {
    axis: 0,
  });
  let summed = emb;
  if (family === 'clip') {
    const m = t.op('Unsqueeze', [t.op('Cast', ['attention_mask'], { to: DT.FLOAT }), t.i64('ax2', [2], [1])]);
    summed = t.op('Mul', [emb, m]);
  }
  const outName = family === 'clip' ? 'text_embeds' : 'pooler_output';
  t.op('ReduceSum', [summed, t.i64('ax1', [1], [1])], { keepdims: 0 }, outName);
  t.output(outName, DT.FLOAT, ['batch_size', textDim]);
  writeFileSync(join(dir, 'onnx', 'text_model.onnx'), t.toBytes());

  // ---- model.onnx (full model): normalised mean patch colour vs normalised summed token embeddings
  if (colour && options.fullModel) {
    const m = new GraphBuilder();
    m.input('input_ids', DT.INT64, ['text_batch_size', 'sequence_length']);
    if (family === 'clip') m.input('attention_mask', DT.INT64, ['text_batch_size', 'sequence_length']);
    m.input('pixel_values', DT.FLOAT, ['image_batch_size', 3, imageSize, imageSize]);
    const img = m.op('ReduceMean', ['pixel_values'], { axes: [2, 3], keepdims: 0 }); // [I,3] mean colour
    const txt = m.op(
      'ReduceSum',
      [
        m.op('Gather', [m.f32('tok', table, [tok.size, textDim]), 'input_ids'], { axis: 0 }),
        m.i64('a1', [1], [1]),
      ],
      { keepdims: 0 },
    );
    const norm = (x: string, name: string) =>
      m.op('Div', [x, m.op('Sqrt', [m.op('ReduceSumSquare', [x], { axes: [1], keepdims: 1 })])], {}, name);
    const ie = norm(img, 'image_embeds');
    const te = norm(txt, 'text_embeds');
    const lt = m.op(
      'Add',
      [
        m.op('Mul', [
          m.op('MatMul', [te, m.op('Transpose', [ie], { perm: [1, 0] })]),
          m.f32('scale', [options.fullModel.scale], []),
        ]),
        m.f32('bias', [options.fullModel.bias], []),
      ],
      {},
      'logits_per_text',
    );
    m.op('Transpose', [lt], { perm: [1, 0] }, 'logits_per_image');
    m.output('logits_per_image', DT.FLOAT, ['image_batch_size', 'text_batch_size']);
    m.output('logits_per_text', DT.FLOAT, ['text_batch_size', 'image_batch_size']);
    m.output('text_embeds', DT.FLOAT, ['text_batch_size', textDim]);
    m.output('image_embeds', DT.FLOAT, ['image_batch_size', 3]);
    writeFileSync(join(dir, 'onnx', 'model.onnx'), m.toBytes());
  }

  // ---- config, tokenizer, preprocessor
  const config =
    family === 'clip'
      ? {
          model_type: 'clip',
          architectures: ['CLIPModel'],
          projection_dim: embedDim,
          logit_scale_init_value: 2.6592,
          text_config: { model_type: 'clip_text_model', hidden_size: textDim },
          vision_config: {
            model_type: 'clip_vision_model',
            hidden_size: hidden,
            image_size: imageSize,
            patch_size: patch,
          },
        }
      : {
          model_type: 'siglip',
          architectures: ['SiglipModel'],
          text_config: { model_type: 'siglip_text_model', hidden_size: textDim },
          vision_config: {
            model_type: 'siglip_vision_model',
            hidden_size: hidden,
            image_size: imageSize,
            patch_size: patch,
          },
        };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tok.tokenizer));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(tok.tokenizerConfig, null, 2));
  const pre =
    family === 'clip'
      ? {
          image_processor_type: 'CLIPImageProcessor',
          do_resize: true,
          size: { shortest_edge: imageSize },
          do_center_crop: true,
          crop_size: { height: imageSize, width: imageSize },
          resample: 3,
          do_rescale: true,
          rescale_factor: 1 / 255,
          do_normalize: true,
          image_mean: colour ? [0.5, 0.5, 0.5] : [0.48145466, 0.4578275, 0.40821073],
          image_std: colour ? [0.5, 0.5, 0.5] : [0.26862954, 0.26130258, 0.27577711],
        }
      : {
          image_processor_type: 'SiglipImageProcessor',
          do_resize: true,
          size: { height: imageSize, width: imageSize },
          resample: 2,
          do_rescale: true,
          rescale_factor: 1 / 255,
          do_normalize: true,
          image_mean: [0.5, 0.5, 0.5],
          image_std: [0.5, 0.5, 0.5],
        };
  writeFileSync(join(dir, 'preprocessor_config.json'), JSON.stringify(pre, null, 2));
  return dir;
}

function ones(n: number): Float32Array {
  return new Float32Array(n).fill(1);
}

function scaledEye(n: number, s: number): Float32Array {
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = s;
  return out;
}

function eye(rows: number, cols: number, rand: () => number, exact: boolean): Float32Array {
  if (!exact) return randomArray(rand, rows * cols, 1 / Math.sqrt(rows));
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) out[i * cols + i] = 1;
  return out;
}

/** Pre-norm ViT block: x + MHA(LN(x)); x + MLP(LN(x)) with a sigmoid-GELU. */
function vitBlock(
  g: GraphBuilder,
  x: string,
  d: number,
  heads: number,
  rand: () => number,
  p: string,
): string {
  const dh = d / heads;
  const ln = (inp: string, name: string) =>
    g.op(
      'LayerNormalization',
      [inp, g.f32(`${name}_g`, ones(d), [d]), g.f32(`${name}_b`, new Float32Array(d), [d])],
      { axis: -1 },
    );
  const lin = (inp: string, name: string, i: number, o: number) =>
    g.op('Add', [
      g.op('MatMul', [inp, g.f32(`${name}_w`, randomArray(rand, i * o, 1 / Math.sqrt(i)), [i, o])]),
      g.f32(`${name}_b`, new Float32Array(o), [o]),
    ]);
  const a = ln(x, `${p}_ln1`);
  const split = g.i64(`${p}_split`, [0, 0, heads, dh], [4]);
  const heads4 = (t: string, perm: number[]) => g.op('Transpose', [g.op('Reshape', [t, split])], { perm });
  const q = heads4(lin(a, `${p}_q`, d, d), [0, 2, 1, 3]);
  const k = heads4(lin(a, `${p}_k`, d, d), [0, 2, 3, 1]);
  const v = heads4(lin(a, `${p}_v`, d, d), [0, 2, 1, 3]);
  const att = g.op(
    'Softmax',
    [g.op('Mul', [g.op('MatMul', [q, k]), g.f32(`${p}_scale`, [1 / Math.sqrt(dh)], [])])],
    { axis: -1 },
  );
  const ctx = g.op('Reshape', [
    g.op('Transpose', [g.op('MatMul', [att, v])], { perm: [0, 2, 1, 3] }),
    g.i64(`${p}_merge`, [0, 0, d], [3]),
  ]);
  const x1 = g.op('Add', [x, lin(ctx, `${p}_o`, d, d)]);
  const b = ln(x1, `${p}_ln2`);
  const up = lin(b, `${p}_fc1`, d, 4 * d);
  const act = g.op('Mul', [up, g.op('Sigmoid', [g.op('Mul', [up, g.f32(`${p}_gelu`, [1.702], [])])])]);
  return g.op('Add', [x1, lin(act, `${p}_fc2`, 4 * d, d)]);
}
