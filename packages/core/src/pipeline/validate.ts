import { InvalidArgumentError, UnexpectedModelOutputError } from '../errors/hoi-error.js';
import type { DetectedInstance } from '../spec/detector.js';
import type { InteractionPair, RecognizeResult } from '../spec/recognizer.js';

/**
 * Checks instances before they enter the pipeline: boxes are four finite numbers with x1 <= x2 and
 * y1 <= y2, scores are in [0, 1], labels are non-empty strings (and, when `labels` is given, known).
 */
export function validateInstances(
  instances: readonly DetectedInstance[],
  argument = 'instances',
  labels?: ReadonlySet<string>,
): void {
  if (!Array.isArray(instances))
    throw new InvalidArgumentError(argument, 'an array of { box, label, score }', instances);
  instances.forEach((d, i) => {
    const b = d?.box;
    if (!Array.isArray(b) || b.length !== 4 || !b.every(Number.isFinite)) {
      throw new InvalidArgumentError(
        `${argument}[${i}].box`,
        '[x1, y1, x2, y2]: four finite numbers in source pixels',
        b,
      );
    }
    if (b[2] < b[0] || b[3] < b[1]) {
      throw new InvalidArgumentError(
        `${argument}[${i}].box`,
        'x1 <= x2 and y1 <= y2 (x1, y1, x2, y2 order)',
        `[${b.join(', ')}]`,
      );
    }
    if (!(Number.isFinite(d.score) && d.score >= 0 && d.score <= 1)) {
      throw new InvalidArgumentError(`${argument}[${i}].score`, 'a number in [0, 1]', d.score);
    }
    if (typeof d.label !== 'string' || d.label.length === 0) {
      throw new InvalidArgumentError(`${argument}[${i}].label`, 'a non-empty string', d.label);
    }
    if (labels && !labels.has(d.label)) {
      throw new InvalidArgumentError(
        `${argument}[${i}].label`,
        `one of the detector's labels (${[...labels].slice(0, 5).join(', ')}, ...)`,
        d.label,
      );
    }
  });
}

/** Checks that pairs index inside the instances, never pair an instance with itself, and that candidate indices are in range. */
export function validatePairs(
  pairs: readonly InteractionPair[],
  instanceCount: number,
  candidateCount: number,
): void {
  if (!Array.isArray(pairs))
    throw new InvalidArgumentError('pairs', 'an array of { subject, object, candidates }', pairs);
  pairs.forEach((p, i) => {
    for (const key of ['subject', 'object'] as const) {
      const v = p?.[key];
      if (!(Number.isInteger(v) && v >= 0 && v < instanceCount)) {
        throw new InvalidArgumentError(
          `pairs[${i}].${key}`,
          `an instance index in [0, ${instanceCount - 1}]`,
          v,
        );
      }
    }
    if (p.subject === p.object)
      throw new InvalidArgumentError(
        `pairs[${i}]`,
        'two different instances',
        `subject = object = ${p.subject}`,
      );
    const cands: unknown = p.candidates;
    if (!Array.isArray(cands) || !cands.every((c) => Number.isInteger(c) && c >= 0 && c < candidateCount)) {
      throw new InvalidArgumentError(
        `pairs[${i}].candidates`,
        `indices in [0, ${candidateCount - 1}] into the candidate table`,
        p.candidates,
      );
    }
  });
}

/** Checks a recognizer's answer against the request: one entry per pair, one score in [0, 1] per candidate. */
export function validateRecognizeResult(
  result: RecognizeResult,
  pairs: readonly InteractionPair[],
  provider: string,
): void {
  if (!result || !Array.isArray(result.pairs) || result.pairs.length !== pairs.length) {
    throw new UnexpectedModelOutputError(
      `${provider}.doRecognize().pairs`,
      `an array of ${pairs.length} entries (one per pair)`,
      Array.isArray(result?.pairs) ? `${result.pairs.length} entries` : String(result?.pairs),
    );
  }
  result.pairs.forEach((r, i) => {
    const n = pairs[i]!.candidates.length;
    if (!Array.isArray(r.scores) || r.scores.length !== n) {
      throw new UnexpectedModelOutputError(
        `${provider}.doRecognize().pairs[${i}].scores`,
        `${n} scores`,
        `${r.scores?.length}`,
      );
    }
    r.scores.forEach((s, k) => {
      if (!(Number.isFinite(s) && s >= 0 && s <= 1)) {
        throw new UnexpectedModelOutputError(
          `${provider}.doRecognize().pairs[${i}].scores[${k}]`,
          'a number in [0, 1]',
          String(s),
        );
      }
    });
    if (r.interactiveness !== undefined && !(r.interactiveness >= 0 && r.interactiveness <= 1)) {
      throw new UnexpectedModelOutputError(
        `${provider}.doRecognize().pairs[${i}].interactiveness`,
        'a number in [0, 1]',
        String(r.interactiveness),
      );
    }
  });
}
