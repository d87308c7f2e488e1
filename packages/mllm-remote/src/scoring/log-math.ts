/** log(sum(exp(values))) without overflow; -Infinity for an empty list. */
export function logSumExp(values: readonly number[]): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) if (v > max) max = v;
  if (max === Number.NEGATIVE_INFINITY) return max;
  let sum = 0;
  for (const v of values) sum += Math.exp(v - max);
  return max + Math.log(sum);
}

/** One entry of an OpenAI-style `top_logprobs` list. */
export interface TokenLogprob {
  token: string;
  logprob: number;
}
