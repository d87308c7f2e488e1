import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelLoadError } from '../errors/hoi-error.js';
import { createSessionWithFallback, type OrtLike } from './execution-providers.js';

/** A one-node ONNX model (y = Relu(x), x: float[2]) built in memory with onnx-proto. */
function reluModel(): Uint8Array {
  const { onnx } = onnxProto;
  const tensor = (name: string) => ({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimValue: 2 }] } } },
  });
  return onnx.ModelProto.encode({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'hoi-core-test',
    graph: {
      name: 'relu',
      node: [{ opType: 'Relu', input: ['x'], output: ['y'] }],
      input: [tensor('x')],
      output: [tensor('y')],
    },
  }).finish();
}

const realOrt = ort as unknown as OrtLike<ort.InferenceSession>;
let dir: string;
let modelPath: string;
let invalidPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hoi-ep-test-'));
  modelPath = join(dir, 'relu.onnx');
  invalidPath = join(dir, 'broken.onnx');
  await writeFile(modelPath, reluModel());
  await writeFile(invalidPath, Buffer.from('this is not an onnx model'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(session: ort.InferenceSession): Promise<number[]> {
  const out = await session.run({ x: new ort.Tensor('float32', new Float32Array([-1, 2]), [2]) });
  return Array.from(out.y.data as Float32Array);
}

describe('createSessionWithFallback (real onnxruntime-node)', () => {
  it('runs a model on the CPU by default with no warnings', async () => {
    const result = await createSessionWithFallback(realOrt, modelPath);
    expect(result.executionProvider).toBe('cpu');
    expect(result.warnings).toEqual([]);
    expect(await run(result.session)).toEqual([0, 2]);
    await result.session.release();
  });

  it('falls back from CUDA to CPU with a warning on a machine without CUDA libraries', async () => {
    // onnxruntime-node from npm bundles no CUDA provider: `['cuda', 'cpu']` passed to onnxruntime
    // as one list throws "Failed to load shared library" instead of falling back.
    await expect(
      ort.InferenceSession.create(modelPath, { executionProviders: ['cuda', 'cpu'] }),
    ).rejects.toThrow();
    const result = await createSessionWithFallback(realOrt, reluModel(), {
      executionProviders: ['cuda', 'cpu'],
    });
    expect(result.executionProvider).toBe('cpu');
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ type: 'degraded', setting: 'executionProviders' });
    expect(result.warnings[0].message).toMatch(/^CUDA execution provider unavailable: .+; fell back to cpu$/);
    expect(await run(result.session)).toEqual([0, 2]);
    await result.session.release();
  });

  it('appends CPU, accepts provider objects and long names, and passes session options', async () => {
    const result = await createSessionWithFallback(realOrt, modelPath, {
      executionProviders: [{ name: 'CUDAExecutionProvider', deviceId: 0 }, 'no-such-provider'],
      sessionOptions: { graphOptimizationLevel: 'all', intraOpNumThreads: 1 },
    });
    expect(result.executionProvider).toBe('cpu');
    expect(result.warnings.map((w) => w.message.split(' execution provider')[0])).toEqual([
      'CUDA',
      'no-such-provider',
    ]);
    await result.session.release();
  });

  it('turns an invalid file into ModelLoadError with the path and the reason', async () => {
    const error = await createSessionWithFallback(realOrt, invalidPath, {
      executionProviders: ['cuda'],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as ModelLoadError).path).toBe(invalidPath);
    expect((error as Error).message).toMatch(/protobuf parsing failed/i);
    expect((error as Error).message).toContain('cuda:');
  });

  it.each([
    ['a missing file', () => join(dir, 'absent.onnx'), /absent\.onnx/],
    ['empty bytes', () => new Uint8Array(0), /0-byte/],
  ])('turns %s into ModelLoadError', async (_, model, pattern) => {
    const error = await createSessionWithFallback(realOrt, model()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatch(pattern);
  });
});

describe('createSessionWithFallback (order of attempts, real onnxruntime-node)', () => {
  it('tries the providers in the given order and warns for each one that failed', async () => {
    const result = await createSessionWithFallback(realOrt, modelPath, {
      executionProviders: ['tensorrt', 'cuda'],
    });
    expect(result.executionProvider).toBe('cpu');
    expect(result.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^TensorRT execution provider unavailable: .*TensorRT.*; fell back to cpu$/),
      expect.stringMatching(/^CUDA execution provider unavailable: .*Cuda.*; fell back to cpu$/),
    ]);
    await result.session.release();
  });

  it('tries CPU once, where it is listed, even when listed twice', async () => {
    const error = await createSessionWithFallback(realOrt, invalidPath, {
      executionProviders: ['cpu', 'CPU', 'cuda'],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    // CPU came first and failed, so nothing else was tried.
    expect((error as Error).message).not.toContain('also failed');
  });
});
