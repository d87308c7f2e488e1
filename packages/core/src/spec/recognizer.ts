import type { ProviderMetadata, ProviderOptions, SpecWarning } from './common.js';
import type { DetectedInstance } from './detector.js';
import type { RgbImage } from './image.js';

/**
 * One candidate interaction class: a verb applied to an object label.
 * `phrase` is the natural-language form recognizers score ("sitting on a bicycle").
 */
export interface InteractionCandidate {
  /** Verb in the vocabulary's spelling, underscores for spaces (`sit_on`). */
  verb: string;
  /** Object label (`bicycle`, `sports ball`). */
  object: string;
  /** -ing phrase with article: `sitting on a bicycle`. */
  phrase: string;
  /** Index of the (verb, object) class in the vocabulary's interaction list, when it has one. */
  classIndex?: number;
}

/** A human-object pair: indices into the `instances` array passed with it. */
export interface InteractionPair {
  /** Index of the human (subject) instance. */
  subject: number;
  /** Index of the object instance (may itself be a person). Never equal to `subject`. */
  object: number;
  /** Indices into the call's `candidates` table: the classes to score for this pair. */
  candidates: number[];
}

export interface RecognizeOptions {
  image: RgbImage;
  instances: readonly DetectedInstance[];
  pairs: readonly InteractionPair[];
  /** The candidate table shared by every pair of the call (deduplicated). */
  candidates: readonly InteractionCandidate[];
  signal?: AbortSignal;
  providerOptions?: ProviderOptions;
}

/** Scores for one pair, aligned with that pair's `candidates` list. */
export interface PairScores {
  /** One score in [0, 1] per candidate of the pair, independent of each other (multi-label). */
  scores: number[];
  /** Probability in [0, 1] that the pair interacts at all, when the recognizer gives one. */
  interactiveness?: number;
  /** Optional per-candidate log-probabilities (generative recognizers). */
  logProbs?: number[];
}

export interface RecognizeResult {
  /** One entry per input pair, in input order. */
  pairs: PairScores[];
  warnings: SpecWarning[];
  providerMetadata?: ProviderMetadata;
}

/** Static facts the runtime reads to batch work. */
export interface RecognizerCapabilities {
  /** Largest number of pairs one `doRecognize` call may take; absent means no limit. */
  readonly maxPairsPerCall?: number;
  /** True when every `PairScores` carries `interactiveness`. */
  readonly interactiveness: boolean;
  /** True when any verb phrase may be scored (zero-shot); false when the recognizer knows a fixed verb list. */
  readonly openVocabulary: boolean;
}

/**
 * The interaction recognizer contract, version 1: given a decoded image, its instances and
 * human-object pairs, score each pair's candidate interactions. Scores are deterministic:
 * the same input gives the same output.
 */
export interface InteractionRecognizerV1 {
  readonly specificationVersion: 'v1';
  /** Short adapter name, e.g. `qwen2.5-vl`, `clip`, `remote`, `prior`. */
  readonly provider: string;
  readonly modelId: string;
  readonly capabilities: RecognizerCapabilities;
  doRecognize(options: RecognizeOptions): Promise<RecognizeResult>;
  dispose?(): Promise<void>;
}

/** The current recognizer contract. */
export type InteractionRecognizer = InteractionRecognizerV1;
