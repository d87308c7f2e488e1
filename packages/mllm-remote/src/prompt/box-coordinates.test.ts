import { describe, expect, it } from 'vitest';
import { formatBoxCoordinates } from './box-coordinates.js';

const region = { width: 640, height: 480 };

describe('formatBoxCoordinates', () => {
  it.each([
    ['norm-1', [0, 0, 0.5, 0.5]],
    ['norm-1000', [0, 0, 500, 500]],
    // sent 640x480 -> smart resize 644x476
    ['qwen-absolute', [0, 0, 322, 238]],
    ['none', undefined],
  ] as const)('%s on a non-square image', (format, expected) => {
    expect(formatBoxCoordinates([0, 0, 320, 240], format, region, region)).toEqual(expected);
  });

  it('uses the sent size for qwen-absolute (image downscaled before sending)', () => {
    // source 1280x960 sent at 640x480: the model sees 644x476
    expect(
      formatBoxCoordinates([640, 480, 1280, 960], 'qwen-absolute', { width: 1280, height: 960 }, region),
    ).toEqual([322, 238, 644, 476]);
  });

  it('clips boxes outside the region', () => {
    expect(formatBoxCoordinates([-10, -5, 700, 500], 'norm-1000', region, region)).toEqual([
      0, 0, 1000, 1000,
    ]);
  });

  it('handles an empty (zero-area) box', () => {
    expect(formatBoxCoordinates([64, 48, 64, 48], 'norm-1000', region, region)).toEqual([100, 100, 100, 100]);
  });
});
