import type { DetrResize } from './detr-config.js';

/** Python's `round` (half to even), which transformers' resize arithmetic uses. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The resized size transformers' DETR image processor picks (`get_size_with_aspect_ratio`): the
 * shortest edge becomes `shortestEdge` unless the longest would then exceed `longestEdge`, in which
 * case the longest edge becomes `longestEdge`; the other side is truncated, as in Python.
 * A `{width, height}` rule resizes to exactly that size (RT-DETR's 640x640, aspect not kept).
 */
export function computeResizedSize(
  width: number,
  height: number,
  rule: DetrResize,
): { width: number; height: number } {
  if ('width' in rule) return { width: rule.width, height: rule.height };
  let size = rule.shortestEdge;
  const maxSize = rule.longestEdge;
  let rawSize: number | undefined;
  if (maxSize !== undefined) {
    const minOriginal = Math.min(width, height);
    const maxOriginal = Math.max(width, height);
    if ((maxOriginal / minOriginal) * size > maxSize) {
      rawSize = (maxSize * minOriginal) / maxOriginal;
      size = roundHalfEven(rawSize);
    }
  }
  if ((height <= width && height === size) || (width <= height && width === size)) return { width, height };
  if (width < height) {
    return { width: size, height: Math.trunc(((rawSize ?? size) * height) / width) };
  }
  return { width: Math.trunc(((rawSize ?? size) * width) / height), height: size };
}
