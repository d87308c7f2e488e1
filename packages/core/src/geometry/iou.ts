export interface IouOptions {
  /**
   * Count both end pixels of each side, as the HICO-DET MATLAB code and V-COCO do:
   * width = x2 - x1 + 1. Default false (continuous coordinates, as torchvision).
   */
  plusOne?: boolean;
}

/** Intersection over union of two x1,y1,x2,y2 boxes. 0 when they do not overlap or both are empty. */
export function iou(a: readonly number[], b: readonly number[], options: IouOptions = {}): number {
  const e = options.plusOne ? 1 : 0;
  const iw = Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!) + e;
  const ih = Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!) + e;
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const areaA = (a[2]! - a[0]! + e) * (a[3]! - a[1]! + e);
  const areaB = (b[2]! - b[0]! + e) * (b[3]! - b[1]! + e);
  const union = areaA + areaB - inter;
  return union > 0 ? inter / union : 0;
}
