import { InvalidArgumentError } from '@hoi/core';

/**
 * Short option labels. Letters give up to 26 single-token labels in every common tokenizer; numbers
 * stop at 9 because Qwen and LLaMA tokenizers split multi-digit numbers into one token per digit,
 * so "12" would share its first token with "1".
 */
export type ChoiceLabelStyle = 'letters' | 'numbers';

/** Most labels one request can use with a style. */
export const MAX_LABELS: Record<ChoiceLabelStyle, number> = { letters: 26, numbers: 9 };

/** The first `count` labels of a style: A, B, C... or 1, 2, 3... */
export function choiceLabels(count: number, style: ChoiceLabelStyle): string[] {
  if (!Number.isInteger(count) || count < 0 || count > MAX_LABELS[style]) {
    throw new InvalidArgumentError(
      'count',
      `an integer in [0, ${MAX_LABELS[style]}] for ${style} labels`,
      count,
    );
  }
  return Array.from({ length: count }, (_, i) =>
    style === 'letters' ? String.fromCharCode(65 + i) : String(i + 1),
  );
}

/**
 * Maps a generated token to the label it stands for, or undefined. Tokenizers emit the same answer
 * as "A", " A", "A.", "(A", "A)" or "a"; all of these mean option A.
 */
export function normalizeLabelToken(token: string): string | undefined {
  const t = token
    .trim()
    .replace(/^[([{"'*]+/, '')
    .replace(/[)\]}.:,"'*]+$/, '')
    .toUpperCase();
  return t.length > 0 ? t : undefined;
}
