import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { ImageDecodeError, InvalidArgumentError } from '../errors/hoi-error.js';
import type { ImageInput, RgbImage } from '../spec/image.js';

/** Default pixel limit: 100 megapixels, enough for any camera, refuses decompression bombs. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

export interface LoadImageOptions {
  /** Refuse images with more pixels than this (width x height), before decoding them. Default 1e8. */
  maxPixels?: number;
  /** Name used in error messages and the result record for byte inputs. */
  name?: string;
}

/** A decoded image plus the name it goes by in results and errors. */
export interface LoadedImage extends RgbImage {
  /** The path, the given name, or `<buffer>` / `<rgb>`. */
  readonly name: string;
}

/** True when the value has the shape of a decoded {@link RgbImage}. */
export function isRgbImage(value: unknown): value is RgbImage {
  const v = value as RgbImage;
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Uint8Array) &&
    typeof v.width === 'number' &&
    typeof v.height === 'number' &&
    v.data instanceof Uint8Array
  );
}

/**
 * Decodes any {@link ImageInput} to 8-bit RGB with sharp: EXIF orientation applied, alpha dropped,
 * grey and CMYK converted to sRGB. The pixel limit is checked from the header, so an oversized image is
 * refused without allocating its pixels.
 */
export async function loadImage(input: ImageInput, options: LoadImageOptions = {}): Promise<LoadedImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!(Number.isFinite(maxPixels) && maxPixels > 0)) {
    throw new InvalidArgumentError('maxPixels', 'a positive number of pixels', maxPixels);
  }
  if (isRgbImage(input)) return validateRgb(input, options.name ?? '<rgb>', maxPixels);

  let bytes: Uint8Array;
  let name: string;
  if (typeof input === 'string') {
    name = options.name ?? input;
    if (input.length === 0)
      throw new InvalidArgumentError('image', 'a file path, encoded image bytes or an RgbImage', input);
    try {
      bytes = await readFile(input);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EISDIR'
            ? 'it is a folder, not an image file'
            : String(error);
      throw new ImageDecodeError(name, reason, { cause: error });
    }
  } else if (input instanceof Uint8Array) {
    bytes = input;
    name = options.name ?? '<buffer>';
  } else if (input instanceof ArrayBuffer) {
    bytes = new Uint8Array(input);
    name = options.name ?? '<buffer>';
  } else {
    throw new InvalidArgumentError(
      'image',
      'a file path, a Uint8Array/Buffer of an encoded image, or { data: Uint8Array, width, height, channels: 3 }',
      input,
    );
  }
  if (bytes.length === 0) throw new ImageDecodeError(name, 'the file is empty (0 bytes)');

  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(bytes, { limitInputPixels: false, failOn: 'error' }).metadata();
  } catch (error) {
    throw new ImageDecodeError(name, `not a readable image (${(error as Error).message})`, { cause: error });
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (!pixels) throw new ImageDecodeError(name, 'the image header has no size');
  if (pixels > maxPixels) {
    throw new ImageDecodeError(
      name,
      `${meta.width} x ${meta.height} = ${pixels} pixels is over the limit of ${maxPixels}; raise maxPixels (--max-pixels) if you trust this file`,
    );
  }
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' })
      .rotate()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) {
      throw new Error(`decoded to ${info.channels} channels instead of 3`);
    }
    return {
      name,
      width: info.width,
      height: info.height,
      channels: 3,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
  } catch (error) {
    throw new ImageDecodeError(name, `cannot decode (${(error as Error).message})`, { cause: error });
  }
}

function validateRgb(image: RgbImage, name: string, maxPixels: number): LoadedImage {
  const { width, height, data } = image;
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new InvalidArgumentError('image.width/height', 'positive integers', `${width} x ${height}`);
  }
  if (width * height > maxPixels) {
    throw new ImageDecodeError(name, `${width} x ${height} is over the pixel limit of ${maxPixels}`);
  }
  if (image.channels !== undefined && image.channels !== 3) {
    throw new InvalidArgumentError('image.channels', '3 (RGB, interleaved)', image.channels);
  }
  if (data.length !== width * height * 3) {
    throw new InvalidArgumentError('image.data', `width * height * 3 = ${width * height * 3} bytes`, data);
  }
  return { name, width, height, channels: 3, data };
}
