/**
 * Multimodal rotary position ids (M-RoPE) of Qwen2-VL / Qwen2.5-VL / Qwen3-VL for one sequence holding at
 * most one image block, as transformers.js' `get_rope_index` computes them: text tokens get the same
 * position on the 3 axes (t, h, w), counting on from the previous maximum + 1; the image tokens after
 * `<|vision_start|>` get (off + frame, off + row, off + col) on the merged grid, off = the position the
 * first image token would have had as text.
 *
 * Re-implemented here (20 lines) instead of calling the model class' method so the raw decoder sessions
 * used for batched scoring do not need a transformers.js model object loaded beside them.
 *
 * @param ids token ids
 * @param imageTokenId `<|image_pad|>` id
 * @param grid merged grid of the image: frames t, rows h, cols w (image tokens = t*h*w)
 * @param start position of ids[0] (0 for a fresh sequence)
 * @returns rows [3][ids.length] and the position the next token takes
 */
export function mropePositionIds(
  ids: readonly number[],
  imageTokenId: number,
  grid: { t: number; h: number; w: number } | undefined,
  start = 0,
): { positions: [number[], number[], number[]]; next: number } {
  const t: number[] = [];
  const h: number[] = [];
  const w: number[] = [];
  let next = start;
  for (let i = 0; i < ids.length; ) {
    if (ids[i] === imageTokenId && grid) {
      const n = grid.t * grid.h * grid.w;
      const off = next;
      for (let k = 0; k < n; k++) {
        t.push(off + Math.floor(k / (grid.h * grid.w)));
        h.push(off + (Math.floor(k / grid.w) % grid.h));
        w.push(off + (k % grid.w));
      }
      next = off + Math.max(grid.t, grid.h, grid.w);
      i += n;
    } else {
      t.push(next);
      h.push(next);
      w.push(next);
      next += 1;
      i += 1;
    }
  }
  return { positions: [t, h, w], next };
}
