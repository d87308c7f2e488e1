/**
 * The onnxruntime reference graphs of the core benchmark, written with onnx-proto (dev only). Each graph
 * does with onnxruntime's own CPU kernels what the core path does in JS, on the same shapes, so the bench
 * can report how far our hand-written loops are from the native floor.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const T = onnx.AttributeProto.AttributeType;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

type Attr = { name: string; type: number; i?: number; f?: number; s?: Uint8Array; ints?: number[] };

const int = (name: string, i: number): Attr => ({ name, type: T.INT, i });
const float = (name: string, f: number): Attr => ({ name, type: T.FLOAT, f });
const str = (name: string, s: string): Attr => ({ name, type: T.STRING, s: new TextEncoder().encode(s) });
const ints = (name: string, v: number[]): Attr => ({ name, type: T.INTS, ints: v });

function node(opType: string, input: string[], output: string[], attribute: Attr[] = []) {
  return { opType, input, output, attribute, name: `${opType}_${output[0]}` };
}

function io(name: string, dims: number[], elemType: number = FLOAT) {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } };
}

function scalar(name: string, value: number) {
  const f = Float32Array.of(value);
  return { name, dims: [], dataType: FLOAT, rawData: new Uint8Array(f.buffer) };
}

function int64Tensor(name: string, values: number[]) {
  return { name, dims: [values.length], dataType: INT64, int64Data: values };
}

function encode(
  nodes: ReturnType<typeof node>[],
  inputs: ReturnType<typeof io>[],
  outputs: ReturnType<typeof io>[],
  initializer: object[] = [],
): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'hoi-core-bench',
    opsetImport: [{ domain: '', version: 17 }],
    graph: { name: 'bench', node: nodes, input: inputs, output: outputs, initializer },
  });
  return onnx.ModelProto.encode(model).finish();
}

/**
 * RoiAlign (avg, coordinate_transformation_mode half_pixel = torchvision aligned=True; ONNX's
 * 'output_half_pixel' is the legacy no-shift mode, i.e. aligned=False) then ReduceMean over the bins: the per-box
 * feature of SAP. With `channelLast`, the graph takes the tokens as [1, H, W, C] and transposes them to
 * the NCHW layout RoiAlign needs, as a real caller holding encoder tokens would have to.
 */
export function roiAlignMeanGraph(o: {
  height: number;
  width: number;
  channels: number;
  boxes: number;
  outputSize: number;
  samplingRatio: number;
  channelLast: boolean;
}): Uint8Array {
  const { height: H, width: W, channels: C, boxes: K } = o;
  const nodes = [];
  let x = 'tokens';
  if (o.channelLast) {
    nodes.push(node('Transpose', ['tokens'], ['nchw'], [ints('perm', [0, 3, 1, 2])]));
    x = 'nchw';
  }
  nodes.push(
    node(
      'RoiAlign',
      [x, 'rois', 'batch_indices'],
      ['aligned'],
      [
        str('coordinate_transformation_mode', 'half_pixel'),
        str('mode', 'avg'),
        int('output_height', o.outputSize),
        int('output_width', o.outputSize),
        int('sampling_ratio', o.samplingRatio),
        float('spatial_scale', 1),
      ],
    ),
    node('ReduceMean', ['aligned'], ['pooled'], [ints('axes', [2, 3]), int('keepdims', 0)]),
  );
  return encode(
    nodes,
    [
      io('tokens', o.channelLast ? [1, H, W, C] : [1, C, H, W]),
      io('rois', [K, 4]),
      io('batch_indices', [K], INT64),
    ],
    [io('pooled', [K, C])],
  );
}

/** sigmoid(exp(s) * normalize(A) normalize(B)^T) for A [P, D], B [M, D]: full P x M matching. */
export function matchAllGraph(o: {
  pairs: number;
  candidates: number;
  dim: number;
  logitScale: number;
}): Uint8Array {
  return encode(
    [
      node('LpNormalization', ['pairs'], ['pn'], [int('axis', 1), int('p', 2)]),
      node('LpNormalization', ['cands'], ['cn'], [int('axis', 1), int('p', 2)]),
      node('Transpose', ['cn'], ['cnt'], [ints('perm', [1, 0])]),
      node('MatMul', ['pn', 'cnt'], ['dots']),
      node('Mul', ['dots', 'scale'], ['logits']),
      node('Sigmoid', ['logits'], ['scores']),
    ],
    [io('pairs', [o.pairs, o.dim]), io('cands', [o.candidates, o.dim])],
    [io('scores', [o.pairs, o.candidates])],
    [scalar('scale', Math.exp(o.logitScale))],
  );
}

/**
 * Per-pair matching: each pair against its own `perPair` candidate rows (Gather by an index matrix), as a
 * batched [P,1,D] x [P,D,perPair] MatMul.
 */
export function matchPerPairGraph(o: {
  pairs: number;
  candidates: number;
  perPair: number;
  dim: number;
  logitScale: number;
}): Uint8Array {
  return encode(
    [
      node('LpNormalization', ['pairs'], ['pn'], [int('axis', 1), int('p', 2)]),
      node('LpNormalization', ['cands'], ['cn'], [int('axis', 1), int('p', 2)]),
      node('Gather', ['cn', 'index'], ['sel'], [int('axis', 0)]),
      node('Transpose', ['sel'], ['selT'], [ints('perm', [0, 2, 1])]),
      node('Unsqueeze', ['pn', 'axis1'], ['p3']),
      node('MatMul', ['p3', 'selT'], ['dots']),
      node('Mul', ['dots', 'scale'], ['logits']),
      node('Sigmoid', ['logits'], ['scores']),
    ],
    [
      io('pairs', [o.pairs, o.dim]),
      io('cands', [o.candidates, o.dim]),
      io('index', [o.pairs, o.perPair], INT64),
    ],
    [io('scores', [o.pairs, 1, o.perPair])],
    [scalar('scale', Math.exp(o.logitScale)), int64Tensor('axis1', [1])],
  );
}
