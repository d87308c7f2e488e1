import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { checkResultRecord } from '@hoi/core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, SHARED, spawnCli } from './test/run-cli.js';

const IMAGES = join(SHARED, 'images');
const hasImages = existsSync(join(IMAGES, 'kite.jpg')) && existsSync(join(IMAGES, 'astronaut.png'));
const reason = hasImages ? '' : ` (skipped: ${IMAGES} not found)`;

const records = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** A PNG whose header says 30,000 x 30,000; its pixel data is a few rows only. */
function hugePngHeader(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(30000, 0);
  ihdr.writeUInt32BE(30000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = deflateSync(Buffer.alloc((30000 * 3 + 1) * 4));
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', rows),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe.skipIf(!hasImages)(`hoi detect, default offline pipeline, on real photos${reason}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoi-cli-'));
  let out: { code: number | null; stdout: string; stderr: string };

  beforeAll(async () => {
    out = await runCli([
      'detect',
      join(IMAGES, 'kite.jpg'),
      join(IMAGES, 'astronaut.png'),
      '--viz',
      join(dir, 'viz'),
      '--html',
      join(dir, 'report.html'),
    ]);
  }, 120_000);

  it('writes one valid result record per image to stdout', () => {
    expect(out.code, out.stderr).toBe(0);
    const lines = records(out.stdout);
    expect(lines.map((r) => (r.image as string).split('/').pop())).toEqual(['kite.jpg', 'astronaut.png']);
    for (const r of lines) expect(checkResultRecord(r)).toEqual([]);
    const kite = lines[0]!;
    const labels = (kite.instances as { label: string }[]).map((d) => d.label);
    expect(labels.filter((l) => l === 'person').length).toBeGreaterThanOrEqual(3);
    expect(labels).toContain('kite');
    expect((kite.interactions as unknown[]).length).toBeGreaterThan(0);
    expect(kite.size).toEqual([1352, 900]);
  });

  it('draws one PNG per image, the size of the photo, and says where', async () => {
    for (const name of ['kite', 'astronaut']) {
      const file = join(dir, 'viz', `${name}.hoi.png`);
      expect(out.stderr).toContain(`picture written to ${file}`);
      const meta = await sharp(file).metadata();
      expect(meta.format).toBe('png');
    }
    expect((await sharp(join(dir, 'viz', 'kite.hoi.png')).metadata()).width).toBe(1352);
  });

  it('writes a self-contained HTML page', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('data:image/jpeg;base64,');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    expect((html.match(/<figure /g) ?? []).length).toBe(2);
  });
});

describe.skipIf(!hasImages)(`hoi detect batch resume${reason}`, () => {
  it('survives SIGKILL mid-batch: no lost, duplicated or corrupt record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoi-resume-'));
    const photos = join(dir, 'photos');
    mkdirSync(photos);
    const names = ['kite.jpg', 'astronaut.png', 'horses.jpg', 'person.jpg', 'dog.jpg'].filter((n) =>
      existsSync(join(IMAGES, n)),
    );
    for (const n of names) copyFileSync(join(IMAGES, n), join(photos, n));
    const outFile = join(dir, 'out.jsonl');
    const child = spawnCli(['detect', photos, '--out', outFile, '--no-pose']);
    // kill as soon as the first record is on disk (mid-batch)
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const timer = setInterval(() => {
        const text = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
        if (text.includes('\n')) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        } else if (Date.now() - started > 90_000) {
          clearInterval(timer);
          child.kill('SIGKILL');
          reject(new Error('no record written within 90 s'));
        }
      }, 20);
    });
    await new Promise((r) => child.on('close', r));
    const partial = records(readFileSync(outFile, 'utf8'));
    expect(partial.length).toBeGreaterThanOrEqual(1);
    expect(partial.length).toBeLessThan(names.length);

    const rerun = await runCli(['detect', photos, '--out', outFile, '--no-pose']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain(`resuming: ${partial.length} of ${names.length} images already in`);
    const all = records(readFileSync(outFile, 'utf8'));
    expect(all.map((r) => (r.image as string).split('/').pop()).sort()).toEqual([...names].sort());
    for (const r of all) expect(checkResultRecord(r)).toEqual([]);
  }, 240_000);

  it('cuts a partial last line left by an earlier crash before appending', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoi-repair-'));
    const outFile = join(dir, 'out.jsonl');
    writeFileSync(
      outFile,
      '{"image":"x.jpg","size":[1,1],"instances":[],"interactions":[]}\n{"image":"broken',
    );
    const run = await runCli(['detect', join(IMAGES, 'astronaut.png'), '--out', outFile, '--no-pose']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('removed a partial last line');
    const all = records(readFileSync(outFile, 'utf8'));
    expect(all.map((r) => r.image)).toEqual(['x.jpg', join(IMAGES, 'astronaut.png')]);
  }, 120_000);
});

describe.skipIf(!hasImages)(
  `hoi detect bad inputs are reported per image while the batch goes on${reason}`,
  () => {
    it('reports each bad input and still processes the good image', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hoi-bad-'));
      const notImages = join(dir, 'docs');
      mkdirSync(notImages);
      writeFileSync(join(notImages, 'readme.txt'), 'not an image');
      const corrupt = join(dir, 'corrupt.jpg');
      writeFileSync(corrupt, readFileSync(join(IMAGES, 'kite.jpg')).subarray(0, 2000));
      const empty = join(dir, 'empty.jpg');
      writeFileSync(empty, Buffer.alloc(0));
      const huge = join(dir, 'huge.png');
      writeFileSync(huge, hugePngHeader());
      const missing = join(dir, 'missing.jpg');
      const run = await runCli([
        'detect',
        missing,
        notImages,
        corrupt,
        empty,
        huge,
        join(IMAGES, 'astronaut.png'),
        '--no-pose',
      ]);
      expect(run.code).toBe(3);
      const lines = records(run.stdout);
      expect(lines).toHaveLength(1);
      expect(lines[0]!.image).toBe(join(IMAGES, 'astronaut.png'));
      expect(run.stderr).toContain(`${missing}: no such file or folder`);
      expect(run.stderr).toContain(`${notImages}: the folder holds no image`);
      expect(run.stderr).toMatch(new RegExp(`${corrupt}: Cannot use image .*(decode|readable)`));
      expect(run.stderr).toContain(`${empty}: Cannot use image ${empty}: the file is empty (0 bytes)`);
      expect(run.stderr).toContain('30000 x 30000 = 900000000 pixels is over the limit of 100000000');
      expect(run.stderr).toContain('6 inputs: 1 processed, 5 failed');
    }, 120_000);
  },
);

describe('hoi usage', () => {
  it.each([
    [['--help'], 0, /Usage: hoi/],
    [['detect', '--help'], 0, /Examples:/],
    [['eval', 'hico-det', '--help'], 0, /Examples:/],
    [['models', 'pull', '--help'], 0, /Example:/],
    [['detect'], 2, /missing required argument/],
    [['detect', 'x.jpg', '--top-k', 'many'], 2, /expected a non-negative integer/],
    [
      ['detect', 'x.jpg', '--detector', 'nope:thing'],
      2,
      /Invalid argument `--detector`: expected one of centernet/,
    ],
    [['frobnicate'], 2, /unknown command/],
  ])(
    'hoi %j exits %i',
    async (args, code, text) => {
      const run = await runCli(args);
      expect(run.code).toBe(code);
      expect(run.stdout + run.stderr).toMatch(text);
    },
    60_000,
  );
});

describe.skipIf(!hasImages)(`hoi detect --workers (built package)${reason}`, () => {
  it('spreads images over worker threads, each record once', async () => {
    const { spawnSync } = await import('node:child_process');
    const bin = join(import.meta.dirname, '../dist/bin.js');
    if (!existsSync(bin))
      throw new Error(`${bin} is missing: the test script builds it first (tsup && vitest run)`);
    const dir = mkdtempSync(join(tmpdir(), 'hoi-workers-'));
    const run = spawnSync(
      process.execPath,
      [
        bin,
        'detect',
        join(IMAGES, 'kite.jpg'),
        join(IMAGES, 'astronaut.png'),
        join(IMAGES, 'horses.jpg'),
        '--workers',
        '2',
        '--out',
        join(dir, 'o.jsonl'),
        '--viz',
        join(dir, 'viz'),
      ],
      { encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    const all = records(readFileSync(join(dir, 'o.jsonl'), 'utf8'));
    expect(all.map((r) => (r.image as string).split('/').pop()).sort()).toEqual([
      'astronaut.png',
      'horses.jpg',
      'kite.jpg',
    ]);
    for (const r of all) expect(checkResultRecord(r)).toEqual([]);
    expect(existsSync(join(dir, 'viz', 'horses.hoi.png'))).toBe(true);
  }, 180_000);
});
