import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlOutput } from './jsonl-output.js';

const dir = mkdtempSync(join(tmpdir(), 'hoi-jsonl-'));
let n = 0;
const file = (content?: string) => {
  const f = join(dir, `out${n++}.jsonl`);
  if (content !== undefined) writeFileSync(f, content);
  return f;
};

describe('JsonlOutput', () => {
  it.each([
    { name: 'no file yet', content: undefined, done: [], kept: '' },
    { name: 'empty file', content: '', done: [], kept: '' },
    {
      name: 'intact file',
      content: '{"image":"a"}\n{"image":"b"}\n',
      done: ['a', 'b'],
      kept: '{"image":"a"}\n{"image":"b"}\n',
    },
    { name: 'partial last line', content: '{"image":"a"}\n{"ima', done: ['a'], kept: '{"image":"a"}\n' },
    {
      name: 'complete JSON but no newline',
      content: '{"image":"a"}\n{"image":"b"}',
      done: ['a'],
      kept: '{"image":"a"}\n',
    },
    {
      name: 'corrupt middle line cuts there',
      content: '{"image":"a"}\nxx\n{"image":"c"}\n',
      done: ['a'],
      kept: '{"image":"a"}\n',
    },
    {
      name: 'non-ASCII names',
      content: '{"image":"é.jpg"}\n{"image":"ü',
      done: ['é.jpg'],
      kept: '{"image":"é.jpg"}\n',
    },
  ])('resumes from $name', ({ content, done, kept }) => {
    const f = file(content);
    const out = JsonlOutput.open(f, { resume: true });
    expect([...out.done]).toEqual(done);
    out.append({ image: 'new' });
    out.close();
    expect(readFileSync(f, 'utf8')).toBe(`${kept}{"image":"new"}\n`);
  });

  it('starts afresh without resume', () => {
    const f = file('{"image":"a"}\n');
    const out = JsonlOutput.open(f, { resume: false });
    expect(out.done.size).toBe(0);
    out.append({ image: 'b' });
    out.close();
    expect(readFileSync(f, 'utf8')).toBe('{"image":"b"}\n');
  });
});
