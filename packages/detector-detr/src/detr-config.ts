/**
 * How a DETR-family model turns logits into scores.
 * - `softmax`: original DETR (and YOLOS, Table Transformer): logits carry a trailing "no object"
 *   class; softmax over all classes, drop the last, best real class per query.
 * - `sigmoid`: Deformable DETR, Conditional DETR, DAB-DETR, RT-DETR (v1/v2) and D-FINE, trained
 *   with sigmoid focal loss: no "no object" class; sigmoid per (query, class), then the top-k
 *   (query, class) pairs over all queries, so one query may yield two labels (as transformers' Python
 *   post-processing does for these families).
 */
export type DetrScoreActivation = 'softmax' | 'sigmoid';

/** Resize rule of the image processor. */
export type DetrResize = { shortestEdge: number; longestEdge?: number } | { width: number; height: number };

/** Pixel preparation: resize, then `(pixel * rescale - mean) / std` per channel. */
export interface DetrPreprocessing {
  resize: DetrResize;
  rescaleFactor: number;
  /** Per-channel mean and std (RGB); `undefined` = no normalisation. */
  normalize?: { mean: [number, number, number]; std: [number, number, number] };
}

/** ImageNet statistics, used by DETR, Deformable and Conditional DETR checkpoints. */
export const IMAGENET_MEAN: [number, number, number] = [0.485, 0.456, 0.406];
export const IMAGENET_STD: [number, number, number] = [0.229, 0.224, 0.225];

const SIGMOID_FAMILIES = new Set([
  'deformable_detr',
  'conditional_detr',
  'dab-detr',
  'dab_detr',
  'deta',
  'rt_detr',
  'rt_detr_v2',
  'rt_detr_resnet',
  'd_fine',
  'dfine',
]);
const SOFTMAX_FAMILIES = new Set(['detr', 'yolos', 'table-transformer', 'table_transformer']);
const FIXED_640_FAMILIES = new Set(['rt_detr', 'rt_detr_v2', 'd_fine', 'dfine']);

/** The activation transformers applies for a `config.json` `model_type`, or `undefined` if unknown. */
export function activationForModelType(modelType: string | undefined): DetrScoreActivation | undefined {
  if (!modelType) return undefined;
  if (SOFTMAX_FAMILIES.has(modelType)) return 'softmax';
  if (SIGMOID_FAMILIES.has(modelType)) return 'sigmoid';
  return undefined;
}

/**
 * Default preprocessing of a family when the folder has no `preprocessor_config.json`:
 * RT-DETR and D-FINE resize to 640x640 and only rescale to [0, 1]; DETR, Deformable and
 * Conditional DETR resize the shortest edge to 800 (longest at most 1333) and normalise with ImageNet
 * statistics.
 */
export function defaultPreprocessing(modelType: string | undefined): DetrPreprocessing {
  if (modelType && FIXED_640_FAMILIES.has(modelType)) {
    return { resize: { width: 640, height: 640 }, rescaleFactor: 1 / 255 };
  }
  return {
    resize: { shortestEdge: 800, longestEdge: 1333 },
    rescaleFactor: 1 / 255,
    normalize: { mean: IMAGENET_MEAN, std: IMAGENET_STD },
  };
}

/**
 * Reads a Hugging Face `preprocessor_config.json` over the family defaults. Understands `size` as
 * `{shortest_edge, longest_edge}`, `{height, width}`, or a number with `max_size`; `do_resize`,
 * `do_rescale`, `rescale_factor`, `do_normalize`, `image_mean`, `image_std`.
 */
export function readPreprocessing(
  config: Record<string, unknown> | undefined,
  defaults: DetrPreprocessing,
): DetrPreprocessing {
  if (!config) return defaults;
  const out: DetrPreprocessing = { ...defaults };
  const size = config.size as Record<string, number> | number | undefined;
  if (typeof size === 'number') {
    out.resize = { shortestEdge: size, longestEdge: (config.max_size as number | undefined) ?? undefined };
  } else if (size && typeof size === 'object') {
    if (typeof size.shortest_edge === 'number') {
      out.resize = {
        shortestEdge: size.shortest_edge,
        longestEdge: size.longest_edge ?? (config.max_size as number),
      };
    } else if (typeof size.height === 'number' && typeof size.width === 'number') {
      out.resize = { width: size.width, height: size.height };
    }
  }
  if (config.do_rescale === false) out.rescaleFactor = 1;
  else if (typeof config.rescale_factor === 'number') out.rescaleFactor = config.rescale_factor;
  if (config.do_normalize === false) out.normalize = undefined;
  else if (Array.isArray(config.image_mean) && Array.isArray(config.image_std)) {
    out.normalize = {
      mean: config.image_mean.slice(0, 3) as [number, number, number],
      std: config.image_std.slice(0, 3) as [number, number, number],
    };
  } else if (config.do_normalize === true && !out.normalize) {
    out.normalize = { mean: IMAGENET_MEAN, std: IMAGENET_STD };
  }
  return out;
}

/** Labels from `config.json` `id2label` in class order; missing ids become `N/A`. */
export function labelsFromId2Label(id2label: unknown): string[] | undefined {
  if (!id2label || typeof id2label !== 'object') return undefined;
  const labels: string[] = [];
  for (const [k, v] of Object.entries(id2label as Record<string, unknown>)) {
    const i = Number(k);
    if (Number.isInteger(i) && i >= 0 && typeof v === 'string') labels[i] = v;
  }
  if (labels.length === 0) return undefined;
  return Array.from(labels, (l) => l ?? 'N/A');
}

/**
 * True for the placeholder names COCO-trained DETR checkpoints give to the 11 unused COCO category ids
 * (`N/A`) and for empty names: detections of those classes are never reported.
 */
export function isPlaceholderLabel(label: string | undefined): boolean {
  if (label === undefined) return true;
  const l = label.trim().toLowerCase();
  return l === '' || l === 'n/a' || l === 'na' || l === 'none' || l === '__background__';
}
