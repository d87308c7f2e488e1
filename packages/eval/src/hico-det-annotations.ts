import { readFile } from 'node:fs/promises';
import { COCO_80_CATEGORY_IDS, COCO_80_LABELS, InvalidArgumentError } from '@hoi/core';
import {
  createHicoDetClassTable,
  type HicoDetClassTable,
  hicoDetClassTable,
  normalizeName,
} from './hico-det-classes.js';
import { imageKey } from './image-key.js';

/**
 * HICO-DET ground truth in flat typed arrays: every (human box, object box) pair of every image,
 * grouped by image in annotation-file order. The annotation file's image order is part of the
 * protocol (it breaks score ties), so it is kept as read.
 */
export interface HicoDetGroundTruth {
  /** Which file layout it came from. */
  readonly layout: 'hico-det' | 'qpic';
  readonly classes: HicoDetClassTable;
  /** File names in annotation order. */
  readonly fileNames: readonly string[];
  /** basename -> image index. */
  readonly imageIndex: ReadonlyMap<string, number>;
  /** Pairs of image i are `pairStart[i] .. pairStart[i+1]-1`, in annotation order. */
  readonly pairStart: Int32Array;
  /** Class (0-based official HOI id) of each pair. */
  readonly pairClass: Int32Array;
  /** 8 numbers per pair: human x1,y1,x2,y2 then object x1,y1,x2,y2 (as given in the file). */
  readonly pairBoxes: Float64Array;
  /** `objectPresent[i * objects + o]` = 1 when image i has a GT pair (no_interaction included) with object o. */
  readonly objectPresent: Uint8Array;
}

interface HicoLayoutFile {
  annotation: { boxes_h: number[][]; boxes_o: number[][]; hoi: number[] }[];
  filenames: string[];
  objects: string[];
  verbs: string[];
  correspondence: [number, number, number][];
  rare: number[];
}

interface QpicImage {
  file_name: string;
  annotations: { bbox: number[]; category_id: number }[];
  hoi_annotation: { subject_id: number; object_id: number; category_id?: number; hoi_category_id?: number }[];
}

/** Options of {@link parseHicoDetAnnotations}. */
export interface HicoDetAnnotationOptions {
  /**
   * The label space; default the official 600 classes of core's `hicoDet` vocabulary. A file of the
   * HICO-DET layout must agree with it (its own verb, object and class lists are checked).
   */
  classes?: HicoDetClassTable;
}

/** The class table stored in a file of the `instances_test2015.json` layout. */
export function hicoDetClassTableFromAnnotationFile(json: unknown): HicoDetClassTable {
  const file = json as HicoLayoutFile;
  if (!isHicoLayout(json)) {
    throw new InvalidArgumentError(
      'annotations',
      'an object with verbs, objects, correspondence and rare lists',
    );
  }
  const classes: [number, number][] = [];
  for (const [hoi, object, verb] of file.correspondence) classes[hoi] = [verb, object];
  return createHicoDetClassTable({ verbs: file.verbs, objects: file.objects, classes, rare: file.rare });
}

/** A file whose lists disagree with the class table would be scored against the wrong classes. */
function checkAgainstFile(classes: HicoDetClassTable, file: HicoLayoutFile): void {
  const fileTable = hicoDetClassTableFromAnnotationFile(file);
  const same =
    fileTable.classVerb.length === classes.classVerb.length &&
    fileTable.classVerb.every((v, c) => classes.verbs[classes.classVerb[c]!] === fileTable.verbs[v]) &&
    fileTable.classObject.every((o, c) => classes.objects[classes.classObject[c]!] === fileTable.objects[o]);
  if (!same) {
    throw new InvalidArgumentError(
      'annotations',
      `the class list (correspondence) of the class table (${classes.classVerb.length} classes in official order)`,
      'a file with a different class list',
    );
  }
}

function isHicoLayout(json: unknown): json is HicoLayoutFile {
  const f = json as Partial<HicoLayoutFile> | null;
  return (
    typeof f === 'object' &&
    f !== null &&
    !Array.isArray(f) &&
    Array.isArray(f.annotation) &&
    Array.isArray(f.filenames) &&
    Array.isArray(f.verbs) &&
    Array.isArray(f.objects) &&
    Array.isArray(f.correspondence) &&
    Array.isArray(f.rare)
  );
}

/** Read and parse an annotation file of either layout (detected from its shape). */
export async function loadHicoDetAnnotations(
  path: string,
  options: HicoDetAnnotationOptions = {},
): Promise<HicoDetGroundTruth> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new InvalidArgumentError(
      'annotations',
      'a readable HICO-DET annotation JSON file',
      `${path} (${String(cause)})`,
    );
  }
  return parseHicoDetAnnotations(json, options);
}

/**
 * Turn a parsed annotation file into {@link HicoDetGroundTruth}. Accepts the layout of
 * `instances_test2015.json` (keys annotation, filenames, objects, verbs, correspondence, rare)
 * and the QPIC `test_hico.json` layout (a list of {file_name, annotations, hoi_annotation}).
 */
export function parseHicoDetAnnotations(
  json: unknown,
  options: HicoDetAnnotationOptions = {},
): HicoDetGroundTruth {
  if (Array.isArray(json)) return parseQpicLayout(json as QpicImage[], options);
  if (isHicoLayout(json)) return parseHicoLayout(json, options);
  throw new InvalidArgumentError(
    'annotations',
    'the instances_test2015.json layout (annotation, filenames, verbs, objects, correspondence, rare) or the QPIC test_hico.json list',
    json === null ? null : typeof json,
  );
}

function parseHicoLayout(file: HicoLayoutFile, options: HicoDetAnnotationOptions): HicoDetGroundTruth {
  const classes = options.classes ?? hicoDetClassTable();
  checkAgainstFile(classes, file);
  const nImages = file.annotation.length;
  if (file.filenames.length !== nImages) {
    throw new InvalidArgumentError(
      'annotations.filenames',
      `${nImages} names (one per annotation)`,
      file.filenames.length,
    );
  }
  const builder = new PairBuilder(classes, nImages);
  for (let i = 0; i < nImages; i++) {
    const a = file.annotation[i]!;
    const n = a.hoi.length;
    if (a.boxes_h.length !== n || a.boxes_o.length !== n) {
      throw new InvalidArgumentError(
        `annotations.annotation[${i}]`,
        'boxes_h, boxes_o and hoi of equal length',
      );
    }
    for (let k = 0; k < n; k++) builder.add(i, a.hoi[k]!, a.boxes_h[k]!, a.boxes_o[k]!);
    builder.endImage(i);
  }
  return builder.finish('hico-det', file.filenames);
}

function parseQpicLayout(images: QpicImage[], options: HicoDetAnnotationOptions): HicoDetGroundTruth {
  const classes = options.classes ?? hicoDetClassTable();
  const cocoToObject = new Map<number, number>();
  for (let k = 0; k < COCO_80_CATEGORY_IDS.length; k++) {
    cocoToObject.set(COCO_80_CATEGORY_IDS[k]!, classes.objects.indexOf(normalizeName(COCO_80_LABELS[k]!)));
  }
  const builder = new PairBuilder(classes, images.length);
  const names: string[] = [];
  for (let i = 0; i < images.length; i++) {
    const img = images[i]!;
    names.push(img.file_name);
    const boxes = img.annotations ?? [];
    for (const h of img.hoi_annotation ?? []) {
      const sub = boxes[h.subject_id];
      const obj = boxes[h.object_id];
      if (!sub || !obj) {
        throw new InvalidArgumentError(
          `annotations[${i}].hoi_annotation`,
          'subject_id and object_id inside annotations',
          h,
        );
      }
      let cls = typeof h.hoi_category_id === 'number' ? h.hoi_category_id - 1 : -1;
      if (cls < 0 && typeof h.category_id === 'number') {
        const o = cocoToObject.get(obj.category_id) ?? -1;
        const v = h.category_id - 1;
        if (o >= 0 && v >= 0 && v < classes.verbs.length)
          cls = classes.classOfVerbObject[v * classes.objects.length + o]!;
      }
      builder.add(i, cls, sub.bbox, obj.bbox);
    }
    builder.endImage(i);
  }
  return builder.finish('qpic', names);
}

class PairBuilder {
  private cls: number[] = [];
  private boxes: number[] = [];
  readonly pairStart: Int32Array;
  readonly objectPresent: Uint8Array;
  constructor(
    private readonly classes: HicoDetClassTable,
    nImages: number,
  ) {
    this.pairStart = new Int32Array(nImages + 1);
    this.objectPresent = new Uint8Array(nImages * classes.objects.length);
  }
  add(image: number, cls: number, h: readonly number[], o: readonly number[]): void {
    if (!(Number.isInteger(cls) && cls >= 0 && cls < this.classes.classVerb.length)) {
      throw new InvalidArgumentError(
        `annotations (image ${image})`,
        `HOI class ids in 0..${this.classes.classVerb.length - 1}`,
        cls,
      );
    }
    if (h?.length !== 4 || o?.length !== 4) {
      throw new InvalidArgumentError(`annotations (image ${image})`, 'boxes of 4 numbers x1,y1,x2,y2', [
        h,
        o,
      ]);
    }
    this.cls.push(cls);
    this.boxes.push(h[0]!, h[1]!, h[2]!, h[3]!, o[0]!, o[1]!, o[2]!, o[3]!);
    this.objectPresent[image * this.classes.objects.length + this.classes.classObject[cls]!] = 1;
  }
  endImage(image: number): void {
    this.pairStart[image + 1] = this.cls.length;
  }
  finish(layout: 'hico-det' | 'qpic', fileNames: readonly string[]): HicoDetGroundTruth {
    const imageIndex = new Map<string, number>();
    fileNames.forEach((name, i) => {
      const key = imageKey(name);
      if (imageIndex.has(key)) throw new InvalidArgumentError('annotations', 'unique image file names', name);
      imageIndex.set(key, i);
    });
    return {
      layout,
      classes: this.classes,
      fileNames,
      imageIndex,
      pairStart: this.pairStart,
      pairClass: Int32Array.from(this.cls),
      pairBoxes: Float64Array.from(this.boxes),
      objectPresent: this.objectPresent,
    };
  }
}
