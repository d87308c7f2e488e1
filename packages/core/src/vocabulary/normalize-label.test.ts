import { describe, expect, it } from 'vitest';
import { normalizeLabel, normalizeVerb } from './normalize-label.js';

describe('normalizeLabel', () => {
  it.each([
    ['sports_ball', 'sports ball'],
    ['Sports Ball', 'sports ball'],
    ['  sports   ball ', 'sports ball'],
    ['sports__ball', 'sports ball'],
    ['sports _\tball', 'sports ball'],
    ['dining_table', 'dining table'],
    ['person', 'person'],
    ['', ''],
    ['   ', ''],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeLabel(input)).toBe(expected);
  });
});

describe('normalizeVerb', () => {
  it.each([
    ['sit_on', 'sit_on'],
    ['Sit On', 'sit_on'],
    [' sit  on ', 'sit_on'],
    ['NO_INTERACTION', 'no_interaction'],
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeVerb(input)).toBe(expected);
  });
});
