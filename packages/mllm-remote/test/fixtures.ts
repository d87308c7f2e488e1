import type { DetectedInstance, InteractionCandidate, InteractionPair, RgbImage } from '@hoi/core/spec';

/** A non-square grey image with a gradient, so JPEG encoding is not trivial. */
export function testImage(width = 320, height = 200): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x * 255) / width;
      data[i + 1] = (y * 255) / height;
      data[i + 2] = 128;
    }
  return { width, height, channels: 3, data };
}

/**
 * One person in the middle, a cup to the left, a ball to the right. Candidates name a side, so the
 * fake server's box-reading model makes the right one known by construction.
 */
export function leftRightScene() {
  const instances: DetectedInstance[] = [
    { box: [120, 40, 200, 190], label: 'person', score: 0.9 },
    { box: [10, 100, 60, 150], label: 'cup', score: 0.8 },
    { box: [250, 120, 300, 170], label: 'sports_ball', score: 0.7 },
  ];
  const candidates: InteractionCandidate[] = [
    { verb: 'reach_left', object: 'cup', phrase: 'reaching left for a cup' },
    { verb: 'reach_right', object: 'cup', phrase: 'reaching right for a cup' },
    { verb: 'kick_left', object: 'sports_ball', phrase: 'kicking left a sports ball' },
    { verb: 'kick_right', object: 'sports_ball', phrase: 'kicking right a sports ball' },
  ];
  const pairs: InteractionPair[] = [
    { subject: 0, object: 1, candidates: [0, 1] },
    { subject: 0, object: 2, candidates: [2, 3] },
  ];
  return { image: testImage(), instances, candidates, pairs };
}
