import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HoiResult } from '@hoi/core/spec';

/** ../shared next to the repository root (tests skip visibly when it is absent). */
export const SHARED = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared');
export const HICO_TEST_FILE = resolve(SHARED, 'data/hico-det/instances_test2015.json');
export const VCOCO_TEST_FILE = resolve(SHARED, 'data/vcoco/instances_vcoco_test.json');
export const hasHico = existsSync(HICO_TEST_FILE);
export const hasVcoco = existsSync(VCOCO_TEST_FILE);

/** The fields of the instances_test2015.json layout the fixtures use. */
export interface HicoLayout {
  annotation: { boxes_h: number[][]; boxes_o: number[][]; hoi: number[]; object: number[]; verb: number[] }[];
  filenames: string[];
  objects: string[];
  verbs: string[];
  correspondence: [number, number, number][];
  rare: number[];
  non_rare?: number[];
  size?: [number, number][];
  empty?: number[];
}

/** mulberry32: a tiny seeded PRNG so generated files are the same on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Options of {@link predictionsFromGroundTruth}. */
export interface FromGroundTruthOptions {
  /** Shift every box right by this fraction of its (width + 1): 0.51/1.49 gives IoU 0.49 (+1 pixel). */
  shiftFraction?: number;
  /** Score of pair k: default 1 - k * 1e-6 (distinct). */
  score?: (image: number, pair: number) => number;
  /** Labels as spelled in the record (default: the file's names with underscores as spaces). */
  spell?: (name: string) => string;
}

/**
 * One result record per annotated image whose interactions are exactly its GT pairs (one instance
 * per distinct box), in the result-record format of protocols.md.
 */
export function predictionsFromGroundTruth(
  file: HicoLayout,
  options: FromGroundTruthOptions = {},
): HoiResult[] {
  const spell = options.spell ?? ((s: string) => s.replace(/_/g, ' '));
  const out: HoiResult[] = [];
  file.annotation.forEach((a, i) => {
    const others = [...a.boxes_h, ...a.boxes_o];
    // Shift along the first direction (right, left, down, up) that leaves the box below IoU 0.5
    // with every GT box of the image, so no shifted box can hit a neighbour.
    const shift = (b: number[]): [number, number, number, number] => {
      if (!options.shiftFraction) return [b[0]!, b[1]!, b[2]!, b[3]!];
      const dx = (b[2]! - b[0]! + 1) * options.shiftFraction;
      const dy = (b[3]! - b[1]! + 1) * options.shiftFraction;
      const candidates: [number, number, number, number][] = [
        [b[0]! + dx, b[1]!, b[2]! + dx, b[3]!],
        [b[0]! - dx, b[1]!, b[2]! - dx, b[3]!],
        [b[0]!, b[1]! + dy, b[2]!, b[3]! + dy],
        [b[0]!, b[1]! - dy, b[2]!, b[3]! - dy],
      ];
      return candidates.find((c) => others.every((o) => iouPlusOne(c, o) < 0.5)) ?? candidates[0]!;
    };
    const instances: HoiResult['instances'] = [];
    const index = new Map<string, number>();
    const instance = (box: number[], label: string) => {
      const key = `${label}:${box.join(',')}`;
      let k = index.get(key);
      if (k === undefined) {
        k = instances.length;
        index.set(key, k);
        instances.push({ box: shift(box), label: spell(label), score: 1 });
      }
      return k;
    };
    const interactions = a.hoi.map((h, k) => {
      const [, object, verb] = file.correspondence[h]!;
      return {
        subject: instance(a.boxes_h[k]!, 'person'),
        object: instance(a.boxes_o[k]!, file.objects[object]!),
        verb: spell(file.verbs[verb]!),
        score: options.score ? options.score(i, k) : 1 - k * 1e-6,
      };
    });
    out.push({ image: file.filenames[i]!, size: file.size?.[i] ?? [640, 480], instances, interactions });
  });
  return out;
}

/** +1-pixel IoU (the largest of the three variants), for the fixture's own checks. */
export function iouPlusOne(a: readonly number[], b: readonly number[]): number {
  const iw = Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!) + 1;
  const ih = Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!) + 1;
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  return (
    inter / ((a[2]! - a[0]! + 1) * (a[3]! - a[1]! + 1) + (b[2]! - b[0]! + 1) * (b[3]! - b[1]! + 1) - inter)
  );
}

/** A GT pair of a synthetic annotation file: class id and boxes. */
export interface SyntheticPair {
  cls: number;
  h: number[];
  o: number[];
}

/**
 * A small annotation file in the instances_test2015.json layout with the official 600-class lists
 * (from core's vocabulary), for hand-computed cases.
 */
export function syntheticHicoFile(
  images: readonly (readonly SyntheticPair[])[],
  vocabulary: {
    verbs: readonly string[];
    objects: readonly string[];
    interactions: readonly { verb: string; object: string }[];
  },
): HicoLayout {
  const verbs = vocabulary.verbs.map((v) => v.replace(/ /g, '_'));
  const objects = vocabulary.objects.map((o) => o.replace(/ /g, '_'));
  const correspondence = vocabulary.interactions.map(
    (c, i) =>
      [i, objects.indexOf(c.object.replace(/ /g, '_')), verbs.indexOf(c.verb.replace(/ /g, '_'))] as [
        number,
        number,
        number,
      ],
  );
  return {
    annotation: images.map((pairs) => ({
      boxes_h: pairs.map((p) => p.h),
      boxes_o: pairs.map((p) => p.o),
      hoi: pairs.map((p) => p.cls),
      object: pairs.map((p) => correspondence[p.cls]![1]),
      verb: pairs.map((p) => correspondence[p.cls]![2]),
    })),
    filenames: images.map((_, i) => `synthetic_${String(i).padStart(4, '0')}.jpg`),
    objects,
    verbs,
    correspondence,
    rare: [],
  };
}

/** Options of {@link noisyPredictions}. */
export interface NoisyOptions {
  seed: number;
  /** Detections per image: exactly this many when set (the bench), otherwise 0..maxExtra distractors. */
  perImage?: number;
  /** Upper bound of random distractors per image when `perImage` is not set. */
  maxExtra?: number;
}

/**
 * A deterministic imperfect detector: jittered copies of the GT pairs (some missed, some doubled),
 * distractors of random classes (no_interaction included) near the GT boxes, 5% non-person
 * subjects, and scores drawn from a shuffled list rounded to 2 decimals so ties are common.
 */
export function noisyPredictions(file: HicoLayout, options: NoisyOptions): HoiResult[] {
  const rand = seededRandom(options.seed);
  const spell = (s: string) => (rand() < 0.5 ? s.replace(/_/g, ' ') : s.toUpperCase());
  const nClasses = file.correspondence.length;
  const jitter = (b: number[], amount: number): [number, number, number, number] => {
    const w = b[2]! - b[0]! + 1;
    const h = b[3]! - b[1]! + 1;
    const dx = () => (rand() - 0.5) * 2 * amount * w;
    const dy = () => (rand() - 0.5) * 2 * amount * h;
    return [b[0]! + dx(), b[1]! + dy(), b[2]! + dx(), b[3]! + dy()];
  };
  return file.annotation.map((a, i) => {
    const instances: HoiResult['instances'] = [];
    const interactions: HoiResult['interactions'] = [];
    const add = (h: number[], o: number[], cls: number) => {
      const [, object, verb] = file.correspondence[cls]!;
      instances.push({ box: jitter(h, 0.08), label: rand() < 0.05 ? 'dog' : 'person', score: 1 });
      instances.push({ box: jitter(o, 0.08), label: spell(file.objects[object]!), score: 1 });
      interactions.push({
        subject: instances.length - 2,
        object: instances.length - 1,
        verb: spell(file.verbs[verb]!),
        score: Math.round(rand() * 100) / 100,
      });
    };
    const boxes = [...a.boxes_h, ...a.boxes_o];
    const anyBox = () => boxes[Math.floor(rand() * boxes.length)] ?? [10, 10, 200, 200];
    for (let k = 0; k < a.hoi.length; k++) {
      if (options.perImage !== undefined && interactions.length >= options.perImage) break;
      const r = rand();
      if (r < 0.2) continue; // missed
      add(a.boxes_h[k]!, a.boxes_o[k]!, a.hoi[k]!);
      if (r > 0.85) add(a.boxes_h[k]!, a.boxes_o[k]!, a.hoi[k]!); // duplicate
    }
    const target =
      options.perImage ?? interactions.length + Math.floor(rand() * ((options.maxExtra ?? 20) + 1));
    while (interactions.length < target) {
      const k = a.hoi.length > 0 && rand() < 0.5 ? Math.floor(rand() * a.hoi.length) : -1;
      // Near-miss of a GT class, or any class on GT-ish boxes.
      const cls = k >= 0 && rand() < 0.5 ? a.hoi[k]! : Math.floor(rand() * nClasses);
      add(k >= 0 ? a.boxes_h[k]! : anyBox(), k >= 0 ? anyBox() : anyBox(), cls);
    }
    return { image: file.filenames[i]!, size: file.size?.[i] ?? [640, 480], instances, interactions };
  });
}

/**
 * Records laid out as the pipeline writes them: one jittered instance per distinct GT box plus a
 * few distractor boxes, and exactly `perImage` interactions between them: most GT pairs (80%) with
 * their class, then random person-object pairs with a random verb valid for the object. Scores are
 * full-precision doubles. Deterministic for a seed.
 */
export function pipelineLikePredictions(
  file: HicoLayout,
  options: { seed: number; perImage: number },
): HoiResult[] {
  const rand = seededRandom(options.seed);
  const verbsOfObject = new Map<number, number[]>();
  for (const [, object, verb] of file.correspondence) {
    if (!verbsOfObject.has(object)) verbsOfObject.set(object, []);
    verbsOfObject.get(object)!.push(verb);
  }
  const person = file.objects.indexOf('person');
  const jitter = (b: number[]): [number, number, number, number] => {
    const w = b[2]! - b[0]! + 1;
    const h = b[3]! - b[1]! + 1;
    const d = (s: number) => (rand() - 0.5) * 0.16 * s;
    return [b[0]! + d(w), b[1]! + d(h), b[2]! + d(w), b[3]! + d(h)];
  };
  return file.annotation.map((a, i) => {
    const instances: HoiResult['instances'] = [];
    const objectOf: number[] = [];
    const index = new Map<string, number>();
    const instance = (box: number[], object: number) => {
      const key = `${object}:${box.join(',')}`;
      let k = index.get(key);
      if (k === undefined) {
        k = instances.length;
        index.set(key, k);
        instances.push({
          box: jitter(box),
          label: file.objects[object]!.replace(/_/g, ' '),
          score: 0.3 + 0.7 * rand(),
        });
        objectOf.push(object);
      }
      return k;
    };
    const interactions: HoiResult['interactions'] = [];
    a.hoi.forEach((h, k) => {
      const [, object, verb] = file.correspondence[h]!;
      const s = instance(a.boxes_h[k]!, person);
      const o = instance(a.boxes_o[k]!, object);
      if (rand() < 0.8 && interactions.length < options.perImage) {
        interactions.push({ subject: s, object: o, verb: file.verbs[verb]!, score: rand() });
      }
    });
    for (let extra = 0; extra < 4; extra++) {
      const object = Math.floor(rand() * file.objects.length);
      const x = rand() * 500;
      const y = rand() * 350;
      instance([x, y, x + 20 + rand() * 200, y + 20 + rand() * 200], rand() < 0.3 ? person : object);
    }
    const humans = objectOf.map((o, k) => (o === person ? k : -1)).filter((k) => k >= 0);
    while (interactions.length < options.perImage) {
      const s = humans[Math.floor(rand() * humans.length)] ?? 0;
      const o = Math.floor(rand() * instances.length);
      const verbs = verbsOfObject.get(objectOf[o]!)!;
      interactions.push({
        subject: s,
        object: o,
        verb: file.verbs[verbs[Math.floor(rand() * verbs.length)]!]!,
        score: rand(),
      });
    }
    return { image: file.filenames[i]!, size: file.size?.[i] ?? [640, 480], instances, interactions };
  });
}

/**
 * The same annotations in the QPIC `test_hico.json` layout: one box list per image (humans then
 * objects, repeated boxes kept, as the conversion scripts do), COCO category ids, 1-based verb and
 * HOI ids. `cocoCategoryOfObject[o]` is the COCO category id of HICO object o.
 */
export function toQpicLayout(file: HicoLayout, cocoCategoryOfObject: readonly number[], withHoiIds = true) {
  return file.annotation.map((a, i) => {
    const annotations: { bbox: number[]; category_id: number }[] = [];
    const hoi_annotation: {
      subject_id: number;
      object_id: number;
      category_id: number;
      hoi_category_id?: number;
    }[] = [];
    a.hoi.forEach((h, k) => {
      const [, object, verb] = file.correspondence[h]!;
      annotations.push({ bbox: a.boxes_h[k]!, category_id: 1 });
      annotations.push({ bbox: a.boxes_o[k]!, category_id: cocoCategoryOfObject[object]! });
      hoi_annotation.push({
        subject_id: annotations.length - 2,
        object_id: annotations.length - 1,
        category_id: verb + 1,
        ...(withHoiIds ? { hoi_category_id: h + 1 } : {}),
      });
    });
    return { file_name: file.filenames[i]!, img_id: i + 1, annotations, hoi_annotation };
  });
}
