import { normalizeLabel, normalizeVerb } from './normalize-label.js';
import type { InteractionClass, Vocabulary } from './vocabulary.js';

/**
 * Per-vocabulary lookup tables, built on first use. Keyed weakly by the (frozen) vocabulary, so
 * nothing outlives it; this is a memo of pure data, not shared mutable state.
 */
interface VocabularyIndex {
  byObject: Map<string, InteractionClass[]>;
  byClass: Map<string, InteractionClass>;
}
const indices = new WeakMap<Vocabulary, VocabularyIndex>();

function indexOf(vocabulary: Vocabulary): VocabularyIndex {
  let index = indices.get(vocabulary);
  if (index) return index;
  const byObject = new Map<string, InteractionClass[]>();
  const byClass = new Map<string, InteractionClass>();
  const none = vocabulary.noInteractionVerb;
  for (const interaction of vocabulary.interactions) {
    const object = normalizeLabel(interaction.object);
    const verb = normalizeVerb(interaction.verb);
    byClass.set(`${verb}\u0000${object}`, interaction);
    if (none !== undefined && verb === normalizeVerb(none)) continue;
    let list = byObject.get(object);
    if (!list) {
      list = [];
      byObject.set(object, list);
    }
    list.push(interaction);
  }
  for (const list of byObject.values()) Object.freeze(list);
  index = { byObject, byClass };
  // Only frozen vocabularies are memoised: a mutable one could change under the memo.
  if (Object.isFrozen(vocabulary) && Object.isFrozen(vocabulary.interactions)) indices.set(vocabulary, index);
  return index;
}

/**
 * The candidate set for a pair whose object has label `objectLabel` (method step 4): every class
 * (verb, objectLabel) of the vocabulary in vocabulary order, the no-interaction verb excluded.
 * Labels compare with {@link normalizeLabel} (`sports_ball` == `Sports Ball`); an unknown label
 * gives `[]` (the pair has nothing to score). The returned array is frozen and shared: copy it
 * before changing it.
 */
export function candidatesForObject(
  vocabulary: Vocabulary,
  objectLabel: string,
): readonly InteractionClass[] {
  return indexOf(vocabulary).byObject.get(normalizeLabel(objectLabel)) ?? [];
}

/**
 * The class (verb, object) of a vocabulary, names in any spelling (`sit on` / `Dining_Table`);
 * `undefined` when the vocabulary has no such class. Evaluators map result records to class ids with it.
 */
export function findInteraction(
  vocabulary: Vocabulary,
  verb: string,
  objectLabel: string,
): InteractionClass | undefined {
  return indexOf(vocabulary).byClass.get(`${normalizeVerb(verb)}\u0000${normalizeLabel(objectLabel)}`);
}
