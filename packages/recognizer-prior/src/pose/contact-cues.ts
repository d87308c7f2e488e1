import type { CueName } from '../action-map.js';
import type { PersonPose } from './movenet.js';

/**
 * Keypoints below this MoveNet confidence are ignored. 0.2, below @vladmandic/human's body default of 0.3:
 * at 0.3 a gloved hand on an umbrella handle (confidence 0.26) was lost in our test photos, and the cues
 * only read wrists, hips, knees, ankles and the head, each softly.
 */
export const KEYPOINT_MIN_SCORE = 0.2;

/**
 * Distance scale of the cues, as a fraction of the person box's height: a keypoint this far outside
 * the object box scores exp(-1) = 0.37; inside the box it scores 1.
 */
export const CUE_DISTANCE_SCALE = 0.08;

/** Each cue in [0, 1], or undefined when the keypoints it needs were not found with confidence. */
export type ContactCues = Record<CueName, number | undefined>;

const KP = {
  nose: 0,
  leftEye: 1,
  rightEye: 2,
  leftEar: 3,
  rightEar: 4,
  leftWrist: 9,
  rightWrist: 10,
  leftHip: 11,
  rightHip: 12,
  leftKnee: 13,
  rightKnee: 14,
  leftAnkle: 15,
  rightAnkle: 16,
} as const;

/** Euclidean distance from a point to an xyxy box (0 inside). */
export function distanceToBox(x: number, y: number, box: readonly number[]): number {
  const dx = Math.max(box[0]! - x, 0, x - box[2]!);
  const dy = Math.max(box[1]! - y, 0, y - box[3]!);
  return Math.hypot(dx, dy);
}

/**
 * The pose contact cues of one person towards one object box:
 * - `hand`: the best wrist's closeness to the object box (hold, carry, throw, catch, cut, eat, drink,
 *   talk on phone, read, hit with, work on computer);
 * - `seat`: hips and knees horizontally over the object and not below it (ride, sit, lay), averaged;
 * - `foot`: the best ankle's closeness to the object box (kick, board sports);
 * - `gaze`: whether the head is turned towards the object: the sign of the nose's horizontal offset from
 *   the ears' (else eyes') midpoint against the direction to the object centre, (1 + cos) / 2;
 *   undefined for a frontal face, which says nothing about direction in 2-D.
 *
 * @param pose the person's keypoints in source pixels
 * @param person the person box (its height sets the distance scale)
 * @param object the object box, source pixels
 */
export function contactCues(
  pose: PersonPose,
  person: readonly number[],
  object: readonly number[],
): ContactCues {
  const scale = Math.max(person[3]! - person[1]!, 1) * CUE_DISTANCE_SCALE;
  const ok = (k: number) => (pose[k]?.score ?? 0) >= KEYPOINT_MIN_SCORE;
  const closeness = (k: number) => Math.exp(-distanceToBox(pose[k]!.x, pose[k]!.y, object) / scale);
  const best = (ks: number[]) => {
    const found = ks.filter(ok);
    return found.length === 0 ? undefined : Math.max(...found.map(closeness));
  };
  const hand = best([KP.leftWrist, KP.rightWrist]);
  const foot = best([KP.leftAnkle, KP.rightAnkle]);

  const seatPoints = [KP.leftHip, KP.rightHip, KP.leftKnee, KP.rightKnee].filter(ok);
  let seat: number | undefined;
  if (seatPoints.length > 0) {
    let sum = 0;
    for (const k of seatPoints) {
      const { x, y } = pose[k]!;
      const dx = Math.max(object[0]! - x, 0, x - object[2]!);
      // "Over" the object: anywhere from a little above its top down to its bottom edge.
      const below = Math.max(y - object[3]!, 0);
      const above = Math.max(object[1]! - 2 * scale - y, 0);
      sum += Math.exp(-Math.hypot(dx, below, above) / scale);
    }
    seat = sum / seatPoints.length;
  }

  let gaze: number | undefined;
  if (ok(KP.nose)) {
    const pairs: [number, number][] = [
      [KP.leftEar, KP.rightEar],
      [KP.leftEye, KP.rightEye],
    ];
    let centre: { x: number; y: number } | undefined;
    for (const [a, b] of pairs) {
      if (ok(a) && ok(b)) {
        centre = { x: (pose[a]!.x + pose[b]!.x) / 2, y: (pose[a]!.y + pose[b]!.y) / 2 };
        break;
      }
      if (ok(a) !== ok(b)) {
        // Profile view: only one ear (eye) visible, the nose points away from it.
        const k = ok(a) ? a : b;
        centre = { x: pose[k]!.x, y: pose[k]!.y };
        break;
      }
    }
    if (centre) {
      // Only the horizontal nose offset tells the head's turn: the nose sits below the ear line in
      // every view, so its vertical offset says nothing about where the person looks.
      const fx = pose[KP.nose]!.x - centre.x;
      const tx = (object[0]! + object[2]!) / 2 - pose[KP.nose]!.x;
      const ty = (object[1]! + object[3]!) / 2 - pose[KP.nose]!.y;
      const tn = Math.hypot(tx, ty);
      // Below a tenth of the distance scale the nose sits on the head's midline: a frontal face.
      if (Math.abs(fx) >= 0.1 * scale) gaze = tn === 0 ? 1 : (1 + (Math.sign(fx) * tx) / tn) / 2;
    }
  }
  return { hand, seat, foot, gaze };
}
