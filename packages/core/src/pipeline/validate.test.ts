import { describe, expect, it } from 'vitest';
import type { InteractionPair } from '../spec/recognizer.js';
import { validateInstances, validatePairs } from './validate.js';

describe('validatePairs', () => {
  const ok: InteractionPair[] = [{ subject: 0, object: 1, candidates: [0, 2] }];

  it('accepts valid pairs and no pairs', () => {
    expect(() => validatePairs(ok, 2, 3)).not.toThrow();
    expect(() => validatePairs([], 0, 0)).not.toThrow();
  });

  it.each([
    [{ subject: 0, object: 2, candidates: [0] }, 'pairs[0].object', /instance index in \[0, 1\]/],
    [{ subject: -1, object: 1, candidates: [0] }, 'pairs[0].subject', /instance index/],
    [{ subject: 1.5, object: 0, candidates: [0] }, 'pairs[0].subject', /instance index/],
    [{ subject: 1, object: 1, candidates: [0] }, 'pairs[0]', /two different instances/],
    [{ subject: 0, object: 1, candidates: [3] }, 'pairs[0].candidates', /indices in \[0, 2\]/],
  ])('rejects %o naming %s', (pair, argument, message) => {
    expect(() => validatePairs([pair as InteractionPair], 2, 3)).toThrow(
      expect.objectContaining({
        name: 'HoiInvalidArgumentError',
        argument,
        message: expect.stringMatching(message),
      }),
    );
  });
});

describe('validateInstances', () => {
  it('rejects a label outside the detector label set, naming it', () => {
    expect(() =>
      validateInstances(
        [{ box: [0, 0, 1, 1], label: 'dragon', score: 0.5 }],
        'instances',
        new Set(['person', 'cup']),
      ),
    ).toThrow(
      expect.objectContaining({
        argument: 'instances[0].label',
        message: expect.stringContaining('"dragon"'),
      }),
    );
  });

  it('rejects a non-array', () => {
    expect(() => validateInstances({} as never)).toThrow(expect.objectContaining({ argument: 'instances' }));
  });
});
