import type { BoxXyxy } from '../spec/common.js';

/** How a source image was placed in a model input: scale, then offset by the padding. */
export interface LetterboxTransform {
  /** Source size. */
  sourceWidth: number;
  sourceHeight: number;
  /** Model input size. */
  targetWidth: number;
  targetHeight: number;
  /** Scale applied to source pixels (same on both axes). */
  scale: number;
  /** Size of the resized image inside the target, in model pixels (integers). */
  resizedWidth: number;
  resizedHeight: number;
  /** Padding left and top, in model pixels. */
  padLeft: number;
  padTop: number;
  /** Padding right and bottom, in model pixels. */
  padRight: number;
  padBottom: number;
}

export interface LetterboxOptions {
  /** Allow scaling up images smaller than the target. Default true (Ultralytics' `scaleup`). */
  scaleUp?: boolean;
  /** Centre the image (padding split on both sides). Default true; false pads only right and bottom. */
  center?: boolean;
}

/**
 * Python's `round()` (ties to even), which Ultralytics uses: `Math.round` sends 2.5 to 3 where Python
 * gives 2, so a source side that scales to exactly x.5 pixels would otherwise be resized one pixel off.
 */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Computes the letterbox that fits a source image into a target size keeping its aspect ratio,
 * exactly as Ultralytics' `LetterBox` does: r = min(tw/w, th/h); resized = round(w*r), round(h*r);
 * the padding is split in two with the -0.1/+0.1 rounding Ultralytics uses, so the left/top pad
 * gets the smaller half.
 */
export function computeLetterbox(
  sourceWidth: number,
  sourceHeight: number,
  targetWidth: number,
  targetHeight: number,
  options: LetterboxOptions = {},
): LetterboxTransform {
  const { scaleUp = true, center = true } = options;
  let scale = Math.min(targetWidth / sourceWidth, targetHeight / sourceHeight);
  if (!scaleUp) scale = Math.min(scale, 1);
  const resizedWidth = roundHalfEven(sourceWidth * scale);
  const resizedHeight = roundHalfEven(sourceHeight * scale);
  let dw = targetWidth - resizedWidth;
  let dh = targetHeight - resizedHeight;
  let padLeft = 0;
  let padTop = 0;
  if (center) {
    dw /= 2;
    dh /= 2;
    padLeft = roundHalfEven(dw - 0.1) + 0; // + 0 turns the -0 of round(-0.1) into 0
    padTop = roundHalfEven(dh - 0.1) + 0;
  }
  const padRight = center ? roundHalfEven(dw + 0.1) : dw;
  const padBottom = center ? roundHalfEven(dh + 0.1) : dh;
  return {
    sourceWidth,
    sourceHeight,
    targetWidth,
    targetHeight,
    scale,
    resizedWidth,
    resizedHeight,
    padLeft,
    padTop,
    padRight,
    padBottom,
  };
}

/** Maps a box from source pixels into the letterboxed model input. */
export function letterboxBox(box: readonly number[], t: LetterboxTransform): BoxXyxy {
  const sx = t.resizedWidth / t.sourceWidth;
  const sy = t.resizedHeight / t.sourceHeight;
  return [
    box[0]! * sx + t.padLeft,
    box[1]! * sy + t.padTop,
    box[2]! * sx + t.padLeft,
    box[3]! * sy + t.padTop,
  ];
}

/**
 * The exact inverse of {@link letterboxBox}: maps a box from model-input pixels back to source pixels
 * (remove the padding, divide by the per-axis scale of the rounded resize). Does not clip.
 */
export function unletterboxBox(box: readonly number[], t: LetterboxTransform): BoxXyxy {
  const sx = t.resizedWidth / t.sourceWidth;
  const sy = t.resizedHeight / t.sourceHeight;
  return [
    (box[0]! - t.padLeft) / sx,
    (box[1]! - t.padTop) / sy,
    (box[2]! - t.padLeft) / sx,
    (box[3]! - t.padTop) / sy,
  ];
}
