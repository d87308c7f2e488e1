import { describe, expect, it } from 'vitest';
import { parseChatResponse, parseTgiGenerateResponse } from './parse-chat-response.js';
import { tgiGenerateUrl } from './tgi-generate.js';

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

describe('parseTgiGenerateResponse', () => {
  it('reads an object or a one-element array', () => {
    const body = {
      generated_text: ' x',
      details: { generated_tokens: 1, prefill: [{ id: 1, text: '<s>', logprob: null }] },
    };
    for (const json of [body, [body]]) {
      expect(parseTgiGenerateResponse(json)).toEqual({
        text: ' x',
        prefill: [{ id: 1, text: '<s>', logprob: null }],
        promptTokens: 1,
        completionTokens: 1,
      });
    }
  });
  it('leaves prefill out when absent or empty, and rejects bodies without generated_text', () => {
    expect(
      parseTgiGenerateResponse({ generated_text: '', details: { prefill: [] } }).prefill,
    ).toBeUndefined();
    expect(() => parseTgiGenerateResponse({ error: 'x' })).toThrow(/generated_text/);
    expect(() => parseTgiGenerateResponse([])).toThrow(/generated_text/);
  });
});

describe('tgiGenerateUrl', () => {
  it.each([
    ['http://h:8080/v1', 'http://h:8080/generate'],
    ['http://h:8080/v1/', 'http://h:8080/generate'],
    ['https://x.endpoints.huggingface.cloud', 'https://x.endpoints.huggingface.cloud/generate'],
  ])('%s', (base, url) => expect(tgiGenerateUrl(base)).toBe(url));
});
