/**
 * One interaction class of a vocabulary: a verb applied to an object label.
 */
export interface InteractionClass {
  /** Position in the vocabulary's `interactions` list (for HICO-DET: official HOI id - 1). */
  index: number;
  /** Verb, underscores for spaces (`sit_on`, `no_interaction`, `hit_instr`). */
  verb: string;
  /** Object label in the vocabulary's canonical spelling (spaces: `sports ball`). */
  object: string;
  /** Natural-language -ing phrase with article, used by recognizers: `sitting on a bicycle`. */
  phrase: string;
  /** True for HICO-DET's rare classes (fewer than 10 training instances). */
  rare?: boolean;
}

/**
 * A set of verbs, objects and the (verb, object) interaction classes allowed between them.
 * Plain data: it can be serialised, sent to a worker, or extended at run time with new verbs and
 * objects (zero-shot recognizers score any phrase).
 */
export interface Vocabulary {
  /** `hico-det`, `vcoco`, or a user-chosen name. */
  readonly name: string;
  /** Verbs in the vocabulary's order. */
  readonly verbs: readonly string[];
  /** Object labels in the vocabulary's order (spaces, COCO spelling). `person` is one of them. */
  readonly objects: readonly string[];
  /** Every allowed (verb, object) class, in the vocabulary's official order. */
  readonly interactions: readonly InteractionClass[];
  /** The verb that means "no interaction", if the vocabulary has one; never offered as a candidate. */
  readonly noInteractionVerb?: string;
  /** The label that marks a human subject. Default `person`. */
  readonly humanLabel?: string;
}
