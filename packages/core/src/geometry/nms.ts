import { iou } from './iou.js';

export interface NmsOptions {
  /** Suppress a box whose IoU with a kept box of the same group is above this. Default 0.5. */
  iouThreshold?: number;
  /**
   * Group per box (class index or label). Boxes only suppress boxes of the same group (class-wise NMS).
   * Omit for class-agnostic NMS.
   */
  groups?: ArrayLike<number | string>;
  /** Stop after keeping this many boxes. */
  maxKeep?: number;
}

/**
 * Greedy non-maximum suppression. Returns the indices of kept boxes, best score first; equal scores keep
 * input order (a stable sort), so the result is deterministic. A box is suppressed when its IoU with an
 * already kept box is strictly greater than the threshold, as in torchvision's `nms`.
 */
export function nms(
  boxes: ArrayLike<readonly number[]>,
  scores: ArrayLike<number>,
  options: NmsOptions = {},
): number[] {
  const { iouThreshold = 0.5, groups, maxKeep = Number.POSITIVE_INFINITY } = options;
  const n = boxes.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => scores[j]! - scores[i]! || i - j);
  const suppressed = new Uint8Array(n);
  const keep: number[] = [];
  for (let oi = 0; oi < n && keep.length < maxKeep; oi++) {
    const i = order[oi]!;
    if (suppressed[i]) continue;
    keep.push(i);
    for (let oj = oi + 1; oj < n; oj++) {
      const j = order[oj]!;
      if (suppressed[j]) continue;
      if (groups && groups[i] !== groups[j]) continue;
      if (iou(boxes[i]!, boxes[j]!) > iouThreshold) suppressed[j] = 1;
    }
  }
  return keep;
}
