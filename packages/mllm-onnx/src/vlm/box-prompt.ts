import type { VlmFamily } from './vlm-model.js';

/**
 * A box in the coordinate convention the model was trained with, as the text "x1,y1,x2,y2":
 * Qwen2.5-VL uses absolute integer pixels of the resized (smart_resize) image; Qwen2-VL and Qwen3-VL
 * use integers on a 0-1000 relative scale; Idefics3/SmolVLM (no grounding convention of its own) gets
 * fractions of the image size with two decimals.
 */
export function boxForModel(
  family: VlmFamily,
  box: readonly number[],
  source: { width: number; height: number },
  resized: { width: number; height: number },
): string {
  const clampRound = (v: number, max: number) => Math.min(max, Math.max(0, Math.round(v)));
  if (family === 'qwen2_5_vl') {
    const sx = resized.width / source.width;
    const sy = resized.height / source.height;
    return [
      clampRound(box[0]! * sx, resized.width),
      clampRound(box[1]! * sy, resized.height),
      clampRound(box[2]! * sx, resized.width),
      clampRound(box[3]! * sy, resized.height),
    ].join(',');
  }
  if (family === 'idefics3') {
    const f = (v: number, max: number) => Math.min(1, Math.max(0, v / max)).toFixed(2);
    return [
      f(box[0]!, source.width),
      f(box[1]!, source.height),
      f(box[2]!, source.width),
      f(box[3]!, source.height),
    ].join(',');
  }
  return [
    clampRound((box[0]! / source.width) * 1000, 1000),
    clampRound((box[1]! / source.height) * 1000, 1000),
    clampRound((box[2]! / source.width) * 1000, 1000),
    clampRound((box[3]! / source.height) * 1000, 1000),
  ].join(',');
}
