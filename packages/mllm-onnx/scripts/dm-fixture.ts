/**
 * Writes a tiny random-weight checkpoint in this package's one-pass deterministic-matching (DM) export
 * layout (see README "DM export layout"): a Qwen2.5-VL folder whose decoder also outputs
 * `last_hidden_state`, plus `onnx/sap_head.onnx`, `box_end_embedding.bin` and `hoi_dm.json`.
 *
 * The SAP head is a small real network: an MLP on the concatenated human/object/union features plus an
 * MLP of the 36-d spatial encoding, one cross-attention step over all image tokens, then three linear
 * heads: `pair_feature` (injected at <|box_start|>), `pair_embedding` (v of s_sap) and
 * `interactiveness_logit`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DT, GraphBuilder, randomArray, seededRandom } from './onnx-graph.js';
import { type QwenVlFixtureOptions, writeQwenVlFixture } from './qwen-vl-fixture.js';

export interface DmFixtureOptions extends QwenVlFixtureOptions {
  /** Seed of the `pair_feature` projection only (the injected embedding); default 21. */
  injectSeed?: number;
  /** Bias of the interactiveness logit (default 0: sigmoid around 0.5). */
  interactivenessBias?: number;
  /** log of the logit multiplier written to the manifest. */
  logitScale?: number;
}

export function writeDmFixture(dir: string, options: DmFixtureOptions = {}): string {
  writeQwenVlFixture(dir, { ...options, family: 'qwen2_5_vl', hiddenStates: true });
  const H = options.hidden ?? 32;
  const D = Math.min(H, 64);
  const rand = seededRandom((options.seed ?? 11) + 1000);
  const injectRand = seededRandom(options.injectSeed ?? 21);
  const g = new GraphBuilder();
  g.input('human_features', DT.FLOAT, ['num_pairs', H]);
  g.input('object_features', DT.FLOAT, ['num_pairs', H]);
  g.input('union_features', DT.FLOAT, ['num_pairs', H]);
  g.input('spatial_encoding', DT.FLOAT, ['num_pairs', 36]);
  g.input('image_tokens', DT.FLOAT, ['num_tokens', H]);
  const w = (name: string, i: number, o: number, r = rand) =>
    g.f32(name, randomArray(r, i * o, 1 / Math.sqrt(i)), [i, o]);
  const boxes = g.op('Concat', ['human_features', 'object_features', 'union_features'], { axis: 1 });
  // Log-space spatial features can be large negative numbers: squash before the MLP.
  const sp = g.op('Tanh', [g.op('Mul', ['spatial_encoding', g.f32('sp_scale', [0.1], [])])]);
  const h = g.op('Tanh', [
    g.op('Add', [g.op('MatMul', [boxes, w('w_box', 3 * H, D)]), g.op('MatMul', [sp, w('w_sp', 36, D)])]),
  ]);
  const q = g.op('MatMul', [h, w('w_q', D, D)]);
  const k = g.op('MatMul', ['image_tokens', w('w_k', H, D)]);
  const v = g.op('MatMul', ['image_tokens', w('w_v', H, D)]);
  const att = g.op(
    'Softmax',
    [
      g.op('Mul', [
        g.op('MatMul', [q, g.op('Transpose', [k], { perm: [1, 0] })]),
        g.f32('att_scale', [1 / Math.sqrt(D)], []),
      ]),
    ],
    { axis: -1 },
  );
  const f = g.op('Add', [h, g.op('MatMul', [att, v])]);
  g.op('MatMul', [f, w('w_inject', D, H, injectRand)], {}, 'pair_feature');
  g.op('MatMul', [f, w('w_embed', D, H)], {}, 'pair_embedding');
  const inter = g.op('Add', [
    g.op('MatMul', [f, w('w_inter', D, 1)]),
    g.f32('b_inter', [options.interactivenessBias ?? 0], [1]),
  ]);
  g.op('Reshape', [inter, g.i64('flat', [-1], [1])], {}, 'interactiveness_logit');
  g.output('pair_feature', DT.FLOAT, ['num_pairs', H]);
  g.output('pair_embedding', DT.FLOAT, ['num_pairs', H]);
  g.output('interactiveness_logit', DT.FLOAT, ['num_pairs']);
  writeFileSync(join(dir, 'onnx', 'sap_head.onnx'), g.toBytes());
  const boxEnd = randomArray(rand, H, 1);
  writeFileSync(join(dir, 'box_end_embedding.bin'), new Uint8Array(boxEnd.buffer));
  const tokenizer = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as {
    added_tokens: { id: number; content: string }[];
  };
  const idOf = (t: string) => tokenizer.added_tokens.find((a) => a.content === t)!.id;
  const manifest = {
    format: 'hoi-dm',
    version: 1,
    family: 'qwen2_5_vl',
    logit_scale: options.logitScale ?? Math.log(10),
    box_start_token_id: idOf('<|box_start|>'),
    box_end_token_id: idOf('<|box_end|>'),
    interactiveness_threshold: 0.15,
    spatial_encoding: '36',
    pooling: { output_size: 7, sampling_ratio: 2, aligned: true },
    sap_head: 'onnx/sap_head.onnx',
    box_end_embedding: 'box_end_embedding.bin',
  };
  writeFileSync(join(dir, 'hoi_dm.json'), JSON.stringify(manifest, null, 2));
  return dir;
}
