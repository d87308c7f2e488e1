import { normalizeLabelToken } from '../prompt/choice-labels.js';
import { logSumExp, type TokenLogprob } from './log-math.js';

/** Log-probabilities of a chunk's labels read from the first answer token. */
export interface ChunkLabelLogprobs {
  /** One per candidate label of the chunk, in order. */
  candidates: number[];
  /** The chunk's "none of these" option. */
  none: number;
  /** Labels absent from top_logprobs (their value is an upper bound, see {@link readLabelLogprobs}). */
  missing: number;
}

/**
 * Reads each label's log-probability from the first answer token's `top_logprobs`. Token variants of one
 * label ("A", " A", "A.") are summed. A label absent from the list gets an upper bound: the smaller of
 * the least listed probability and the unlisted mass shared equally among absent labels. Returns
 * undefined when no listed token is a label (the server ignored the format; callers fall back).
 */
export function readLabelLogprobs(
  topLogprobs: readonly TokenLogprob[],
  candidateLabels: readonly string[],
  noneLabel: string,
): ChunkLabelLogprobs | undefined {
  const byLabel = new Map<string, number[]>();
  let listedMass = 0;
  let minListed = Number.POSITIVE_INFINITY;
  for (const { token, logprob } of topLogprobs) {
    if (!Number.isFinite(logprob)) continue;
    listedMass += Math.exp(logprob);
    minListed = Math.min(minListed, logprob);
    const label = normalizeLabelToken(token);
    if (label === undefined) continue;
    const list = byLabel.get(label) ?? [];
    list.push(logprob);
    byLabel.set(label, list);
  }
  const all = [...candidateLabels, noneLabel];
  if (!all.some((l) => byLabel.has(l))) return undefined;
  const absent = all.filter((l) => !byLabel.has(l)).length;
  const residual = Math.max(1e-12, 1 - listedMass);
  const bound = absent > 0 ? Math.min(minListed, Math.log(residual / absent)) : 0;
  const value = (l: string) => {
    const list = byLabel.get(l);
    return list ? logSumExp(list) : bound;
  };
  return { candidates: candidateLabels.map(value), none: value(noneLabel), missing: absent };
}

/** Scores of all of a pair's candidates after merging its chunks. */
export interface MergedChoiceScores {
  /** Probability of each candidate among all candidates plus "none", in [0, 1]. */
  scores: number[];
  /** Natural log of `scores`. */
  logProbs: number[];
  /** 1 - P(none of these). */
  interactiveness: number;
}

/**
 * Merges chunked choice questions into one distribution over all candidates plus "none of these".
 *
 * Why this keeps chunks comparable: every chunk shows the same "none of these" option. Under Luce's
 * choice axiom (the odds between two options do not depend on which other options are shown), the odds
 * of a candidate against "none" are on one scale whichever chunk measured them. The merged distribution
 * is p_k = o_k / (1 + sum_j o_j) with o_k = p_chunk(k) / p_chunk(none), which equals the plain softmax
 * over shown labels when there is a single chunk. Empty input gives empty scores and interactiveness 0.
 */
export function mergeChoiceChunks(chunks: readonly ChunkLabelLogprobs[]): MergedChoiceScores {
  const logOdds: number[] = [];
  for (const chunk of chunks) {
    // Renormalise over the chunk's shown labels first so that tokens outside the option set
    // (whitespace, "The") do not change the odds.
    for (const lp of chunk.candidates) logOdds.push(lp - chunk.none);
  }
  if (logOdds.length === 0) return { scores: [], logProbs: [], interactiveness: 0 };
  const logZ = logSumExp([0, ...logOdds]);
  const logProbs = logOdds.map((o) => o - logZ);
  return {
    scores: logProbs.map((lp) => Math.exp(lp)),
    logProbs,
    interactiveness: 1 - Math.exp(-logZ),
  };
}

/**
 * P(yes) for a yes/no question, from the first answer token's `top_logprobs`, normalised over the
 * yes and no variants ("Yes", " yes", "YES", "yes."). Undefined when neither appears.
 */
export function yesProbability(topLogprobs: readonly TokenLogprob[]): number | undefined {
  const yes: number[] = [];
  const no: number[] = [];
  for (const { token, logprob } of topLogprobs) {
    const t = normalizeLabelToken(token);
    if (t === 'YES') yes.push(logprob);
    else if (t === 'NO') no.push(logprob);
  }
  if (yes.length === 0 && no.length === 0) return undefined;
  const ly = logSumExp(yes);
  const ln = logSumExp(no);
  return Math.exp(ly - logSumExp([ly, ln]));
}
