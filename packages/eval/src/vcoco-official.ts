import { InvalidArgumentError } from '@hoi/core';
import { vocAllPointAp } from './voc-ap.js';

const f32 = Math.fround;

/** One action of the official `vcoco_test.json` (a list of these, one per action). */
export interface VcocoActionAnnotation {
  action_name: string;
  /** `['agent']`, `['agent', 'obj']`, `['agent', 'instr', 'obj']`. */
  role_name: string[];
  /** One per annotated person: COCO annotation id, image id, 1 when the person does the action. */
  ann_id: number[];
  image_id: number[];
  label: number[];
  /** Role-major flat list: all agent ids, then all ids of role 1, ...; 0 = role object absent. */
  role_object_id: number[];
  [extra: string]: unknown;
}

/** The parts of a COCO instances file the V-COCO evaluator reads. */
export interface CocoInstances {
  images: { id: number; width: number; height: number; file_name?: string }[];
  annotations: {
    id: number;
    image_id: number;
    category_id: number;
    bbox: number[];
    area: number;
    iscrowd?: number;
    ignore?: number;
  }[];
  categories: { id: number; name: string }[];
}

/**
 * One detection in the official V-COCO format (`vsrl_eval.py`): a person box with a score per
 * action (`<action>_agent`) and, per action role, `[x1, y1, x2, y2, score]` (`<action>_<role>`).
 * Missing keys and NaN scores mean "not detected". JSON cannot hold NaN, so null is read as NaN.
 */
export interface VcocoDetection {
  image_id: number;
  person_box: number[];
  [actionRole: string]: number | number[] | null | undefined;
}

/** V-COCO ground truth prepared as `vsrl_eval.py` prepares it (float32 boxes, per-person labels). */
export interface VcocoGroundTruth {
  actions: string[];
  /** Role names per action without `agent`: `[[], ['obj'], ['instr', 'obj'], ...]`. */
  roles: string[][];
  /** Image ids in ascending order (the split order). */
  imageIds: number[];
  images: VcocoImage[];
  /** COCO file name -> image id, for result records named by file. */
  imageIdByFileName: Map<string, number>;
}

interface VcocoImage {
  id: number;
  /** 4 float32 per person. */
  personBoxes: Float64Array;
  /** Per person, per action: -1 unannotated, 0 no, 1 yes. */
  actions: Int8Array;
  /** Per person, per action, per role slot (2): 4 float32 or -1s when the role object is absent. */
  roleBoxes: Float64Array;
}

/**
 * Build the ground truth from `vcoco_test.json` and COCO instance annotations exactly as
 * `vsrl_eval.py` does: boxes from x,y,w,h as x2 = x1 + max(0, w - 1), clipped to the image, kept
 * only with positive area and x2 > x1, y2 > y1, stored in float32; persons = the first category;
 * persons absent from the V-COCO list are "ignored".
 */
export function parseVcocoOfficial(vcoco: VcocoActionAnnotation[], coco: CocoInstances): VcocoGroundTruth {
  if (!Array.isArray(vcoco) || vcoco.length === 0 || !Array.isArray(vcoco[0]?.ann_id)) {
    throw new InvalidArgumentError(
      'vcoco',
      'the vcoco_test.json list of actions (action_name, role_name, ann_id, ...)',
    );
  }
  if (!Array.isArray(coco?.annotations) || !Array.isArray(coco.images) || !Array.isArray(coco.categories)) {
    throw new InvalidArgumentError('coco', 'a COCO instances file (images, annotations, categories)');
  }
  // The lists are flat in the released file; accept N x 1 nesting too (what numpy reshapes to).
  vcoco = vcoco.map((a) => ({
    ...a,
    ann_id: (a.ann_id as unknown[]).flat(2) as number[],
    image_id: (a.image_id as unknown[]).flat(2) as number[],
    label: (a.label as unknown[]).flat(2) as number[],
    role_object_id: flattenRoleIds(a.role_object_id as unknown[], a.role_name.length),
  }));
  const actions = vcoco.map((a) => a.action_name);
  const roles = vcoco.map((a) => a.role_name.slice(1));
  const nActions = actions.length;
  // Rows per action: ann_id -> row (role ids), label.
  const rows = vcoco.map((a) => {
    const n = a.ann_id.length;
    const k = a.role_name.length;
    if (a.role_object_id.length !== n * k) {
      throw new InvalidArgumentError(
        `vcoco[${a.action_name}].role_object_id`,
        `${n} x ${k} ids`,
        a.role_object_id.length,
      );
    }
    const positive = new Map<number, number[]>();
    for (let r = 0; r < n; r++) {
      if (a.label[r] !== 1) continue;
      const ids: number[] = [];
      for (let j = 1; j < k; j++) ids.push(a.role_object_id[j * n + r]!);
      positive.set(a.ann_id[r]!, ids);
    }
    return positive;
  });
  const inVcoco = new Set(vcoco[0]!.ann_id);
  const imageIds = [...new Set(vcoco[0]!.image_id)].sort((x, y) => x - y);
  const imageInfo = new Map(coco.images.map((im) => [im.id, im]));
  const annsByImage = new Map<number, CocoInstances['annotations']>();
  for (const ann of coco.annotations) {
    if (!annsByImage.has(ann.image_id)) annsByImage.set(ann.image_id, []);
    annsByImage.get(ann.image_id)!.push(ann);
  }
  const personCategory = coco.categories[0]!.id;
  const images: VcocoImage[] = imageIds.map((id) => {
    const info = imageInfo.get(id);
    if (!info) throw new InvalidArgumentError('coco.images', `an entry for V-COCO image ${id}`);
    const valid: { ann: CocoInstances['annotations'][number]; box: number[] }[] = [];
    for (const ann of annsByImage.get(id) ?? []) {
      if (ann.ignore === 1) continue;
      const [bx, by, bw, bh] = ann.bbox as [number, number, number, number];
      const clip = (v: number, size: number) => Math.min(size - 1, Math.max(0, v));
      const x1 = clip(bx, info.width);
      const y1 = clip(by, info.height);
      const x2 = clip(bx + Math.max(0, bw - 1), info.width);
      const y2 = clip(by + Math.max(0, bh - 1), info.height);
      if (ann.area > 0 && x2 > x1 && y2 > y1) valid.push({ ann, box: [f32(x1), f32(y1), f32(x2), f32(y2)] });
    }
    const indexOfAnn = new Map(valid.map((v, k) => [v.ann.id, k]));
    const persons = valid.filter((v) => v.ann.category_id === personCategory);
    const personBoxes = new Float64Array(persons.length * 4);
    const act = new Int8Array(persons.length * nActions).fill(-1);
    const roleBoxes = new Float64Array(persons.length * nActions * 2 * 4).fill(-1);
    persons.forEach((p, k) => {
      personBoxes.set(p.box, k * 4);
      if (!inVcoco.has(p.ann.id)) return;
      for (let a = 0; a < nActions; a++) {
        const ids = rows[a]!.get(p.ann.id);
        act[k * nActions + a] = ids ? 1 : 0;
        if (!ids) continue;
        ids.forEach((rid, slot) => {
          if (rid === 0 || slot > 1) return;
          const target = indexOfAnn.get(rid);
          // vsrl_eval asserts the role object is a valid annotation; an invalid one counts as absent.
          if (target !== undefined) roleBoxes.set(valid[target]!.box, ((k * nActions + a) * 2 + slot) * 4);
        });
      }
    });
    return { id, personBoxes, actions: act, roleBoxes };
  });
  const imageIdByFileName = new Map<string, number>();
  for (const im of coco.images) if (im.file_name) imageIdByFileName.set(im.file_name, im.id);
  return { actions, roles, imageIds, images, imageIdByFileName };
}

/** Role ids are role-major and flat in the file; an N x K matrix is transposed to that order. */
function flattenRoleIds(ids: unknown[], roles: number): number[] {
  if (!Array.isArray(ids[0])) return ids as number[];
  const rows = ids as number[][];
  const out: number[] = [];
  for (let j = 0; j < roles; j++) for (const row of rows) out.push(row[j]!);
  return out;
}

/**
 * `get_overlap` of vsrl_eval.py in its float32 arithmetic: the reference box's area is a float64
 * scalar rounded to float32 when added to the float32 array, every other step is float32.
 */
function overlap32(g: ArrayLike<number>, gi: number, r: ArrayLike<number>, ri: number): number {
  const ixmin = Math.max(g[gi]!, r[ri]!);
  const iymin = Math.max(g[gi + 1]!, r[ri + 1]!);
  const ixmax = Math.min(g[gi + 2]!, r[ri + 2]!);
  const iymax = Math.min(g[gi + 3]!, r[ri + 3]!);
  const iw = Math.max(f32(f32(ixmax - ixmin) + 1), 0);
  const ih = Math.max(f32(f32(iymax - iymin) + 1), 0);
  const inters = f32(iw * ih);
  const refArea = f32((f32(r[ri + 2]! - r[ri]!) + 1) * (f32(r[ri + 3]! - r[ri + 1]!) + 1));
  const boxArea = f32(f32(f32(g[gi + 2]! - g[gi]!) + 1) * f32(f32(g[gi + 3]! - g[gi + 1]!) + 1));
  const uni = f32(f32(refArea + boxArea) - inters);
  return f32(inters / uni);
}

/** numpy `max` / `argmax` semantics: NaN wins, first occurrence. */
function argmax(values: Float64Array, n: number): number {
  let best = 0;
  for (let k = 0; k < n; k++) {
    if (Number.isNaN(values[k]!)) return k;
    if (values[k]! > values[best]!) best = k;
  }
  return best;
}

/** Per-class AP (percent, float32 as the reference stores it) and their mean. */
export interface VcocoApTable {
  /** Class names: `hold obj` style for roles, the action name for agent AP. */
  classes: string[];
  /** AP in percent; null when the class has no positive (the reference cannot compute it). */
  perClass: (number | null)[];
  /** Number of GT positives per class. */
  npos: number[];
  mean: number | null;
}

/** What {@link evaluateVcocoOfficial} returns. */
export interface VcocoOfficialResult {
  /** Role AP, Scenario 1 (a missing GT role needs an empty predicted role box) over the 24 classes. */
  scenario1: VcocoApTable;
  /** Role AP, Scenario 2 (a missing GT role accepts any role box). */
  scenario2: VcocoApTable;
  /** Agent AP per action; mean = sum / number of actions, as vsrl_eval.py prints it. */
  agent: VcocoApTable;
}

/** The 24 action-role classes of the V-COCO papers: every (action, role) except `point instr`. */
export const VCOCO_EXCLUDED_ROLE_CLASSES: readonly string[] = Object.freeze(['point instr']);

interface Ranked {
  score: number[];
  tp: number[];
}

function apOf(list: Ranked, npos: number): number | null {
  if (npos === 0) return null;
  const n = list.score.length;
  // a_sc.argsort()[::-1]: descending; equal scores come out in reverse order of appending (as
  // numpy's sort does for small arrays; it cannot be reproduced for every size, see README).
  const idx = Array.from({ length: n }, (_, k) => k).sort((a, b) => list.score[b]! - list.score[a]! || b - a);
  const rec = new Float64Array(n);
  const prec = new Float64Array(n);
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    if (list.tp[idx[k]!]) tp++;
    else fp++;
    rec[k] = f32(tp / npos);
    prec[k] = f32(tp / (tp + fp));
  }
  return f32(vocAllPointAp(rec, prec));
}

const byDescendingScore = (scores: number[]) =>
  Array.from({ length: scores.length }, (_, k) => k).sort((a, b) => scores[b]! - scores[a]! || b - a);

/** Score official-format detections: agent AP and role AP in both scenarios (vsrl_eval.py). */
export function evaluateVcocoOfficial(
  gt: VcocoGroundTruth,
  detections: readonly VcocoDetection[],
): VcocoOfficialResult {
  const nActions = gt.actions.length;
  const byImage = new Map<number, VcocoDetection[]>();
  for (const d of detections) {
    if (!byImage.has(d.image_id)) byImage.set(d.image_id, []);
    byImage.get(d.image_id)!.push(d);
  }
  const num = (v: unknown) => (typeof v === 'number' ? f32(v) : Number.NaN);
  const agentLists: Ranked[] = gt.actions.map(() => ({ score: [], tp: [] }));
  const roleLists: Ranked[][][] = [1, 2].map(() =>
    gt.actions.map(() => [0, 1].map(() => ({ score: [], tp: [] }))),
  );
  const npos = new Array<number>(nActions).fill(0);

  for (const image of gt.images) {
    const nP = image.personBoxes.length / 4;
    for (let p = 0; p < nP; p++)
      for (let a = 0; a < nActions; a++) if (image.actions[p * nActions + a] === 1) npos[a]!++;
    const dets = byImage.get(image.id) ?? [];
    const boxes = new Float64Array(dets.length * 4);
    dets.forEach((d, k) => {
      for (let c = 0; c < 4; c++) boxes[k * 4 + c] = num(d.person_box?.[c]);
    });
    // The person match depends only on the detection's person box: compute it once per detection.
    const ov = new Float64Array(nP);
    const matches: ({ jmax: number; ovmax: number } | null)[] = dets.map((_, k) => {
      if (nP === 0) return null;
      for (let j = 0; j < nP; j++) ov[j] = overlap32(image.personBoxes, j * 4, boxes, k * 4);
      const jmax = argmax(ov, nP);
      return { jmax, ovmax: ov[jmax]! };
    });
    const matchPerson = (k: number) => matches[k] ?? null;
    const ignored = (j: number) => image.actions[j * nActions] === -1;

    for (let a = 0; a < nActions; a++) {
      // Agent AP.
      const scores: number[] = [];
      const which: number[] = [];
      dets.forEach((d, k) => {
        const s = num(d[`${gt.actions[a]}_agent`]);
        if (!Number.isNaN(s)) {
          scores.push(s);
          which.push(k);
        }
      });
      const covered = new Uint8Array(nP);
      for (const q of byDescendingScore(scores)) {
        const m = matchPerson(which[q]!);
        if (m && ignored(m.jmax)) continue;
        const ok = m !== null && image.actions[m.jmax * nActions + a] === 1 && m.ovmax >= 0.5;
        agentLists[a]!.score.push(scores[q]!);
        if (ok && !covered[m!.jmax]) {
          covered[m!.jmax] = 1;
          agentLists[a]!.tp.push(1);
        } else agentLists[a]!.tp.push(0);
      }
      // Role AP, both scenarios.
      gt.roles[a]!.forEach((role, r) => {
        if (r > 1) return;
        const rs: number[] = [];
        const rk: number[] = [];
        const rb: number[][] = [];
        dets.forEach((d, k) => {
          const v = d[`${gt.actions[a]}_${role}`];
          const arr = Array.isArray(v) ? v : [];
          const s = num(arr[4]);
          if (Number.isNaN(s)) return;
          rs.push(s);
          rk.push(k);
          rb.push([num(arr[0]), num(arr[1]), num(arr[2]), num(arr[3])]);
        });
        const order = byDescendingScore(rs);
        for (const scenario of [0, 1]) {
          const coveredR = new Uint8Array(nP);
          const list = roleLists[scenario]![a]![r]!;
          for (const q of order) {
            const m = matchPerson(rk[q]!);
            if (m && ignored(m.jmax)) continue;
            let ovRole = 0;
            if (m) {
              const base = ((m.jmax * nActions + a) * 2 + r) * 4;
              const g = image.roleBoxes;
              const box = rb[q]!;
              if (g[base] === -1 && g[base + 1] === -1 && g[base + 2] === -1 && g[base + 3] === -1) {
                const empty = box.every((v) => v === 0) || box.every((v) => Number.isNaN(v));
                ovRole = scenario === 1 || empty ? 1 : 0;
              } else {
                ovRole = overlap32(g, base, box, 0);
              }
            }
            list.score.push(rs[q]!);
            const ok =
              m !== null && image.actions[m.jmax * nActions + a] === 1 && m.ovmax >= 0.5 && ovRole >= 0.5;
            if (ok && !coveredR[m!.jmax]) {
              coveredR[m!.jmax] = 1;
              list.tp.push(1);
            } else list.tp.push(0);
          }
        }
      });
    }
  }

  const roleTable = (scenario: 0 | 1): VcocoApTable => {
    const classes: string[] = [];
    const perClass: (number | null)[] = [];
    const np: number[] = [];
    for (const [a, action] of gt.actions.entries()) {
      for (const [r, role] of gt.roles[a]!.entries()) {
        const name = `${action} ${role}`;
        if (r > 1 || VCOCO_EXCLUDED_ROLE_CLASSES.includes(name)) continue;
        classes.push(name);
        const ap = apOf(roleLists[scenario]![a]![r]!, npos[a]!);
        perClass.push(ap === null ? null : ap * 100);
        np.push(npos[a]!);
      }
    }
    const valid = perClass.filter((v): v is number => v !== null);
    return {
      classes,
      perClass,
      npos: np,
      mean: valid.length ? valid.reduce((s, v) => s + v, 0) / valid.length : null,
    };
  };
  const agentPer = gt.actions.map((_, a) => {
    const ap = apOf(agentLists[a]!, npos[a]!);
    return ap === null ? null : ap * 100;
  });
  return {
    scenario1: roleTable(0),
    scenario2: roleTable(1),
    agent: {
      classes: [...gt.actions],
      perClass: agentPer,
      npos: [...npos],
      mean: nActions ? agentPer.reduce<number>((s, v) => s + (v ?? 0), 0) / nActions : null,
    },
  };
}
