import type { RgbImage } from '@hoi/core/spec';
import * as tf from '@tensorflow/tfjs-core';
import type { InputTransform } from './input-transform.js';

/**
 * Builds the model input `[1, H, W, 3]` float32 RGB in 0-255 (the graph folds its own normalisation
 * into the first convolution; feeding 0-1 gives scores near 0.01 everywhere).
 * Resizing is bilinear with half-pixel centres, which is what OpenCV's `cv2.resize` (INTER_LINEAR)
 * computes and what the model was trained with; the padding is black (0), as in training.
 * Call inside `tf.tidy`: intermediate tensors are left to the caller's scope.
 */
export function preprocessImage(image: RgbImage, t: InputTransform): tf.Tensor4D {
  // One copy, straight to float32: the uint8 -> int32 -> float32 route would copy twice.
  const pixels = tf.tensor3d(Float32Array.from(image.data), [image.height, image.width, 3], 'float32');
  const sameSize = t.resizedWidth === image.width && t.resizedHeight === image.height;
  const resized = sameSize
    ? pixels
    : tf.image.resizeBilinear(pixels, [t.resizedHeight, t.resizedWidth], false, true);
  const padRight = t.inputWidth - t.resizedWidth - t.padLeft;
  const padBottom = t.inputHeight - t.resizedHeight - t.padTop;
  const padded =
    t.padLeft || t.padTop || padRight || padBottom
      ? tf.pad(
          resized,
          [
            [t.padTop, padBottom],
            [t.padLeft, padRight],
            [0, 0],
          ],
          0,
        )
      : resized;
  return tf.expandDims(padded, 0) as tf.Tensor4D;
}
