import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HoiError, type InteractionCandidate, type RecognizeOptions } from '@hoi/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededImage } from '../../bench/bench-utils.js';
import { writeDmFixture } from '../../scripts/dm-fixture.js';
import { createMatchingRecognizer } from './create-matching-recognizer.js';

const root = mkdtempSync(join(tmpdir(), 'hoi-dm-'));
const base = join(root, 'base');
const otherInjection = join(root, 'other-injection');
beforeAll(() => {
  writeDmFixture(base, {});
  writeDmFixture(otherInjection, { injectSeed: 99 }); // identical except the pair_feature projection
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const candidates: InteractionCandidate[] = [
  { verb: 'ride', object: 'bicycle', phrase: 'riding a bicycle' },
  { verb: 'hold', object: 'bicycle', phrase: 'holding a bicycle' },
  { verb: 'sit_on', object: 'bicycle', phrase: 'sitting on a bicycle' },
  { verb: 'repair', object: 'bicycle', phrase: 'repairing a bicycle' },
];
const request: RecognizeOptions = {
  image: seededImage(200, 150, 8),
  instances: [
    { box: [10, 10, 90, 140], label: 'person', score: 0.9 },
    { box: [80, 60, 190, 120], label: 'bicycle', score: 0.8 },
    { box: [120, 5, 160, 40], label: 'bicycle', score: 0.7 },
  ],
  candidates,
  pairs: [
    { subject: 0, object: 1, candidates: [0, 1, 2] },
    { subject: 0, object: 2, candidates: [0, 1, 3] },
  ],
};
type Meta = { decoderPasses: number; sLlm: (number[] | null)[]; sSap: (number[] | null)[] };
const meta = (r: { providerMetadata?: Record<string, Record<string, unknown>> }) =>
  r.providerMetadata!['hoi-dm'] as unknown as Meta;

describe('createMatchingRecognizer (tiny DM checkpoint)', () => {
  it('scores every candidate in one decoder pass per pair, averaging s_llm and s_sap, deterministically', async () => {
    const rec = await createMatchingRecognizer({ model: base, interactivenessThreshold: 0 });
    const a = await rec.doRecognize(request);
    const b = await rec.doRecognize(request);
    expect(b.pairs).toEqual(a.pairs);
    const m = meta(a);
    expect(m.decoderPasses).toBe(1 + 2); // image prefix once + one pass per pair
    for (const [p, pair] of a.pairs.entries()) {
      expect(pair.scores).toHaveLength(3);
      expect(pair.interactiveness!).toBeGreaterThan(0);
      for (const [k, s] of pair.scores.entries()) {
        expect(s).toBeCloseTo((m.sLlm[p]![k]! + m.sSap[p]![k]!) / 2, 6);
        expect(s >= 0 && s <= 1).toBe(true);
      }
    }
  });

  it('the injected <|box_start|> embedding reaches the decoder: another pair feature changes the scores', async () => {
    // The two checkpoints differ only in the projection producing pair_feature (the <|box_start|> input).
    const a = meta(
      await (await createMatchingRecognizer({ model: base, interactivenessThreshold: 0 })).doRecognize(
        request,
      ),
    );
    const b = meta(
      await (
        await createMatchingRecognizer({ model: otherInjection, interactivenessThreshold: 0 })
      ).doRecognize(request),
    );
    expect(b.sLlm[0]).not.toEqual(a.sLlm[0]);
    for (const [k, v] of a.sLlm[0]!.entries()) expect(Math.abs(v - b.sLlm[0]![k]!)).toBeGreaterThan(1e-6);
    // v (pair_embedding) is the same in both, so s_sap moves only because a_k (at <|box_end|>) attends to the injected token.
    expect(b.sSap[0]).not.toEqual(a.sSap[0]);
  });

  it('candidate order matters only as causal attention allows', async () => {
    const rec = await createMatchingRecognizer({ model: base, interactivenessThreshold: 0 });
    const run = async (cands: number[]) =>
      (await rec.doRecognize({ ...request, pairs: [{ subject: 0, object: 1, candidates: cands }] })).pairs[0]!
        .scores;
    const abc = await run([0, 1, 2]);
    const abd = await run([0, 1, 3]);
    // Same earlier candidates -> same scores for them (a later one cannot be seen); the changed one differs.
    expect(Math.abs(abd[0]! - abc[0]!)).toBeLessThan(1e-5);
    expect(Math.abs(abd[1]! - abc[1]!)).toBeLessThan(1e-5);
    expect(Math.abs(abd[2]! - abc[2]!)).toBeGreaterThan(1e-6);
    // Moving a candidate earlier changes what the later ones attend to.
    const bac = await run([1, 0, 2]);
    expect(Math.abs(bac[0]! - abc[1]!)).toBeGreaterThan(1e-6);
  });

  it('drops pairs at or below the interactiveness threshold before the decoder runs', async () => {
    const rec = await createMatchingRecognizer({ model: base, interactivenessThreshold: 1 });
    const r = await rec.doRecognize(request);
    expect(meta(r).decoderPasses).toBe(0);
    for (const p of r.pairs) expect(p.scores).toEqual([0, 0, 0]);
    const def = await createMatchingRecognizer({ model: base });
    expect((await def.doRecognize(request)).providerMetadata!['hoi-dm']!.threshold).toBe(0.15);
  });

  it('handles no pairs and aborts', async () => {
    const rec = await createMatchingRecognizer({ model: base });
    expect((await rec.doRecognize({ ...request, pairs: [] })).pairs).toEqual([]);
    await expect(rec.doRecognize({ ...request, signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'HoiAbortError',
    });
  });

  it.each(['hoi_dm.json', 'onnx/sap_head.onnx', 'box_end_embedding.bin'])(
    'names a missing %s',
    async (file) => {
      const dir = join(root, `missing-${file.replace(/\W/g, '_')}`);
      writeDmFixture(dir, {});
      rmSync(join(dir, file));
      const err = await createMatchingRecognizer({ model: dir }).catch((e: unknown) => e);
      expect(HoiError.isInstance(err)).toBe(true);
      expect((err as Error).message).toContain(file);
    },
  );

  it('rejects a box_end embedding of the wrong size', async () => {
    const dir = join(root, 'bad-box-end');
    writeDmFixture(dir, {});
    writeFileSync(join(dir, 'box_end_embedding.bin'), new Uint8Array(12));
    await expect(createMatchingRecognizer({ model: dir })).rejects.toThrow(/float32 values/);
  });
});
