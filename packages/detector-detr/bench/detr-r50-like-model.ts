/**
 * A random-weight model with the size and layer structure of DETR-R50 (Carion et al. 2020), for the
 * benchmark only: a ResNet-50 backbone (v1.5 bottlenecks [3, 4, 6, 3], batch norm folded into conv
 * biases), a 1x1 projection to 256 channels, a 6-layer transformer encoder over the stride-32 feature
 * map and a 6-layer decoder with 100 learned queries (8 heads, FFN 2048, post-norm), then the class
 * (91 + "no object") and 3-layer box heads, with DETR's export names (`pixel_values`, `pixel_mask`,
 * `logits`, `pred_boxes`). Simplifications that cost no noticeable compute: no sine positional
 * encoding and no attention masking (the mask is read but only folded into a zero). Random weights:
 * detections are meaningless; the "no object" bias makes most queries empty, as in a trained model.
 */
import { GraphBuilder, node, type TensorRef, valueInfo } from '@hoi/onnx-graph';

const D = 256;
const HEADS = 8;
const FFN = 2048;
const QUERIES = 100;

export function buildDetrR50LikeModel(
  width: number,
  height: number,
  numColumns = 92,
): { bytes: Uint8Array; macs: number; backboneMacs: number; parameters: number } {
  const g = new GraphBuilder(23);
  const pixels: TensorRef = { name: 'pixel_values', shape: [1, 3, height, width] };

  // ---- ResNet-50 backbone.
  let x = g.maxPool(g.relu(g.conv(pixels, 64, 7, 2)), 3, 2, 1);
  for (const [stage, blocks] of [3, 4, 6, 3].entries()) {
    const w = 64 * 2 ** stage;
    for (let b = 0; b < blocks; b++) {
      const stride = b === 0 && stage > 0 ? 2 : 1;
      const shortcut = b === 0 ? g.conv(x, 4 * w, 1, stride, { gain: 0.5 }) : x;
      let y = g.relu(g.conv(x, w, 1));
      y = g.relu(g.conv(y, w, 3, stride));
      // Small last conv per block (like a zero-initialised last BN) keeps random activations tame.
      y = g.conv(y, 4 * w, 1, 1, { gain: 0.2 });
      x = g.relu(g.add(shortcut, y));
    }
  }
  const backboneMacs = g.macs;

  // ---- Transformer.
  const feature = g.conv(x, D, 1);
  // [1, D, h, w] -> [1, h*w, D]
  let memory = g.transpose(g.reshape(feature, [0, D, -1]), [0, 2, 1]);
  const attention = (q: TensorRef, kv: TensorRef) => {
    const split = (t: TensorRef) => g.transpose(g.reshape(t, [0, -1, HEADS, D / HEADS]), [0, 2, 1, 3]);
    const qh = split(g.linear(q, D));
    const kh = g.transpose(g.reshape(g.linear(kv, D), [0, -1, HEADS, D / HEADS]), [0, 2, 3, 1]);
    const vh = split(g.linear(kv, D));
    const scale = g.constant([], [1 / Math.sqrt(D / HEADS)], 'scale');
    const attn = g.softmax(g.mul(g.matmul(qh, kh), scale), -1);
    const ctx = g.reshape(g.transpose(g.matmul(attn, vh), [0, 2, 1, 3]), [0, -1, D]);
    return g.linear(ctx, D);
  };
  const ffn = (t: TensorRef) => g.linear(g.relu(g.linear(t, FFN)), D);
  for (let i = 0; i < 6; i++) {
    memory = g.layerNorm(g.add(memory, attention(memory, memory)));
    memory = g.layerNorm(g.add(memory, ffn(memory)));
  }
  const queryPos = g.weight([1, QUERIES, D], 1, 'query_pos');
  let tgt: TensorRef = g.constant([1, QUERIES, D], new Float32Array(QUERIES * D), 'tgt');
  for (let i = 0; i < 6; i++) {
    const q = g.add(tgt, queryPos);
    tgt = g.layerNorm(g.add(tgt, attention(q, q)));
    tgt = g.layerNorm(g.add(tgt, attention(g.add(tgt, queryPos), memory)));
    tgt = g.layerNorm(g.add(tgt, ffn(tgt)));
  }
  tgt = g.layerNorm(tgt);

  // ---- Heads. The pixel mask is consumed (mean x 0) so the model declares it as DETR exports do.
  const mask = g.name('mask_f');
  const maskMean = g.name('mask_mean');
  const maskZero = g.name('mask_zero');
  const zero = g.constant([], [0], 'zero');
  g.nodes.push(
    node('Cast', ['pixel_mask'], [mask], { to: 1 }),
    node('ReduceMean', [mask], [maskMean], { axes: [1, 2], keepdims: 0 }),
    node('Mul', [maskMean, zero.name], [maskZero]),
  );
  const noObject = Float32Array.from({ length: numColumns }, (_, i) => (i === numColumns - 1 ? 4 : 0));
  const logits = g.add(g.linear(tgt, numColumns, { gain: 0.1, bias: noObject }), {
    name: maskZero,
    shape: [1],
  });
  const box = g.sigmoid(g.linear(g.relu(g.linear(g.relu(g.linear(tgt, D)), D)), 4, { gain: 0.1 }));
  g.output(logits, 'logits');
  g.output(box, 'pred_boxes');
  const bytes = g.encode({
    inputs: [
      valueInfo('pixel_values', ['batch', 3, 'height', 'width']),
      valueInfo('pixel_mask', ['batch', 'height', 'width'], 7),
    ],
    outputs: [
      valueInfo('logits', ['batch', QUERIES, numColumns]),
      valueInfo('pred_boxes', ['batch', QUERIES, 4]),
    ],
    opset: 17,
  });
  return { bytes, macs: g.macs, backboneMacs, parameters: g.parameters };
}
