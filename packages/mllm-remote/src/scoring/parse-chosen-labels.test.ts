import { describe, expect, it } from 'vitest';
import { parseChosenLabels } from './parse-chosen-labels.js';

const labels = ['A', 'B', 'C', 'D'];

describe('parseChosenLabels', () => {
  it.each([
    ['["A", "C"]', ['A', 'C'], true],
    ['```json\n["b"]\n```', ['B'], true],
    ['The answer is [A, D].', ['A', 'D'], true],
    ['[]', [], true],
    ['A, C', ['A', 'C'], true],
    ['["A", "Z"]', ['A'], true],
    ['[1, 2]', [], true],
    ['I cannot tell from this image!', [], false],
    ['', [], false],
  ])('%j', (text, expected, parsed) => {
    const r = parseChosenLabels(text, labels);
    expect([...r.chosen].sort()).toEqual(expected);
    expect(r.parsed).toBe(parsed);
  });

  it('reads numeric labels', () => {
    expect([...parseChosenLabels('[1, 3]', ['1', '2', '3']).chosen]).toEqual(['1', '3']);
  });
});
