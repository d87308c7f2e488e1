#!/usr/bin/python3
"""Generate a small synthetic V-COCO set in the official layout and score it with numpy.

Writes test/vcoco-synthetic/{vcoco_test.json, instances.json, detections.json, expected.json}.
The scoring mirrors the steps and numpy dtypes of s-gupta/v-coco's vsrl_eval.py (float32 boxes,
scores and curves, float64 AP sum, float32 AP) under NumPy 1.x casting rules; it is our own code
written from that description. Run with Debian's python3-numpy (1.24): /usr/bin/python3 scripts/vcoco-reference.py
CI does not need it: the outputs are committed and the TypeScript test compares against them.
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'vcoco-synthetic')
ACTIONS = [('hold', ['agent', 'obj']), ('stand', ['agent']), ('sit', ['agent', 'instr']),
           ('eat', ['agent', 'obj', 'instr']), ('cut', ['agent', 'instr', 'obj']), ('point', ['agent', 'instr']),
           ('look', ['agent', 'obj'])]
CATS = [{'id': 1, 'name': 'person'}, {'id': 2, 'name': 'bicycle'}, {'id': 44, 'name': 'bottle'}, {'id': 62, 'name': 'chair'}]


def generate(seed=2026):
    rng = np.random.RandomState(seed)
    images, anns, det = [], [], []
    rows = {a: {'ann_id': [], 'image_id': [], 'label': [], 'roles': []} for a, _ in ACTIONS}
    next_id = 1
    for im in range(40):
        image_id = 1000 + im * 7
        w, h = int(rng.randint(300, 640)), int(rng.randint(200, 480))
        images.append({'id': image_id, 'width': w, 'height': h, 'file_name': 'COCO_val2014_%012d.jpg' % image_id})
        people, objects = [], []
        for k in range(int(rng.randint(1, 6)) + int(rng.randint(1, 5))):
            is_person = len(people) == 0 or rng.rand() < 0.5
            x, y = float(rng.rand() * (w - 40)), float(rng.rand() * (h - 40))
            first = len(people) == 0  # the first person is always valid (vsrl_eval needs a person per image)
            bw = float(rng.rand() * 200 + 10) if first else float(rng.choice([0.5, rng.rand() * 200 + 10]))  # thin: invalid
            bh = float(rng.rand() * 200 + 10)
            ann = {'id': next_id, 'image_id': image_id, 'category_id': 1 if is_person else int(rng.choice([2, 44, 62])),
                   'bbox': [round(x, 2), round(y, 2), round(bw, 2), round(bh, 2)], 'area': float(bw * bh), 'iscrowd': 0}
            if rng.rand() < 0.05 and not first:
                ann['ignore'] = 1
            next_id += 1
            anns.append(ann)
            (people if is_person else objects).append(ann)
        for p in people:
            if rng.rand() < 0.15:
                continue  # not in V-COCO: ignored person
            for a, roles in ACTIONS:
                lab = int(rng.rand() < 0.4)
                rows[a]['ann_id'].append(p['id'])
                rows[a]['image_id'].append(image_id)
                rows[a]['label'].append(lab)
                rows[a]['roles'].append([p['id']] + [int(rng.choice(objects)['id']) if (objects and lab and rng.rand() < 0.7) else 0
                                                     for _ in roles[1:]])
        # detections: jittered persons (and a stray box) with scores for every action and role
        by_id = {a_['id']: a_ for a_ in anns}
        for p in people + ([objects[0]] if objects else []):
            bx, by, bw, bh = p['bbox']
            jit = lambda v, s: float(v + (rng.rand() - 0.5) * s)
            d = {'image_id': image_id, 'person_box': [jit(bx, 8), jit(by, 8), jit(bx + bw, 8), jit(by + bh, 8)]}
            for a, roles in ACTIONS:
                d[a + '_agent'] = None if rng.rand() < 0.1 else float(rng.rand())
                for r in roles[1:]:
                    u = rng.rand()
                    if u < 0.1:
                        d[a + '_' + r] = None
                    elif u < 0.3 or not objects:
                        d[a + '_' + r] = [0.0, 0.0, 0.0, 0.0, float(rng.rand())]
                    else:
                        o = by_id[int(rng.choice(objects)['id'])]['bbox']
                        d[a + '_' + r] = [jit(o[0], 10), jit(o[1], 10), jit(o[0] + o[2], 10), jit(o[1] + o[3], 10), float(rng.rand())]
            det.append(d)
    vcoco = []
    for a, roles in ACTIONS:
        rr = rows[a]
        n = len(rr['ann_id'])
        flat = [rr['roles'][i][j] for j in range(len(roles)) for i in range(n)]  # role-major
        vcoco.append({'action_name': a, 'role_name': roles, 'ann_id': rr['ann_id'], 'image_id': rr['image_id'],
                      'label': rr['label'], 'role_object_id': flat, 'include': []})
    return vcoco, {'images': images, 'annotations': anns, 'categories': CATS}, det


def overlap(boxes, ref):
    ixmin = np.maximum(boxes[:, 0], ref[0]); iymin = np.maximum(boxes[:, 1], ref[1])
    ixmax = np.minimum(boxes[:, 2], ref[2]); iymax = np.minimum(boxes[:, 3], ref[3])
    iw = np.maximum(ixmax - ixmin + 1., 0.); ih = np.maximum(iymax - iymin + 1., 0.)
    inters = iw * ih
    uni = ((ref[2] - ref[0] + 1.) * (ref[3] - ref[1] + 1.) + (boxes[:, 2] - boxes[:, 0] + 1.) * (boxes[:, 3] - boxes[:, 1] + 1.) - inters)
    return inters / uni


def ap_all_point(rec, prec):
    mrec = np.concatenate(([0.], rec, [1.])); mpre = np.concatenate(([0.], prec, [0.]))
    for i in range(mpre.size - 1, 0, -1):
        mpre[i - 1] = np.maximum(mpre[i - 1], mpre[i])
    i = np.where(mrec[1:] != mrec[:-1])[0]
    return np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1])


def score(vcoco, coco, dets):
    actions = [v['action_name'] for v in vcoco]; roles = [v['role_name'] for v in vcoco]; na = len(actions)
    for v in vcoco:
        v['rid'] = np.array(v['role_object_id']).reshape((len(v['role_name']), -1)).T
        for k in ['ann_id', 'label', 'image_id']:
            v[k + '_a'] = np.array(v[k]).reshape((-1, 1))
    person_cat = coco['categories'][0]['id']
    info = {im['id']: im for im in coco['images']}
    db = []
    for image_id in sorted(set(vcoco[0]['image_id'])):
        im = info[image_id]
        valid, ids = [], []
        for o in [a for a in coco['annotations'] if a['image_id'] == image_id]:
            if o.get('ignore') == 1:
                continue
            x1, y1 = o['bbox'][0], o['bbox'][1]
            x2 = x1 + np.maximum(0., o['bbox'][2] - 1.); y2 = y1 + np.maximum(0., o['bbox'][3] - 1.)
            x1 = np.minimum(im['width'] - 1., np.maximum(0., x1)); y1 = np.minimum(im['height'] - 1., np.maximum(0., y1))
            x2 = np.minimum(im['width'] - 1., np.maximum(0., x2)); y2 = np.minimum(im['height'] - 1., np.maximum(0., y2))
            if o['area'] > 0 and x2 > x1 and y2 > y1:
                valid.append((o, [x1, y1, x2, y2])); ids.append(o['id'])
        ids = np.array(ids)
        boxes = np.zeros((len(valid), 4), dtype=np.float32); cls = np.zeros(len(valid), dtype=np.int32)
        acts = -np.ones((len(valid), na), dtype=np.int32); rid = -np.ones((len(valid), na, 2), dtype=np.int32)
        for ix, (o, b) in enumerate(valid):
            boxes[ix] = b; cls[ix] = 1 if o['category_id'] == person_cat else 2
            if np.where(vcoco[0]['ann_id_a'] == o['id'])[0].size == 0:
                continue
            acts[ix] = 0
            for i, v in enumerate(vcoco):
                hl = np.where(np.logical_and(v['ann_id_a'] == o['id'], v['label_a'] == 1))[0]
                if hl.size > 0:
                    acts[ix, i] = 1
                    r = v['rid'][hl]
                    for j in range(1, r.shape[1]):
                        if r[0, j] == 0:
                            continue
                        w = np.where(ids == r[0, j])[0]
                        if w.size > 0:
                            rid[ix, i, j - 1] = w[0]
        db.append({'id': image_id, 'boxes': boxes, 'cls': cls, 'acts': acts, 'rid': rid})

    def collect(image_id):
        ag = np.empty((0, 4 + na), dtype=np.float32); ro = np.empty((0, 5 * na, 2), dtype=np.float32)
        for d in dets:
            if d['image_id'] != image_id:
                continue
            a1 = np.zeros((1, 4 + na), dtype=np.float32); r1 = np.zeros((1, 5 * na, 2), dtype=np.float32)
            a1[0, :4] = d['person_box']
            for aid in range(na):
                for j, r in enumerate(roles[aid]):
                    v = d.get(actions[aid] + '_' + r)
                    if r == 'agent':
                        a1[0, 4 + aid] = np.nan if v is None else v
                    else:
                        r1[0, 5 * aid:5 * aid + 5, j - 1] = [np.nan] * 5 if v is None else v
            ag = np.concatenate((ag, a1), axis=0); ro = np.concatenate((ro, r1), axis=0)
        return ag, ro

    def finish(tp, fp, sc, npos):
        a_fp = np.array(fp, dtype=np.float32); a_tp = np.array(tp, dtype=np.float32); a_sc = np.array(sc, dtype=np.float32)
        idx = a_sc.argsort()[::-1]
        a_fp = np.cumsum(a_fp[idx]); a_tp = np.cumsum(a_tp[idx])
        rec = a_tp / float(npos)
        prec = a_tp / np.maximum(a_tp + a_fp, np.finfo(np.float64).eps)
        out = np.zeros(1, dtype=np.float32); out[0] = ap_all_point(rec, prec)
        return float(out[0]) * 100

    npos = np.zeros(na, dtype=np.float32)
    agent = [[[], [], []] for _ in range(na)]
    role = {s: [[[[], [], []] for _ in range(2)] for _ in range(na)] for s in (1, 2)}
    for e in db:
        gi = np.where(e['cls'] == 1)[0]; gb = e['boxes'][gi]; ga = e['acts'][gi]
        ignore = np.any(ga == -1, axis=1)
        for aid in range(na):
            npos[aid] += np.sum(ga[:, aid] == 1)
        pa, pr = collect(e['id'])
        for aid in range(na):
            covered = np.zeros(gb.shape[0], dtype=bool)
            s = pa[:, 4 + aid]; b = pa[:, :4]; v = np.where(np.isnan(s) == False)[0]; s = s[v]; b = b[v]
            for j in s.argsort()[::-1]:
                ov = overlap(gb, b[j]); jm = ov.argmax(); om = ov.max()
                if ignore[jm]:
                    continue
                agent[aid][2].append(s[j])
                ok = ga[jm, aid] == 1 and om >= 0.5
                hit = ok and not covered[jm]
                if hit:
                    covered[jm] = True
                agent[aid][0].append(int(hit)); agent[aid][1].append(int(not hit))
            for rid in range(len(roles[aid]) - 1):
                gri = e['rid'][gi, aid, rid]; gr = -np.ones_like(gb)
                for j in range(gb.shape[0]):
                    if gri[j] > -1:
                        gr[j] = e['boxes'][gri[j]]
                s = pr[:, 5 * aid + 4, rid]; v = np.where(np.isnan(s) == False)[0]
                s = s[v]; b = pa[v, :4]; rb = pr[v, 5 * aid:5 * aid + 4, rid]
                for sc_ in (1, 2):
                    covered = np.zeros(gb.shape[0], dtype=bool)
                    for j in s.argsort()[::-1]:
                        ov = overlap(gb, b[j]); jm = ov.argmax(); om = ov.max()
                        if ignore[jm]:
                            continue
                        if np.all(gr[jm] == -1):
                            if sc_ == 1:
                                orole = 1.0 if (np.all(rb[j] == 0.0) or np.all(np.isnan(rb[j]))) else 0.0
                            else:
                                orole = 1.0
                        else:
                            orole = overlap(gr[jm].reshape((1, 4)), rb[j])
                        role[sc_][aid][rid][2].append(s[j])
                        ok = ga[jm, aid] == 1 and om >= 0.5 and orole >= 0.5
                        hit = bool(ok and not covered[jm])
                        if hit:
                            covered[jm] = True
                        role[sc_][aid][rid][0].append(int(hit)); role[sc_][aid][rid][1].append(int(not hit))
    result = {'agent': {}, 'scenario1': {}, 'scenario2': {}, 'npos': {a: int(npos[i]) for i, a in enumerate(actions)}}
    for aid in range(na):
        if npos[aid] > 0 and agent[aid][2]:
            result['agent'][actions[aid]] = finish(agent[aid][0], agent[aid][1], agent[aid][2], npos[aid])
        for rid in range(len(roles[aid]) - 1):
            for sc_ in (1, 2):
                t = role[sc_][aid][rid]
                if npos[aid] > 0 and t[2]:
                    result['scenario%d' % sc_][actions[aid] + ' ' + roles[aid][rid + 1]] = finish(t[0], t[1], t[2], npos[aid])
    return result


if __name__ == '__main__':
    vcoco, coco, det = generate()
    os.makedirs(OUT, exist_ok=True)
    for name, obj in [('vcoco_test.json', vcoco), ('instances.json', coco), ('detections.json', det)]:
        with open(os.path.join(OUT, name), 'w') as f:
            json.dump(obj, f)
    res = score(json.load(open(os.path.join(OUT, 'vcoco_test.json'))), coco, json.load(open(os.path.join(OUT, 'detections.json'))))
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(res, f, indent=1)
    print(json.dumps(res)[:600])
