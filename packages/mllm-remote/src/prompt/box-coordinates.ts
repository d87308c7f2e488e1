import type { BoxXyxy } from '@hoi/core/spec';
import { type QwenResizeOptions, qwenSmartResize } from '../image/smart-resize.js';

/**
 * How box coordinates are written into the prompt, in the convention the model was trained on:
 * - `qwen-absolute`: integer pixels of the image as Qwen2/2.5-VL resizes it (smart resize of the sent image);
 * - `norm-1000`: integers on a 0-1000 scale (Qwen-VL 1, InternVL, CogVLM, Florence-style);
 * - `norm-1`: fractions in [0, 1] with 3 decimals (LLaVA-style);
 * - `none`: no coordinates (use with drawn boxes).
 */
export type BoxCoordinateFormat = 'qwen-absolute' | 'norm-1000' | 'norm-1' | 'none';

/**
 * Converts a box given in the pixels of the region shown to the model (full image or crop, `regionWidth`
 * x `regionHeight` source pixels) into the model's coordinate convention. `sentWidth`/`sentHeight` are the
 * pixel sizes of the JPEG actually sent (qwen-absolute resizes from there, as the server does).
 */
export function formatBoxCoordinates(
  box: BoxXyxy,
  format: BoxCoordinateFormat,
  region: { width: number; height: number },
  sent: { width: number; height: number },
  qwen: QwenResizeOptions = {},
): number[] | undefined {
  const nx = (v: number) => Math.min(1, Math.max(0, v / region.width));
  const ny = (v: number) => Math.min(1, Math.max(0, v / region.height));
  const n = [nx(box[0]), ny(box[1]), nx(box[2]), ny(box[3])] as const;
  switch (format) {
    case 'none':
      return undefined;
    case 'norm-1':
      return n.map((v) => Math.round(v * 1000) / 1000);
    case 'norm-1000':
      return n.map((v) => Math.round(v * 1000));
    case 'qwen-absolute': {
      const r = qwenSmartResize(sent.width, sent.height, qwen);
      return [n[0] * r.width, n[1] * r.height, n[2] * r.width, n[3] * r.height].map((v) => Math.round(v));
    }
  }
}

/** One sentence telling the model which convention the numbers use. */
export function describeCoordinateFormat(format: BoxCoordinateFormat): string {
  switch (format) {
    case 'qwen-absolute':
      return 'Coordinates are (x1, y1, x2, y2) in pixels of the image.';
    case 'norm-1000':
      return 'Coordinates are (x1, y1, x2, y2) on a 0-1000 scale of the image width and height.';
    case 'norm-1':
      return 'Coordinates are (x1, y1, x2, y2) as fractions of the image width and height.';
    case 'none':
      return '';
  }
}
