import type { BoxXyxy } from '../spec/common.js';

/** Width and height of an x1,y1,x2,y2 box; with `plusOne` (the HICO-DET MATLAB convention) each side counts both end pixels. */
export function boxArea(box: readonly number[], plusOne = false): number {
  const e = plusOne ? 1 : 0;
  return Math.max(0, box[2]! - box[0]! + e) * Math.max(0, box[3]! - box[1]! + e);
}

/** Clips a box to [0, width] x [0, height]. Returns a new box. */
export function clipBox(box: readonly number[], width: number, height: number): BoxXyxy {
  return [
    Math.min(Math.max(box[0]!, 0), width),
    Math.min(Math.max(box[1]!, 0), height),
    Math.min(Math.max(box[2]!, 0), width),
    Math.min(Math.max(box[3]!, 0), height),
  ];
}

/** Scales a box from one pixel space to another of a different size (no padding involved). */
export function scaleBox(
  box: readonly number[],
  from: { width: number; height: number },
  to: { width: number; height: number },
): BoxXyxy {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  return [box[0]! * sx, box[1]! * sy, box[2]! * sx, box[3]! * sy];
}

/** Converts centre-x, centre-y, width, height to x1, y1, x2, y2. */
export function cxcywhToXyxy(cx: number, cy: number, w: number, h: number): BoxXyxy {
  return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
}

/** Union (smallest enclosing) box of two boxes. */
export function unionBox(a: readonly number[], b: readonly number[]): BoxXyxy {
  return [Math.min(a[0]!, b[0]!), Math.min(a[1]!, b[1]!), Math.max(a[2]!, b[2]!), Math.max(a[3]!, b[3]!)];
}
