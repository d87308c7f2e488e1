import { describe, expect, it } from 'vitest';
import { mergeChoiceChunks, readLabelLogprobs, yesProbability } from './choice-scores.js';

const lp = (p: number) => Math.log(p);

describe('readLabelLogprobs', () => {
  it('sums token variants of one label and reads none', () => {
    const r = readLabelLogprobs(
      [
        { token: 'A', logprob: lp(0.5) },
        { token: ' A', logprob: lp(0.1) },
        { token: 'B.', logprob: lp(0.2) },
        { token: 'C', logprob: lp(0.15) },
        { token: 'The', logprob: lp(0.05) },
      ],
      ['A', 'B'],
      'C',
    );
    expect(r?.candidates[0]).toBeCloseTo(lp(0.6), 10);
    expect(r?.candidates[1]).toBeCloseTo(lp(0.2), 10);
    expect(r?.none).toBeCloseTo(lp(0.15), 10);
    expect(r?.missing).toBe(0);
  });

  it('bounds an absent label by the unlisted mass and the least listed probability', () => {
    const r = readLabelLogprobs(
      [
        { token: 'A', logprob: lp(0.9) },
        { token: 'C', logprob: lp(0.06) },
      ],
      ['A', 'B'],
      'C',
    );
    // unlisted mass 0.04, one absent label, least listed 0.06 -> bound 0.04
    expect(Math.exp(r!.candidates[1]!)).toBeCloseTo(0.04, 10);
    expect(r?.missing).toBe(1);
  });

  it('returns undefined when no label is listed, or for empty input', () => {
    expect(readLabelLogprobs([{ token: 'Hello', logprob: 0 }], ['A'], 'B')).toBeUndefined();
    expect(readLabelLogprobs([], ['A'], 'B')).toBeUndefined();
  });
});

describe('mergeChoiceChunks', () => {
  it('equals the softmax over shown labels for one chunk', () => {
    const m = mergeChoiceChunks([{ candidates: [lp(0.5), lp(0.2)], none: lp(0.1), missing: 0 }]);
    expect(m.scores[0]).toBeCloseTo(0.5 / 0.8, 10);
    expect(m.scores[1]).toBeCloseTo(0.2 / 0.8, 10);
    expect(m.interactiveness).toBeCloseTo(0.7 / 0.8, 10);
    expect(m.logProbs[0]).toBeCloseTo(Math.log(0.5 / 0.8), 10);
  });

  it('gives the same scores chunked or not when the model obeys Luce’s axiom', () => {
    // A model with fixed strengths w: any option set gets p = w / sum(w shown).
    const w = [4, 3, 2, 1];
    const none = 2;
    const show = (idx: number[]) => {
      const z = idx.reduce((s, i) => s + w[i]!, 0) + none;
      return { candidates: idx.map((i) => lp(w[i]! / z)), none: lp(none / z), missing: 0 };
    };
    const whole = mergeChoiceChunks([show([0, 1, 2, 3])]);
    const chunked = mergeChoiceChunks([show([0, 1]), show([2, 3])]);
    for (let i = 0; i < 4; i++) expect(chunked.scores[i]).toBeCloseTo(whole.scores[i]!, 12);
    expect(chunked.interactiveness).toBeCloseTo(whole.interactiveness, 12);
  });

  it('keeps ties tied and handles empty input', () => {
    const m = mergeChoiceChunks([{ candidates: [lp(0.3), lp(0.3)], none: lp(0.3), missing: 0 }]);
    expect(m.scores[0]).toBe(m.scores[1]);
    expect(mergeChoiceChunks([])).toEqual({ scores: [], logProbs: [], interactiveness: 0 });
  });
});

describe('yesProbability', () => {
  it.each([
    [
      [
        { token: 'Yes', logprob: lp(0.6) },
        { token: ' yes', logprob: lp(0.1) },
        { token: 'No', logprob: lp(0.3) },
      ],
      0.7,
    ],
    [
      [
        { token: 'YES', logprob: lp(0.2) },
        { token: 'no.', logprob: lp(0.2) },
      ],
      0.5,
    ],
    [[{ token: 'No', logprob: lp(0.9) }], 0],
    [[{ token: 'yes', logprob: lp(0.9) }], 1],
  ])('case %#', (top, expected) => {
    expect(yesProbability(top)).toBeCloseTo(expected, 10);
  });
  it('is undefined when neither answer is listed or the list is empty', () => {
    expect(yesProbability([{ token: 'Maybe', logprob: 0 }])).toBeUndefined();
    expect(yesProbability([])).toBeUndefined();
  });
});
