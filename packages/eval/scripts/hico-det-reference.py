#!/usr/bin/python3
"""A small synthetic HICO-DET set scored by a numpy evaluator structured like the QPIC port.

Writes test/hico-synthetic/{annotations.json, predictions.jsonl, expected.json}. Boxes are integers
and predictions are integer-jittered copies, so exact IoU boundaries occur; scores have 2 decimals,
so ties occur; some images exceed the 100-detection cap. The evaluator follows QPIC's structure
(box-level IoU matrices, match lists at >= 0.5, compute_fptp per image, per-class cumulative curves,
the `for t in np.arange(0., 1.1, 0.1)` AP loop) with the tie rules of docs/protocols.md (stable
sorts). Our own code, written from that description. Needs ../shared/data/hico-det/hico_det_classes.json
and Debian's python3-numpy: /usr/bin/python3 scripts/hico-det-reference.py. CI does not run it.
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'test', 'hico-synthetic')
CLASSES = os.path.join(HERE, '..', '..', '..', '..', 'shared', 'data', 'hico-det', 'hico_det_classes.json')
MATLAB_T = [0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]


def generate(classes, seed=7):
    rng = np.random.RandomState(seed)
    hoi = classes['hoi_600']
    objects = classes['objects_hico_order']
    verbs = classes['verbs']
    person = objects.index('person')
    used = sorted(set(rng.choice(600, 40, replace=False).tolist()) | set(classes['no_interaction_hoi_ids'][:5]))
    annotation, filenames, records = [], [], []
    for i in range(30):
        pairs = []
        for _ in range(int(rng.randint(0, 7))):
            c = int(rng.choice(used))
            x, y = int(rng.randint(0, 400)), int(rng.randint(0, 300))
            h = [x, y, x + int(rng.randint(1, 120)), y + int(rng.randint(1, 160))]
            ox, oy = int(rng.randint(0, 400)), int(rng.randint(0, 300))
            o = [ox, oy, ox + int(rng.randint(1, 100)), oy + int(rng.randint(1, 100))]
            pairs.append((c, h, o))
            if rng.rand() < 0.2:  # a second class on the same boxes
                pairs.append((int(rng.choice(used)), h, o))
        annotation.append({'boxes_h': [p[1] for p in pairs], 'boxes_o': [p[2] for p in pairs], 'hoi': [p[0] for p in pairs],
                           'object': [hoi[p[0]]['object_idx'] for p in pairs], 'verb': [hoi[p[0]]['verb_idx'] for p in pairs]})
        name = 'HICO_synthetic_%08d.jpg' % (i + 1)
        filenames.append(name)
        instances, interactions = [], []

        def add(c, h, o, score, subject='person'):
            instances.append({'box': h, 'label': subject, 'score': 1})
            instances.append({'box': o, 'label': objects[hoi[c]['object_idx']].replace('_', ' '), 'score': 1})
            interactions.append({'subject': len(instances) - 2, 'object': len(instances) - 1,
                                 'verb': verbs[hoi[c]['verb_idx']], 'score': score})

        jit = lambda b, a: [v + int(rng.randint(-a, a + 1)) for v in b]
        for c, h, o in pairs:
            for _ in range(int(rng.randint(0, 3))):
                add(c, jit(h, 6), jit(o, 6), round(float(rng.rand()), 2), 'person' if rng.rand() < 0.9 else 'dog')
        n_extra = int(rng.choice([3, 10, 120]))
        for _ in range(n_extra):
            c = int(rng.choice(used))
            base = pairs[int(rng.randint(len(pairs)))] if pairs and rng.rand() < 0.7 else (c, [0, 0, 50, 50], [30, 30, 90, 90])
            add(c, jit(base[1], 15), jit(base[2], 15), round(float(rng.rand()), 2))
        if rng.rand() < 0.1:
            interactions.append({'subject': 0, 'object': 0, 'verb': 'fly', 'score': 0.5})  # not a class
        records.append({'image': name, 'size': [640, 480], 'instances': instances, 'interactions': interactions})
    corr = [[c['hoi'], c['object_idx'], c['verb_idx']] for c in hoi]
    ann = {'annotation': annotation, 'filenames': filenames, 'objects': objects, 'verbs': verbs, 'correspondence': corr,
           'rare': classes['rare_hoi_ids'], 'non_rare': classes['non_rare_hoi_ids']}
    return ann, records


def iou(a, b, protocol):
    if protocol == 'official':
        iw = min(a[2], b[2]) - max(a[0], b[0]) + 1
        ih = min(a[3], b[3]) - max(a[1], b[1]) + 1
        if iw > 0 and ih > 0:
            return iw * ih / ((a[2] - a[0] + 1) * (a[3] - a[1] + 1) + (b[2] - b[0] + 1) * (b[3] - b[1] + 1) - iw * ih)
        return 0.0
    left, right, top, bottom = max(a[0], b[0]), min(a[2], b[2]), max(a[1], b[1]), min(a[3], b[3])
    if left >= right or top >= bottom:
        return 0.0
    if protocol == 'qpic':
        inter = (right - left + 1) * (bottom - top + 1)
        return inter / ((a[2] - a[0] + 1) * (a[3] - a[1] + 1) + (b[2] - b[0] + 1) * (b[3] - b[1] + 1) - inter)
    inter = (right - left) * (bottom - top)
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter + 1e-12)


def evaluate(ann, records, protocol):
    norm = lambda s: s.lower().replace(' ', '_')
    verbs = {norm(v): k for k, v in enumerate(ann['verbs'])}
    objects = {norm(o): k for k, o in enumerate(ann['objects'])}
    cls_of = {(v, o): h for h, o, v in ann['correspondence']}
    noint = {h for h, o, v in ann['correspondence'] if v == verbs['no_interaction']}
    obj_of = {h: o for h, o, v in ann['correspondence']}
    da = protocol == 'da-hoi'
    thresholds = MATLAB_T if protocol == 'official' else np.arange(0., 1.1, 0.1)
    by_name = {r['image']: r for r in records}
    tp, fp, score = {}, {}, {}
    for i, a in enumerate(ann['annotation']):
        gt = [(c, h, o) for c, h, o in zip(a['hoi'], a['boxes_h'], a['boxes_o']) if not (da and c in noint)]
        if da and not gt:
            continue
        rec = by_name.get(ann['filenames'][i], {'instances': [], 'interactions': []})
        inst = rec['instances']
        preds = []
        for it in rec['interactions']:
            c = cls_of.get((verbs.get(norm(it['verb']), -1), objects.get(norm(inst[it['object']]['label']), -1)))
            if c is None:
                continue
            preds.append({'c': c, 's': it['score'], 'h': inst[it['subject']]['box'], 'o': inst[it['object']]['box'],
                          'person': norm(inst[it['subject']]['label']) == 'person'})
        order = np.argsort(-np.array([p['s'] for p in preds], dtype=np.float64), kind='stable')
        preds = [preds[k] for k in order]
        if protocol != 'official':
            preds = preds[:100]
        if da:
            preds = [p for p in preds if p['person'] and p['c'] not in noint]
        vis = np.zeros(len(gt))
        for p in preds:  # already in descending score order, ties in file order
            best, best_j = 0.0, -1
            for j, (c, h, o) in enumerate(gt):
                if c != p['c']:
                    continue
                ovh, ovo = iou(p['h'], h, protocol), iou(p['o'], o, protocol)
                if ovh >= 0.5 and ovo >= 0.5 and min(ovh, ovo) > best:
                    best, best_j = min(ovh, ovo), j
            hit = best_j >= 0 and vis[best_j] == 0
            if hit:
                vis[best_j] = 1
            key = p['c']
            tp.setdefault(key, []).append(int(hit)); fp.setdefault(key, []).append(int(not hit))
            score.setdefault(key, []).append((p['s'], i))
    npos = {}
    has_obj = [set(obj_of[c] for c in a['hoi']) for a in ann['annotation']]
    for a in ann['annotation']:
        for c in a['hoi']:
            if not (da and c in noint):
                npos[c] = npos.get(c, 0) + 1

    def voc(t_, f_, n):
        t_ = np.cumsum(np.array(t_, dtype=np.float64)); f_ = np.cumsum(np.array(f_, dtype=np.float64))
        rec = t_ / n; prec = t_ / (f_ + t_)
        ap = 0.
        for t in thresholds:
            p = 0 if np.sum(rec >= t) == 0 else np.max(prec[rec >= t])
            ap = ap + p / 11.
        return float(ap)

    ap, ko = {}, {}
    for c in range(600):
        if (da and c in noint) or (protocol != 'official' and npos.get(c, 0) == 0):
            continue
        n = npos.get(c, 0)
        s = np.array([x[0] for x in score.get(c, [])], dtype=np.float64)
        order = np.argsort(-s, kind='stable')  # appended in image order: ties by image, then within-image order
        t_ = [tp[c][k] for k in order]; f_ = [fp[c][k] for k in order]
        imgs = [score[c][k][1] for k in order]
        ap[c] = voc(t_, f_, n) * 100 if n else 0.0
        keep = [k for k, im in enumerate(imgs) if obj_of[c] in has_obj[im]]
        ko[c] = voc([t_[k] for k in keep], [f_[k] for k in keep], n) * 100 if n else 0.0
    return {'ap': {str(k): v for k, v in ap.items()}, 'ko': {str(k): v for k, v in ko.items()}}


if __name__ == '__main__':
    classes = json.load(open(CLASSES))
    ann, records = generate(classes)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'annotations.json'), 'w') as f:
        json.dump(ann, f)
    with open(os.path.join(OUT, 'predictions.jsonl'), 'w') as f:
        for r in records:
            f.write(json.dumps(r) + '\n')
    expected = {p: evaluate(ann, records, p) for p in ('official', 'qpic', 'da-hoi')}
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=1)
    for p, e in expected.items():
        v = list(e['ap'].values())
        print(p, len(v), 'classes, mean AP', sum(v) / len(v), 'nonzero', sum(1 for x in v if x > 0))
