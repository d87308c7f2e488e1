import { OutputParseError } from '@hoi/core';

/** One prompt position of vLLM's `prompt_logprobs`: token id -> its logprob and decoded text; null first. */
export type PromptLogprobEntry = Record<
  string,
  { logprob: number; rank?: number; decoded_token?: string }
> | null;

/**
 * Sums the log-probabilities of the prompt tokens that spell `phrase` at the very end of the prompt
 * (teacher forcing: log p(phrase | image, question)). Walks back from the last token, concatenating
 * decoded tokens until they cover the phrase. At each position the entry whose text fits the remaining
 * phrase is taken, so responses that also list top-k alternatives are read correctly.
 * Throws {@link OutputParseError} when the tail does not spell the phrase.
 */
export function phraseLogprobFromPromptLogprobs(
  entries: readonly PromptLogprobEntry[],
  phrase: string,
): { logProb: number; tokens: number } {
  const target = phrase.trim();
  if (target.length === 0) return { logProb: 0, tokens: 0 };
  let covered = '';
  let sum = 0;
  let tokens = 0;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (!entry) break;
    const options = Object.values(entry);
    const pick =
      options.find(
        (o) => o.decoded_token !== undefined && target.endsWith((o.decoded_token + covered).trimStart()),
      ) ?? (options.length === 1 ? options[0] : undefined);
    if (!pick || pick.decoded_token === undefined) break;
    covered = pick.decoded_token + covered;
    sum += pick.logprob;
    tokens++;
    if (covered.trimStart().length >= target.length) {
      if (covered.trim() === target) return { logProb: sum, tokens };
      break;
    }
  }
  throw new OutputParseError(
    covered,
    `prompt_logprobs whose last tokens spell the candidate phrase ${JSON.stringify(target)} (is the server vLLM with prompt_logprobs and continue_final_message?)`,
  );
}

/** TGI `details.prefill` entries: one per input token. */
export interface PrefillToken {
  id?: number;
  text: string;
  logprob: number | null;
}

/** Same as {@link phraseLogprobFromPromptLogprobs} for TGI's `decoder_input_details` prefill list. */
export function phraseLogprobFromPrefill(prefill: readonly PrefillToken[], phrase: string) {
  return phraseLogprobFromPromptLogprobs(
    prefill.map((t) =>
      t.logprob === null ? null : { [String(t.id ?? 0)]: { logprob: t.logprob, decoded_token: t.text } },
    ),
    phrase,
  );
}
