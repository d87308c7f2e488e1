import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadLayoutPrior } from '../layout-prior-model.js';
import { meanAp, roleApTable } from './role-ap.js';
import { buildVcocoPairs, readVcocoAnnotations } from './vcoco-pairs.js';

const here = dirname(fileURLToPath(import.meta.url));
const vcocoDir = resolve(here, '../../../..', '../shared/data/vcoco');
const testFile = resolve(vcocoDir, 'instances_vcoco_test.json');
const trainvalFile = resolve(vcocoDir, 'instances_vcoco_trainval.json');
const has = existsSync(testFile) && existsSync(trainvalFile);

describe.skipIf(!has)(`role AP on V-COCO test${has ? '' : ` (skipped: ${testFile} not found)`}`, () => {
  it('the committed layout prior beats the object-frequency baseline, which beats uniform scores', () => {
    const rows = roleApTable(
      buildVcocoPairs(readVcocoAnnotations(testFile)),
      buildVcocoPairs(readVcocoAnnotations(trainvalFile)),
      loadLayoutPrior(resolve(here, '../weights/layout-prior.json')),
    );
    expect(rows).toHaveLength(24);
    const prior = meanAp(rows, 'prior');
    const frequency = meanAp(rows, 'frequency');
    const uniform = meanAp(rows, 'uniform');
    // The README's numbers (scripts/evaluate-prior.ts): 82.75 / 50.81 / 4.60.
    expect(prior).toBeCloseTo(0.8275, 3);
    expect(frequency).toBeCloseTo(0.5081, 3);
    expect(uniform).toBeCloseTo(0.046, 3);
    expect(prior).toBeGreaterThan(frequency);
    expect(frequency).toBeGreaterThan(uniform);
    // Better on every class, not just on average.
    for (const r of rows) expect(r.prior, r.className).toBeGreaterThan(r.frequency);
  });
});

describe('meanAp', () => {
  it('is 0 for no rows', () => {
    expect(meanAp([], 'prior')).toBe(0);
  });
});
