/**
 * Writes a tiny random-weight SmolVLM (Idefics3) folder in transformers.js layout: the same Llama-style
 * decoder as the Qwen fixture but with 1-D `position_ids [batch_size, sequence_length]`, a vision encoder
 * taking `pixel_values [batch_size, num_images, 3, S, S]` and `pixel_attention_mask` and returning
 * `image_features` (image_seq_len rows per tile), and the Idefics3 processor files (tiles of S px plus a
 * global view; `<image>` expanded by the processor rule).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DT, GraphBuilder, randomArray, seededRandom } from './onnx-graph.js';
import { type QwenVlFixtureOptions, writeQwenVlFixture } from './qwen-vl-fixture.js';

export const SMOLVLM_SPECIAL_TOKENS = [
  '<|endoftext|>',
  '<|im_start|>',
  '<end_of_utterance>',
  '<image>',
  '<fake_token_around_image>',
  '<global-img>',
  ...Array.from({ length: 16 }, (_, i) => `<row_${Math.floor(i / 4) + 1}_col_${(i % 4) + 1}>`),
];

/** A SmolVLM-style chat template (user/assistant turns, `<image>` placeholder). */
export const SMOLVLM_CHAT_TEMPLATE =
  "<|im_start|>{% for message in messages %}{% if message['role'] == 'user' %}User{% else %}Assistant{% endif %}:{% for part in message['content'] %}{% if part['type'] == 'text' %}{{ part['text'] }}{% elif part['type'] == 'image' %}<image>{% endif %}{% endfor %}<end_of_utterance>\n{% endfor %}{% if add_generation_prompt %}Assistant:{% endif %}";

export function writeSmolVlmFixture(
  dir: string,
  options: Omit<QwenVlFixtureOptions, 'family' | 'positionIds' | 'tokenizer'> = {},
): string {
  const tile = 32;
  const seqLen = 4;
  writeQwenVlFixture(dir, {
    ...options,
    family: 'qwen2_5_vl',
    positionIds: '1d',
    tokenizer: {
      specialTokens: SMOLVLM_SPECIAL_TOKENS,
      tokenizerClass: 'GPT2Tokenizer',
      chatTemplate: SMOLVLM_CHAT_TEMPLATE,
      eosToken: '<end_of_utterance>',
      padToken: '<|endoftext|>',
    },
  });
  const H = options.hidden ?? 32;
  const rand = seededRandom((options.seed ?? 11) + 77);
  const g = new GraphBuilder();
  g.input('pixel_values', DT.FLOAT, ['batch_size', 'num_images', 3, tile, tile]);
  g.input('pixel_attention_mask', DT.BOOL, ['batch_size', 'num_images', tile, tile]);
  const flat = g.op('Reshape', ['pixel_values', g.i64('s4', [-1, 3, tile, tile], [4])]);
  const pooled = g.op('AveragePool', [flat], {
    kernel_shape: [tile / 2, tile / 2],
    strides: [tile / 2, tile / 2],
  }); // [N,3,2,2]
  const rows = g.op('Transpose', [g.op('Reshape', [pooled, g.i64('s3', [0, 3, seqLen], [3])])], {
    perm: [0, 2, 1],
  }); // [N,4,3]
  const proj = g.op('Tanh', [g.op('MatMul', [rows, g.f32('w', randomArray(rand, 3 * H, 2), [3, H])])]);
  g.op('Reshape', [proj, g.i64('s2', [-1, H], [2])], {}, 'image_features');
  g.output('image_features', DT.FLOAT, ['num_image_tokens', H]);
  writeFileSync(join(dir, 'onnx', 'vision_encoder.onnx'), g.toBytes());

  const tokenizer = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as {
    added_tokens: { id: number; content: string }[];
  };
  const idOf = (t: string) => tokenizer.added_tokens.find((a) => a.content === t)!.id;
  const qwen = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
    text_config: Record<string, unknown>;
  };
  const config = {
    model_type: 'idefics3',
    architectures: ['Idefics3ForConditionalGeneration'],
    image_token_id: idOf('<image>'),
    scale_factor: 2,
    text_config: { ...qwen.text_config, model_type: 'llama', rope_scaling: null },
    vision_config: { model_type: 'idefics3_vision', image_size: tile, patch_size: tile / 2, hidden_size: 3 },
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  writeFileSync(
    join(dir, 'preprocessor_config.json'),
    JSON.stringify(
      {
        image_processor_type: 'Idefics3ImageProcessor',
        processor_class: 'Idefics3Processor',
        do_convert_rgb: true,
        do_resize: true,
        size: { longest_edge: 2 * tile },
        resample: 1,
        do_rescale: true,
        rescale_factor: 1 / 255,
        do_normalize: true,
        image_mean: [0.5, 0.5, 0.5],
        image_std: [0.5, 0.5, 0.5],
        do_image_splitting: true,
        max_image_size: { longest_edge: tile },
        do_pad: true,
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(dir, 'processor_config.json'),
    JSON.stringify({ image_seq_len: seqLen, processor_class: 'Idefics3Processor' }, null, 2),
  );
  return dir;
}
