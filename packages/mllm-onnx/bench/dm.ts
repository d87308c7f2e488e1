import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecognizeOptions } from '@hoi/core';
import { writeDmFixture } from '../scripts/dm-fixture.js';
import { createMatchingRecognizer, createVlmRecognizer } from '../src/index.js';
import { median, peakRssMiB, type Row, seededImage, timeIt } from './bench-utils.js';
import { BENCH_DECODER, benchCandidates } from './vlm.js';

/**
 * One-pass DM vs deterministic generation on the same checkpoint (DM layout: the same decoder, which also
 * outputs hidden states), 2 pairs x 15 candidates: wall time and decoder token-steps (token positions the
 * decoder processed, batch rows included).
 */
export async function benchDm(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hoi-bench-dm-'));
  try {
    writeDmFixture(dir, BENCH_DECODER);
    const candidates = benchCandidates(15);
    const all = candidates.map((_, k) => k);
    const req: RecognizeOptions = {
      image: seededImage(640, 480, 6),
      candidates,
      instances: [
        { box: [40, 30, 300, 470], label: 'person', score: 0.9 },
        { box: [200, 200, 600, 460], label: 'bicycle', score: 0.9 },
        { box: [420, 40, 630, 200], label: 'bicycle', score: 0.9 },
      ],
      pairs: [
        { subject: 0, object: 1, candidates: all },
        { subject: 0, object: 2, candidates: all },
      ],
    };
    const dm = await createMatchingRecognizer({ model: dir, interactivenessThreshold: 0 });
    const gen = await createVlmRecognizer({ model: dir, maxBatch: 128 });
    const naive = await createVlmRecognizer({ model: dir, scoring: 'naive' });
    const rows: Row[] = [];
    const measure = async (name: string, rec: typeof gen | typeof dm, reps: number) => {
      await rec.doRecognize(req); // warm-up
      const before = { ...rec.model.stats };
      const ms = median(await timeIt(reps, () => rec.doRecognize(req)));
      const steps = (rec.model.stats.tokenSteps - before.tokenSteps) / reps;
      const calls = (rec.model.stats.decoderCalls - before.decoderCalls) / reps;
      rows.push({ name, ms, note: `${steps} token-steps, ${calls} decoder calls` });
      return { ms, steps };
    };
    const d = await measure('DM one pass per pair (2 pairs x 15)', dm, 3);
    const g = await measure('generation, shared-prefix batch (2 pairs x 15)', gen, 3);
    const n = await measure('generation, naive per candidate (2 pairs x 15)', naive, 1);
    rows.push({ name: 'token-steps: naive generation / DM (target >= 8)', ratio: n.steps / d.steps });
    rows.push({ name: 'time: naive generation / DM (target >= 5)', ratio: n.ms / d.ms });
    rows.push({ name: 'token-steps: shared-prefix generation / DM', ratio: g.steps / d.steps });
    rows.push({ name: 'time: shared-prefix generation / DM', ratio: g.ms / d.ms });
    rows.push({ name: 'peak RSS after DM bench (MiB)', note: peakRssMiB().toFixed(0) });
    await Promise.all([dm.dispose?.(), gen.dispose?.(), naive.dispose?.()]);
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
