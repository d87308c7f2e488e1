import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  evaluateHicoDet,
  type HicoDetProtocol,
  parseHicoDetAnnotations,
  readHicoDetDetections,
} from '../src/index.js';

// Produced by scripts/hico-det-reference.py (numpy 1.24, QPIC-structured evaluator); see there.
const DIR = resolve(dirname(fileURLToPath(import.meta.url)), 'hico-synthetic');
const expected = JSON.parse(readFileSync(resolve(DIR, 'expected.json'), 'utf8')) as Record<
  HicoDetProtocol,
  { ap: Record<string, number>; ko: Record<string, number> }
>;

describe('HICO-DET against the numpy reference on a synthetic set (integer boxes, ties, capped images)', () => {
  const gt = parseHicoDetAnnotations(JSON.parse(readFileSync(resolve(DIR, 'annotations.json'), 'utf8')));

  it.each(['official', 'qpic', 'da-hoi'] as const)(
    '%s: every per-class AP (Default and Known-Object) to 1e-9',
    async (protocol) => {
      const detections = await readHicoDetDetections(resolve(DIR, 'predictions.jsonl'), gt);
      expect(detections.counters.unknownCombination).toBeGreaterThan(0);
      const { result } = await evaluateHicoDet({ annotations: gt, predictions: detections, protocol });
      const want = expected[protocol];
      expect(result.classes).toBe(Object.keys(want.ap).length);
      for (let c = 0; c < 600; c++) {
        const w = want.ap[String(c)];
        if (w === undefined) {
          expect(result.perClass[c]).toBeNull();
          continue;
        }
        expect(Math.abs(result.perClass[c]! - w)).toBeLessThan(1e-9);
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(result.default.full).toBeCloseTo(mean(Object.values(want.ap)), 9);
      expect(result.knownObject.full).toBeCloseTo(mean(Object.values(want.ko)), 9);
      expect(result.default.full).toBeGreaterThan(0);
    },
  );
});
