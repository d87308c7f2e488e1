import { InvalidArgumentError } from '../errors/hoi-error.js';
import { normalizeLabel, normalizeVerb } from './normalize-label.js';
import { verbPhrase } from './verb-phrase.js';
import type { InteractionClass, Vocabulary } from './vocabulary.js';

/** One interaction class as a user writes it: names in any spelling, phrase optional. */
export interface InteractionDefinition {
  /** Verb: `sit_on`, `sit on` and `Sit On` are the same verb (stored as `sit_on`). */
  verb: string;
  /** Object label: `sports_ball` and `Sports Ball` are the same label (stored as `sports ball`). */
  object: string;
  /** The -ing phrase recognizers score; generated with {@link verbPhrase} when absent. */
  phrase?: string;
  /** Rare flag (HICO-DET's meaning: fewer than 10 training instances). */
  rare?: boolean;
}

/** Everything {@link createVocabulary} needs. */
export interface VocabularyDefinition {
  /** A name for logs and result files, e.g. `kitchen-actions`. */
  name: string;
  /** Verbs in order; derived from `interactions` (first appearance) when absent. */
  verbs?: readonly string[];
  /** Object labels in order; derived from `interactions` when absent. `humanLabel` is added if missing. */
  objects?: readonly string[];
  interactions: readonly InteractionDefinition[];
  /** The verb meaning "no interaction" (never a candidate), e.g. `no_interaction`. */
  noInteractionVerb?: string;
  /** The label of human subjects. Default `person`. */
  humanLabel?: string;
}

/** New verbs, objects and classes added on top of a base vocabulary by {@link extendVocabulary}. */
export interface VocabularyExtension {
  /** Name of the result; default `<base name>+custom`. */
  name?: string;
  /** Verbs to add (those already in the base are ignored); verbs named only in `interactions` are added too. */
  verbs?: readonly string[];
  /** Objects to add (those already in the base are ignored); likewise. */
  objects?: readonly string[];
  /** Classes to add; a class already in the base is an error. */
  interactions: readonly InteractionDefinition[];
}

function requireString(value: unknown, argument: string, expected: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidArgumentError(argument, expected, value);
  }
  return value;
}

/** Freezes the vocabulary and each of its parts: vocabularies are shared plain data, never mutated. */
function freezeVocabulary(vocabulary: Vocabulary): Vocabulary {
  for (const interaction of vocabulary.interactions) Object.freeze(interaction);
  Object.freeze(vocabulary.interactions);
  Object.freeze(vocabulary.verbs);
  Object.freeze(vocabulary.objects);
  return Object.freeze(vocabulary);
}

/**
 * Collects names in order without repeats, checking each. `kind` is `verbs` or `objects`.
 */
function uniqueNames(
  names: readonly unknown[],
  kind: 'verbs' | 'objects',
  normalize: (s: string) => string,
  argumentPrefix: string,
): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  names.forEach((name, i) => {
    const canonical = normalize(
      requireString(name, `${argumentPrefix}${kind}[${i}]`, `a non-empty ${kind.slice(0, -1)} name`),
    );
    if (seen.has(canonical)) {
      throw new InvalidArgumentError(
        `${argumentPrefix}${kind}[${i}]`,
        `each of the ${kind} once`,
        `${JSON.stringify(canonical)} repeated`,
      );
    }
    seen.add(canonical);
    out.push(canonical);
  });
  return out;
}

/** {@link verbPhrase}, with errors naming the entry (`interactions[3].verb`). */
function phraseFor(verb: string, object: string, where: string): string {
  try {
    return verbPhrase(verb, object);
  } catch (error) {
    if (!InvalidArgumentError.isInstance(error)) throw error;
    throw new InvalidArgumentError(
      `${where}.verb`,
      'a verb made of English words (letters, hyphens) separated by underscores, or a `phrase` for it',
      verb,
    );
  }
}

/**
 * Builds the classes of `definitions`, indices starting at `startIndex`, checking each entry against
 * the verb and object lists (which grow when `growLists` is set) and against `existing` class keys.
 */
function buildInteractions(
  definitions: readonly InteractionDefinition[],
  verbs: string[],
  objects: string[],
  existing: Set<string>,
  startIndex: number,
  growLists: { verbs: boolean; objects: boolean },
): InteractionClass[] {
  if (!Array.isArray(definitions)) {
    throw new InvalidArgumentError('interactions', 'an array of { verb, object, phrase? }', definitions);
  }
  const verbSet = new Set(verbs);
  const objectSet = new Set(objects);
  return definitions.map((definition, i) => {
    const where = `interactions[${i}]`;
    if (typeof definition !== 'object' || definition === null) {
      throw new InvalidArgumentError(where, 'an object { verb, object, phrase? }', definition);
    }
    const verb = normalizeVerb(requireString(definition.verb, `${where}.verb`, 'a non-empty verb'));
    const object = normalizeLabel(requireString(definition.object, `${where}.object`, 'a non-empty label'));
    if (!verbSet.has(verb)) {
      if (!growLists.verbs) {
        throw new InvalidArgumentError(`${where}.verb`, `one of the vocabulary's verbs`, verb);
      }
      verbSet.add(verb);
      verbs.push(verb);
    }
    if (!objectSet.has(object)) {
      if (!growLists.objects) {
        throw new InvalidArgumentError(`${where}.object`, `one of the vocabulary's objects`, object);
      }
      objectSet.add(object);
      objects.push(object);
    }
    const key = `${verb}\u0000${object}`;
    if (existing.has(key)) {
      throw new InvalidArgumentError(where, 'each (verb, object) class once', `${verb} ${object} repeated`);
    }
    existing.add(key);
    if (definition.phrase !== undefined) requireString(definition.phrase, `${where}.phrase`, 'a phrase');
    if (definition.rare !== undefined && typeof definition.rare !== 'boolean') {
      throw new InvalidArgumentError(`${where}.rare`, 'a boolean', definition.rare);
    }
    const interaction: InteractionClass = {
      index: startIndex + i,
      verb,
      object,
      phrase: definition.phrase?.trim() ?? phraseFor(verb, object, where),
    };
    if (definition.rare !== undefined) interaction.rare = definition.rare;
    return interaction;
  });
}

/**
 * Builds a validated, frozen {@link Vocabulary} from user data: names are brought to canonical
 * spelling (verbs `sit_on`, objects `dining table`), every class's verb and object must be in the
 * lists (when lists are given), each class appears once, and missing phrases are generated.
 * Throws {@link InvalidArgumentError} naming the bad entry (e.g. `interactions[3].verb`).
 */
export function createVocabulary(definition: VocabularyDefinition): Vocabulary {
  if (typeof definition !== 'object' || definition === null) {
    throw new InvalidArgumentError('vocabulary', 'an object { name, interactions }', definition);
  }
  const name = requireString(definition.name, 'name', 'a non-empty vocabulary name').trim();
  const humanLabel = normalizeLabel(
    requireString(definition.humanLabel ?? 'person', 'humanLabel', 'a non-empty label'),
  );
  const verbs = definition.verbs ? uniqueNames(definition.verbs, 'verbs', normalizeVerb, '') : [];
  const objects = definition.objects ? uniqueNames(definition.objects, 'objects', normalizeLabel, '') : [];
  const interactions = buildInteractions(definition.interactions, verbs, objects, new Set(), 0, {
    verbs: definition.verbs === undefined,
    objects: definition.objects === undefined,
  });
  if (!objects.includes(humanLabel)) objects.push(humanLabel);
  let noInteractionVerb: string | undefined;
  if (definition.noInteractionVerb !== undefined) {
    noInteractionVerb = normalizeVerb(
      requireString(definition.noInteractionVerb, 'noInteractionVerb', 'a non-empty verb'),
    );
    if (!verbs.includes(noInteractionVerb)) {
      throw new InvalidArgumentError('noInteractionVerb', 'one of the verbs', noInteractionVerb);
    }
  }
  const vocabulary: Vocabulary = {
    name,
    verbs,
    objects,
    interactions,
    humanLabel,
    ...(noInteractionVerb === undefined ? {} : { noInteractionVerb }),
  };
  return freezeVocabulary(vocabulary);
}

/**
 * A new vocabulary = `base` + user-defined verbs, objects and classes (open vocabulary: zero-shot
 * recognizers score any phrase, so users add e.g. `photograph dog` at run time). The base's lists
 * and indices are kept; new verbs, objects and classes follow them (class indices continue after
 * the base's last). Missing phrases come from {@link verbPhrase}. The base is not changed.
 */
export function extendVocabulary(base: Vocabulary, extension: VocabularyExtension): Vocabulary {
  if (typeof extension !== 'object' || extension === null) {
    throw new InvalidArgumentError('extension', 'an object { interactions, verbs?, objects? }', extension);
  }
  const verbs = [...base.verbs];
  const objects = [...base.objects];
  for (const [kind, list, normalize] of [
    ['verbs', verbs, normalizeVerb],
    ['objects', objects, normalizeLabel],
  ] as const) {
    const added = extension[kind];
    if (added === undefined) continue;
    if (!Array.isArray(added)) throw new InvalidArgumentError(kind, 'an array of names', added);
    added.forEach((name, i) => {
      const canonical = normalize(requireString(name, `${kind}[${i}]`, 'a non-empty name'));
      if (!list.includes(canonical)) list.push(canonical);
    });
  }
  const existing = new Set(base.interactions.map((c) => `${c.verb}\u0000${c.object}`));
  const added = buildInteractions(
    extension.interactions,
    verbs,
    objects,
    existing,
    base.interactions.length,
    {
      verbs: true,
      objects: true,
    },
  );
  const name =
    extension.name === undefined ? `${base.name}+custom` : requireString(extension.name, 'name', 'a name');
  const vocabulary: Vocabulary = {
    ...base,
    name,
    verbs,
    objects,
    interactions: [...base.interactions.map((c) => ({ ...c })), ...added],
  };
  return freezeVocabulary(vocabulary);
}
