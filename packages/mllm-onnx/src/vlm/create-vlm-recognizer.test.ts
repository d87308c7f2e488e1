import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HoiError, type InteractionCandidate, type RecognizeOptions } from '@hoi/core';
import { AutoProcessor, RawImage } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededImage } from '../../bench/bench-utils.js';
import { type QwenFamily, writeQwenVlFixture } from '../../scripts/qwen-vl-fixture.js';
import { writeSmolVlmFixture } from '../../scripts/smolvlm-fixture.js';
import { createVlmRecognizer } from './create-vlm-recognizer.js';

const root = mkdtempSync(join(tmpdir(), 'hoi-vlm-'));
const dirs: Record<QwenFamily | 'idefics3', string> = {
  qwen2_5_vl: join(root, 'qwen2_5_vl'),
  qwen2_vl: join(root, 'qwen2_vl'),
  qwen3_vl: join(root, 'qwen3_vl'),
  idefics3: join(root, 'smolvlm'),
};
beforeAll(() => {
  for (const [family, dir] of Object.entries(dirs)) {
    if (family === 'idefics3') writeSmolVlmFixture(dir);
    else writeQwenVlFixture(dir, { family: family as QwenFamily });
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const image = seededImage(200, 150, 3); // non-square: smart_resize -> 112 x 84, 4 x 3 merged tokens
const instances = [
  { box: [10, 10, 90, 140] as [number, number, number, number], label: 'person', score: 0.9 },
  { box: [80, 60, 190, 120] as [number, number, number, number], label: 'bicycle', score: 0.8 },
  { box: [120, 5, 160, 40] as [number, number, number, number], label: 'cup', score: 0.7 },
];
const candidates: InteractionCandidate[] = [
  { verb: 'ride', object: 'bicycle', phrase: 'riding a bicycle' },
  { verb: 'hold', object: 'bicycle', phrase: 'holding a bicycle' },
  { verb: 'sit_on', object: 'bicycle', phrase: 'sitting on a bicycle with a long name' },
  { verb: 'hold', object: 'cup', phrase: 'holding a cup' },
  { verb: 'drink_with', object: 'cup', phrase: 'drinking with a cup' },
];
const request: RecognizeOptions = {
  image,
  instances,
  candidates,
  pairs: [
    { subject: 0, object: 1, candidates: [0, 1, 2, 1] }, // a repeated candidate: a tie by construction
    { subject: 0, object: 2, candidates: [3, 4] },
  ],
};

describe.each(['qwen2_5_vl', 'qwen2_vl', 'qwen3_vl', 'idefics3'] as const)(
  'createVlmRecognizer (%s tiny random model)',
  (family) => {
    it.each(['likelihood', 'yes-no'] as const)(
      '%s: shared-prefix batch equals naive per-candidate scoring to 1e-4',
      async (mode) => {
        const shared = await createVlmRecognizer({ model: dirs[family], mode, maxBatch: 3 });
        const naive = await createVlmRecognizer({ model: dirs[family], mode, scoring: 'naive' });
        const a = await shared.doRecognize(request);
        const b = await naive.doRecognize(request);
        expect(a.pairs.map((p) => p.scores.length)).toEqual([4, 2]);
        for (let p = 0; p < 2; p++) {
          for (let k = 0; k < a.pairs[p]!.logProbs!.length; k++) {
            expect(Math.abs(a.pairs[p]!.logProbs![k]! - b.pairs[p]!.logProbs![k]!)).toBeLessThan(1e-4);
            expect(a.pairs[p]!.scores[k]!).toBeGreaterThanOrEqual(0);
            expect(a.pairs[p]!.scores[k]!).toBeLessThanOrEqual(1);
          }
        }
        expect(a.pairs[0]!.logProbs![1]).toBe(a.pairs[0]!.logProbs![3]); // tie
        // Scores differ between candidates (the model is not constant).
        expect(new Set(a.pairs[0]!.logProbs!.slice(0, 3)).size).toBe(3);
        await shared.dispose?.();
        await naive.dispose?.();
      },
    );
  },
);

describe('createVlmRecognizer behaviour', () => {
  it('is bit-identical across runs and independent of the batch size up to rounding', async () => {
    const rec = await createVlmRecognizer({ model: dirs.qwen2_5_vl });
    const one = await createVlmRecognizer({ model: dirs.qwen2_5_vl, maxBatch: 1 });
    const a = await rec.doRecognize(request);
    const b = await rec.doRecognize(request);
    expect(b.pairs).toEqual(a.pairs);
    const c = await one.doRecognize(request);
    for (const [i, p] of c.pairs.entries()) {
      for (const [k, l] of p.logProbs!.entries())
        expect(Math.abs(l - a.pairs[i]!.logProbs![k]!)).toBeLessThan(1e-4);
    }
  });

  it.each(['likelihood', 'yes-no'] as const)(
    '%s: image prefix once per image, then one question pass and one candidate batch per pair',
    async (mode) => {
      const rec = await createVlmRecognizer({ model: dirs.qwen2_5_vl, mode });
      const before = rec.model.stats.decoderCalls;
      await rec.doRecognize(request); // 2 pairs
      expect(rec.model.stats.decoderCalls - before).toBe(1 + 2 * 2);
    },
  );

  it('single-token candidates need no candidate batch (the last token is never fed) and equal naive', async () => {
    const shared = await createVlmRecognizer({ model: dirs.qwen2_5_vl });
    const naive = await createVlmRecognizer({ model: dirs.qwen2_5_vl, scoring: 'naive' });
    const words = ['riding', 'holding', 'cup', 'bicycle'];
    expect(words.map((w) => shared.model.encode(` ${w}`).length)).toEqual([1, 1, 1, 1]);
    const req: RecognizeOptions = {
      ...request,
      candidates: words.map((w) => ({ verb: w, object: 'bicycle', phrase: w })),
      pairs: [{ subject: 0, object: 1, candidates: [0, 1, 2, 3, 1] }],
    };
    const before = shared.model.stats.decoderCalls;
    const a = await shared.doRecognize(req);
    expect(shared.model.stats.decoderCalls - before).toBe(2); // image prefix + question, no batch
    const b = await naive.doRecognize(req);
    for (const [k, l] of a.pairs[0]!.logProbs!.entries()) {
      expect(Math.abs(l - b.pairs[0]!.logProbs![k]!)).toBeLessThan(1e-4);
      expect(l).toBeLessThan(0);
    }
    expect(new Set(a.pairs[0]!.logProbs!).size).toBe(4); // distinct words, one repeat
  });

  it('reads the image: another image gives other scores', async () => {
    const rec = await createVlmRecognizer({ model: dirs.qwen2_5_vl });
    const a = await rec.doRecognize(request);
    const b = await rec.doRecognize({ ...request, image: seededImage(200, 150, 4) });
    expect(b.pairs[0]!.logProbs).not.toEqual(a.pairs[0]!.logProbs);
  });

  it('length-normalises on request', async () => {
    const rec = await createVlmRecognizer({ model: dirs.qwen2_5_vl, lengthNormalize: true });
    const res = await rec.doRecognize(request);
    const tokens = rec.model.encode(' holding a cup').length;
    expect(res.pairs[1]!.scores[0]).toBeCloseTo(Math.exp(res.pairs[1]!.logProbs![0]! / tokens), 10);
  });

  it('handles no pairs and pairs without candidates', async () => {
    const rec = await createVlmRecognizer({ model: dirs.qwen2_5_vl });
    expect((await rec.doRecognize({ ...request, pairs: [] })).pairs).toEqual([]);
    const r = await rec.doRecognize({ ...request, pairs: [{ subject: 0, object: 1, candidates: [] }] });
    expect(r.pairs).toEqual([{ scores: [], logProbs: [] }]);
  });

  it('aborts mid-image (after the first pair) with an AbortError', async () => {
    const rec = await createVlmRecognizer({ model: dirs.qwen2_5_vl });
    let reads = 0;
    const signal = {
      get aborted() {
        reads += 1;
        return reads > 4;
      },
      reason: new Error('stop'),
    } as unknown as AbortSignal;
    await expect(rec.doRecognize({ ...request, signal })).rejects.toMatchObject({ name: 'HoiAbortError' });
    expect(reads).toBeGreaterThan(4);
  });

  it.each([
    'onnx/decoder_model_merged.onnx',
    'onnx/vision_encoder.onnx',
    'tokenizer_config.json',
    'preprocessor_config.json',
  ])('names a missing %s', async (file) => {
    const dir = join(root, `missing-${file.replace(/\W/g, '_')}`);
    writeQwenVlFixture(dir, { family: 'qwen2_5_vl' });
    rmSync(join(dir, file));
    const err = await createVlmRecognizer({ model: dir }).catch((e: unknown) => e);
    expect(HoiError.isInstance(err)).toBe(true);
    expect((err as Error).message).toContain(file);
  });
});

describe('SmolVLM (Idefics3) prompt expansion', () => {
  it("expands <image> exactly as transformers.js' Idefics3Processor does", async () => {
    const rec = await createVlmRecognizer({ model: dirs.idefics3 });
    const encoded = await rec.model.encodeImage(image);
    const processor = await AutoProcessor.from_pretrained(dirs.idefics3, { local_files_only: true });
    const text = 'User:<image>What is the person doing?<end_of_utterance>\nAssistant:';
    const theirs = (
      await (
        processor as unknown as (t: string, i: unknown) => Promise<{ input_ids: { tolist(): bigint[][] } }>
      )(text, new RawImage(new Uint8ClampedArray(image.data), image.width, image.height, 3))
    ).input_ids
      .tolist()[0]!
      .map(Number);
    expect(rec.model.encode(text.replace(encoded.placeholder, encoded.expansion))).toEqual(theirs);
    expect(encoded.tokens).toBe(20); // 2 x 2 tiles + global view, 4 tokens each
  });
});
