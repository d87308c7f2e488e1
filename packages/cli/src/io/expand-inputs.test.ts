import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandInputs } from './expand-inputs.js';

const root = mkdtempSync(join(tmpdir(), 'hoi-expand-'));
mkdirSync(join(root, 'photos/sub'), { recursive: true });
mkdirSync(join(root, 'empty'));
for (const f of [
  'photos/b.jpg',
  'photos/a.PNG',
  'photos/sub/c.webp',
  'photos/notes.txt',
  'x.jpeg',
  'data.bin',
])
  writeFileSync(join(root, f), '');

describe('expandInputs', () => {
  it.each([
    { name: 'nothing', inputs: [], images: [], problems: [] },
    {
      name: 'a folder, recursively, sorted, images only',
      inputs: ['photos'],
      images: ['photos/a.PNG', 'photos/b.jpg', 'photos/sub/c.webp'],
      problems: [],
    },
    { name: 'a glob', inputs: ['photos/*.jpg'], images: ['photos/b.jpg'], problems: [] },
    { name: 'an explicit file of any extension', inputs: ['data.bin'], images: ['data.bin'], problems: [] },
    {
      name: 'duplicates dropped',
      inputs: ['x.jpeg', './x.jpeg', 'photos', 'photos/b.jpg'],
      images: ['x.jpeg', 'photos/a.PNG', 'photos/b.jpg', 'photos/sub/c.webp'],
      problems: [],
    },
    { name: 'missing file', inputs: ['nope.jpg'], images: [], problems: ['nope.jpg'] },
    { name: 'folder with no image', inputs: ['empty'], images: [], problems: ['empty'] },
    { name: 'glob matching nothing', inputs: ['*.gif'], images: [], problems: ['*.gif'] },
  ])('$name', async ({ inputs, images, problems }) => {
    const out = await expandInputs(inputs, root);
    expect(out.images).toEqual(images);
    expect(out.problems.map((p) => p.input)).toEqual(problems);
  });
});
