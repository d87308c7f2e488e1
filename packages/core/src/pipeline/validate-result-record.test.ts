import { describe, expect, it } from 'vitest';
import { checkResultRecord } from './validate-result-record.js';

const good = {
  image: 'HICO_test2015_00000001.jpg',
  size: [640, 427],
  instances: [
    { box: [320, 306, 359, 349], label: 'person', score: 0.98 },
    { box: [148, 345, 376, 414], label: 'motorcycle', score: 0.91 },
  ],
  interactions: [{ subject: 0, object: 1, verb: 'ride', score: 0.73 }],
  extra: { allowed: true },
};

describe('checkResultRecord', () => {
  it('accepts the record of protocols.md, with extra fields', () => {
    expect(checkResultRecord(good)).toEqual([]);
    expect(checkResultRecord({ ...good, instances: [], interactions: [] })).toEqual([]);
  });

  it.each([
    ['not an object', [], 'JSON object'],
    ['no image', { ...good, image: '' }, 'image'],
    ['size of one number', { ...good, size: [640] }, 'size'],
    [
      'reversed box',
      { ...good, instances: [{ ...good.instances[0], box: [10, 0, 5, 5] }, good.instances[1]] },
      'instances[0].box',
    ],
    [
      'score above 1',
      { ...good, instances: [good.instances[0], { ...good.instances[1], score: 2 }] },
      'instances[1].score',
    ],
    [
      'object out of range',
      { ...good, interactions: [{ subject: 0, object: 2, verb: 'ride', score: 0.5 }] },
      'interactions[0].object',
    ],
    ['self pair', { ...good, interactions: [{ subject: 0, object: 0, verb: 'ride', score: 0.5 }] }, 'itself'],
    [
      'unsorted',
      {
        ...good,
        interactions: [
          { subject: 0, object: 1, verb: 'ride', score: 0.1 },
          { subject: 0, object: 1, verb: 'hold', score: 0.5 },
        ],
      },
      'sorted',
    ],
  ])('flags %s', (_name, record, fragment) => {
    const problems = checkResultRecord(record);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toContain(fragment);
  });
});
