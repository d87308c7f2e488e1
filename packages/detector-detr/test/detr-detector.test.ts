import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createModelCache, HoiError } from '@hoi/core';
import type { Detector, RgbImage } from '@hoi/core/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetrDetector } from '../src/index.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string) => join(FIXTURES, name);

function solidImage(width: number, height: number): RgbImage {
  return { width, height, channels: 3, data: new Uint8Array(width * height * 3).fill(90) };
}
const LANDSCAPE = solidImage(640, 427);
const PORTRAIT = solidImage(427, 640);

type Row = [label: string, score: number, box: number[]];
const softmaxScore = (logits: number[], k: number) =>
  Math.exp(logits[k]!) / logits.reduce((s, v) => s + Math.exp(v), 0);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function expectRows(actual: { label: string; score: number; box: number[] }[], expected: Row[]): void {
  expect(actual.map((d) => d.label)).toEqual(expected.map((r) => r[0]));
  actual.forEach((d, i) => {
    expect(d.score).toBeCloseTo(expected[i]![1], 6);
    // Normalised boxes are dyadic fractions, so source-pixel boxes are exact.
    expect(d.box).toEqual(expected[i]![2]);
  });
}

describe('DETR (softmax, no-object dropped, N/A ids skipped, pixel_mask fed)', () => {
  let detector: Detector;
  beforeAll(async () => {
    detector = await createDetrDetector({ model: fixture('detr-tiny') });
  });
  afterAll(() => detector.dispose?.());

  const q0 = softmaxScore([0, 4, 0, 0, 0], 1);
  const q1 = softmaxScore([0, 0, 5, 0, 1], 2);
  const q4 = softmaxScore([0, 0, 0, 1.2, 0.8], 3);
  const q5 = softmaxScore([0, 3, 0, 0, 0], 1);

  it('labels come from id2label, in core spelling, without N/A', () => {
    expect(detector.labels).toEqual(['person', 'cup', 'dining table']);
    expect(detector.provider).toBe('detr');
    expect(detector.capabilities).toEqual({ openVocabulary: false, maxBatchSize: 4 });
  });

  it('640x427: exact boxes in source pixels', async () => {
    const r = await detector.doDetect(LANDSCAPE);
    expectRows(r.instances, [
      ['cup', q1, [120, 293.5625, 200, 346.9375]],
      ['person', q0, [240, 106.75, 400, 320.25]],
      ['person', q5, [520, 160.125, 640, 266.875]],
    ]);
    // 640x427: shortest edge 427 -> 800 gives 1199 wide, under 1333.
    expect(r.providerMetadata?.detr).toMatchObject({
      inputWidth: 1199,
      inputHeight: 800,
      scoreActivation: 'softmax',
    });
  });

  it('427x640: exact boxes in source pixels; lower threshold adds q4', async () => {
    const r = await detector.doDetect(PORTRAIT, { scoreThreshold: 0.3 });
    expectRows(r.instances, [
      ['cup', q1, [80.0625, 440, 133.4375, 520]],
      ['person', q0, [160.125, 160, 266.875, 480]],
      ['person', q5, [346.9375, 240, 427, 400]],
      ['dining table', q4, [106.75, 80, 320.25, 240]],
    ]);
  });

  it('maxDetections, labels filter and an empty result', async () => {
    expect((await detector.doDetect(LANDSCAPE, { maxDetections: 1 })).instances.map((d) => d.label)).toEqual([
      'cup',
    ]);
    const people = await detector.doDetect(LANDSCAPE, { labels: ['person', 'dragon'] });
    expect(people.instances.map((d) => d.label)).toEqual(['person', 'person']);
    expect(people.warnings).toMatchObject([{ type: 'unsupported-setting', setting: 'labels' }]);
    expect((await detector.doDetect(LANDSCAPE, { scoreThreshold: 0.99 })).instances).toEqual([]);
  });

  it('batches different sizes (padded, with pixel_mask) like one by one', async () => {
    const batch = await detector.doDetectBatch!([LANDSCAPE, PORTRAIT]);
    const single = [await detector.doDetect(LANDSCAPE), await detector.doDetect(PORTRAIT)];
    expect(batch.map((r) => r.instances)).toEqual(single.map((r) => r.instances));
    expect(await detector.doDetectBatch!([])).toEqual([]);
  });

  it('an aborted signal rejects with HoiAbortError', async () => {
    const c = new AbortController();
    c.abort();
    await expect(detector.doDetect(LANDSCAPE, { signal: c.signal })).rejects.toMatchObject({
      name: 'HoiAbortError',
    });
  });
});

// Sigmoid families share the fixture values: expected detections at threshold 0.5.
const SIGMOID_LANDSCAPE: Row[] = [
  ['laptop', sigmoid(3), [400, 213.5, 560, 427]],
  ['person', sigmoid(2), [160, 106.75, 480, 320.25]],
  ['person', sigmoid(1), [80, 53.375, 240, 160.125]],
  ['cup', sigmoid(0.5), [80, 53.375, 240, 160.125]],
];
const SIGMOID_PORTRAIT: Row[] = [
  ['laptop', sigmoid(3), [266.875, 320, 373.625, 640]],
  ['person', sigmoid(2), [106.75, 160, 320.25, 480]],
  ['person', sigmoid(1), [53.375, 80, 160.125, 240]],
  ['cup', sigmoid(0.5), [53.375, 80, 160.125, 240]],
];

describe.each([
  { name: 'Deformable DETR folder', model: 'deformable-tiny', size: [1199, 800] },
  { name: 'RT-DETR folder (fixed 640x640, no normalisation)', model: 'rt-detr-tiny', size: [640, 640] },
  {
    name: 'D-FINE-style single [1, Q, 4 + C] output',
    model: 'combined-boxes-logits.onnx',
    classNames: ['person', 'cup', 'laptop'],
    size: [1199, 800],
  },
  {
    name: 'separate boxes + scores outputs',
    model: 'separate-boxes-scores.onnx',
    classNames: ['person', 'cup', 'laptop'],
    size: [1199, 800],
  },
])('$name (sigmoid, top-k over query x class)', ({ model, classNames, size }) => {
  let detector: Detector;
  beforeAll(async () => {
    detector = await createDetrDetector({ model: fixture(model), classNames });
  });
  afterAll(() => detector.dispose?.());

  it('640x427 and 427x640: exact boxes, one query may give two labels', async () => {
    const a = await detector.doDetect(LANDSCAPE);
    expectRows(a.instances, SIGMOID_LANDSCAPE);
    expect(a.providerMetadata?.detr).toMatchObject({
      scoreActivation: 'sigmoid',
      inputWidth: size[0],
      inputHeight: size[1],
    });
    expectRows((await detector.doDetect(PORTRAIT)).instances, SIGMOID_PORTRAIT);
    expect(detector.labels).toEqual(['person', 'cup', 'laptop']);
  });

  it('threshold and maxDetections', async () => {
    const r = await detector.doDetect(LANDSCAPE, { scoreThreshold: 0.35, maxDetections: 5 });
    expect(r.instances.map((d) => d.data?.queryIndex)).toEqual([3, 0, 1, 1, 2]);
    expect((await detector.doDetect(LANDSCAPE, { maxDetections: 2 })).instances).toHaveLength(2);
  });
});

describe('options', () => {
  it('topK keeps only the best (query, class) pairs', async () => {
    const d = await createDetrDetector({ model: fixture('deformable-tiny'), topK: 2 });
    const r = await d.doDetect(LANDSCAPE, { scoreThreshold: 0 });
    await d.dispose?.();
    expect(r.instances.map((x) => x.label)).toEqual(['laptop', 'person']);
  });

  it('a fixed resize rule is honoured', async () => {
    const d = await createDetrDetector({
      model: fixture('detr-tiny'),
      resize: { shortestEdge: 400, longestEdge: 500 },
    });
    const r = await d.doDetect(LANDSCAPE);
    await d.dispose?.();
    // 640x427: 400 / 427 * 640 = 599.5 > 500, so the longest edge becomes 500: raw 333.59 -> 334.
    expect(r.providerMetadata?.detr).toMatchObject({ inputWidth: 500, inputHeight: 334 });
  });

  it('a COCO 91-id head without config maps ids to COCO names (N/A gaps) and warns about softmax', async () => {
    const warnings: string[] = [];
    const d = await createDetrDetector({
      model: fixture('detr-random-coco.onnx'),
      onWarning: (m) => warnings.push(m),
    });
    await d.dispose?.();
    expect(d.labels).toHaveLength(80);
    expect(d.labels[0]).toBe('person');
    expect(d.labels[79]).toBe('toothbrush');
    expect(warnings.join('\n')).toMatch(/no object/);
  });

  it('falls back to CPU with a warning', async () => {
    const warnings: string[] = [];
    const d = await createDetrDetector({
      model: fixture('rt-detr-tiny'),
      executionProviders: ['tensorrt', 'cuda'],
      onWarning: (m) => warnings.push(m),
    });
    const r = await d.doDetect(LANDSCAPE);
    await d.dispose?.();
    expect(r.providerMetadata?.detr?.executionProvider).toBe('cpu');
    expect(warnings).toHaveLength(2);
    await expect(d.doDetect(LANDSCAPE)).rejects.toMatchObject({ name: 'HoiInvalidArgumentError' });
  });

  it('a Hugging Face id resolves through the model cache (offline, pre-filled)', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'hoi-detr-cache-'));
    try {
      const modelCache = createModelCache({ cacheDir, offline: true });
      const missing = await createDetrDetector({ model: 'hoi-test/detr-tiny', modelCache }).catch(
        (e: unknown) => e,
      );
      expect(missing).toMatchObject({
        name: 'HoiModelLoadError',
        message: expect.stringMatching(/offline mode/),
      });
      cpSync(fixture('detr-tiny'), join(cacheDir, 'models', 'hoi-test--detr-tiny', 'main'), {
        recursive: true,
      });
      const d = await createDetrDetector({ model: 'hoi-test/detr-tiny', modelCache });
      expect(d.labels).toEqual(['person', 'cup', 'dining table']);
      expect((await d.doDetect(LANDSCAPE)).instances).toHaveLength(3);
      await d.dispose?.();
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('bad model files', () => {
  it.each([
    { file: 'not-onnx.onnx', name: 'HoiModelLoadError', pattern: /onnxruntime could not create a session/ },
    { file: 'missing-folder', name: 'HoiModelLoadError', pattern: /no such file or folder/ },
    {
      file: 'bad-input-rank.onnx',
      name: 'HoiModelLoadError',
      pattern: /input `pixel_values` must have shape \[batch, 3, height, width\], got \[1, 3, 640\]/,
    },
    {
      file: 'bad-boxes-shape.onnx',
      name: 'HoiUnexpectedModelOutputError',
      pattern: /`pred_boxes`.*expected \[batch, queries, 4\].*got \[batch, 4, 3\]/,
    },
  ])('$file gives $name', async ({ file, name, pattern }) => {
    const error = await createDetrDetector({ model: fixture(file), classNames: ['a', 'b', 'c'] }).catch(
      (e: unknown) => e,
    );
    expect(HoiError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ name });
    expect((error as Error).message).toMatch(pattern);
  });

  it('NaN logits fail at detection naming the tensor', async () => {
    const d = await createDetrDetector({ model: fixture('nan-logits.onnx'), classNames: ['a', 'b', 'c'] });
    const error = await d.doDetect(LANDSCAPE).catch((e: unknown) => e);
    await d.dispose?.();
    expect(error).toMatchObject({ name: 'HoiUnexpectedModelOutputError', tensor: 'logits' });
    expect((error as Error).message).toMatch(/NaN at flat index 7/);
  });

  it('class names that do not match the logits are refused', async () => {
    await expect(
      createDetrDetector({ model: fixture('deformable-tiny'), classNames: ['a', 'b'] }),
    ).rejects.toMatchObject({
      name: 'HoiModelLoadError',
      message: expect.stringMatching(/3 classes but 2 class names/),
    });
  });
});
