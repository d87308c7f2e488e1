import type { HoiResult } from '@hoi/core/spec';
import type { HicoLayout } from './fixtures.js';

/**
 * A deliberately simple second implementation of protocols.md, written the way the MATLAB code is
 * structured (per class: one global ranked list, matching in ranked order with per-image flags),
 * on plain objects and arrays with no shared code with src/. The e2e tests compare it class by class.
 */
export function referenceHicoDet(
  file: HicoLayout,
  records: readonly HoiResult[],
  protocol: 'official' | 'qpic' | 'da-hoi',
): { ap: (number | null)[]; ko: (number | null)[] } {
  const norm = (s: string) => s.toLowerCase().replace(/[ _]+/g, '_');
  const verbIndex = new Map(file.verbs.map((v, i) => [norm(v), i]));
  const objectIndex = new Map(file.objects.map((o, i) => [norm(o), i]));
  const classIndex = new Map(file.correspondence.map(([h, o, v]) => [`${v},${o}`, h]));
  const noInteractionVerb = verbIndex.get('no_interaction');
  const noInteraction = new Set(
    file.correspondence.filter(([, , v]) => v === noInteractionVerb).map(([h]) => h),
  );
  const classObject = new Map(file.correspondence.map(([h, o]) => [h, o]));
  const person = objectIndex.get('person');
  const daHoi = protocol === 'da-hoi';
  const thresholds =
    protocol === 'official'
      ? [0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]
      : [0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9, 1];

  const iou = (a: number[], b: number[]) => {
    const plus = daHoi ? 0 : 1;
    const rawW = Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!);
    const rawH = Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!);
    if (protocol === 'official') {
      if (rawW + 1 <= 0 || rawH + 1 <= 0) return 0;
    } else if (rawW <= 0 || rawH <= 0) return 0;
    const inter = (rawW + plus) * (rawH + plus);
    const area = (x: number[]) => (x[2]! - x[0]! + plus) * (x[3]! - x[1]! + plus);
    return inter / (area(a) + area(b) - inter + (daHoi ? 1e-12 : 0));
  };

  const gt = file.annotation.map((a) =>
    a.hoi
      .map((cls, k) => ({ cls, h: a.boxes_h[k]!, o: a.boxes_o[k]! }))
      .filter((p) => !(daHoi && noInteraction.has(p.cls))),
  );
  const hasObject = file.annotation.map((a) => new Set(a.hoi.map((h) => classObject.get(h))));
  const imageOf = new Map(file.filenames.map((f, i) => [f, i]));

  type Det = {
    cls: number;
    score: number;
    h: number[];
    o: number[];
    person: boolean;
    img: number;
    w: number;
  };
  const perImage: Omit<Det, 'img' | 'w'>[][] = file.filenames.map(() => []);
  for (const rec of records) {
    const img = imageOf.get(rec.image.split('/').pop()!);
    if (img === undefined) continue;
    for (const it of rec.interactions) {
      const s = rec.instances[it.subject];
      const o = rec.instances[it.object];
      if (!s || !o) continue;
      const cls = classIndex.get(`${verbIndex.get(norm(it.verb))},${objectIndex.get(norm(o.label))}`);
      if (cls === undefined) continue;
      perImage[img]!.push({
        cls,
        score: it.score,
        h: s.box,
        o: o.box,
        person: objectIndex.get(norm(s.label)) === person,
      });
    }
  }
  const byClass = new Map<number, Det[]>();
  perImage.forEach((list, img) => {
    if (daHoi && gt[img]!.length === 0) return;
    let kept = [...list].sort((a, b) => b.score - a.score); // Array.prototype.sort is stable
    if (protocol !== 'official') kept = kept.slice(0, 100);
    if (daHoi) kept = kept.filter((d) => d.person && !noInteraction.has(d.cls));
    kept.forEach((d, w) => {
      if (!byClass.has(d.cls)) byClass.set(d.cls, []);
      byClass.get(d.cls)!.push({ ...d, img, w });
    });
  });

  const apOf = (flags: boolean[], npos: number) => {
    let tp = 0;
    let fp = 0;
    const rec: number[] = [];
    const prec: number[] = [];
    for (const f of flags) {
      if (f) tp++;
      else fp++;
      rec.push(tp / npos);
      prec.push(tp / (fp + tp));
    }
    let ap = 0;
    for (const t of thresholds) {
      const ps = prec.filter((_, k) => rec[k]! >= t);
      ap += (ps.length ? Math.max(...ps) : 0) / 11;
    }
    return ap;
  };

  const ap: (number | null)[] = [];
  const ko: (number | null)[] = [];
  for (let c = 0; c < file.correspondence.length; c++) {
    const npos = gt.reduce((n, pairs) => n + pairs.filter((p) => p.cls === c).length, 0);
    if ((daHoi && noInteraction.has(c)) || (npos === 0 && protocol !== 'official')) {
      ap.push(null);
      ko.push(null);
      continue;
    }
    const list = [...(byClass.get(c) ?? [])].sort((a, b) => b.score - a.score || a.img - b.img || a.w - b.w);
    const used = new Set<string>();
    const flags = list.map((d) => {
      let best = Number.NEGATIVE_INFINITY;
      let bestJ = -1;
      gt[d.img]!.forEach((g, j) => {
        if (g.cls !== c) return;
        const ov = Math.min(iou(d.h, g.h), iou(d.o, g.o));
        if (ov > best) {
          best = ov;
          bestJ = j;
        }
      });
      if (bestJ >= 0 && best >= 0.5 && !used.has(`${d.img}/${bestJ}`)) {
        used.add(`${d.img}/${bestJ}`);
        return true;
      }
      return false;
    });
    ap.push(apOf(flags, npos));
    const o = classObject.get(c);
    ko.push(
      apOf(
        flags.filter((_, k) => hasObject[list[k]!.img]!.has(o)),
        npos,
      ),
    );
  }
  return { ap, ko };
}
