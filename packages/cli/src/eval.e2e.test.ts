import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './test/run-cli.js';

// A two-image annotation file in the QPIC layout: HOI 1 = (board, airplane), HOI 11 = (carry, bicycle).
const dir = mkdtempSync(join(tmpdir(), 'hoi-eval-cli-'));
const annotations = join(dir, 'test_hico.json');
writeFileSync(
  annotations,
  JSON.stringify([
    {
      file_name: 'a.jpg',
      annotations: [
        { bbox: [10, 10, 50, 90], category_id: 1 },
        { bbox: [60, 20, 200, 80], category_id: 5 },
      ],
      hoi_annotation: [{ subject_id: 0, object_id: 1, category_id: 5, hoi_category_id: 1 }],
    },
    {
      file_name: 'b.jpg',
      annotations: [
        { bbox: [5, 5, 40, 100], category_id: 1 },
        { bbox: [30, 60, 90, 110], category_id: 2 },
      ],
      hoi_annotation: [{ subject_id: 0, object_id: 1, category_id: 9, hoi_category_id: 11 }],
    },
  ]),
);
const predictions = join(dir, 'pred.jsonl');
writeFileSync(
  predictions,
  [
    {
      image: '/data/a.jpg',
      size: [300, 200],
      instances: [
        { box: [10, 10, 50, 90], label: 'person', score: 1 },
        { box: [60, 20, 200, 80], label: 'airplane', score: 1 },
      ],
      interactions: [{ subject: 0, object: 1, verb: 'board', score: 0.9 }],
    },
    {
      image: 'b.jpg',
      size: [300, 200],
      instances: [
        { box: [5, 5, 40, 100], label: 'person', score: 1 },
        { box: [30, 60, 90, 110], label: 'bicycle', score: 1 },
      ],
      interactions: [
        { subject: 0, object: 1, verb: 'carry', score: 0.8 },
        { subject: 0, object: 1, verb: 'fly', score: 0.5 },
      ],
    },
  ]
    .map((r) => JSON.stringify(r))
    .join('\n'),
);

describe('hoi eval hico-det', () => {
  it('prints the contract JSON and writes per-class AP with class names', async () => {
    const csv = join(dir, 'ap.csv');
    const run = await runCli([
      'eval',
      'hico-det',
      '-a',
      annotations,
      '-p',
      predictions,
      '--protocol',
      'qpic',
      '--split',
      'rf-uc',
      '--json',
      '--per-class',
      csv,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(Object.keys(result)).toEqual([
      'protocol',
      'classes',
      'default',
      'knownObject',
      'zeroShot',
      'perClass',
    ]);
    expect(result.protocol).toBe('qpic');
    expect(result.perClass).toHaveLength(600);
    expect(result.perClass[0]).toBeCloseTo(100, 9);
    expect(result.perClass[10]).toBeCloseTo(100, 9);
    expect(result.zeroShot.split).toBe('rf-uc');
    // the (fly, bicycle) prediction is no HICO-DET class: reported, not fatal
    expect(run.stderr).toMatch(/fly/);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(601);
    expect(lines[1]).toMatch(/^0,board airplane,100(\.0*\d*)?$/);
  }, 60_000);

  it('prints a readable table without --json', async () => {
    const run = await runCli(['eval', 'hico-det', '-a', annotations, '-p', predictions]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Full/);
    expect(run.stdout).toMatch(/Known/i);
  }, 60_000);

  it.each([
    [['--protocol', 'matlab'], /--protocol must be one of official, qpic, da-hoi/],
    [['--split', 'zz'], /--split must be one of/],
  ])(
    'refuses %j with exit 2',
    async (extra, message) => {
      const run = await runCli(['eval', 'hico-det', '-a', annotations, '-p', predictions, ...extra]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
    },
    60_000,
  );

  it('compares prediction files of several detectors in one table', async () => {
    const run = await runCli([
      'eval',
      'cross-detector',
      '-a',
      annotations,
      '-p',
      `perfect=${predictions}`,
      '--gt-predictions',
      predictions,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const rows = JSON.parse(run.stdout) as {
      detector: string;
      instancesPerImage: number;
      drop: { default: number } | null;
    }[];
    expect(rows.map((r) => r.detector)).toEqual(['ground-truth boxes', 'perfect']);
    expect(rows[1]!.instancesPerImage).toBe(2);
    expect(rows[1]!.drop!.default).toBe(0);
  }, 60_000);
});
