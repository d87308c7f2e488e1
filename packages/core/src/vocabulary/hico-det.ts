import { createVocabulary } from './create-vocabulary.js';
import { COCO_80_CATEGORY_IDS } from './generated/coco-data.js';
import {
  HICO_DET_HOI_TABLE,
  HICO_DET_OBJECT_NAMES,
  HICO_DET_PHRASES,
  HICO_DET_RARE_IDS,
  HICO_DET_SPLIT_IDS,
  HICO_DET_VERB_NAMES,
  HICO_DET_OBJECT_TO_COCO_INDEX as OBJECT_TO_COCO_INDEX,
  HICO_DET_PROMPTS as PROMPTS,
} from './generated/hico-det-data.js';
import type { Vocabulary } from './vocabulary.js';

/** COCO contiguous index (0 = person) of each HICO-order object: `HICO_DET_OBJECT_TO_COCO_INDEX[49] === 0`. */
export const HICO_DET_OBJECT_TO_COCO_INDEX: readonly number[] = Object.freeze([...OBJECT_TO_COCO_INDEX]);

/**
 * prompts.json verbatim ("A photo of a person riding a bicycle"; GEN-VLKT's list, slips included),
 * for reproducing published text embeddings. Recognizers should use the vocabulary's phrases.
 */
export const HICO_DET_PROMPTS: readonly string[] = Object.freeze([...PROMPTS]);

/** Zero-shot split names as the evaluators and CLI spell them (protocols.md). */
export type HicoDetZeroShotSplit = 'rf-uc' | 'nf-uc' | 'uo' | 'uv';

/** The 138 rare HOI class ids (0-based, official order): fewer than 10 training instances. */
export const HICO_DET_RARE_CLASSES: readonly number[] = Object.freeze([...HICO_DET_RARE_IDS]);

/**
 * Unseen class ids of the four zero-shot settings (0-based, official order; GEN-VLKT's lists, used
 * by every peer): RF-UC 120 rare-first, NF-UC 120 non-rare-first, UO 100 (12 unseen objects),
 * UV 84 (20 unseen verbs). Every other class is "seen".
 */
export const HICO_DET_ZERO_SHOT_SPLITS: Readonly<Record<HicoDetZeroShotSplit, readonly number[]>> =
  Object.freeze({
    'rf-uc': Object.freeze([...HICO_DET_SPLIT_IDS['rf-uc']]),
    'nf-uc': Object.freeze([...HICO_DET_SPLIT_IDS['nf-uc']]),
    uo: Object.freeze([...HICO_DET_SPLIT_IDS.uo]),
    uv: Object.freeze([...HICO_DET_SPLIT_IDS.uv]),
  });

const rare = new Set(HICO_DET_RARE_IDS);

/**
 * HICO-DET as a vocabulary: 117 verbs, 80 objects in HICO (alphabetical) order, the 600 classes in
 * official order (`interactions[i].index` = official HOI id - 1) with `rare` flags and phrases.
 * Phrases are prompts.json's ("A photo of a person sitting on a bicycle" -> "sitting on a bicycle")
 * with its seven misspelt gerunds (`hiting`...) and two stray articles (`a skis`) corrected; the 80
 * `no_interaction` classes read "not interacting with a bicycle" (a description, never a candidate).
 * The untouched prompts are {@link HICO_DET_PROMPTS}.
 */
export const hicoDet: Vocabulary = createVocabulary({
  name: 'hico-det',
  verbs: HICO_DET_VERB_NAMES,
  objects: HICO_DET_OBJECT_NAMES,
  interactions: HICO_DET_HOI_TABLE.map(([verb, object], i) => ({
    verb: HICO_DET_VERB_NAMES[verb],
    object: HICO_DET_OBJECT_NAMES[object],
    phrase: HICO_DET_PHRASES[i],
    rare: rare.has(i),
  })),
  noInteractionVerb: 'no_interaction',
  humanLabel: 'person',
});

/** The 80 `no_interaction` class ids (one per object), ascending. */
export const HICO_DET_NO_INTERACTION_CLASSES: readonly number[] = Object.freeze(
  hicoDet.interactions.filter((c) => c.verb === 'no_interaction').map((c) => c.index),
);

/**
 * HICO object index of each COCO contiguous index (0 = person), the inverse of
 * {@link HICO_DET_OBJECT_TO_COCO_INDEX}. GEN-VLKT/DA-HOI-style models number objects in COCO
 * order; the official HOI list numbers them alphabetically.
 */
export const COCO_INDEX_TO_HICO_DET_OBJECT: readonly number[] = Object.freeze(
  HICO_DET_OBJECT_TO_COCO_INDEX.reduce<number[]>((inverse, coco, hico) => {
    inverse[coco] = hico;
    return inverse;
  }, new Array<number>(HICO_DET_OBJECT_TO_COCO_INDEX.length)),
);

/**
 * COCO category id (1..90, with gaps) of each HICO-order object: QPIC-style annotation files
 * (`test_hico.json`) and COCO-trained detectors name objects by category id.
 */
export const HICO_DET_OBJECT_COCO_CATEGORY_IDS: readonly number[] = Object.freeze(
  HICO_DET_OBJECT_TO_COCO_INDEX.map((coco) => COCO_80_CATEGORY_IDS[coco]),
);
