import { InvalidArgumentError } from '../errors/hoi-error.js';

/**
 * A vision encoder's patch tokens laid out on their spatial grid, channel-last (row-major
 * height x width x channels), which is how ViT-style encoders (CLIP, SigLIP, Qwen2.5-VL's merger) emit
 * them: token t = row * width + col, its features at `data[t * channels .. (t+1) * channels)`. Keeping
 * that layout means pooling reads each token's features contiguously and no transpose is needed.
 */
export interface TokenGrid {
  data: Float32Array;
  height: number;
  width: number;
  channels: number;
}

/** Throws an {@link InvalidArgumentError} unless `grid` is a consistent, non-empty token grid. */
export function assertTokenGrid(grid: TokenGrid, argument = 'grid'): void {
  const { height, width, channels, data } = grid;
  const dimsOk = [height, width, channels].every((d) => Number.isInteger(d) && d > 0);
  if (!dimsOk || !(data instanceof Float32Array) || data.length !== height * width * channels) {
    throw new InvalidArgumentError(
      argument,
      'a TokenGrid with positive integer height, width, channels and a Float32Array of height*width*channels values',
      { height, width, channels, length: data?.length },
    );
  }
}
