import type { DetectedInstance } from '../spec/detector.js';
import { normalizeLabel } from '../vocabulary/index.js';

/** A subject-object pair of instance indices. */
export interface InstancePair {
  subject: number;
  object: number;
}

/**
 * Pairs every human with every other instance (human-human pairs included, never an instance with
 * itself), in subject-major order.
 */
export function pairInstances(instances: readonly DetectedInstance[], humanLabel = 'person'): InstancePair[] {
  const human = normalizeLabel(humanLabel);
  const pairs: InstancePair[] = [];
  for (let s = 0; s < instances.length; s++) {
    if (normalizeLabel(instances[s]!.label) !== human) continue;
    for (let o = 0; o < instances.length; o++) if (o !== s) pairs.push({ subject: s, object: o });
  }
  return pairs;
}
