import { describe, expect, it } from 'vitest';
import { phraseLogprobFromPrefill, phraseLogprobFromPromptLogprobs } from './sequence-logprob.js';

const e = (t: string, lp: number, id = '1') => ({ [id]: { logprob: lp, rank: 1, decoded_token: t } });

describe('phraseLogprobFromPromptLogprobs', () => {
  it('sums the tail tokens that spell the phrase', () => {
    const entries = [
      null,
      e('<|im_start|>', -1),
      e('assistant', -0.5),
      e('\n', -0.1),
      e('riding', -0.2),
      e(' a', -0.3),
      e(' bicycle', -0.4),
    ];
    const r = phraseLogprobFromPromptLogprobs(entries, 'riding a bicycle');
    expect(r.tokens).toBe(3);
    expect(r.logProb).toBeCloseTo(-0.9, 12);
  });

  it('picks the prompt token among top-k alternatives', () => {
    const entries = [
      null,
      e('x', -1),
      { '5': { logprob: -0.7, decoded_token: ' cup' }, '9': { logprob: -0.1, decoded_token: ' mug' } },
    ];
    expect(phraseLogprobFromPromptLogprobs(entries, 'cup').logProb).toBeCloseTo(-0.7, 12);
  });

  it('throws when the tail does not spell the phrase, and for empty input', () => {
    expect(() => phraseLogprobFromPromptLogprobs([null, e('hello', -1)], 'riding')).toThrow(
      /prompt_logprobs/,
    );
    expect(() => phraseLogprobFromPromptLogprobs([], 'riding')).toThrow(/prompt_logprobs/);
    expect(phraseLogprobFromPromptLogprobs([], '')).toEqual({ logProb: 0, tokens: 0 });
  });

  it('reads TGI prefill details', () => {
    const r = phraseLogprobFromPrefill(
      [
        { id: 1, text: '<s>', logprob: null },
        { id: 2, text: 'Answer:', logprob: -2 },
        { id: 3, text: ' holding', logprob: -0.25 },
        { id: 4, text: ' a cup', logprob: -0.5 },
      ],
      'holding a cup',
    );
    expect(r.logProb).toBeCloseTo(-0.75, 12);
  });
});
