import { type BoxXyxy, computeLetterbox, type LetterboxTransform, scaleBox, unletterboxBox } from '@hoi/core';

/**
 * How a source image is fitted into the square model input.
 * - `letterbox` (default): keep the aspect ratio, scale so the long side fills the input, centre it
 *   and pad with black (0). This is what MB3-CenterNet was trained and evaluated with: its data
 *   iterator resizes with one scale `min(512/h, 512/w)` and pads with zeros, and its reference
 *   detector centres the image with `(512 - w') // 2` padding.
 * - `stretch`: resize both axes to the input size independently, as `@vladmandic/human` does.
 *   Objects are distorted by the aspect ratio; kept for parity with Human's results.
 */
export type ResizeMode = 'letterbox' | 'stretch';

/** The mapping between source pixels and model-input pixels for one image. Plain data. */
export interface InputTransform {
  readonly mode: ResizeMode;
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  /** Model input size in model pixels. */
  readonly inputWidth: number;
  readonly inputHeight: number;
  /** Where the resized image sits in the input: left/top offset and size in model pixels. */
  readonly padLeft: number;
  readonly padTop: number;
  readonly resizedWidth: number;
  readonly resizedHeight: number;
  /** The core letterbox, for `letterbox` mode. */
  readonly letterbox?: LetterboxTransform;
}

/**
 * Computes the transform for a source size. The letterbox uses core's `computeLetterbox`, whose
 * centring (left/top pad = floor of half the slack) equals the reference `(512 - w') // 2`.
 */
export function computeInputTransform(
  mode: ResizeMode,
  sourceWidth: number,
  sourceHeight: number,
  inputWidth: number,
  inputHeight: number,
): InputTransform {
  if (mode === 'stretch') {
    return {
      mode,
      sourceWidth,
      sourceHeight,
      inputWidth,
      inputHeight,
      padLeft: 0,
      padTop: 0,
      resizedWidth: inputWidth,
      resizedHeight: inputHeight,
    };
  }
  const letterbox = computeLetterbox(sourceWidth, sourceHeight, inputWidth, inputHeight, { center: true });
  return {
    mode,
    sourceWidth,
    sourceHeight,
    inputWidth,
    inputHeight,
    // core's computeLetterbox yields -0 for a zero pad (Math.round(-0.1)); normalise to +0.
    padLeft: letterbox.padLeft + 0,
    padTop: letterbox.padTop + 0,
    resizedWidth: letterbox.resizedWidth,
    resizedHeight: letterbox.resizedHeight,
    letterbox,
  };
}

/** Maps an x1,y1,x2,y2 box from model-input pixels to source pixels (exact inverse, no clipping). */
export function modelBoxToSource(box: readonly number[], t: InputTransform): BoxXyxy {
  if (t.letterbox) return unletterboxBox(box, t.letterbox);
  return scaleBox(
    box,
    { width: t.inputWidth, height: t.inputHeight },
    { width: t.sourceWidth, height: t.sourceHeight },
  );
}
