import { InvalidArgumentError } from '@hoi/core';

/** Pixel limits and patch size of Qwen2-VL / Qwen2.5-VL's image processor. */
export interface QwenResizeOptions {
  /** Side multiple in model pixels: patch 14 x merge 2 = 28 for Qwen2/2.5-VL (32 for Qwen3-VL). */
  factor?: number;
  /** Smallest pixel count after resizing (processor default 56 * 56). */
  minPixels?: number;
  /** Largest pixel count after resizing (Qwen2.5-VL preprocessor_config default 12,845,056). */
  maxPixels?: number;
}

/** Qwen2.5-VL preprocessor defaults. */
export const QWEN_RESIZE_DEFAULTS: Required<QwenResizeOptions> = {
  factor: 28,
  minPixels: 56 * 56,
  maxPixels: 12_845_056,
};

/**
 * The size Qwen2/2.5-VL resizes an image to before patching ("smart resize"): each side rounded to a
 * multiple of `factor`, then scaled (keeping aspect ratio) into [minPixels, maxPixels]. Qwen-grounded
 * models read absolute box coordinates in this resized space, so prompts must use it.
 * Written here because no JavaScript library exposes it without loading the model's processor.
 */
export function qwenSmartResize(
  width: number,
  height: number,
  options: QwenResizeOptions = {},
): { width: number; height: number } {
  const { factor, minPixels, maxPixels } = { ...QWEN_RESIZE_DEFAULTS, ...options };
  if (!(width > 0 && height > 0)) {
    throw new InvalidArgumentError('width/height', 'positive image dimensions', `${width}x${height}`);
  }
  if (Math.max(width, height) / Math.min(width, height) > 200) {
    throw new InvalidArgumentError(
      'width/height',
      'an aspect ratio below 200 (Qwen limit)',
      `${width}x${height}`,
    );
  }
  let h = Math.max(factor, roundHalfEven(height / factor) * factor);
  let w = Math.max(factor, roundHalfEven(width / factor) * factor);
  if (h * w > maxPixels) {
    const beta = Math.sqrt((height * width) / maxPixels);
    h = Math.max(factor, Math.floor(height / beta / factor) * factor);
    w = Math.max(factor, Math.floor(width / beta / factor) * factor);
  } else if (h * w < minPixels) {
    const beta = Math.sqrt(minPixels / (height * width));
    h = Math.ceil((height * beta) / factor) * factor;
    w = Math.ceil((width * beta) / factor) * factor;
  }
  return { width: w, height: h };
}

/** Python's round(): halves go to the even neighbour, as the reference processor does. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
