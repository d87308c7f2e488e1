import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COCO_80_LABELS, HoiError } from '@hoi/core';
import type { Detector, RgbImage } from '@hoi/core/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createYoloDetector } from '../src/index.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string) => join(FIXTURES, name);

function solidImage(width: number, height: number, rgb: [number, number, number] = [10, 200, 30]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) data.set(rgb, i);
  return { width, height, channels: 3, data };
}

const LANDSCAPE = solidImage(640, 427);
const PORTRAIT = solidImage(427, 640);

type Row = [label: string, score: number, box: [number, number, number, number]];

function summarize(instances: { label: string; score: number; box: number[] }[]): Row[] {
  return instances.map((d) => [d.label, d.score, d.box as [number, number, number, number]]);
}

function expectRows(actual: Row[], expected: Row[]): void {
  expect(actual.map((r) => r[0])).toEqual(expected.map((r) => r[0]));
  actual.forEach((row, i) => {
    expect(row[1]).toBeCloseTo(expected[i]![1], 6);
    // Boxes are exact: integer head values, scale 1 and integer padding.
    expect(row[2]).toEqual(expected[i]![2]);
  });
}

// Expected detections, worked out by hand from the head rows in scripts/make-fixtures.ts.
// 640x427 into 640x640: scale 1, pad top 106. 427x640: scale 1, pad left 106.
const cases: {
  name: string;
  file: string;
  classNames?: string[];
  layout: string;
  landscape: Row[];
  portrait: Row[];
}[] = [
  {
    name: 'YOLOv8/11 channels-first head [1, 84, 100]',
    file: 'yolov8-dynamic.onnx',
    layout: 'channels-first',
    landscape: [
      ['person', 0.9, [60, 14, 140, 174]],
      ['dog', 0.85, [64, 18, 144, 178]],
      ['kite', 0.6, [470, 174, 530, 214]],
      ['kite', 0.6, [250, 384, 350, 427]],
      ['person', 0.25, [310, 204, 330, 224]],
    ],
    portrait: [
      ['person', 0.9, [0, 120, 34, 280]],
      ['dog', 0.85, [0, 124, 38, 284]],
      ['kite', 0.6, [364, 280, 424, 320]],
      ['kite', 0.6, [144, 490, 244, 550]],
      ['person', 0.25, [204, 310, 224, 330]],
    ],
  },
  {
    name: 'YOLOv5 objectness head [1, 12, 8]',
    file: 'yolov5-static.onnx',
    layout: 'objectness',
    landscape: [
      ['dining table', 0.6, [460, 264, 540, 324]],
      ['cup', 0.5, [465, 266, 545, 326]],
      ['person', 0.45, [270, 114, 370, 314]],
    ],
    portrait: [
      ['dining table', 0.6, [354, 370, 427, 430]],
      ['cup', 0.5, [359, 372, 427, 432]],
      ['person', 0.45, [164, 220, 264, 420]],
    ],
  },
  {
    name: 'NMS built in [1, 10, 6]',
    file: 'yolo-nms-static.onnx',
    layout: 'nms',
    landscape: [
      ['person', 0.95, [100, 44, 300, 294]],
      ['cup', 0.7, [310, 94, 420, 224]],
      ['chair', 0.5, [0, 0, 640, 34]],
    ],
    portrait: [
      ['person', 0.95, [0, 150, 194, 400]],
      ['cup', 0.7, [204, 200, 314, 330]],
      ['chair', 0.5, [0, 100, 427, 140]],
    ],
  },
  {
    name: 'YOLO-World style head [1, 7, 20], names from options',
    file: 'yolo-world-static.onnx',
    classNames: ['person', 'skateboard', 'helmet'],
    layout: 'channels-first',
    landscape: [
      ['person', 0.7, [220, 14, 420, 414]],
      ['skateboard', 0.55, [270, 374, 390, 414]],
      ['helmet', 0.4, [290, 19, 350, 69]],
    ],
    portrait: [
      ['person', 0.7, [114, 120, 314, 520]],
      ['skateboard', 0.55, [164, 480, 284, 520]],
      ['helmet', 0.4, [184, 125, 244, 175]],
    ],
  },
];

cases.push({
  ...cases[3]!,
  name: 'Transposed v8 head [1, 20, 7] (anchors first), names from metadata',
  file: 'yolo-anchors-first-static.onnx',
  classNames: undefined,
  layout: 'anchors-first',
});

describe.each(cases)('$name', (c) => {
  let detector: Detector;
  const warnings: string[] = [];
  beforeAll(async () => {
    detector = await createYoloDetector({
      model: fixture(c.file),
      classNames: c.classNames,
      onWarning: (m) => warnings.push(m),
    });
  });
  afterAll(() => detector.dispose?.());

  it('decodes exactly in source pixels on a 640x427 image', async () => {
    const result = await detector.doDetect(LANDSCAPE);
    expect(result.providerMetadata?.yolo?.headLayout).toBe(c.layout);
    expectRows(summarize(result.instances), c.landscape);
    expect(warnings).toEqual([]);
  });

  it('decodes exactly in source pixels on a 427x640 image', async () => {
    const result = await detector.doDetect(PORTRAIT);
    expectRows(summarize(result.instances), c.portrait);
  });

  it('honours maxDetections and a higher threshold', async () => {
    const top1 = await detector.doDetect(LANDSCAPE, { maxDetections: 1 });
    expectRows(summarize(top1.instances), c.landscape.slice(0, 1));
    const high = await detector.doDetect(LANDSCAPE, { scoreThreshold: 0.55 });
    expectRows(
      summarize(high.instances),
      c.landscape.filter((r) => r[1] >= 0.55),
    );
    const none = await detector.doDetect(LANDSCAPE, { scoreThreshold: 0.99 });
    expect(none.instances).toEqual([]);
  });
});

describe('YOLOv8 dynamic export', () => {
  let detector: Detector;
  beforeAll(async () => {
    detector = await createYoloDetector({ model: fixture('yolov8-dynamic.onnx') });
  });
  afterAll(() => detector.dispose?.());

  it('reads the COCO names from metadata and allows batches', () => {
    expect(detector.labels).toEqual(COCO_80_LABELS);
    expect(detector.provider).toBe('yolo');
    expect(detector.specificationVersion).toBe('v1');
    expect(detector.capabilities).toEqual({ openVocabulary: false, maxBatchSize: 8 });
    expect(typeof detector.doDetectBatch).toBe('function');
  });

  it('batches two non-square images with the same result as one by one', async () => {
    const batch = await detector.doDetectBatch!([LANDSCAPE, PORTRAIT]);
    const single = [await detector.doDetect(LANDSCAPE), await detector.doDetect(PORTRAIT)];
    expect(batch.map((r) => r.instances)).toEqual(single.map((r) => r.instances));
    expect(await detector.doDetectBatch!([])).toEqual([]);
  });

  it('class-wise NMS keeps overlapping boxes of other classes and drops lower ones of the same class', async () => {
    const r = await detector.doDetect(LANDSCAPE, { scoreThreshold: 0.1 });
    // A1 (person 0.8) is suppressed by A0; A5 (cup 0.2) appears at the lower threshold.
    expect(r.instances.map((d) => [d.label, d.data?.classIndex])).toEqual([
      ['person', 0],
      ['dog', 16],
      ['kite', 33],
      ['kite', 33],
      ['person', 0],
      ['cup', 41],
    ]);
  });

  it('restricts to the requested labels and warns for unknown ones', async () => {
    const r = await detector.doDetect(LANDSCAPE, { labels: ['kite', 'unicorn'] });
    expect(r.instances.map((d) => d.label)).toEqual(['kite', 'kite']);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ type: 'unsupported-setting', setting: 'labels' });
  });

  it('letterboxes to the requested inputSize (320) and maps back', async () => {
    const small = await createYoloDetector({ model: fixture('yolov8-dynamic.onnx'), inputSize: 320 });
    const r = await small.doDetect(LANDSCAPE);
    await small.dispose?.();
    // 640x427 into 320x320: resized 320x214 (213.5 rounds up), pad top 53; x scale 0.5, y scale 214/427.
    const sy = 214 / 427;
    const a0 = r.instances[0]!;
    expect(r.providerMetadata?.yolo).toMatchObject({ inputWidth: 320, inputHeight: 320 });
    expect(a0.box[0]).toBeCloseTo(60 / 0.5, 6);
    expect(a0.box[1]).toBeCloseTo((120 - 53) / sy, 6);
    expect(a0.box[2]).toBeCloseTo(140 / 0.5, 6);
    expect(a0.box[3]).toBe(427); // (280 - 53) / sy = 452.9, clipped
  });

  it('rejects with an AbortError before and honours a signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('user stop'));
    await expect(detector.doDetect(LANDSCAPE, { signal: controller.signal })).rejects.toMatchObject({
      name: 'HoiAbortError',
    });
  });

  it('an abort during preprocessing rejects before inference', async () => {
    const controller = new AbortController();
    const pending = detector.doDetect(solidImage(1280, 720), { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'HoiAbortError' });
  });

  it('rejects a bad inputSize', async () => {
    await expect(
      createYoloDetector({ model: fixture('yolov8-dynamic.onnx'), inputSize: 0 }),
    ).rejects.toMatchObject({
      name: 'HoiInvalidArgumentError',
    });
  });

  it('loads from a folder holding the export', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoi-yolo-'));
    try {
      copyFileSync(fixture('yolov8-dynamic.onnx'), join(dir, 'yolo11n.onnx'));
      const d = await createYoloDetector({ model: dir });
      expect((await d.doDetect(LANDSCAPE)).instances).toHaveLength(5);
      await d.dispose?.();
      await expect(d.doDetect(LANDSCAPE)).rejects.toMatchObject({ name: 'HoiInvalidArgumentError' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('falls back to CPU with a warning when a provider is unavailable', async () => {
    const warnings: string[] = [];
    const d = await createYoloDetector({
      model: fixture('yolo-nms-static.onnx'),
      executionProviders: ['cuda', 'cpu'],
      onWarning: (m) => warnings.push(m),
    });
    const r = await d.doDetect(LANDSCAPE);
    await d.dispose?.();
    expect(r.providerMetadata?.yolo?.executionProvider).toBe('cpu');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/CUDA execution provider unavailable: .*; fell back to cpu/);
  });
});

describe('fixed batch of 2', () => {
  it('pads a short batch and splits a long one, with the same results as one by one', async () => {
    const d = await createYoloDetector({ model: fixture('yolov8-batch2-static.onnx') });
    const single = await createYoloDetector({ model: fixture('yolov8-dynamic.onnx') });
    try {
      expect(d.capabilities.maxBatchSize).toBe(2);
      const images = [LANDSCAPE, PORTRAIT, LANDSCAPE];
      const batch = await d.doDetectBatch!(images);
      const expected = await Promise.all(images.map((im) => single.doDetect(im)));
      expect(batch.map((r) => r.instances)).toEqual(expected.map((r) => r.instances));
      expect((await d.doDetect(PORTRAIT)).instances).toEqual(expected[1]!.instances);
    } finally {
      await d.dispose?.();
      await single.dispose?.();
    }
  });
});

describe('labels', () => {
  it('names unnamed classes "class i" and warns', async () => {
    const warnings: string[] = [];
    const d = await createYoloDetector({
      model: fixture('yolo-world-static.onnx'),
      onWarning: (m) => warnings.push(m),
    });
    expect(d.labels).toEqual(['class 0', 'class 1', 'class 2']);
    const r = await d.doDetect(LANDSCAPE);
    await d.dispose?.();
    expect(warnings[0]).toMatch(/classNames/);
    expect(r.warnings[0]?.type).toBe('degraded');
  });

  it('refuses class names that do not match the head', async () => {
    await expect(
      createYoloDetector({ model: fixture('yolo-world-static.onnx'), classNames: ['a', 'b'] }),
    ).rejects.toMatchObject({ name: 'HoiModelLoadError', message: expect.stringMatching(/3 classes but 2/) });
  });
});

describe('bad model files', () => {
  const bad: { file: string; name: string; pattern: RegExp }[] = [
    { file: 'not-onnx.onnx', name: 'HoiModelLoadError', pattern: /not an ONNX model/ },
    { file: 'missing.onnx', name: 'HoiModelLoadError', pattern: /no such file/ },
    {
      file: 'bad-input-rank.onnx',
      name: 'HoiModelLoadError',
      pattern: /input `images` must have shape \[batch, 3, height, width\], got \[1, 3, 640\]/,
    },
    {
      file: 'bad-output-rank.onnx',
      name: 'HoiUnexpectedModelOutputError',
      pattern: /`output0`.*got \[1, 3\]/,
    },
    {
      file: 'bad-output-channels.onnx',
      name: 'HoiUnexpectedModelOutputError',
      pattern: /`output0`.*expected \[batch, 4 \+ classes, anchors\].*got \[1, 3, 50\]/,
    },
  ];
  it.each(bad)('$file gives $name', async ({ file, name, pattern }) => {
    const error = await createYoloDetector({ model: fixture(file) }).catch((e: unknown) => e);
    expect(HoiError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ name });
    expect((error as Error).message).toMatch(pattern);
  });

  it('a head holding NaN fails at detection with the tensor named', async () => {
    const d = await createYoloDetector({ model: fixture('nan-output.onnx'), classNames: ['a', 'b', 'c'] });
    const error = await d.doDetect(LANDSCAPE).catch((e: unknown) => e);
    await d.dispose?.();
    expect(error).toMatchObject({ name: 'HoiUnexpectedModelOutputError', tensor: 'output0' });
    expect((error as Error).message).toMatch(/expected finite numbers, got NaN at flat index 85/);
  });

  it('rejects an empty model option', async () => {
    await expect(createYoloDetector({ model: '' })).rejects.toMatchObject({
      name: 'HoiInvalidArgumentError',
    });
  });
});

describe('Hugging Face ids', () => {
  it('resolve through the model cache (offline: refused until the cache holds the file)', async () => {
    const { createModelCache } = await import('@hoi/core');
    const { mkdirSync } = await import('node:fs');
    const cacheDir = mkdtempSync(join(tmpdir(), 'hoi-yolo-cache-'));
    try {
      const modelCache = createModelCache({ cacheDir, offline: true });
      const options = { model: 'hoi-test/yolo11n', modelFileName: 'yolo11n.onnx', modelCache };
      await expect(createYoloDetector(options)).rejects.toMatchObject({
        name: 'HoiModelLoadError',
        message: expect.stringMatching(/offline mode/),
      });
      const folder = join(cacheDir, 'models', 'hoi-test--yolo11n', 'main');
      mkdirSync(folder, { recursive: true });
      copyFileSync(fixture('yolov8-dynamic.onnx'), join(folder, 'yolo11n.onnx'));
      const d = await createYoloDetector(options);
      expect(d.modelId).toContain('yolo11n');
      await d.dispose?.();
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
