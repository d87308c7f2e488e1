import type { ChoiceLabelStyle } from './choice-labels.js';

/**
 * Version of the prompt wording. Part of the response-cache key: bump it whenever any text below changes
 * so that cached answers to old prompts are never reused.
 */
export const PROMPT_VERSION = 1;

/** The words used to point at the pair in the question. */
export interface PairDescription {
  /** Object label as detected (`bicycle`, `person`). */
  objectLabel: string;
  /** Coordinates already in the model's convention, or undefined when not written. */
  subjectCoordinates?: readonly number[];
  objectCoordinates?: readonly number[];
  /** Sentence that states the coordinate convention. */
  coordinateNote?: string;
  /** Colours of drawn rectangles, when boxes are drawn. */
  drawn?: { subjectColor: string; objectColor: string };
  /** True when the image is a crop around the pair. */
  cropped?: boolean;
}

/** "the bicycle", or "the other person" for human-human pairs. */
export function objectNoun(label: string): string {
  return label === 'person' ? 'the other person' : `the ${label.replace(/_/g, ' ')}`;
}

/** The sentences that locate the person and the object. */
export function describePair(d: PairDescription): string {
  const noun = objectNoun(d.objectLabel);
  const lines: string[] = [];
  if (d.cropped) lines.push('The image is cropped around the person and the object.');
  if (d.drawn)
    lines.push(
      `The person is marked with a ${d.drawn.subjectColor} box and ${noun} with a ${d.drawn.objectColor} box.`,
    );
  if (d.subjectCoordinates && d.objectCoordinates) {
    lines.push(
      `The person is at ${formatNumbers(d.subjectCoordinates)}. ${capitalise(noun)} is at ${formatNumbers(d.objectCoordinates)}.`,
    );
    if (d.coordinateNote) lines.push(d.coordinateNote);
  }
  return lines.join(' ');
}

/** The multiple-choice question of choice-logprobs: the answer's first token is the label. */
export function choicePrompt(
  pair: PairDescription,
  options: readonly { label: string; phrase: string }[],
  style: ChoiceLabelStyle,
): string {
  const kind = style === 'letters' ? 'letter' : 'number';
  return [
    describePair(pair),
    `Which interaction between the person and ${objectNoun(pair.objectLabel)} does the image show? Options:`,
    ...options.map((o) => `${o.label}. ${o.phrase}`),
    `Answer with the ${kind} of the best option only.`,
  ]
    .filter((s) => s.length > 0)
    .join('\n');
}

/** The text-fallback question: a JSON list of every applicable label. */
export function multiSelectPrompt(
  pair: PairDescription,
  options: readonly { label: string; phrase: string }[],
  style: ChoiceLabelStyle,
): string {
  const example = style === 'letters' ? '["A", "C"]' : '[1, 3]';
  const kind = style === 'letters' ? 'letters' : 'numbers';
  return [
    describePair(pair),
    `Which interactions between the person and ${objectNoun(pair.objectLabel)} does the image show? Options:`,
    ...options.map((o) => `${o.label}. ${o.phrase}`),
    `Answer with a JSON list of the ${kind} of every option that applies, e.g. ${example}, or [] if none applies.`,
  ]
    .filter((s) => s.length > 0)
    .join('\n');
}

/** The yes/no question for one candidate. */
export function yesNoPrompt(pair: PairDescription, phrase: string): string {
  return [describePair(pair), `Is the person ${phrase}? Answer yes or no.`]
    .filter((s) => s.length > 0)
    .join('\n');
}

/** The question whose answer (the candidate phrase, teacher-forced) is scored by sequence likelihood. */
export function phraseQuestionPrompt(pair: PairDescription): string {
  return [
    describePair(pair),
    `What is the person doing with ${objectNoun(pair.objectLabel)}? Answer with a short phrase.`,
  ]
    .filter((s) => s.length > 0)
    .join('\n');
}

function formatNumbers(values: readonly number[]): string {
  return `(${values.join(', ')})`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
