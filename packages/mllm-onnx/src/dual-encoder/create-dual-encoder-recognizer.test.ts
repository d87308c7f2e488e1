import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HoiError, type InteractionCandidate } from '@hoi/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDualEncoderFixture } from '../../scripts/dual-encoder-fixture.js';
import { colourImage } from '../../test/colour-image.js';
import { createDualEncoderRecognizer } from './create-dual-encoder-recognizer.js';

const root = mkdtempSync(join(tmpdir(), 'hoi-dual-'));
const clipDir = join(root, 'clip');
const siglipDir = join(root, 'siglip');
beforeAll(() => {
  writeDualEncoderFixture(clipDir, { family: 'clip', kind: 'colour' });
  writeDualEncoderFixture(siglipDir, { family: 'siglip', kind: 'colour' });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const candidates: InteractionCandidate[] = ['red', 'green', 'blue'].map((c) => ({
  verb: 'hold',
  object: c,
  phrase: c,
}));
const { image, boxes } = colourImage();
const instances = boxes.map((box, i) => ({ box, label: i === 0 ? 'person' : 'block', score: 0.9 }));
const pairs = [
  { subject: 0, object: 1, candidates: [0, 1, 2] },
  { subject: 0, object: 2, candidates: [2, 1, 0] },
];

function best(scores: number[], cands: number[]): string {
  let b = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[b]!) b = i;
  return candidates[cands[b]!]!.phrase;
}

describe.each([
  ['clip', clipDir],
  ['siglip', siglipDir],
])('createDualEncoderRecognizer (%s, hand-set colour model)', (family, dir) => {
  it('ranks the colour under the object box first, for every pair', async () => {
    const rec = await createDualEncoderRecognizer({ model: dir });
    const res = await rec.doRecognize({ image, instances, pairs, candidates });
    expect(rec.provider).toBe(family);
    expect(res.pairs).toHaveLength(2);
    expect(best(res.pairs[0]!.scores, pairs[0]!.candidates)).toBe('red');
    expect(best(res.pairs[1]!.scores, pairs[1]!.candidates)).toBe('green');
    for (const p of res.pairs) for (const s of p.scores) expect(s >= 0 && s <= 1).toBe(true);
    await rec.dispose?.();
  });

  it('is deterministic, gives identical pairs identical scores and handles empty inputs', async () => {
    const rec = await createDualEncoderRecognizer({ model: dir });
    const twice = [pairs[0]!, pairs[0]!];
    const a = await rec.doRecognize({ image, instances, pairs: twice, candidates });
    const b = await rec.doRecognize({ image, instances, pairs: twice, candidates });
    expect(a.pairs).toEqual(b.pairs);
    expect(a.pairs[0]!.scores).toEqual(a.pairs[1]!.scores);
    expect((await rec.doRecognize({ image, instances, pairs: [], candidates })).pairs).toEqual([]);
    const none = await rec.doRecognize({
      image,
      instances,
      pairs: [{ subject: 0, object: 1, candidates: [] }],
      candidates,
    });
    expect(none.pairs[0]!.scores).toEqual([]);
  });
});

describe('createDualEncoderRecognizer options and errors', () => {
  it('ensembles prompt templates and rejects templates without {}', async () => {
    const rec = await createDualEncoderRecognizer({ model: clipDir, promptTemplates: ['{}', 'a {} block'] });
    const res = await rec.doRecognize({ image, instances, pairs, candidates });
    expect(best(res.pairs[0]!.scores, pairs[0]!.candidates)).toBe('red');
    await expect(
      createDualEncoderRecognizer({ model: clipDir, promptTemplates: ['no slot'] }),
    ).rejects.toThrow(/promptTemplates/);
  });

  it('adds the spatial prior to the logits', async () => {
    const prior = {
      weight: 50,
      score: (_e: Float32Array, c: InteractionCandidate) => (c.phrase === 'blue' ? 1 : 0),
    };
    const rec = await createDualEncoderRecognizer({ model: siglipDir, spatialPrior: prior });
    const plain = await createDualEncoderRecognizer({ model: siglipDir });
    const withPrior = await rec.doRecognize({ image, instances, pairs, candidates });
    const without = await plain.doRecognize({ image, instances, pairs, candidates });
    expect(withPrior.pairs[0]!.scores[2]!).toBeGreaterThan(without.pairs[0]!.scores[2]!);
    expect(withPrior.pairs[0]!.scores[0]).toBe(without.pairs[0]!.scores[0]);
  });

  it('rejects with an AbortError, before or during the image', async () => {
    const rec = await createDualEncoderRecognizer({ model: clipDir });
    await expect(
      rec.doRecognize({ image, instances, pairs, candidates, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'HoiAbortError' });
    const ctrl = new AbortController();
    const run = rec.doRecognize({
      image,
      instances,
      pairs,
      candidates: candidates.map((c) => ({ ...c, phrase: `${c.phrase} again` })),
      signal: ctrl.signal,
    });
    ctrl.abort();
    await expect(run).rejects.toMatchObject({ name: 'HoiAbortError' });
  });

  it.each(['onnx/patch_projection.onnx', 'onnx/text_model.onnx', 'tokenizer.json', 'config.json'])(
    'names a missing %s',
    async (file) => {
      const dir = join(root, `missing-${file.replace(/\W/g, '_')}`);
      writeDualEncoderFixture(dir, { family: 'clip', kind: 'colour' });
      rmSync(join(dir, file));
      const err = await createDualEncoderRecognizer({ model: dir }).catch((e: unknown) => e);
      expect(HoiError.isInstance(err)).toBe(true);
      expect((err as Error).message).toContain(file);
    },
  );

  it.each([
    ['siglip', { scale: 37.5, bias: -3.25 }],
    ['clip', { scale: 61, bias: 0 }],
  ] as const)(
    '%s: reads the learned logit scale and bias from onnx/model.onnx',
    async (family, fullModel) => {
      const dir = join(root, `full-${family}`);
      writeDualEncoderFixture(dir, { family, kind: 'colour', fullModel });
      const rec = await createDualEncoderRecognizer({ model: dir });
      const res = await rec.doRecognize({ image, instances, pairs, candidates });
      const meta = res.providerMetadata![family] as {
        logitScale: number;
        logitBias: number;
        calibrationSource: string;
      };
      expect(meta.calibrationSource).toBe('onnx/model.onnx');
      expect(meta.logitScale).toBeCloseTo(fullModel.scale, 3);
      expect(meta.logitBias).toBeCloseTo(fullModel.bias, 3);
      // Explicit options win; without model.onnx the defaults apply.
      const forced = await createDualEncoderRecognizer({ model: dir, logitScale: 5, logitBias: 1 });
      const fm = (await forced.doRecognize({ image, instances, pairs, candidates })).providerMetadata![
        family
      ] as typeof meta;
      expect([fm.logitScale, fm.logitBias, fm.calibrationSource]).toEqual([5, 1, 'options']);
      const plain = await createDualEncoderRecognizer({ model: family === 'clip' ? clipDir : siglipDir });
      const pm = (await plain.doRecognize({ image, instances, pairs, candidates })).providerMetadata![
        family
      ] as typeof meta;
      expect([pm.logitScale, pm.logitBias]).toEqual(family === 'clip' ? [100, 0] : [10, -10]);
    },
  );

  it('falls back to CPU with a degraded warning when a requested provider is unavailable', async () => {
    const rec = await createDualEncoderRecognizer({ model: siglipDir, executionProviders: ['cuda'] });
    const res = await rec.doRecognize({ image, instances, pairs, candidates });
    expect(res.warnings.some((w) => w.type === 'degraded' && /cuda/i.test(w.message))).toBe(true);
    expect(best(res.pairs[0]!.scores, pairs[0]!.candidates)).toBe('red');
  });

  it('rejects a folder that does not exist', async () => {
    await expect(createDualEncoderRecognizer({ model: join(root, 'nope') })).rejects.toMatchObject({
      name: 'HoiModelLoadError',
    });
  });
});
