/**
 * Builds random-weight ONNX graphs layer by layer while tracking every tensor's concrete shape, so
 * the multiply-accumulate count (MACs) of the model is known exactly: Conv and MatMul are counted
 * (output elements x reduction length, per group for Conv), element-wise ops, softmax, pooling and
 * normalisation are not (a few per cent at most, and the usual convention of the published counts).
 *
 * Conventions when quoting counts: Ultralytics' "GFLOPs" are 2 x MACs (YOLOv8s: 28.6 GFLOPs);
 * fvcore's (DETR's "86 GFLOPs") are MACs. Dev only: benchmark models, never shipped.
 */
import type onnxProto from 'onnx-proto';
import { encodeModel, node, randomNormal, tensor, type valueInfo } from './index.js';

/** A tensor of the graph being built: its name and its concrete shape for the size built for. */
export interface TensorRef {
  name: string;
  shape: number[];
}

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

export class GraphBuilder {
  readonly nodes: onnxProto.onnx.INodeProto[] = [];
  readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  /** Multiply-accumulates of the Conv and MatMul nodes added so far. */
  macs = 0;
  /** Number of weights (float parameters) added so far. */
  parameters = 0;
  private seed: number;
  private count = 0;

  constructor(seed = 1) {
    this.seed = seed;
  }

  /** A fresh tensor name with the given prefix. */
  name(prefix: string): string {
    this.count += 1;
    return `${prefix}_${this.count}`;
  }

  /** A random normal float initializer (deterministic: the builder's seed advances per tensor). */
  weight(shape: number[], std: number, prefix = 'w'): TensorRef {
    const name = this.name(prefix);
    this.initializers.push(tensor(name, shape, randomNormal(prod(shape), std, this.seed++)));
    this.parameters += prod(shape);
    return { name, shape };
  }

  /** A float initializer with given values. */
  constant(shape: number[], values: ArrayLike<number>, prefix = 'c'): TensorRef {
    const name = this.name(prefix);
    this.initializers.push(tensor(name, shape, values));
    return { name, shape };
  }

  /** An int64 initializer (shapes, axes, slice bounds). */
  int64(values: number[], prefix = 'i'): string {
    const name = this.name(prefix);
    this.initializers.push(tensor(name, [values.length], values, true));
    return name;
  }

  private op(
    opType: string,
    inputs: string[],
    shape: number[],
    attrs: Parameters<typeof node>[3] = {},
  ): TensorRef {
    const name = this.name(opType.toLowerCase());
    this.nodes.push(node(opType, inputs, [name], attrs));
    return { name, shape };
  }

  /**
   * Conv with a bias (a folded batch norm), square kernel, "same"-style padding `(k - 1) / 2`,
   * He-normal weights scaled by `gain`.
   */
  conv(
    x: TensorRef,
    cout: number,
    k: number,
    stride = 1,
    options: { gain?: number; bias?: number } = {},
  ): TensorRef {
    const [n, cin, h, w] = x.shape as [number, number, number, number];
    const p = Math.floor((k - 1) / 2);
    const oh = Math.floor((h + 2 * p - k) / stride) + 1;
    const ow = Math.floor((w + 2 * p - k) / stride) + 1;
    const wt = this.weight([cout, cin, k, k], (options.gain ?? 1) * Math.sqrt(2 / (cin * k * k)), 'conv_w');
    const b = this.constant([cout], new Float32Array(cout).fill(options.bias ?? 0), 'conv_b');
    this.parameters += cout;
    this.macs += n * cout * oh * ow * cin * k * k;
    return this.op('Conv', [x.name, wt.name, b.name], [n, cout, oh, ow], {
      kernel_shape: [k, k],
      strides: [stride, stride],
      pads: [p, p, p, p],
    });
  }

  relu(x: TensorRef): TensorRef {
    return this.op('Relu', [x.name], x.shape);
  }

  sigmoid(x: TensorRef): TensorRef {
    return this.op('Sigmoid', [x.name], x.shape);
  }

  /** SiLU as x * sigmoid(x) (opset 13 has no SiLU node; onnxruntime fuses the pair). */
  silu(x: TensorRef): TensorRef {
    return this.mul(x, this.sigmoid(x));
  }

  add(a: TensorRef, b: TensorRef): TensorRef {
    return this.op('Add', [a.name, b.name], broadcast(a.shape, b.shape));
  }

  mul(a: TensorRef, b: TensorRef): TensorRef {
    return this.op('Mul', [a.name, b.name], broadcast(a.shape, b.shape));
  }

  sub(a: TensorRef, b: TensorRef): TensorRef {
    return this.op('Sub', [a.name, b.name], broadcast(a.shape, b.shape));
  }

  maxPool(x: TensorRef, k: number, stride: number, pad: number): TensorRef {
    const [n, c, h, w] = x.shape as [number, number, number, number];
    const out = (s: number) => Math.floor((s + 2 * pad - k) / stride) + 1;
    return this.op('MaxPool', [x.name], [n, c, out(h), out(w)], {
      kernel_shape: [k, k],
      strides: [stride, stride],
      pads: [pad, pad, pad, pad],
    });
  }

  /** Nearest-neighbour 2x upsampling (opset >= 13 Resize). */
  upsample2(x: TensorRef): TensorRef {
    const [n, c, h, w] = x.shape as [number, number, number, number];
    const scales = this.constant([4], [1, 1, 2, 2], 'scales');
    return this.op('Resize', [x.name, '', scales.name], [n, c, 2 * h, 2 * w], { mode: 'nearest' });
  }

  concat(xs: TensorRef[], axis: number): TensorRef {
    const shape = [...xs[0]!.shape];
    const a = axis < 0 ? shape.length + axis : axis;
    shape[a] = xs.reduce((s, x) => s + x.shape[a]!, 0);
    return this.op(
      'Concat',
      xs.map((x) => x.name),
      shape,
      { axis },
    );
  }

  /** Slice `[start, end)` along `axis`. */
  slice(x: TensorRef, axis: number, start: number, end: number): TensorRef {
    const shape = [...x.shape];
    shape[axis] = end - start;
    return this.op('Slice', [x.name, this.int64([start]), this.int64([end]), this.int64([axis])], shape);
  }

  /**
   * Reshape to `target` (ONNX rules: 0 copies the input dimension, -1 is inferred), so graphs built
   * for one size still run at others when the target uses 0 / -1 for the varying dimensions.
   */
  reshape(x: TensorRef, target: number[]): TensorRef {
    const shape = target.map((d, i) => (d === 0 ? x.shape[i]! : d));
    const known = prod(shape.filter((d) => d !== -1));
    const resolved = shape.map((d) => (d === -1 ? prod(x.shape) / known : d));
    return this.op('Reshape', [x.name, this.int64(target)], resolved);
  }

  transpose(x: TensorRef, perm: number[]): TensorRef {
    return this.op(
      'Transpose',
      [x.name],
      perm.map((p) => x.shape[p]!),
      { perm },
    );
  }

  softmax(x: TensorRef, axis = -1): TensorRef {
    return this.op('Softmax', [x.name], x.shape, { axis });
  }

  /** Sum over `axes` (opset 13: axes as an input), dimensions kept. */
  reduceSum(x: TensorRef, axes: number[]): TensorRef {
    const shape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    return this.op('ReduceSum', [x.name, this.int64(axes)], shape, { keepdims: 1 });
  }

  /** Batched MatMul of two activations `[..., m, k] x [..., k, n]` (broadcast batch dims). */
  matmul(a: TensorRef, b: TensorRef): TensorRef {
    const m = a.shape.at(-2)!;
    const k = a.shape.at(-1)!;
    const n = b.shape.at(-1)!;
    if (b.shape.at(-2) !== k) throw new Error(`matmul: [${a.shape}] x [${b.shape}]`);
    const batch = broadcast(a.shape.slice(0, -2), b.shape.slice(0, -2));
    this.macs += prod(batch) * m * k * n;
    return this.op('MatMul', [a.name, b.name], [...batch, m, n]);
  }

  /** A fully connected layer on the last axis: x W + b, He/Xavier-like weights scaled by `gain`. */
  linear(x: TensorRef, out: number, options: { gain?: number; bias?: ArrayLike<number> } = {}): TensorRef {
    const k = x.shape.at(-1)!;
    const w = this.weight([k, out], (options.gain ?? 1) * Math.sqrt(1 / k), 'fc_w');
    const b = this.constant([out], options.bias ?? new Float32Array(out), 'fc_b');
    this.parameters += out;
    return this.add(this.matmul(x, w), b);
  }

  /** LayerNormalization over the last axis with unit scale and zero shift (needs opset >= 17). */
  layerNorm(x: TensorRef): TensorRef {
    const d = x.shape.at(-1)!;
    const scale = this.constant([d], new Float32Array(d).fill(1), 'ln_s');
    const bias = this.constant([d], new Float32Array(d), 'ln_b');
    this.parameters += 2 * d;
    return this.op('LayerNormalization', [x.name, scale.name, bias.name], x.shape, { axis: -1 });
  }

  /** Renames the tensor `x` to `name` (an Identity node), e.g. to give an output its export name. */
  output(x: TensorRef, name: string): TensorRef {
    this.nodes.push(node('Identity', [x.name], [name]));
    return { name, shape: x.shape };
  }

  /** Serialises the graph. */
  encode(spec: {
    inputs: ReturnType<typeof valueInfo>[];
    outputs: ReturnType<typeof valueInfo>[];
    metadata?: Record<string, string>;
    opset?: number;
  }): Uint8Array {
    return encodeModel({ nodes: this.nodes, initializers: this.initializers, ...spec });
  }
}

/** Numpy-style broadcast of two shapes. */
function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`cannot broadcast [${a}] and [${b}]`);
    out.push(x === 1 ? y : x);
  }
  return out;
}
