import type { RgbImage } from '@hoi/core';
import { RawImage } from '@huggingface/transformers';

/** What {@link stretchToTensor} needs from `preprocessor_config.json`. */
export interface StretchPreprocessing {
  size: number;
  mean: readonly number[];
  std: readonly number[];
  rescale: number;
  /** transformers.js/PIL resample code (2 bilinear, 3 bicubic). */
  resample: number;
}

/**
 * Resizes the whole image to size x size (stretching, never cropping) and returns CHW float pixels,
 * rescaled and normalised as the checkpoint's preprocessor says. The stock CLIP processor center-crops,
 * which would drop instances near the image border and break the linear image-box -> token-grid
 * mapping that pooling relies on; a stretch keeps every box inside and maps each axis linearly.
 * Resizing is transformers.js' `RawImage.resize` (sharp), so it matches its processors' interpolation.
 */
export async function stretchToTensor(image: RgbImage, pre: StretchPreprocessing): Promise<Float32Array> {
  const raw = new RawImage(
    new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength),
    image.width,
    image.height,
    3,
  );
  const resized =
    image.width === pre.size && image.height === pre.size
      ? raw
      : await raw.resize(pre.size, pre.size, { resample: pre.resample as 0 | 1 | 2 | 3 | 4 | 5 });
  const src = resized.data;
  const n = pre.size * pre.size;
  const out = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) {
    const m = pre.mean[c] ?? 0;
    const s = pre.std[c] ?? 1;
    for (let i = 0; i < n; i++) out[c * n + i] = (src[i * 3 + c]! * pre.rescale - m) / s;
  }
  return out;
}

/** Reads the stretch settings from a parsed preprocessor_config.json and config.json. */
export function stretchSettings(
  preprocessor: Record<string, unknown>,
  config: Record<string, unknown>,
): StretchPreprocessing {
  const vision = (config.vision_config ?? {}) as Record<string, unknown>;
  const crop = preprocessor.crop_size as { height?: number } | number | undefined;
  const size = preprocessor.size as { height?: number; shortest_edge?: number } | number | undefined;
  const fromPre =
    (typeof crop === 'object' ? crop.height : crop) ??
    (typeof size === 'object' ? (size.height ?? size.shortest_edge) : size);
  return {
    size: Number(vision.image_size ?? fromPre ?? 224),
    mean: (preprocessor.image_mean as number[] | undefined) ?? [0.5, 0.5, 0.5],
    std: (preprocessor.image_std as number[] | undefined) ?? [0.5, 0.5, 0.5],
    rescale: preprocessor.do_rescale === false ? 1 : Number(preprocessor.rescale_factor ?? 1 / 255),
    resample: Number(preprocessor.resample ?? 2),
  };
}
