/**
 * Small helpers to write ONNX graphs in TypeScript with onnx-proto (dev only: fixtures and bench
 * models). Float tensors are stored as raw little-endian bytes.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export type Dim = number | string;

/** A float32 (or int64 when `int64` is set) initializer. */
export function tensor(
  name: string,
  dims: readonly number[],
  values: ArrayLike<number>,
  int64 = false,
): onnxProto.onnx.ITensorProto {
  if (int64) {
    return {
      name,
      dims: [...dims],
      dataType: onnx.TensorProto.DataType.INT64,
      int64Data: Array.from(values),
    };
  }
  // No copy for Float32Array values (bench models hold tens of millions of weights).
  const f = values instanceof Float32Array ? values : Float32Array.from(values);
  return {
    name,
    dims: [...dims],
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(f.buffer, f.byteOffset, f.byteLength),
  };
}

/** Declares a graph input or output. */
export function valueInfo(name: string, dims: readonly Dim[], elemType = onnx.TensorProto.DataType.FLOAT) {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

type AttrValue = number | number[] | string | onnxProto.onnx.ITensorProto;

/** One node; numeric attributes that are integers are written as INT(S), others as FLOAT(S). */
export function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  attrs: Record<string, AttrValue> = {},
  floatAttrs: readonly string[] = [],
): onnxProto.onnx.INodeProto {
  const T = onnx.AttributeProto.AttributeType;
  const attribute = Object.entries(attrs).map(([name, v]) => {
    if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
    if (Array.isArray(v)) {
      return floatAttrs.includes(name)
        ? { name, type: T.FLOATS, floats: v }
        : { name, type: T.INTS, ints: v };
    }
    if (typeof v === 'number') {
      return floatAttrs.includes(name) || !Number.isInteger(v)
        ? { name, type: T.FLOAT, f: v }
        : { name, type: T.INT, i: v };
    }
    return { name, type: T.TENSOR, t: v };
  });
  return { opType, input: inputs, output: outputs, attribute, name: `${opType}_${outputs[0]}` };
}

export interface ModelSpec {
  nodes: onnxProto.onnx.INodeProto[];
  initializers?: onnxProto.onnx.ITensorProto[];
  inputs: ReturnType<typeof valueInfo>[];
  outputs: ReturnType<typeof valueInfo>[];
  metadata?: Record<string, string>;
  opset?: number;
}

/** Serialises a model (IR 8, default opset 13). */
export function encodeModel(spec: ModelSpec): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'hoi-fixtures',
    opsetImport: [{ domain: '', version: spec.opset ?? 13 }],
    graph: {
      name: 'g',
      node: spec.nodes,
      initializer: spec.initializers ?? [],
      input: spec.inputs,
      output: spec.outputs,
    },
    metadataProps: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}

/**
 * Nodes that turn the image input into a zero of shape [batch, 1, 1] (ReduceMean x 0), so a constant
 * added to it comes out with the input's batch size while the graph still consumes the input.
 */
export function zeroFromInput(input: string, out: string): onnxProto.onnx.INodeProto[] {
  return [
    node('ReduceMean', [input], [`${out}_mean`], { axes: [2, 3], keepdims: 1 }),
    node('ReduceMean', [`${out}_mean`], [`${out}_mean2`], { axes: [1], keepdims: 0 }),
    node('Mul', [`${out}_mean2`, `${out}_zero_c`], [out]),
  ];
}

/** The scalar initializer that {@link zeroFromInput} multiplies by. */
export function zeroConstant(out: string): onnxProto.onnx.ITensorProto {
  return tensor(`${out}_zero_c`, [], [0]);
}

/** Deterministic normal random numbers (mulberry32 + Box-Muller) for random-weight bench models. */
export function randomNormal(count: number, std: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
  };
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const a = 2 * Math.PI * uniform();
    out[i] = r * Math.cos(a) * std;
    if (i + 1 < count) out[i + 1] = r * Math.sin(a) * std;
  }
  return out;
}

export { GraphBuilder, type TensorRef } from './graph-builder.js';
export { type StageTimes, timeDetectorStages } from './time-detector.js';
