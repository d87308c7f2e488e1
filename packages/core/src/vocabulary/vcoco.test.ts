import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { candidatesForObject, findInteraction } from './candidates.js';
import { COCO_80_LABELS } from './coco-labels.js';
import { normalizeLabel } from './normalize-label.js';
import { VCOCO_ACTION_ROLE_CLASSES, VCOCO_ACTION_ROLES, vcoco, vcocoActionRoleOf } from './vcoco.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLASSES_FILE = resolve(REPO_ROOT, '../shared/data/vcoco/vcoco_classes.json');
const HAS_SHARED = existsSync(CLASSES_FILE);

describe('vcoco', () => {
  it('has the 24 action-role classes as 24 unique verbs', () => {
    expect(VCOCO_ACTION_ROLE_CLASSES).toHaveLength(24);
    expect(VCOCO_ACTION_ROLE_CLASSES[0]).toBe('hold obj');
    expect(vcoco.verbs).toHaveLength(24);
    expect(new Set(vcoco.verbs).size).toBe(24);
    expect(vcoco.verbs).toEqual(VCOCO_ACTION_ROLES.map((r) => r.verb));
    expect(vcoco.noInteractionVerb).toBeUndefined();
  });

  it.each([
    ['hold obj', 'hold', 'hold', 'obj'],
    ['hit instr', 'hit_instr', 'hit', 'instr'],
    ['hit obj', 'hit_obj', 'hit', 'obj'],
    ['eat instr', 'eat_instr', 'eat', 'instr'],
    ['cut obj', 'cut_obj', 'cut', 'obj'],
    ['talk_on_phone instr', 'talk_on_phone', 'talk_on_phone', 'instr'],
    ['snowboard instr', 'snowboard', 'snowboard', 'instr'],
  ])('%s -> verb %s', (className, verb, action, role) => {
    const entry = VCOCO_ACTION_ROLES.find((r) => r.className === className);
    expect(entry).toMatchObject({ verb, action, role });
    expect(vcocoActionRoleOf(verb)?.className).toBe(className);
  });

  it('returns undefined for a verb outside V-COCO', () => {
    expect(vcocoActionRoleOf('hit')).toBeUndefined();
    expect(vcocoActionRoleOf('')).toBeUndefined();
  });

  it('uses the 80 COCO labels as objects', () => {
    expect(vcoco.objects).toEqual(COCO_80_LABELS);
  });

  it.each([
    ['hit_instr', 'baseball bat', 'hitting with a baseball bat'],
    ['hit_obj', 'sports ball', 'hitting a sports ball'],
    ['talk_on_phone', 'cell phone', 'talking on a cell phone'],
    ['eat_instr', 'fork', 'eating with a fork'],
    ['sit', 'chair', 'sitting on a chair'],
    ['look', 'dog', 'looking at a dog'],
    ['lay', 'bed', 'lying on a bed'],
    ['ski', 'skis', 'skiing on skis'],
    ['work_on_computer', 'laptop', 'working on a laptop'],
    ['drink', 'cup', 'drinking from a cup'],
  ])('phrase of %s + %s is %j', (verb, object, phrase) => {
    expect(findInteraction(vcoco, verb, object)?.phrase).toBe(phrase);
  });

  it('offers a sports ball its V-COCO classes and nothing for an unknown label', () => {
    const verbs = candidatesForObject(vcoco, 'sports_ball').map((c) => c.verb);
    expect(verbs).toEqual(expect.arrayContaining(['hit_obj', 'kick', 'throw', 'catch', 'hold']));
    expect(verbs).not.toContain('hit_instr');
    expect(candidatesForObject(vcoco, 'unicorn')).toEqual([]);
  });
});

describe.skipIf(!HAS_SHARED)(
  `vcoco against vcoco_classes.json${HAS_SHARED ? '' : ` (skipped: ${CLASSES_FILE} not found)`}`,
  () => {
    it('has exactly the allowed objects of each class (indices into the 81-entry list)', () => {
      const file = JSON.parse(readFileSync(CLASSES_FILE, 'utf8')) as {
        classes_24: string[];
        objects: string[];
        action_to_object: number[][];
      };
      expect(VCOCO_ACTION_ROLE_CLASSES).toEqual(file.classes_24);
      let total = 0;
      file.classes_24.forEach((_, k) => {
        const verb = VCOCO_ACTION_ROLES[k].verb;
        const expected = file.action_to_object[k].map((i) => normalizeLabel(file.objects[i])).sort();
        const actual = vcoco.interactions.filter((c) => c.verb === verb).map((c) => c.object);
        expect([...actual].sort()).toEqual(expected);
        total += expected.length;
      });
      expect(vcoco.interactions).toHaveLength(total);
    });
  },
);
