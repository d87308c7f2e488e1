import type { HoiResult } from '@hoi/core/spec';
import type { HicoDetGroundTruth } from './hico-det-annotations.js';
import { normalizeName } from './hico-det-classes.js';
import { imageKey } from './image-key.js';
import { type PredictionSource, readPredictionRecords } from './prediction-source.js';

/**
 * What the reader skipped and why. Nothing here is fatal: a recognizer that proposes a verb
 * HICO-DET does not have loses nothing but those triplets, and the CLI prints these on stderr.
 */
export interface PredictionCounters {
  /** Result records read. */
  records: number;
  /** Instances in the records of known images (the harness reports instances per image). */
  instances: number;
  /** Interactions read in records of known images. */
  interactions: number;
  /** Interactions kept as valid detections. */
  valid: number;
  /** (verb, object) combinations that are not one of the classes, with how often each occurred. */
  unknownCombinations: Record<string, number>;
  /** Total of `unknownCombinations`. */
  unknownCombination: number;
  /** Interactions whose subject or object index is not an index into `instances`. */
  invalidIndex: number;
  /** Interactions whose score is not a finite number, or whose boxes are not 4 numbers. */
  malformed: number;
  /** Records whose image is not in the annotation file (their interactions are not counted above). */
  unknownImages: number;
  /** Records for an image already seen (their detections are appended in file order). */
  repeatedImages: number;
}

/**
 * Valid detections of one prediction source in flat typed arrays, in file order. Protocol-independent
 * (the cap, matching and filters happen in evaluation), so one parse serves all three presets.
 */
export interface HicoDetDetections {
  readonly count: number;
  /** Image index (annotation order). */
  readonly image: Int32Array;
  /** Class (0-based official HOI id). */
  readonly cls: Int32Array;
  readonly score: Float64Array;
  /** 8 per detection: subject x1,y1,x2,y2 then object x1,y1,x2,y2. */
  readonly boxes: Float64Array;
  /** 1 when the subject instance's label is `person`. */
  readonly subjectIsPerson: Uint8Array;
  readonly counters: PredictionCounters;
  /** Milliseconds spent reading and parsing. */
  readonly parseMs: number;
}

/** Human-readable lines for the counters (empty when nothing was skipped). */
export function predictionWarnings(counters: PredictionCounters): string[] {
  const out: string[] = [];
  if (counters.unknownCombination > 0) {
    const top = Object.entries(counters.unknownCombinations)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([k, n]) => `${k} (${n})`)
      .join(', ');
    out.push(
      `${counters.unknownCombination} interactions with a (verb, object) that is not a class were ignored: ${top}`,
    );
  }
  if (counters.invalidIndex > 0)
    out.push(`${counters.invalidIndex} interactions with out-of-range subject/object indices were ignored`);
  if (counters.malformed > 0)
    out.push(`${counters.malformed} interactions with a non-numeric score or box were ignored`);
  if (counters.unknownImages > 0)
    out.push(`${counters.unknownImages} records for images not in the annotations were ignored`);
  if (counters.repeatedImages > 0)
    out.push(`${counters.repeatedImages} records repeat an image; their detections were appended`);
  return out;
}

class Growable {
  image = new Int32Array(1 << 14);
  cls = new Int32Array(1 << 14);
  score = new Float64Array(1 << 14);
  boxes = new Float64Array(8 << 14);
  person = new Uint8Array(1 << 14);
  count = 0;
  grow(): void {
    const n = this.image.length * 2;
    const g = <T extends Int32Array | Float64Array | Uint8Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.image = g(this.image, n);
    this.cls = g(this.cls, n);
    this.score = g(this.score, n);
    this.boxes = g(this.boxes, n * 8);
    this.person = g(this.person, n);
  }
}

function isBox(b: unknown): b is number[] {
  return (
    Array.isArray(b) &&
    b.length === 4 &&
    typeof b[0] === 'number' &&
    typeof b[1] === 'number' &&
    typeof b[2] === 'number' &&
    typeof b[3] === 'number'
  );
}

/** Read predictions and keep the valid HICO-DET detections of the images in `gt`. */
export async function readHicoDetDetections(
  source: PredictionSource,
  gt: HicoDetGroundTruth,
): Promise<HicoDetDetections> {
  const t0 = performance.now();
  const { classes } = gt;
  const nObjects = classes.objects.length;
  const verbIds = new Map<string, number>();
  for (const [i, v] of classes.verbs.entries()) verbIds.set(v, i);
  const objectIds = new Map<string, number>();
  for (const [i, o] of classes.objects.entries()) objectIds.set(o, i);
  // Raw spelling -> id caches: names repeat a million times, normalisation runs once per spelling.
  const verbCache = new Map<string, number>();
  const objectCache = new Map<string, number>();
  const lookup = (cache: Map<string, number>, ids: Map<string, number>, raw: unknown): number => {
    if (typeof raw !== 'string') return -1;
    let id = cache.get(raw);
    if (id === undefined) {
      id = ids.get(normalizeName(raw)) ?? -1;
      cache.set(raw, id);
    }
    return id;
  };
  const counters: PredictionCounters = {
    records: 0,
    instances: 0,
    interactions: 0,
    valid: 0,
    unknownCombinations: {},
    unknownCombination: 0,
    invalidIndex: 0,
    malformed: 0,
    unknownImages: 0,
    repeatedImages: 0,
  };
  const seen = new Uint8Array(gt.fileNames.length);
  const out = new Growable();
  let instObject = new Int32Array(64);
  let instOk = new Uint8Array(64);
  for await (const record of readPredictionRecords(source)) {
    counters.records++;
    const img = typeof record?.image === 'string' ? gt.imageIndex.get(imageKey(record.image)) : undefined;
    if (img === undefined) {
      counters.unknownImages++;
      continue;
    }
    if (seen[img]) counters.repeatedImages++;
    seen[img] = 1;
    const instances = Array.isArray(record.instances) ? record.instances : [];
    const interactions: HoiResult['interactions'] = Array.isArray(record.interactions)
      ? record.interactions
      : [];
    const nInst = instances.length;
    counters.instances += nInst;
    if (nInst > instObject.length) {
      instObject = new Int32Array(nInst * 2);
      instOk = new Uint8Array(nInst * 2);
    }
    for (let k = 0; k < nInst; k++) {
      const inst = instances[k];
      instObject[k] = lookup(objectCache, objectIds, inst?.label);
      instOk[k] = isBox(inst?.box) ? 1 : 0;
    }
    counters.interactions += interactions.length;
    for (const it of interactions) {
      const s = it?.subject;
      const o = it?.object;
      if (!(Number.isInteger(s) && Number.isInteger(o) && s >= 0 && o >= 0 && s < nInst && o < nInst)) {
        counters.invalidIndex++;
        continue;
      }
      const v = lookup(verbCache, verbIds, it.verb);
      const obj = instObject[o]!;
      const cls = v >= 0 && obj >= 0 ? classes.classOfVerbObject[v * nObjects + obj]! : -1;
      if (cls < 0) {
        const key = `${String(it.verb)} ${String(instances[o]?.label)}`;
        counters.unknownCombinations[key] = (counters.unknownCombinations[key] ?? 0) + 1;
        counters.unknownCombination++;
        continue;
      }
      const score = it.score;
      if (typeof score !== 'number' || !Number.isFinite(score) || !instOk[s] || !instOk[o]) {
        counters.malformed++;
        continue;
      }
      if (out.count === out.image.length) out.grow();
      const d = out.count++;
      out.image[d] = img;
      out.cls[d] = cls;
      out.score[d] = score;
      const hb = instances[s]!.box;
      const ob = instances[o]!.box;
      const b = d * 8;
      out.boxes[b] = hb[0];
      out.boxes[b + 1] = hb[1];
      out.boxes[b + 2] = hb[2];
      out.boxes[b + 3] = hb[3];
      out.boxes[b + 4] = ob[0];
      out.boxes[b + 5] = ob[1];
      out.boxes[b + 6] = ob[2];
      out.boxes[b + 7] = ob[3];
      out.person[d] = instObject[s] === classes.personObject ? 1 : 0;
    }
  }
  counters.valid = out.count;
  return {
    count: out.count,
    image: out.image.subarray(0, out.count),
    cls: out.cls.subarray(0, out.count),
    score: out.score.subarray(0, out.count),
    boxes: out.boxes.subarray(0, out.count * 8),
    subjectIsPerson: out.person.subarray(0, out.count),
    counters,
    parseMs: performance.now() - t0,
  };
}
