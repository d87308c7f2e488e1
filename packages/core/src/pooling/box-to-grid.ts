import { InvalidArgumentError } from '../errors/hoi-error.js';
import type { BoxXyxy } from '../spec/common.js';

/**
 * Maps an x1,y1,x2,y2 box from image pixels to token-grid cell coordinates (cell (r, c) spans
 * [c, c+1) x [r, r+1)), scaling each axis by grid/image. Per-axis scaling is right whenever the encoder
 * stretched the whole image onto its grid (Qwen2.5-VL's resize to multiples of 28 px changes the aspect
 * slightly; CLIP/SigLIP resize to a square). Use with `roiAlign(..., { aligned: true })`, whose
 * half-pixel shift puts a cell's centre at c + 0.5, where its receptive field is.
 */
export function imageBoxToGrid(
  box: readonly number[],
  image: { width: number; height: number },
  grid: { width: number; height: number },
): BoxXyxy {
  if (!(image.width > 0 && image.height > 0)) {
    throw new InvalidArgumentError('image', 'a positive {width, height} in pixels', image);
  }
  if (!(grid.width > 0 && grid.height > 0)) {
    throw new InvalidArgumentError('grid', 'a positive {width, height} in cells', {
      width: grid.width,
      height: grid.height,
    });
  }
  const sx = grid.width / image.width;
  const sy = grid.height / image.height;
  return [box[0]! * sx, box[1]! * sy, box[2]! * sx, box[3]! * sy];
}
