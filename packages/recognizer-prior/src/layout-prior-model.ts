import { readFileSync } from 'node:fs';
import { ModelLoadError, normalizeLabel, spatialEncoding36 } from '@hoi/core';

/**
 * Standardised features are clipped to +-this before the heads see them (in training and at inference),
 * so a layout far outside V-COCO's range (a 15-px person, a huge area ratio) cannot push a linear head to
 * an extreme it never saw.
 */
export const FEATURE_CLIP = 6;

/** Clipped standardisation of one raw feature value. */
export function standardize(value: number, mean: number, std: number): number {
  const z = (value - mean) / std;
  return Math.min(FEATURE_CLIP, Math.max(-FEATURE_CLIP, z));
}

/** Name of the interactiveness head in {@link LayoutPriorWeights.heads}: "the pair has any action". */
export const INTERACTS_HEAD = 'interacts';

/**
 * The layout prior's weight file (src/weights/layout-prior.json): one logistic head per V-COCO
 * action-role class plus an `interacts` head, each `sigmoid(intercept + spatial . z + object[o])` with
 * z the 36-d spatial encoding standardised by `featureMean`/`featureStd` (clipped to +-{@link FEATURE_CLIP})
 * and o the COCO object index.
 */
export interface LayoutPriorWeights {
  format: 'hoi-layout-prior';
  version: 1;
  /** Always `spatialEncoding36` (@hoi/core). */
  encoding: 'spatialEncoding36';
  /** The object classes the `object` weights index, COCO order. */
  objects: string[];
  featureMean: number[];
  featureStd: number[];
  heads: { name: string; intercept: number; spatial: number[]; object: number[] }[];
  /** How the weights were made (settings, sample counts). Free-form JSON. */
  training: Record<string, unknown>;
}

/** A loaded, checked layout prior. */
export interface LayoutPrior {
  readonly weights: LayoutPriorWeights;
  /** Head names in file order (24 V-COCO classes, then `interacts`). */
  readonly headNames: readonly string[];
  /**
   * Probabilities of every head for one pair.
   * @param human human box x1,y1,x2,y2 in source pixels
   * @param object object box x1,y1,x2,y2 in source pixels
   * @param objectLabel the object's label; labels outside the model's object list use the average
   *   object (weight 0)
   */
  predict(
    human: readonly number[],
    object: readonly number[],
    objectLabel: string,
    image: { width: number; height: number },
  ): Float64Array;
}

function isNumberArray(v: unknown, length: number): v is number[] {
  return (
    Array.isArray(v) && v.length === length && v.every((x) => typeof x === 'number' && Number.isFinite(x))
  );
}

/** Checks a parsed weight object; throws {@link ModelLoadError} naming what is wrong. */
export function validateLayoutPriorWeights(value: unknown, path: string): LayoutPriorWeights {
  const w = value as LayoutPriorWeights;
  const fail = (reason: string): never => {
    throw new ModelLoadError(path, `${reason}; regenerate it with scripts/train-layout-prior.ts`);
  };
  if (!w || typeof w !== 'object') fail('the layout prior file is not a JSON object');
  if (w.format !== 'hoi-layout-prior' || w.version !== 1)
    fail('expected format "hoi-layout-prior" version 1');
  if (w.encoding !== 'spatialEncoding36') fail('expected encoding "spatialEncoding36"');
  if (!Array.isArray(w.objects) || w.objects.length === 0 || !w.objects.every((o) => typeof o === 'string')) {
    fail('objects must be a non-empty list of labels');
  }
  if (
    !isNumberArray(w.featureMean, 36) ||
    !isNumberArray(w.featureStd, 36) ||
    !w.featureStd.every((s) => s > 0)
  ) {
    fail('featureMean and featureStd must be 36 finite numbers (std > 0)');
  }
  if (!Array.isArray(w.heads) || w.heads.length === 0) fail('heads must be a non-empty list');
  for (const h of w.heads) {
    if (
      !h ||
      typeof h.name !== 'string' ||
      typeof h.intercept !== 'number' ||
      !Number.isFinite(h.intercept) ||
      !isNumberArray(h.spatial, 36) ||
      !isNumberArray(h.object, w.objects.length)
    ) {
      fail(
        `head ${JSON.stringify(h?.name)} must have a name, a finite intercept, 36 spatial and ${w.objects.length} object weights`,
      );
    }
  }
  return w;
}

/** Wraps checked weights for prediction. */
export function createLayoutPrior(weights: LayoutPriorWeights): LayoutPrior {
  const objectIndex = new Map(weights.objects.map((o, i) => [normalizeLabel(o), i]));
  const heads = weights.heads;
  return {
    weights,
    headNames: heads.map((h) => h.name),
    predict(human, object, objectLabel, image) {
      const enc = spatialEncoding36(human, object, image);
      const z = new Float64Array(36);
      for (let d = 0; d < 36; d++)
        z[d] = standardize(enc[d]!, weights.featureMean[d]!, weights.featureStd[d]!);
      const o = objectIndex.get(normalizeLabel(objectLabel));
      const out = new Float64Array(heads.length);
      heads.forEach((h, k) => {
        let s = h.intercept + (o === undefined ? 0 : h.object[o]!);
        for (let d = 0; d < 36; d++) s += h.spatial[d]! * z[d]!;
        out[k] = 1 / (1 + Math.exp(-s));
      });
      return out;
    },
  };
}

/** Reads, parses and checks a layout prior file; any problem is a {@link ModelLoadError}. */
export function loadLayoutPrior(path: string): LayoutPrior {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ModelLoadError(
      path,
      `cannot read the layout prior weights (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check options.weightsPath`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ModelLoadError(
      path,
      `the layout prior weights are not valid JSON (${(error as Error).message})`,
    );
  }
  return createLayoutPrior(validateLayoutPriorWeights(parsed, path));
}
