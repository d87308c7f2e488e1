import { describe, expect, it } from 'vitest';
import { formatHicoDetTable, formatVcocoTable, hicoDetClassNames, perClassCsv } from './format.js';
import type { HicoDetResult } from './hico-det-evaluate.js';

const result: HicoDetResult = {
  protocol: 'da-hoi',
  classes: 520,
  default: { full: 31.234567, rare: 25.5, nonRare: 33 },
  knownObject: { full: 34.1, rare: null, nonRare: 35 },
  zeroShot: { split: 'uv', unseen: 20.123, seen: 32.5, full: 31.234567 },
  perClass: [12.5, null, 100.00000000000003],
};

describe('formatters', () => {
  it('formats the HICO-DET table with two decimals and dashes for empty groups', () => {
    const text = formatHicoDetTable(result);
    expect(text).toContain('protocol da-hoi, 520 classes');
    expect(text).toMatch(/Default\s+31\.23\s+25\.50\s+33\.00/);
    expect(text).toMatch(/Known-Object\s+34\.10\s+-\s+35\.00/);
    expect(text).toMatch(/zero-shot uv\s+Unseen\s+Seen\s+Full/);
  });

  it('omits the zero-shot block without a split', () => {
    const { zeroShot: _, ...rest } = result;
    expect(formatHicoDetTable(rest)).not.toContain('zero-shot');
  });

  it('writes per-class CSV with full precision, empty cells for dropped classes and quoted names', () => {
    const csv = perClassCsv(result, ['ride bicycle', 'no_interaction "x", y', 'hold cup']);
    expect(csv).toBe(
      'class_id,class_name,ap\n0,ride bicycle,12.5\n1,"no_interaction ""x"", y",\n2,hold cup,100.00000000000003\n',
    );
    expect(perClassCsv({ perClass: [] }, [])).toBe('class_id,class_name,ap\n');
  });

  it('names the 600 official classes', () => {
    const names = hicoDetClassNames();
    expect(names).toHaveLength(600);
    expect(names[0]).toBe('board airplane');
  });

  it('formats V-COCO results of both layouts', () => {
    const pairs = formatVcocoTable({
      layout: 'pairs',
      classes: ['hold obj', 'hit instr'],
      perClass: [50, null],
      npos: [2, 0],
      mean: 50,
      counters: { records: 0, unknownImages: 0, unknownVerbs: {}, invalidIndex: 0 },
    });
    expect(pairs).toContain('mean 50.00 over 1 classes');
    expect(pairs).toMatch(/hit instr\s+-\s+0/);
    const table = (v: number) => ({ classes: ['hold obj'], perClass: [v], npos: [3], mean: v });
    const official = formatVcocoTable({
      layout: 'official',
      scenario1: table(40),
      scenario2: table(45.5),
      agent: table(60),
    });
    expect(official).toContain('Scenario 1 40.00, Scenario 2 45.50 (1 classes); agent AP 60.00');
    expect(official).toMatch(/hold obj\s+40\.00\s+45\.50\s+3/);
  });
});
