import { normalizeVerb, VCOCO_ACTION_ROLES } from '@hoi/core';

/** The pose cue that speaks for an action (see contact-cues.ts). */
export type CueName = 'hand' | 'seat' | 'foot' | 'gaze';

/** One action the prior knows: a V-COCO action-role class, its cues and the verbs it answers to. */
export interface PriorAction {
  /** V-COCO class name, also the layout prior's head name (`hold obj`). */
  className: string;
  /** Verbs (canonical spelling) that mean this action, V-COCO's and HICO-DET's. */
  verbs: readonly string[];
  /** Pose cues that raise or lower this action's probability. */
  cues: readonly CueName[];
}

/**
 * HICO-DET verbs with the same meaning as each V-COCO class. Where one HICO verb covers several V-COCO
 * classes (`ride` for a horse and for a surfboard, `stand_on` for the four board sports) the candidate
 * takes the highest of them; the object's layout weights keep the wrong ones low. `look obj` has no HICO
 * `look`: `watch` and `inspect` are the closest. `eat instr` (fork, knife, spoon) has no HICO counterpart.
 */
const HICO_VERBS: Readonly<Record<string, readonly string[]>> = {
  'hold obj': ['hold'],
  'sit instr': ['sit_on', 'sit_at'],
  'ride instr': ['ride', 'straddle'],
  'look obj': ['watch', 'inspect'],
  'hit instr': ['swing', 'wield'],
  'hit obj': ['hit'],
  'eat obj': ['eat'],
  'eat instr': [],
  'jump instr': ['jump'],
  'lay instr': ['lie_on'],
  'talk_on_phone instr': ['talk_on'],
  'carry obj': ['carry'],
  'throw obj': ['throw'],
  'catch obj': ['catch'],
  'cut instr': ['cut_with'],
  'cut obj': ['cut'],
  'work_on_computer instr': ['type_on'],
  'ski instr': ['ride', 'stand_on'],
  'surf instr': ['ride', 'stand_on'],
  'skateboard instr': ['ride', 'stand_on'],
  'drink instr': ['drink_with', 'sip'],
  'kick obj': ['kick'],
  'read obj': ['read'],
  'snowboard instr': ['ride', 'stand_on'],
};

/**
 * Which pose cue speaks for each class: wrists at the object (`hand`) for manual actions, hips and knees
 * over the object (`seat`) for ride/sit/lay, ankles at the object (`foot`) for kick and the board sports,
 * the head turned to the object (`gaze`) for look and read.
 */
const CUES: Readonly<Record<string, readonly CueName[]>> = {
  'hold obj': ['hand'],
  'sit instr': ['seat'],
  'ride instr': ['seat'],
  'look obj': ['gaze'],
  'hit instr': ['hand'],
  'hit obj': [],
  'eat obj': ['hand'],
  'eat instr': ['hand'],
  'jump instr': [],
  'lay instr': ['seat'],
  'talk_on_phone instr': ['hand'],
  'carry obj': ['hand'],
  'throw obj': ['hand'],
  'catch obj': ['hand'],
  'cut instr': ['hand'],
  'cut obj': ['hand'],
  'work_on_computer instr': ['hand'],
  'ski instr': ['foot'],
  'surf instr': ['foot'],
  'skateboard instr': ['foot'],
  'drink instr': ['hand'],
  'kick obj': ['foot'],
  'read obj': ['hand', 'gaze'],
  'snowboard instr': ['foot'],
};

/** The prior's 24 actions: V-COCO's classes with their V-COCO verb (`hold`, `hit_instr`) and HICO-DET verbs. */
export const PRIOR_ACTIONS: readonly PriorAction[] = VCOCO_ACTION_ROLES.map((role) => ({
  className: role.className,
  verbs: [role.verb, ...(HICO_VERBS[role.className] ?? [])].map(normalizeVerb),
  cues: CUES[role.className] ?? [],
}));

/**
 * Index from a canonical verb to the prior actions that answer to it. Verbs not in the index get the
 * documented low prior (see prior-recognizer.ts).
 */
export function buildVerbIndex(actions: readonly PriorAction[] = PRIOR_ACTIONS): Map<string, number[]> {
  const index = new Map<string, number[]>();
  actions.forEach((a, k) => {
    for (const v of a.verbs) {
      const list = index.get(v) ?? [];
      if (!list.includes(k)) list.push(k);
      index.set(v, list);
    }
  });
  return index;
}
