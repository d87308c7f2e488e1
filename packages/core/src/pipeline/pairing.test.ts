import { describe, expect, it } from 'vitest';
import type { DetectedInstance } from '../spec/detector.js';
import { pairInstances } from './pairing.js';

const d = (label: string): DetectedInstance => ({ label, score: 1, box: [0, 0, 1, 1] });

describe('pairInstances', () => {
  it.each([
    { name: 'empty', labels: [], pairs: [] },
    { name: 'no human', labels: ['cup', 'dog'], pairs: [] },
    { name: 'one human alone', labels: ['person'], pairs: [] },
    { name: 'human and object', labels: ['cup', 'person'], pairs: ['1-0'] },
    {
      name: 'human-human pairs both ways',
      labels: ['person', 'person', 'bicycle'],
      pairs: ['0-1', '0-2', '1-0', '1-2'],
    },
  ])('$name', ({ labels, pairs }) => {
    const out = pairInstances(labels.map(d));
    expect(out.map((p) => `${p.subject}-${p.object}`)).toEqual(pairs);
    expect(out.every((p) => p.subject !== p.object)).toBe(true);
  });

  it('honours a custom human label', () => {
    expect(pairInstances([d('human'), d('cup')], 'human')).toEqual([{ subject: 0, object: 1 }]);
  });
});
