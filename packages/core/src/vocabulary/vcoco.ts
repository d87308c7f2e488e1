import { createVocabulary } from './create-vocabulary.js';
import { COCO_80_LABELS } from './generated/coco-data.js';
import {
  VCOCO_ACTION_TO_OBJECT,
  VCOCO_CLASS_NAMES,
  VCOCO_OBJECT_NAMES_WITH_BACKGROUND,
} from './generated/vcoco-data.js';
import { normalizeVerb } from './normalize-label.js';
import { verbPhrase } from './verb-phrase.js';
import type { Vocabulary } from './vocabulary.js';

/** V-COCO's 24 action-role classes in official order: `hold obj`, `sit instr`, ... `snowboard instr`. */
export const VCOCO_ACTION_ROLE_CLASSES: readonly string[] = Object.freeze([...VCOCO_CLASS_NAMES]);

/** How one V-COCO action-role class maps to a vocabulary verb. */
export interface VcocoActionRole {
  /** Position in {@link VCOCO_ACTION_ROLE_CLASSES}. */
  readonly classIndex: number;
  /** The official name, `hit instr`. */
  readonly className: string;
  /** V-COCO action, `hit`, `talk_on_phone`. */
  readonly action: string;
  /** The role the object plays: `obj` (acted on) or `instr` (instrument). */
  readonly role: 'obj' | 'instr';
  /** Our verb: the action alone when it has one role (`hold`, `sit`), else `<action>_<role>` (`hit_instr`). */
  readonly verb: string;
}

/**
 * How each class reads as a phrase, as a verb for {@link verbPhrase}: the role decides the
 * preposition (`hit instr` -> "hitting with a baseball bat", `hit obj` -> "hitting a sports ball").
 * `lay` is V-COCO's name for lying on something.
 */
const PHRASE_VERBS: Readonly<Record<string, string>> = {
  'hold obj': 'hold',
  'sit instr': 'sit_on',
  'ride instr': 'ride',
  'look obj': 'look_at',
  'hit instr': 'hit_with',
  'hit obj': 'hit',
  'eat obj': 'eat',
  'eat instr': 'eat_with',
  'jump instr': 'jump_on',
  'lay instr': 'lie_on',
  'talk_on_phone instr': 'talk_on',
  'carry obj': 'carry',
  'throw obj': 'throw',
  'catch obj': 'catch',
  'cut instr': 'cut_with',
  'cut obj': 'cut',
  'work_on_computer instr': 'work_on',
  'ski instr': 'ski_on',
  'surf instr': 'surf_on',
  'skateboard instr': 'skateboard_on',
  'drink instr': 'drink_from',
  'kick obj': 'kick',
  'read obj': 'read',
  'snowboard instr': 'snowboard_on',
};

function actionRoles(): VcocoActionRole[] {
  const parsed = VCOCO_CLASS_NAMES.map((className, classIndex) => {
    const [action, role] = className.split(' ') as [string, 'obj' | 'instr'];
    return { classIndex, className, action, role };
  });
  const rolesPerAction = new Map<string, number>();
  for (const { action } of parsed) rolesPerAction.set(action, (rolesPerAction.get(action) ?? 0) + 1);
  return parsed.map((p) =>
    Object.freeze({
      ...p,
      verb: normalizeVerb(rolesPerAction.get(p.action) === 1 ? p.action : `${p.action}_${p.role}`),
    }),
  );
}

/**
 * Each of the 24 classes with its action, role and verb. Verbs are unique: `hold`, `sit`, `ride`,
 * `look`, `hit_instr`, `hit_obj`, `eat_obj`, `eat_instr`, `jump`, `lay`, `talk_on_phone`, `carry`,
 * `throw`, `catch`, `cut_instr`, `cut_obj`, `work_on_computer`, `ski`, `surf`, `skateboard`,
 * `drink`, `kick`, `read`, `snowboard`.
 */
export const VCOCO_ACTION_ROLES: readonly VcocoActionRole[] = Object.freeze(actionRoles());

/** The action-role class of a V-COCO vocabulary verb (`hit_instr` -> `hit instr`), or undefined. */
export function vcocoActionRoleOf(verb: string): VcocoActionRole | undefined {
  const canonical = normalizeVerb(verb);
  return VCOCO_ACTION_ROLES.find((r) => r.verb === canonical);
}

/**
 * V-COCO as a vocabulary: the 24 action-role classes as verbs ({@link VCOCO_ACTION_ROLES}), the 80
 * COCO labels in COCO order as objects, and one class per (class, allowed object) of V-COCO's
 * `action_to_object`, class-major, objects in COCO order. Phrases: "hitting with a baseball bat",
 * "hitting a sports ball", "talking on a cell phone". No no-interaction verb.
 */
export const vcoco: Vocabulary = createVocabulary({
  name: 'vcoco',
  verbs: VCOCO_ACTION_ROLES.map((r) => r.verb),
  objects: COCO_80_LABELS,
  interactions: VCOCO_ACTION_ROLES.flatMap((role) =>
    [...VCOCO_ACTION_TO_OBJECT[role.classIndex]]
      .sort((a, b) => a - b)
      .map((withBackground) => {
        // action_to_object indexes the 81-entry list whose entry 0 is `background`.
        const object = VCOCO_OBJECT_NAMES_WITH_BACKGROUND[withBackground];
        return { verb: role.verb, object, phrase: verbPhrase(PHRASE_VERBS[role.className], object) };
      }),
  ),
  humanLabel: 'person',
});
