import { describe, expect, it } from 'vitest';
import { parseChatResponse } from './parse-chat-response.js';

describe('parseChatResponse', () => {
  it('reads text, first-token top logprobs, prompt logprobs and usage', () => {
    const r = parseChatResponse({
      choices: [
        {
          message: { content: 'A' },
          logprobs: {
            content: [
              {
                token: 'A',
                logprob: -0.1,
                top_logprobs: [
                  { token: 'A', logprob: -0.1, bytes: [65] },
                  { token: 'B', logprob: -2.5 },
                ],
              },
            ],
          },
        },
      ],
      usage: { prompt_tokens: 300, completion_tokens: 1 },
      prompt_logprobs: [null, { '1': { logprob: -1, decoded_token: 'x' } }],
    });
    expect(r).toEqual({
      text: 'A',
      firstTokenTopLogprobs: [
        { token: 'A', logprob: -0.1 },
        { token: 'B', logprob: -2.5 },
      ],
      promptLogprobs: [null, { '1': { logprob: -1, decoded_token: 'x' } }],
      promptTokens: 300,
      completionTokens: 1,
    });
  });

  it('omits logprobs when the server sent none (null, empty, absent)', () => {
    for (const logprobs of [null, undefined, { content: null }, { content: [] }]) {
      const r = parseChatResponse({ choices: [{ message: { content: '["A"]' }, logprobs }] });
      expect(r.firstTokenTopLogprobs).toBeUndefined();
      expect(r.text).toBe('["A"]');
      expect(r.promptTokens).toBe(0);
    }
  });

  it('throws OutputParseError without choices', () => {
    expect(() => parseChatResponse({ error: 'x' })).toThrow(/at least one choice/);
    expect(() => parseChatResponse({ choices: [] })).toThrow(/at least one choice/);
    expect(() => parseChatResponse(null)).toThrow(/at least one choice/);
  });
});
