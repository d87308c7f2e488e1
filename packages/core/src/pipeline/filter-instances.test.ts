import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/hoi-error.js';
import type { DetectedInstance } from '../spec/detector.js';
import { filterInstances } from './filter-instances.js';

const inst = (
  label: string,
  score: number,
  box: [number, number, number, number] = [0, 0, 10, 10],
): DetectedInstance => ({
  label,
  score,
  box,
});
// Spread boxes apart so NMS keeps them.
const spread = (label: string, scores: number[]) =>
  scores.map((s, i) => inst(label, s, [i * 100, 0, i * 100 + 50, 80]));

describe('filterInstances', () => {
  it.each([
    { name: 'empty input', input: [] as DetectedInstance[], opts: {}, labels: [], humans: 0 },
    {
      name: 'keeps passing instances, humans first, by score',
      input: [...spread('cup', [0.9]), ...spread('person', [0.3, 0.8])].map((d, i) => ({
        ...d,
        box: [i * 100, 0, i * 100 + 50, 80] as DetectedInstance['box'],
      })),
      opts: { minObjects: 0, minHumans: 0 },
      labels: ['person:0.8', 'person:0.3', 'cup:0.9'],
      humans: 2,
    },
    {
      name: 'tops up below the threshold to the minimum',
      input: spread('person', [0.1, 0.5, 0.05, 0.15]),
      opts: { minHumans: 3 },
      labels: ['person:0.5', 'person:0.15', 'person:0.1'],
      humans: 3,
    },
    {
      name: 'caps at the maximum',
      input: spread('dog', [0.9, 0.8, 0.7, 0.6]),
      opts: { maxObjects: 2 },
      labels: ['dog:0.9', 'dog:0.8'],
      humans: 0,
    },
    {
      name: 'class-wise NMS suppresses same-class overlaps only',
      input: [
        inst('person', 0.9, [0, 0, 100, 100]),
        inst('person', 0.8, [5, 5, 100, 100]),
        inst('bicycle', 0.7, [5, 5, 100, 100]),
      ],
      opts: { minHumans: 0, minObjects: 0 },
      labels: ['person:0.9', 'bicycle:0.7'],
      humans: 1,
    },
    {
      name: 'labels compare with underscores and case folded',
      input: [inst('Person', 0.9, [0, 0, 10, 10]), inst('sports_ball', 0.8, [20, 0, 30, 10])],
      opts: {},
      labels: ['Person:0.9', 'sports_ball:0.8'],
      humans: 1,
    },
    {
      name: 'ties keep input order',
      input: spread('kite', [0.5, 0.5, 0.5]).map((d, i) => ({ ...d, data: { i } })),
      opts: { maxObjects: 2 },
      labels: ['kite:0.5', 'kite:0.5'],
      humans: 0,
    },
  ])('$name', ({ input, opts, labels, humans }) => {
    const out = filterInstances(input, opts);
    expect(out.instances.map((d) => `${d.label}:${d.score}`)).toEqual(labels);
    expect(out.humanCount).toBe(humans);
    expect(out.sourceIndices.map((i) => input[i])).toEqual(out.instances);
  });

  it('keeps tie order by input index', () => {
    const input = spread('kite', [0.5, 0.5, 0.5]);
    expect(filterInstances(input, { maxObjects: 2 }).sourceIndices).toEqual([0, 1]);
  });

  it.each([
    [{ maxHumans: -1 }, 'filter.maxHumans'],
    [{ minObjects: 1.5 }, 'filter.minObjects'],
    [{ minHumans: 5, maxHumans: 2 }, 'filter.minHumans'],
  ])('rejects %o', (opts, argument) => {
    expect(() => filterInstances([], opts)).toThrow(InvalidArgumentError);
    try {
      filterInstances([], opts);
    } catch (e) {
      expect((e as InvalidArgumentError).argument).toBe(argument);
    }
  });
});
