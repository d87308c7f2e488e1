import { describe, expect, it } from 'vitest';
import { contactCues, distanceToBox } from './contact-cues.js';
import type { PersonPose } from './movenet.js';

/** A standing person in box [100, 100, 200, 400] (height 300 -> distance scale 24 px), facing right. */
function standing(
  overrides: Partial<Record<number, { x: number; y: number; score?: number }>> = {},
): PersonPose {
  const base: [number, number][] = [
    [160, 120], // nose (right of the ears: facing right)
    [155, 115],
    [155, 115],
    [145, 118], // left ear
    [145, 118], // right ear (same side in profile)
    [130, 170],
    [170, 170],
    [125, 230],
    [175, 230],
    [120, 280], // left wrist
    [180, 280], // right wrist
    [135, 290],
    [165, 290],
    [135, 340],
    [165, 340],
    [135, 395], // left ankle
    [165, 395],
  ];
  return base.map(([x, y], k) => {
    const o = overrides[k];
    return { x: o?.x ?? x, y: o?.y ?? y, score: o?.score ?? 0.9 };
  });
}
const person = [100, 100, 200, 400];

describe('distanceToBox', () => {
  it.each([
    [5, 5, [0, 0, 10, 10], 0],
    [13, 5, [0, 0, 10, 10], 3],
    [13, 14, [0, 0, 10, 10], 5],
    [-2, 5, [0, 0, 10, 20], 2],
  ])('(%d, %d) to %j is %d', (x, y, box, d) => {
    expect(distanceToBox(x, y, box)).toBeCloseTo(d, 12);
  });
});

describe('contactCues', () => {
  it('hand: 1 with a wrist inside the object, low far away', () => {
    expect(contactCues(standing(), person, [170, 270, 190, 290]).hand).toBe(1);
    expect(contactCues(standing(), person, [500, 270, 520, 290]).hand!).toBeLessThan(1e-5);
  });

  it('hand is undefined when no wrist is confident', () => {
    const pose = standing({ 9: { x: 120, y: 280, score: 0.1 }, 10: { x: 180, y: 280, score: 0.19 } });
    expect(contactCues(pose, person, [170, 270, 190, 290]).hand).toBeUndefined();
  });

  it('seat: high for hips and knees over a horse-like box, low for a box beside the person', () => {
    const over = contactCues(standing(), person, [80, 280, 230, 420]).seat!;
    const beside = contactCues(standing(), person, [400, 280, 500, 420]).seat!;
    expect(over).toBe(1);
    expect(beside).toBeLessThan(0.01);
  });

  it('foot: an ankle touching a ball', () => {
    expect(contactCues(standing(), person, [160, 385, 185, 410]).foot).toBe(1);
    expect(contactCues(standing(), person, [160, 100, 185, 120]).foot!).toBeLessThan(0.01);
  });

  it('gaze: facing an object on the right, away from one on the left, undefined for a frontal face', () => {
    const right = contactCues(standing(), person, [300, 100, 340, 140]).gaze!;
    const left = contactCues(standing(), person, [0, 100, 40, 140]).gaze!;
    expect(right).toBeGreaterThan(0.9);
    expect(left).toBeLessThan(0.1);
    const frontal = standing({ 0: { x: 150, y: 125 }, 3: { x: 140, y: 118 }, 4: { x: 160, y: 118 } });
    expect(contactCues(frontal, person, [300, 100, 340, 140]).gaze).toBeUndefined();
  });

  it('an empty (all-unconfident) pose gives no cue at all', () => {
    const none = standing(
      Object.fromEntries(Array.from({ length: 17 }, (_, k) => [k, { x: 0, y: 0, score: 0 }])),
    );
    expect(contactCues(none, person, [0, 0, 10, 10])).toEqual({
      hand: undefined,
      seat: undefined,
      foot: undefined,
      gaze: undefined,
    });
  });
});
