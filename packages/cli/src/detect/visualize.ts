import type { LoadedImage } from '@hoi/core';
import type { HoiResult } from '@hoi/core/spec';
import { writeVisualization } from '../render/write-visualization.js';

/** Writes the PNG overlay of one result; the file name follows the image's path. */
export function visualize(image: LoadedImage, result: HoiResult, dir: string): Promise<string> {
  return writeVisualization(image, result, dir);
}
