import { describe, expect, it } from 'vitest';
import { assertNoSecrets } from './secrets.js';

describe('assertNoSecrets', () => {
  const env = {
    HF_TOKEN: 'hf_abcdefghijklmnop',
    OPENAI_API_KEY: 'sk-0123456789',
    MY_SECRET: 'short', // under 8 characters: ignored
    HOME: '/home/someone-long-path', // not a secret name
    EMPTY_TOKEN: '',
  };
  const cases: [string, string, RegExp | null][] = [
    ['empty configuration', '', null],
    ['configuration without secrets', '{"recognizer":"prior","topK":5}', null],
    ['HF token inside a URL', '{"recognizer":"remote:http://u:hf_abcdefghijklmnop@h/v1"}', /\$HF_TOKEN/],
    ['API key as a value', '{"model":"sk-0123456789"}', /\$OPENAI_API_KEY/],
    ['short secret value', '{"model":"short"}', null],
    ['value of a non-secret variable', '{"vocabulary":"/home/someone-long-path/v.json"}', null],
  ];
  for (const [name, config, error] of cases) {
    it(name, () => {
      if (!error) expect(() => assertNoSecrets(config, env)).not.toThrow();
      else {
        expect(() => assertNoSecrets(config, env)).toThrow(error);
        const message = String(
          (() => {
            try {
              assertNoSecrets(config, env);
            } catch (e) {
              return e;
            }
          })(),
        );
        expect(message).not.toContain('hf_abcdefghijklmnop');
        expect(message).not.toContain('sk-0123456789');
      }
    });
  }
});
