import { describe, expect, it } from 'vitest';
import { parseClassNames } from './class-names.js';

describe('parseClassNames', () => {
  it.each([
    [
      'Ultralytics dict',
      "{0: 'person', 1: 'bicycle', 2: 'traffic light'}",
      ['person', 'bicycle', 'traffic light'],
    ],
    ['double quotes and escapes', `{0: "o'neil", 1: 'it\\'s'}`, ["o'neil", "it's"]],
    ['unordered keys', "{1: 'b', 0: 'a'}", ['a', 'b']],
    ['JSON object', '{"0": "cat", "1": "dog"}', ['cat', 'dog']],
    ['JSON array', '["cat", "dog"]', ['cat', 'dog']],
    ['Python list', "['cat', 'dog']", ['cat', 'dog']],
    ['extra spaces and newlines', "{ 0 :'a',\n 1:   'b' }", ['a', 'b']],
  ])('%s', (_, text, expected) => {
    expect(parseClassNames(text)).toEqual(expected);
  });

  it.each([
    ['undefined', undefined],
    ['empty string', ''],
    ['empty dict', '{}'],
    ['empty list', '[]'],
    ['gap in indices', "{0: 'a', 2: 'c'}"],
    ['no names', 'stride: 32'],
  ])('returns undefined for %s', (_, text) => {
    expect(parseClassNames(text)).toBeUndefined();
  });
});
