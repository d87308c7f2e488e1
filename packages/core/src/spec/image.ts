/**
 * A decoded image: 8-bit RGB, row-major, interleaved (HWC), no padding between rows.
 * Plain data, so it crosses worker threads and processes unchanged.
 */
export interface RgbImage {
  /** Width in source pixels. */
  readonly width: number;
  /** Height in source pixels. */
  readonly height: number;
  /** Always 3: R, G, B. */
  readonly channels: 3;
  /** `width * height * 3` bytes, RGB interleaved. */
  readonly data: Uint8Array;
}

/**
 * What a user may hand to the pipeline: a file path, the bytes of an encoded image
 * (JPEG, PNG, WebP, ...; a Node `Buffer` is a `Uint8Array`), or an already decoded RGB image.
 * Adapters never see this union: the pipeline decodes once and passes an {@link RgbImage}.
 */
export type ImageInput = string | Uint8Array | ArrayBuffer | RgbImage;
