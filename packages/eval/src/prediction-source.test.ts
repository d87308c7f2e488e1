import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HoiResult } from '@hoi/core/spec';
import { afterAll, describe, expect, it } from 'vitest';
import { readPredictionRecords } from './prediction-source.js';

const dir = mkdtempSync(join(tmpdir(), 'hoi-eval-src-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(source: Parameters<typeof readPredictionRecords>[0]): Promise<HoiResult[]> {
  const out: HoiResult[] = [];
  for await (const r of readPredictionRecords(source)) out.push(r);
  return out;
}

const rec = (image: string, label = 'person'): HoiResult => ({
  image,
  size: [640, 480],
  instances: [{ box: [0, 0, 1, 1], label, score: 1 }],
  interactions: [],
});

describe('readPredictionRecords', () => {
  it('reads a file with a BOM, CRLF-free blank lines, no final newline and non-ASCII labels', async () => {
    const path = join(dir, 'a.jsonl');
    const text = `\ufeff${JSON.stringify(rec('a.jpg', 'Bücherregal'))}\n\n${JSON.stringify(rec('b.jpg'))}`;
    writeFileSync(path, text);
    const records = await collect(path);
    expect(records.map((r) => r.image)).toEqual(['a.jpg', 'b.jpg']);
    expect(records[0]!.instances[0]!.label).toBe('Bücherregal');
  });

  it('streams a file larger than one read chunk with lines spanning chunk boundaries', async () => {
    const path = join(dir, 'big.jsonl');
    const records = Array.from({ length: 3000 }, (_, k) => ({
      ...rec(`${k}.jpg`),
      pad: 'x'.repeat(k % 997),
    }));
    writeFileSync(path, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const read = await collect(path);
    expect(read.length).toBe(3000);
    expect(read[2999]!.image).toBe('2999.jpg');
  });

  it('reads empty input, text, arrays and async iterables', async () => {
    expect(await collect({ jsonl: '' })).toEqual([]);
    expect(await collect([])).toEqual([]);
    expect((await collect({ jsonl: `${JSON.stringify(rec('a.jpg'))}\n` })).length).toBe(1);
    async function* gen() {
      yield rec('x.jpg');
    }
    expect((await collect(gen()))[0]!.image).toBe('x.jpg');
  });

  it('names the file and line of a malformed line, and a missing file', async () => {
    const path = join(dir, 'bad.jsonl');
    writeFileSync(path, `${JSON.stringify(rec('a.jpg'))}\n{"image": \n`);
    await expect(collect(path)).rejects.toThrow(/bad\.jsonl, line 2/);
    await expect(collect(join(dir, 'missing.jsonl'))).rejects.toThrow(/missing\.jsonl/);
  });
});
