import { readFileSync } from 'node:fs';
import { ModelLoadError, spatialEncoding36 } from '@hoi/core';

/** The reduced pair-level V-COCO layout (fredzzhang/vcoco `instances_vcoco_*.json`), as far as we read it. */
export interface VcocoAnnotationFile {
  annotations: {
    boxes_h: number[][];
    boxes_o: number[][];
    actions: number[];
    objects: number[];
    file_name?: string;
  }[];
  images: number[];
  classes: string[];
  objects: string[];
}

/** All human-object pairs of a V-COCO split as training or evaluation samples. */
export interface VcocoPairSet {
  /** The 24 action-role class names of the file (`hold obj`, ...). */
  classes: string[];
  /** Number of pairs. */
  size: number;
  /** size x 36 row-major spatial encodings ({@link spatialEncoding36}). */
  features: Float32Array;
  /** COCO object index (0..79) of each pair's object. */
  objectIndex: Int32Array;
  /** size x classes.length row-major 0/1 labels. */
  labels: Uint8Array;
  /** Index into the file's `images` / `annotations` of each pair's image. */
  imageIndex: Int32Array;
  /** COCO image id of each pair's image. */
  imageId: Int32Array;
  /** How many pairs carry at least one action. */
  positivePairs: number;
  /** Annotated (pair, action) triplets found. */
  positiveTriplets: number;
}

/**
 * The reduced V-COCO layout carries no image sizes, yet the 36-d encoding normalizes by them. COCO
 * images are stored with their longer side at 640 px (no V-COCO box reaches past 640), and 640x480
 * is their most common size; so we take the side the boxes reach further along as 640 and the other
 * as max(480, furthest box edge), capped at 640. At inference the real image size is used; for COCO-like
 * photos the two agree within a few per cent on the normalized features.
 */
export function estimateCocoImageSize(boxes: readonly (readonly number[])[]): {
  width: number;
  height: number;
} {
  let maxX = 0;
  let maxY = 0;
  for (const b of boxes) {
    maxX = Math.max(maxX, b[2]!);
    maxY = Math.max(maxY, b[3]!);
  }
  if (maxX >= maxY) return { width: Math.max(640, maxX), height: Math.min(640, Math.max(480, maxY)) };
  return { width: Math.min(640, Math.max(480, maxX)), height: Math.max(640, maxY) };
}

function boxKey(b: readonly number[]): string {
  return `${b[0]},${b[1]},${b[2]},${b[3]}`;
}

/** Reads and checks a reduced V-COCO annotation file; a malformed file is a {@link ModelLoadError}. */
export function readVcocoAnnotations(path: string): VcocoAnnotationFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ModelLoadError(path, `cannot read the V-COCO annotation JSON (${(error as Error).message})`);
  }
  const f = parsed as VcocoAnnotationFile;
  if (
    !f ||
    !Array.isArray(f.annotations) ||
    !Array.isArray(f.images) ||
    !Array.isArray(f.classes) ||
    !Array.isArray(f.objects) ||
    f.annotations.length !== f.images.length
  ) {
    throw new ModelLoadError(
      path,
      'expected the reduced V-COCO layout {annotations[], images[], classes[], objects[]} with one annotation per image',
    );
  }
  return f;
}

/**
 * Every human-object pair of every image: the annotated (human, object) pairs are positives for their
 * actions; every other (human box, object box) combination of the same image is a negative for all
 * classes. Boxes with identical coordinates are one box; a human is never paired with its own box.
 *
 * @param filter keep only images whose index passes (train/validation splits)
 */
export function buildVcocoPairs(
  file: VcocoAnnotationFile,
  filter: (imageIndex: number) => boolean = () => true,
): VcocoPairSet {
  const C = file.classes.length;
  const feats: number[] = [];
  const objs: number[] = [];
  const labels: number[] = [];
  const imgIdx: number[] = [];
  const imgIds: number[] = [];
  let positiveTriplets = 0;
  let positivePairs = 0;
  file.annotations.forEach((a, i) => {
    if (!filter(i)) return;
    const humans = new Map<string, number[]>();
    const objects = new Map<string, { box: number[]; cls: number }>();
    for (const h of a.boxes_h) humans.set(boxKey(h), h);
    a.boxes_o.forEach((o, k) => {
      if (!objects.has(boxKey(o))) objects.set(boxKey(o), { box: o, cls: a.objects[k]! });
    });
    const positives = new Map<string, Set<number>>();
    a.actions.forEach((act, k) => {
      const key = `${boxKey(a.boxes_h[k]!)}|${boxKey(a.boxes_o[k]!)}`;
      const s = positives.get(key) ?? new Set<number>();
      s.add(act);
      positives.set(key, s);
    });
    const size = estimateCocoImageSize([...a.boxes_h, ...a.boxes_o]);
    for (const [hk, h] of humans) {
      for (const [ok, o] of objects) {
        if (hk === ok) continue;
        const enc = spatialEncoding36(h, o.box, size);
        for (let d = 0; d < enc.length; d++) feats.push(enc[d]!);
        // V-COCO object indices count `background` as 0, so COCO index = index - 1.
        objs.push(o.cls - 1);
        const acts = positives.get(`${hk}|${ok}`);
        for (let c = 0; c < C; c++) labels.push(acts?.has(c) ? 1 : 0);
        if (acts) {
          positivePairs++;
          positiveTriplets += acts.size;
        }
        imgIdx.push(i);
        imgIds.push(file.images[i]!);
      }
    }
  });
  return {
    classes: [...file.classes],
    size: objs.length,
    features: Float32Array.from(feats),
    objectIndex: Int32Array.from(objs),
    labels: Uint8Array.from(labels),
    imageIndex: Int32Array.from(imgIdx),
    imageId: Int32Array.from(imgIds),
    positivePairs,
    positiveTriplets,
  };
}
