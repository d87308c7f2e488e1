import { InvalidArgumentError } from '../errors/hoi-error.js';
import { nms } from '../geometry/nms.js';
import type { DetectedInstance } from '../spec/detector.js';
import { normalizeLabel } from '../vocabulary/index.js';

/** Instance filtering settings. Defaults are the method's (DA-HOI / UPT) values. */
export interface InstanceFilterOptions {
  /** Class-wise NMS IoU threshold. Default 0.5. Set to 1 to disable NMS. */
  nmsIouThreshold?: number;
  /** Keep instances with score >= this. Default 0.2. */
  scoreThreshold?: number;
  /** Keep at least this many humans, topping up below the threshold. Default 3. */
  minHumans?: number;
  /** Keep at most this many humans. Default 15. */
  maxHumans?: number;
  /** Keep at least this many objects (non-humans), topping up below the threshold. Default 3. */
  minObjects?: number;
  /** Keep at most this many objects. Default 15. */
  maxObjects?: number;
  /** The label that marks a human. Default `person`. */
  humanLabel?: string;
}

/** The method's defaults, exported so callers can print or tweak them. */
export const DEFAULT_INSTANCE_FILTER: Required<InstanceFilterOptions> = Object.freeze({
  nmsIouThreshold: 0.5,
  scoreThreshold: 0.2,
  minHumans: 3,
  maxHumans: 15,
  minObjects: 3,
  maxObjects: 15,
  humanLabel: 'person',
});

export interface FilteredInstances {
  /** Kept instances: humans first, then objects, each by descending score (ties keep input order). */
  instances: DetectedInstance[];
  /** For each kept instance, its index in the input array. */
  sourceIndices: number[];
  /** Number of humans at the front of `instances`. */
  humanCount: number;
}

/**
 * Applies the method's instance filter: class-wise NMS, then per group (humans, objects) keep the
 * instances scoring at least `scoreThreshold`, at most `max*`; when fewer than `min*` pass, top up
 * with the best-scored ones below the threshold.
 */
export function filterInstances(
  instances: readonly DetectedInstance[],
  options: InstanceFilterOptions = {},
): FilteredInstances {
  const o = { ...DEFAULT_INSTANCE_FILTER, ...stripUndefined(options) };
  for (const key of ['minHumans', 'maxHumans', 'minObjects', 'maxObjects'] as const) {
    if (!(Number.isInteger(o[key]) && o[key] >= 0)) {
      throw new InvalidArgumentError(`filter.${key}`, 'a non-negative integer', o[key]);
    }
  }
  // A minimum above the maximum is an error only when the caller set both; a lowered maximum alone
  // lowers the default minimum with it.
  if (o.minHumans > o.maxHumans) {
    if (options.minHumans !== undefined && options.maxHumans !== undefined) {
      throw new InvalidArgumentError('filter.minHumans', `<= maxHumans (${o.maxHumans})`, o.minHumans);
    }
    o.minHumans = o.maxHumans;
  }
  if (o.minObjects > o.maxObjects) {
    if (options.minObjects !== undefined && options.maxObjects !== undefined) {
      throw new InvalidArgumentError('filter.minObjects', `<= maxObjects (${o.maxObjects})`, o.minObjects);
    }
    o.minObjects = o.maxObjects;
  }
  const human = normalizeLabel(o.humanLabel);
  const labels = instances.map((d) => normalizeLabel(d.label));
  const kept = nms(
    instances.map((d) => d.box),
    instances.map((d) => d.score),
    { iouThreshold: o.nmsIouThreshold, groups: labels },
  );
  // `kept` is already sorted by descending score with ties in input order.
  const humans = kept.filter((i) => labels[i] === human);
  const objects = kept.filter((i) => labels[i] !== human);
  const pick = (group: number[], min: number, max: number) => {
    const passing = group.filter((i) => instances[i]!.score >= o.scoreThreshold);
    const count = Math.min(Math.max(passing.length, Math.min(min, group.length)), max);
    return group.slice(0, count);
  };
  const keptHumans = pick(humans, o.minHumans, o.maxHumans);
  const sourceIndices = [...keptHumans, ...pick(objects, o.minObjects, o.maxObjects)];
  return { instances: sourceIndices.map((i) => instances[i]!), sourceIndices, humanCount: keptHumans.length };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
