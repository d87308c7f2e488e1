import type { HoiResult } from '@hoi/core/spec';
import { normalizeName } from './hico-det-classes.js';
import { imageKey } from './image-key.js';
import type { VcocoDetection, VcocoGroundTruth } from './vcoco-official.js';

/** What the conversion skipped (for stderr), like the HICO-DET counters. */
export interface VcocoConversionCounters {
  records: number;
  unknownImages: number;
  unknownVerbs: Record<string, number>;
  invalidIndex: number;
}

/**
 * How a verb names an action and role: `hold_obj`, `hold obj`, or the action alone when it has a
 * single role (`hold`, core's V-COCO verbs) or none (`stand`, agent only).
 */
function verbTable(
  gt: Pick<VcocoGroundTruth, 'actions' | 'roles'>,
): Map<string, { action: number; role: number }> {
  const table = new Map<string, { action: number; role: number }>();
  gt.actions.forEach((action, a) => {
    const roles = gt.roles[a]!;
    for (const [r, role] of roles.entries())
      table.set(normalizeName(`${action} ${role}`), { action: a, role: r });
    if (roles.length === 1) table.set(normalizeName(action), { action: a, role: 0 });
    if (roles.length === 0) table.set(normalizeName(action), { action: a, role: -1 });
  });
  return table;
}

/**
 * Result records -> official V-COCO detections: one detection per (image, subject, object) pair,
 * person box = the subject's box; `<action>_<role>` = [object box, score] of the pair's interaction
 * with that verb; `<action>_agent` = the highest score of the pair's interactions of that action.
 * An interaction whose `object` is -1, null or the subject itself has no role object: its role box
 * is [0, 0, 0, 0] ("no role predicted", right under Scenario 1 when the GT role is missing).
 * Everything not predicted is NaN, which vsrl_eval.py skips.
 */
export function vcocoDetectionsFromRecords(
  records: Iterable<HoiResult>,
  gt: Pick<VcocoGroundTruth, 'actions' | 'roles' | 'imageIdByFileName'>,
): { detections: VcocoDetection[]; counters: VcocoConversionCounters } {
  const verbs = verbTable(gt);
  const counters: VcocoConversionCounters = {
    records: 0,
    unknownImages: 0,
    unknownVerbs: {},
    invalidIndex: 0,
  };
  const detections: VcocoDetection[] = [];
  for (const record of records) {
    counters.records++;
    const name = imageKey(String(record.image));
    let imageId = gt.imageIdByFileName.get(name);
    if (imageId === undefined) {
      const digits = /(\d+)\.\w+$/.exec(name);
      imageId = digits ? Number(digits[1]) : undefined;
    }
    if (imageId === undefined) {
      counters.unknownImages++;
      continue;
    }
    const pairs = new Map<string, VcocoDetection>();
    const instances = record.instances ?? [];
    for (const it of record.interactions ?? []) {
      const s = it.subject;
      const rawObject = it.object as number | null | undefined;
      const noObject = rawObject === null || rawObject === undefined || rawObject === -1 || rawObject === s;
      if (!instances[s]?.box || (!noObject && !instances[rawObject!]?.box)) {
        counters.invalidIndex++;
        continue;
      }
      const v = verbs.get(normalizeName(String(it.verb)));
      if (!v) {
        const key = String(it.verb);
        counters.unknownVerbs[key] = (counters.unknownVerbs[key] ?? 0) + 1;
        continue;
      }
      const key = `${s}:${noObject ? -1 : rawObject}`;
      let det = pairs.get(key);
      if (!det) {
        det = { image_id: imageId, person_box: [...instances[s]!.box] };
        pairs.set(key, det);
        detections.push(det);
      }
      const action = gt.actions[v.action]!;
      const agentKey = `${action}_agent`;
      const previous = det[agentKey];
      if (typeof previous !== 'number' || it.score > previous) det[agentKey] = it.score;
      if (v.role >= 0) {
        const roleKey = `${action}_${gt.roles[v.action]![v.role]}`;
        const box = noObject ? [0, 0, 0, 0] : [...instances[rawObject!]!.box];
        const current = det[roleKey];
        if (!Array.isArray(current) || it.score > current[4]!) det[roleKey] = [...box, it.score];
      }
    }
  }
  return { detections, counters };
}
