import { describe, expect, it } from 'vitest';
import { computeLetterbox, letterboxBox, unletterboxBox } from './letterbox.js';

// Expected values follow Ultralytics' LetterBox: r = min(th/h, tw/w); new_unpad = round(w*r), round(h*r)
// with Python's round (ties to even); dw, dh halved; left/top = round(d - 0.1), right/bottom = round(d + 0.1).
describe('computeLetterbox (Ultralytics rules)', () => {
  it.each([
    { src: [640, 427], dst: [640, 640], opts: {}, resized: [640, 427], pad: [0, 106, 0, 107], scale: 1 },
    { src: [427, 640], dst: [640, 640], opts: {}, resized: [427, 640], pad: [106, 0, 107, 0], scale: 1 },
    { src: [1280, 720], dst: [640, 640], opts: {}, resized: [640, 360], pad: [0, 140, 0, 140], scale: 0.5 },
    // non-square targets
    {
      src: [640, 427],
      dst: [640, 384],
      opts: {},
      resized: [576, 384],
      pad: [32, 0, 32, 0],
      scale: 384 / 427,
    },
    {
      src: [427, 640],
      dst: [384, 640],
      opts: {},
      resized: [384, 576],
      pad: [0, 32, 0, 32],
      scale: 384 / 427,
    },
    // 427 * 0.5 = 213.5 -> 214 (even) in Python
    { src: [640, 427], dst: [320, 640], opts: {}, resized: [320, 214], pad: [0, 213, 0, 213], scale: 0.5 },
    // odd padding: 31 -> 15 top, 16 bottom
    { src: [100, 51], dst: [64, 64], opts: {}, resized: [64, 33], pad: [0, 15, 0, 16], scale: 0.64 },
    // 5 * 0.5 = 2.5 -> 2 (Python ties to even), not 3 as Math.round would give
    { src: [5, 10], dst: [100, 5], opts: {}, resized: [2, 5], pad: [49, 0, 49, 0], scale: 0.5 },
    // scaleUp false keeps a small image at its size
    {
      src: [320, 240],
      dst: [640, 640],
      opts: { scaleUp: false },
      resized: [320, 240],
      pad: [160, 200, 160, 200],
      scale: 1,
    },
    // center false pads right and bottom only
    {
      src: [640, 427],
      dst: [640, 640],
      opts: { center: false },
      resized: [640, 427],
      pad: [0, 0, 0, 213],
      scale: 1,
    },
  ])('$src -> $dst $opts', ({ src, dst, opts, resized, pad, scale }) => {
    const t = computeLetterbox(src[0]!, src[1]!, dst[0]!, dst[1]!, opts);
    expect([t.resizedWidth, t.resizedHeight]).toEqual(resized);
    expect([t.padLeft, t.padTop, t.padRight, t.padBottom]).toEqual(pad);
    expect(t.scale).toBeCloseTo(scale, 12);
    // The padded image fills the target exactly.
    expect(t.padLeft + t.resizedWidth + t.padRight).toBe(dst[0]);
    expect(t.padTop + t.resizedHeight + t.padBottom).toBe(dst[1]);
  });
});

describe('letterboxBox / unletterboxBox', () => {
  const transforms = [
    computeLetterbox(640, 427, 640, 640),
    computeLetterbox(427, 640, 640, 640),
    computeLetterbox(640, 427, 320, 640),
    computeLetterbox(1280, 720, 640, 384),
    computeLetterbox(5, 10, 100, 5),
  ];
  const boxes = [
    [0, 0, 10, 10],
    [12.5, 33.25, 400.75, 420],
    [-5, -5, 0, 0],
    [100, 100, 100, 100],
  ];
  it.each(transforms)(
    'round-trips boxes through $sourceWidth x $sourceHeight -> $targetWidth x $targetHeight',
    (t) => {
      for (const b of boxes) {
        const back = unletterboxBox(letterboxBox(b, t), t);
        for (let i = 0; i < 4; i++) expect(back[i]).toBeCloseTo(b[i]!, 9);
      }
    },
  );

  it('maps the full source image onto the resized region', () => {
    const t = computeLetterbox(640, 427, 640, 640);
    expect(letterboxBox([0, 0, 640, 427], t)).toEqual([0, 106, 640, 533]);
    expect(unletterboxBox([0, 106, 640, 533], t)).toEqual([0, 0, 640, 427]);
  });

  it('uses the per-axis scale of the rounded resize', () => {
    const t = computeLetterbox(5, 10, 100, 5); // resized 2 x 5: x scale 0.4, y scale 0.5
    expect(letterboxBox([5, 10, 5, 10], t)).toEqual([51, 5, 51, 5]);
  });
});

describe('computeLetterbox zero padding', () => {
  it('reports zero padding as +0, never -0', () => {
    const t = computeLetterbox(640, 640, 640, 640);
    expect(Object.is(t.padLeft, 0)).toBe(true);
    expect(Object.is(t.padTop, 0)).toBe(true);
  });
});
