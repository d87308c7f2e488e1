import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, vcocoActionRoleOf } from '@hoi/core';
import type { HoiResult } from '@hoi/core/spec';
import { normalizeName } from './hico-det-classes.js';
import { iouOfficial } from './hico-det-protocol.js';
import { imageKey } from './image-key.js';
import { type PredictionSource, readPredictionRecords } from './prediction-source.js';
import { vocAllPointAp } from './voc-ap.js';

/** The reduced pair-level layout of `instances_vcoco_test.json` (fredzzhang/vcoco). */
export interface VcocoPairsFile {
  annotations: {
    boxes_h: number[][];
    boxes_o: number[][];
    actions: number[];
    objects?: number[];
    file_name: string;
  }[];
  /** The 24 class names, `hold obj` style. */
  classes: string[];
  [extra: string]: unknown;
}

/** Pair-level role AP on the reduced layout. */
export interface VcocoPairsResult {
  layout: 'pairs';
  classes: string[];
  /** AP in percent per class; null when the class has no GT pair. */
  perClass: (number | null)[];
  npos: number[];
  /** Mean over the classes with GT pairs, percent. */
  mean: number | null;
  counters: {
    records: number;
    unknownImages: number;
    unknownVerbs: Record<string, number>;
    invalidIndex: number;
  };
}

/**
 * Pair-level role AP on the reduced layout, which keeps only pairs with a present role object and
 * cannot express missing roles or ignored persons: a detection (subject box, object box, class)
 * matches the first GT pair of its class in the image with the largest min(IoU_h, IoU_o) (+1-pixel
 * IoU, as V-COCO); true positive at >= 0.5 when that pair is unmatched. Ranking ties: image order,
 * then within-image order (score, then file order). AP: all-point VOC AP. This is not the official
 * V-COCO number (use the official layout for that); it is what the reduced data supports.
 */
export async function evaluateVcocoPairs(
  annotations: string | VcocoPairsFile,
  predictions: PredictionSource,
): Promise<VcocoPairsResult> {
  const file: VcocoPairsFile =
    typeof annotations === 'string'
      ? (JSON.parse(await readFile(annotations, 'utf8')) as VcocoPairsFile)
      : annotations;
  if (!Array.isArray(file?.annotations) || !Array.isArray(file.classes)) {
    throw new InvalidArgumentError('annotations', 'the reduced V-COCO layout (annotations, classes)');
  }
  const classes = file.classes;
  const classOf = new Map<string, number>();
  for (const [k, c] of classes.entries()) classOf.set(normalizeName(c), k);
  const lookupClass = (verb: string): number => {
    const direct = classOf.get(normalizeName(verb));
    if (direct !== undefined) return direct;
    const role = vcocoActionRoleOf(verb);
    return role ? (classOf.get(normalizeName(role.className)) ?? -1) : -1;
  };
  const imageIndex = new Map(file.annotations.map((a, i) => [imageKey(a.file_name), i]));
  const npos = new Array<number>(classes.length).fill(0);
  for (const a of file.annotations) for (const c of a.actions) npos[c]!++;

  const counters: VcocoPairsResult['counters'] = {
    records: 0,
    unknownImages: 0,
    unknownVerbs: {},
    invalidIndex: 0,
  };
  type Det = { cls: number; score: number; h: number[]; o: number[]; order: number };
  const perImage: Det[][] = file.annotations.map(() => []);
  for await (const record of readPredictionRecords(predictions)) {
    counters.records++;
    const i = imageIndex.get(imageKey(String((record as HoiResult).image)));
    if (i === undefined) {
      counters.unknownImages++;
      continue;
    }
    const instances = record.instances ?? [];
    for (const it of record.interactions ?? []) {
      const h = instances[it.subject]?.box;
      const o = instances[it.object]?.box;
      if (!h || !o || typeof it.score !== 'number') {
        counters.invalidIndex++;
        continue;
      }
      const cls = lookupClass(String(it.verb));
      if (cls < 0) {
        counters.unknownVerbs[String(it.verb)] = (counters.unknownVerbs[String(it.verb)] ?? 0) + 1;
        continue;
      }
      perImage[i]!.push({ cls, score: it.score, h, o, order: perImage[i]!.length });
    }
  }

  const ranked: { score: number; tp: number; image: number; pos: number }[][] = classes.map(() => []);
  const box = new Float64Array(8);
  file.annotations.forEach((a, i) => {
    const dets = perImage[i]!.sort((x, y) => y.score - x.score || x.order - y.order);
    const matched = new Uint8Array(a.actions.length);
    dets.forEach((d, pos) => {
      let best = Number.NEGATIVE_INFINITY;
      let bestPair = -1;
      box.set(d.h, 0);
      box.set(d.o, 4);
      for (let p = 0; p < a.actions.length; p++) {
        if (a.actions[p] !== d.cls) continue;
        const g = Float64Array.from([...a.boxes_h[p]!, ...a.boxes_o[p]!]);
        const ov = Math.min(iouOfficial(box, 0, g, 0), iouOfficial(box, 4, g, 4));
        if (ov > best) {
          best = ov;
          bestPair = p;
        }
      }
      let tp = 0;
      if (bestPair >= 0 && best >= 0.5 && !matched[bestPair]) {
        matched[bestPair] = 1;
        tp = 1;
      }
      ranked[d.cls]!.push({ score: d.score, tp, image: i, pos });
    });
  });
  const perClass = ranked.map((list, c) => {
    if (npos[c] === 0) return null;
    list.sort((x, y) => y.score - x.score || x.image - y.image || x.pos - y.pos);
    const rec = new Float64Array(list.length);
    const prec = new Float64Array(list.length);
    let tp = 0;
    list.forEach((d, k) => {
      tp += d.tp;
      rec[k] = tp / npos[c]!;
      prec[k] = tp / (k + 1);
    });
    return vocAllPointAp(rec, prec) * 100;
  });
  const valid = perClass.filter((v): v is number => v !== null);
  return {
    layout: 'pairs',
    classes: [...classes],
    perClass,
    npos,
    mean: valid.length ? valid.reduce((s, v) => s + v, 0) / valid.length : null,
    counters,
  };
}
