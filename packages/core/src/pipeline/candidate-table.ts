import type { DetectedInstance } from '../spec/detector.js';
import type { InteractionCandidate, InteractionPair } from '../spec/recognizer.js';
import { candidatesForObject } from '../vocabulary/index.js';
import type { Vocabulary } from '../vocabulary/vocabulary.js';
import type { InstancePair } from './pairing.js';

export interface CandidateTable {
  /** Deduplicated candidates shared by every pair. */
  candidates: InteractionCandidate[];
  /** The pairs with their candidate indices; pairs whose object has no candidate are left out. */
  pairs: InteractionPair[];
}

/**
 * Builds the candidate table of one image: for each pair, every interaction class of the vocabulary
 * whose object is the pair's object label (`no_interaction` excluded). Each class enters the table once,
 * however many pairs share it, so recognizers embed or score each phrase once.
 */
export function buildCandidateTable(
  vocabulary: Vocabulary,
  instances: readonly DetectedInstance[],
  pairs: readonly InstancePair[],
): CandidateTable {
  const candidates: InteractionCandidate[] = [];
  const tableIndex = new Map<number, number>();
  const perLabel = new Map<string, number[]>();
  const out: InteractionPair[] = [];
  for (const pair of pairs) {
    const label = instances[pair.object]!.label;
    let indices = perLabel.get(label);
    if (!indices) {
      indices = candidatesForObject(vocabulary, label).map((c) => {
        let at = tableIndex.get(c.index);
        if (at === undefined) {
          at = candidates.length;
          tableIndex.set(c.index, at);
          candidates.push({ verb: c.verb, object: c.object, phrase: c.phrase, classIndex: c.index });
        }
        return at;
      });
      perLabel.set(label, indices);
    }
    if (indices.length > 0) out.push({ subject: pair.subject, object: pair.object, candidates: indices });
  }
  return { candidates, pairs: out };
}
