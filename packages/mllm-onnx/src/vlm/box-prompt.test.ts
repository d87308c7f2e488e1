import { describe, expect, it } from 'vitest';
import { boxForModel } from './box-prompt.js';

describe('boxForModel', () => {
  const source = { width: 640, height: 480 };
  const resized = { width: 644, height: 476 };
  it.each([
    { family: 'qwen2_5_vl' as const, box: [0, 0, 640, 480], want: '0,0,644,476' },
    { family: 'qwen2_5_vl' as const, box: [100, 50, 200.4, 300], want: '101,50,202,298' },
    { family: 'qwen2_vl' as const, box: [100, 50, 200, 300], want: '156,104,313,625' },
    { family: 'qwen3_vl' as const, box: [-5, 0, 700, 480], want: '0,0,1000,1000' },
    { family: 'idefics3' as const, box: [160, 120, 640, 500], want: '0.25,0.25,1.00,1.00' },
  ])('$family $box', ({ family, box, want }) => {
    expect(boxForModel(family, box, source, resized)).toBe(want);
  });
});
