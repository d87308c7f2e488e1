import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Detector,
  type DetectResult,
  HoiError,
  type LoadedImage,
  loadImage,
  type RgbImage,
} from '@hoi/core';
import { checkDetectorConformance } from '@hoi/core/test';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCenterNetDetector } from './centernet-detector.js';
import { defaultModelPath } from './model-files.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const IMAGES = resolve(repoRoot, '../shared/images');
const KITE = join(IMAGES, 'kite.jpg');
const ASTRONAUT = join(IMAGES, 'astronaut.png');
const HOPPER = join(IMAGES, 'grace_hopper.jpg');
const havePhotos = [KITE, ASTRONAUT, HOPPER].every((f) => existsSync(f));

const count = (r: DetectResult, label: string) => r.instances.filter((d) => d.label === label).length;
const grey = (width: number, height: number): RgbImage => ({
  width,
  height,
  channels: 3,
  data: new Uint8Array(width * height * 3).fill(128),
});

let detector: Detector;
beforeAll(async () => {
  detector = await createCenterNetDetector();
});
afterAll(async () => {
  await detector?.dispose?.();
});

describe('createCenterNetDetector', () => {
  it('describes itself as the v1 centernet detector with the 80 COCO labels', () => {
    expect(detector.specificationVersion).toBe('v1');
    expect(detector.provider).toBe('centernet');
    expect(detector.modelId).toBe('mb3-centernet');
    expect(detector.labels).toHaveLength(80);
    expect(detector.labels[0]).toBe('person');
    expect(detector.labels[33]).toBe('kite');
    expect(detector.capabilities).toEqual({ openVocabulary: false, maxBatchSize: 1 });
  });

  it('runs on the wasm backend and reports stage timings', async () => {
    const r = await detector.doDetect(grey(300, 200));
    const meta = r.providerMetadata?.centernet as Record<string, unknown>;
    expect(meta.backend).toBe('wasm');
    expect(meta.resize).toBe('letterbox');
    expect(meta.inputSize).toEqual([512, 512]);
    expect(meta.rawDetections).toBe(100);
    expect(r.warnings).toEqual([]);
  });

  it('finds no person in a plain grey 300x200 image', async () => {
    const r = await detector.doDetect(grey(300, 200));
    expect(count(r, 'person')).toBe(0);
  });

  it.each([
    ['no labels', { labels: [] }],
    ['a bad scoreThreshold', { scoreThreshold: 2 }],
    ['a bad maxDetections', { maxDetections: -1 }],
    ['a bad resize', { providerOptions: { centernet: { resize: 'crop' } } }],
  ])('rejects %s with an InvalidArgumentError', async (_name, options) => {
    const error = await (async () => {
      if ('labels' in options) return createCenterNetDetector(options as never);
      return detector.doDetect(grey(30, 20), options as never);
    })().catch((e: unknown) => e);
    expect(HoiError.isInstance(error) && error.name).toBe('HoiInvalidArgumentError');
  });

  it('rejects an image whose data does not match its size', async () => {
    const bad = { width: 10, height: 10, channels: 3 as const, data: new Uint8Array(10) };
    const error = await detector.doDetect(bad).catch((e: unknown) => e);
    expect(HoiError.isInstance(error) && error.name).toBe('HoiInvalidArgumentError');
  });

  it('rejects a graph without tower_0/detections (MoveNet from the same package)', async () => {
    const movenet = join(dirname(defaultModelPath()), 'movenet-lightning.json');
    const error = await createCenterNetDetector({ modelPath: movenet }).catch((e: unknown) => e);
    expect(HoiError.isInstance(error) && error.name).toBe('HoiModelLoadError');
    expect((error as Error).message).toMatch(/input `input` is int32; float32 is needed/);
  });
});

describe('with damaged weights of the same layout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoi-centernet-bad-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const shippedJson = readFileSync(defaultModelPath(), 'utf8');
  const shippedBin = join(dirname(defaultModelPath()), 'centernet.bin');

  it('names tower_0/detections and both shapes when that output has another shape', async () => {
    // Swap the names of the heatmap output and the detections output: a real graph whose
    // `tower_0/detections` is now the [1, 128, 128, 80] heatmap.
    const swapped = shippedJson
      .replace(/tower_0\/keypoints(?=[":])/g, 'SWAP')
      .replace(/tower_0\/detections(?=[":])/g, 'tower_0/keypoints')
      .replace(/SWAP/g, 'tower_0/detections');
    writeFileSync(join(dir, 'swapped.json'), swapped);
    copyFileSync(shippedBin, join(dir, 'centernet.bin'));
    const bad = await createCenterNetDetector({ modelPath: join(dir, 'swapped.json') });
    try {
      const error = await bad.doDetect(grey(64, 48)).catch((e: unknown) => e);
      expect(HoiError.isInstance(error) && error.name).toBe('HoiUnexpectedModelOutputError');
      expect((error as Error).message).toContain('`tower_0/detections`');
      expect((error as Error).message).toContain('expected [1, N, 6], got [1, 128, 128, 80]');
    } finally {
      await bad.dispose?.();
    }
  });

  it('rejects NaN outputs (NaN weights) with an error naming the tensor', async () => {
    // Overwrite the float16 bias of the box-size head with NaN (0x7e00): the boxes become NaN.
    const json = JSON.parse(shippedJson);
    const bytes = new Uint8Array(readFileSync(shippedBin));
    let offset = 0;
    for (const w of json.weightsManifest[0].weights) {
      const size = (w.quantization ? 2 : 4) * w.shape.reduce((a: number, b: number) => a * b, 1);
      if (w.name === 'CenternetHead/centernet_wh_output/biases') {
        expect(w.quantization.dtype).toBe('float16');
        for (let i = 0; i < size; i += 2) bytes.set([0x00, 0x7e], offset + i);
      }
      offset += size;
    }
    expect(offset).toBe(bytes.length);
    writeFileSync(join(dir, 'nan.bin'), bytes);
    json.weightsManifest[0].paths = ['nan.bin'];
    writeFileSync(join(dir, 'nan.json'), JSON.stringify(json));
    const bad = await createCenterNetDetector({ modelPath: join(dir, 'nan.json') });
    try {
      const error = await bad.doDetect(grey(64, 48)).catch((e: unknown) => e);
      expect(HoiError.isInstance(error) && error.name).toBe('HoiUnexpectedModelOutputError');
      expect((error as Error).message).toMatch(/`tower_0\/detections`.*finite numbers.*NaN at row/);
    } finally {
      await bad.dispose?.();
    }
  });
});

describe.skipIf(!havePhotos)(
  `on real photos${havePhotos ? '' : ` (skipped: ${KITE}, ${ASTRONAUT} or ${HOPPER} not found)`}`,
  () => {
    let kite: LoadedImage;
    let astronaut: LoadedImage;
    let hopper: LoadedImage;
    beforeAll(async () => {
      [kite, astronaut, hopper] = await Promise.all([
        loadImage(KITE),
        loadImage(ASTRONAUT),
        loadImage(HOPPER),
      ]);
    });

    it('kite.jpg yields at least 5 persons and at least 3 kites', async () => {
      const r = await detector.doDetect(kite);
      expect(count(r, 'person')).toBeGreaterThanOrEqual(5);
      expect(count(r, 'kite')).toBeGreaterThanOrEqual(3);
    });

    it('astronaut.png yields exactly one person at the default threshold', async () => {
      const r = await detector.doDetect(astronaut);
      expect(count(r, 'person')).toBe(1);
      expect(r.instances[0]!.label).toBe('person');
      // The person fills most of the frame.
      const [x1, y1, x2, y2] = r.instances[0]!.box;
      expect((x2 - x1) * (y2 - y1)).toBeGreaterThan(0.3 * 512 * 512);
    });

    it.each([
      ['kite.jpg (landscape)', () => kite],
      ['grace_hopper.jpg (portrait)', () => hopper],
    ])('keeps every box inside the non-square image %s', async (_name, get) => {
      const image = get();
      expect(image.width).not.toBe(image.height);
      const r = await detector.doDetect(image, { scoreThreshold: 0.05 });
      expect(r.instances.length).toBeGreaterThan(0);
      for (const { box } of r.instances) {
        expect(box[0]).toBeGreaterThanOrEqual(0);
        expect(box[1]).toBeGreaterThanOrEqual(0);
        expect(box[2]).toBeLessThanOrEqual(image.width);
        expect(box[3]).toBeLessThanOrEqual(image.height);
        expect(box[2]).toBeGreaterThan(box[0]);
        expect(box[3]).toBeGreaterThan(box[1]);
      }
    });

    it('puts the person of grace_hopper.jpg where she is (source pixels, not model pixels)', async () => {
      const r = await detector.doDetect(hopper);
      const person = r.instances.find((d) => d.label === 'person')!;
      const [x1, y1, x2, y2] = person.box;
      // A portrait 512x600 photo; she spans the full width and the full height below the top.
      expect(x2 - x1).toBeGreaterThan(0.7 * hopper.width);
      expect(y2).toBeGreaterThan(0.9 * hopper.height);
      expect(y2 - y1).toBeGreaterThan(0.6 * hopper.height);
    });

    it('is deterministic: two runs give identical results', async () => {
      const a = await detector.doDetect(kite);
      const b = await detector.doDetect(kite);
      expect(JSON.stringify(b.instances)).toBe(JSON.stringify(a.instances));
    });

    it('restricts detection to the labels asked for and warns about unknown ones', async () => {
      const r = await detector.doDetect(kite, { labels: ['kite', 'unicorn'] });
      expect(r.instances.length).toBeGreaterThanOrEqual(3);
      expect(r.instances.every((d) => d.label === 'kite')).toBe(true);
      expect(r.warnings).toEqual([
        expect.objectContaining({ type: 'unsupported-setting', setting: 'labels' }),
      ]);
      expect(r.warnings[0]!.message).toContain('"unicorn"');
    });

    it('does not leak tensors over many images', async () => {
      await detector.doDetect(kite);
      const before = tf.memory().numTensors;
      const counts: number[] = [];
      for (let i = 0; i < 5; i++) {
        await detector.doDetect(i % 2 ? kite : astronaut);
        counts.push(tf.memory().numTensors);
      }
      expect(counts).toEqual([before, before, before, before, before]);
    });

    it('rejects with HoiAbortError when aborted before or during a call', async () => {
      const early = new AbortController();
      early.abort();
      const e1 = await detector.doDetect(kite, { signal: early.signal }).catch((e: unknown) => e);
      expect(HoiError.isInstance(e1) && e1.name).toBe('HoiAbortError');

      const late = new AbortController();
      const pending = detector.doDetect(kite, { signal: late.signal });
      late.abort(new Error('user cancelled'));
      const e2 = await pending.catch((e: unknown) => e);
      expect(HoiError.isInstance(e2) && e2.name).toBe('HoiAbortError');

      // An abort fired by a callback queued before the call is seen before inference starts.
      const queued = new AbortController();
      setImmediate(() => queued.abort());
      const e3 = await detector.doDetect(kite, { signal: queued.signal }).catch((e: unknown) => e);
      expect(HoiError.isInstance(e3) && e3.name).toBe('HoiAbortError');
      // An aborted call leaves no tensors behind.
      const after = tf.memory().numTensors;
      await detector.doDetect(astronaut);
      expect(tf.memory().numTensors).toBe(after);
    });

    it('passes the @hoi/core detector conformance kit', async () => {
      const report = await checkDetectorConformance(detector, { images: [kite, hopper] });
      const failed = report.checks.filter((c) => !c.ok);
      expect(failed).toEqual([]);
      expect(report.ok).toBe(true);
    });

    it('loads the same weights from an explicit modelPath, and dispose() frees them', async () => {
      const before = tf.memory().numTensors;
      const other = await createCenterNetDetector({ modelPath: defaultModelPath() });
      expect(other.modelId).toBe(defaultModelPath());
      expect(tf.memory().numTensors).toBeGreaterThan(before);
      const a = await detector.doDetect(astronaut);
      const b = await other.doDetect(astronaut);
      expect(b.instances).toEqual(a.instances);
      await other.dispose!();
      await other.dispose!(); // idempotent
      expect(tf.memory().numTensors).toBe(before);
      const error = await other.doDetect(astronaut).catch((e: unknown) => e);
      expect(HoiError.isInstance(error) && error.name).toBe('HoiModelLoadError');
    });
  },
);
