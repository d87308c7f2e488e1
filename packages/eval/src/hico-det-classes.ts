import {
  HICO_DET_RARE_CLASSES,
  hicoDet,
  InvalidArgumentError,
  normalizeLabel,
  type Vocabulary,
} from '@hoi/core';

/**
 * The HICO-DET label space as the evaluator needs it: verbs, objects and the (verb, object) classes
 * in the official order, with the rare flags. Flat typed arrays so a million detections can be
 * classified without building strings or objects per detection.
 */
export interface HicoDetClassTable {
  /** Verb names in the official order, in {@link normalizeName} form. */
  readonly verbs: readonly string[];
  /** Object names in HICO-DET's (alphabetical) order, in {@link normalizeName} form. */
  readonly objects: readonly string[];
  /** Verb index of each class (class index = official HOI id - 1). */
  readonly classVerb: Int32Array;
  /** Object index of each class. */
  readonly classObject: Int32Array;
  /** 1 for the rare classes (fewer than 10 training instances). */
  readonly rare: Uint8Array;
  /** 1 for the `no_interaction` classes. */
  readonly noInteraction: Uint8Array;
  /** Object index of `person` (the subject label rule of `da-hoi`). */
  readonly personObject: number;
  /** Class index of `verb * objects.length + object`, -1 where the combination is not a class. */
  readonly classOfVerbObject: Int32Array;
}

/**
 * Names compare with spaces and underscores as equal, case-insensitively (protocols.md); core's
 * `normalizeLabel` is that rule.
 */
export function normalizeName(name: string): string {
  return normalizeLabel(name);
}

/** Build the table from plain lists (official orders). Throws when the lists disagree. */
export function createHicoDetClassTable(input: {
  verbs: readonly string[];
  objects: readonly string[];
  /** [verbIndex, objectIndex] per class in the official order. */
  classes: readonly (readonly [number, number])[];
  /** 0-based class ids of the rare classes. */
  rare: readonly number[];
}): HicoDetClassTable {
  const verbs = input.verbs.map(normalizeName);
  const objects = input.objects.map(normalizeName);
  const n = input.classes.length;
  const classVerb = new Int32Array(n);
  const classObject = new Int32Array(n);
  const noInteraction = new Uint8Array(n);
  const rare = new Uint8Array(n);
  const classOfVerbObject = new Int32Array(verbs.length * objects.length).fill(-1);
  const noInteractionVerb = verbs.indexOf(normalizeName('no_interaction'));
  for (let c = 0; c < n; c++) {
    const pair = input.classes[c];
    const v = pair?.[0] ?? -1;
    const o = pair?.[1] ?? -1;
    if (!(v >= 0 && v < verbs.length && o >= 0 && o < objects.length)) {
      throw new InvalidArgumentError(
        `classes[${c}]`,
        `verb < ${verbs.length} and object < ${objects.length}`,
        pair,
      );
    }
    classVerb[c] = v;
    classObject[c] = o;
    noInteraction[c] = v === noInteractionVerb ? 1 : 0;
    classOfVerbObject[v * objects.length + o] = c;
  }
  for (const r of input.rare) {
    if (!(r >= 0 && r < n)) throw new InvalidArgumentError('rare', `class ids in 0..${n - 1}`, r);
    rare[r] = 1;
  }
  const personObject = objects.indexOf(normalizeName('person'));
  if (personObject < 0)
    throw new InvalidArgumentError('objects', 'a list containing `person`', objects.slice(0, 5));
  return { verbs, objects, classVerb, classObject, rare, noInteraction, personObject, classOfVerbObject };
}

/** The table of a core vocabulary (class order = `vocabulary.interactions` order). */
export function classTableFromVocabulary(vocabulary: Vocabulary): HicoDetClassTable {
  const verbs = vocabulary.verbs.map(normalizeName);
  const objects = vocabulary.objects.map(normalizeName);
  return createHicoDetClassTable({
    verbs,
    objects,
    classes: vocabulary.interactions.map((c) => [
      verbs.indexOf(normalizeName(c.verb)),
      objects.indexOf(normalizeName(c.object)),
    ]),
    rare: vocabulary.interactions.filter((c) => c.rare).map((c) => c.index),
  });
}

let officialTable: HicoDetClassTable | undefined;

/**
 * The official 600-class HICO-DET table, from core's `hicoDet` vocabulary and `HICO_DET_RARE_CLASSES`
 * (built once; it is immutable).
 */
export function hicoDetClassTable(): HicoDetClassTable {
  if (!officialTable) {
    const verbs = hicoDet.verbs.map(normalizeName);
    const objects = hicoDet.objects.map(normalizeName);
    officialTable = createHicoDetClassTable({
      verbs,
      objects,
      classes: hicoDet.interactions.map((c) => [
        verbs.indexOf(normalizeName(c.verb)),
        objects.indexOf(normalizeName(c.object)),
      ]),
      rare: HICO_DET_RARE_CLASSES,
    });
  }
  return officialTable;
}
