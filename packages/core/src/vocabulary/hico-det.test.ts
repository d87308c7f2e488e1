import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROMPT_FIXES, renderVocabularyModules } from '../../scripts/generate-vocabulary.js';
import { candidatesForObject, findInteraction } from './candidates.js';
import { COCO_80_CATEGORY_IDS, COCO_80_LABELS } from './coco-labels.js';
import {
  COCO_INDEX_TO_HICO_DET_OBJECT,
  HICO_DET_NO_INTERACTION_CLASSES,
  HICO_DET_OBJECT_COCO_CATEGORY_IDS,
  HICO_DET_OBJECT_TO_COCO_INDEX,
  HICO_DET_PROMPTS,
  HICO_DET_RARE_CLASSES,
  HICO_DET_ZERO_SHOT_SPLITS,
  hicoDet,
} from './hico-det.js';
import { normalizeLabel } from './normalize-label.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SHARED_DATA = resolve(REPO_ROOT, '../shared/data');
const CLASSES_FILE = join(SHARED_DATA, 'hico-det/hico_det_classes.json');
const HAS_SHARED = existsSync(CLASSES_FILE) && existsSync(join(SHARED_DATA, 'vcoco/vcoco_classes.json'));
const GENERATED_DIR = fileURLToPath(new URL('./generated/', import.meta.url));

describe('hicoDet (committed data)', () => {
  it('has 117 verbs, 80 objects, 600 classes indexed in order', () => {
    expect(hicoDet.name).toBe('hico-det');
    expect(hicoDet.verbs).toHaveLength(117);
    expect(hicoDet.objects).toHaveLength(80);
    expect(hicoDet.interactions).toHaveLength(600);
    expect(hicoDet.interactions.map((c) => c.index)).toEqual([...Array(600).keys()]);
    expect(hicoDet.noInteractionVerb).toBe('no_interaction');
    expect(hicoDet.humanLabel).toBe('person');
    expect(hicoDet.objects).toContain('person');
    expect(hicoDet.objects).toContain('sports ball');
    expect(hicoDet.verbs).toContain('sit_on');
  });

  it('flags 138 rare and 462 non-rare classes, matching HICO_DET_RARE_CLASSES', () => {
    const rare = hicoDet.interactions.filter((c) => c.rare).map((c) => c.index);
    expect(rare).toHaveLength(138);
    expect(hicoDet.interactions.filter((c) => c.rare === false)).toHaveLength(462);
    expect(rare).toEqual([...HICO_DET_RARE_CLASSES]);
  });

  it('has zero-shot splits of 120/120/100/84 distinct ids in range', () => {
    const sizes = Object.fromEntries(
      Object.entries(HICO_DET_ZERO_SHOT_SPLITS).map(([k, ids]) => [k, new Set(ids).size]),
    );
    expect(sizes).toEqual({ 'rf-uc': 120, 'nf-uc': 120, uo: 100, uv: 84 });
    for (const ids of Object.values(HICO_DET_ZERO_SHOT_SPLITS)) {
      expect(ids.every((i) => i >= 0 && i < 600)).toBe(true);
    }
    // RF-UC takes only rare classes, NF-UC only non-rare ones.
    expect(HICO_DET_ZERO_SHOT_SPLITS['rf-uc'].every((i) => hicoDet.interactions[i].rare)).toBe(true);
    expect(HICO_DET_ZERO_SHOT_SPLITS['nf-uc'].every((i) => !hicoDet.interactions[i].rare)).toBe(true);
    // UO: 12 unseen objects; UV: 20 unseen verbs.
    expect(new Set(HICO_DET_ZERO_SHOT_SPLITS.uo.map((i) => hicoDet.interactions[i].object)).size).toBe(12);
    expect(new Set(HICO_DET_ZERO_SHOT_SPLITS.uv.map((i) => hicoDet.interactions[i].verb)).size).toBe(20);
  });

  it('has one no_interaction class per object, never offered as a candidate', () => {
    expect(HICO_DET_NO_INTERACTION_CLASSES).toHaveLength(80);
    expect(hicoDet.interactions[9]).toMatchObject({
      verb: 'no_interaction',
      object: 'airplane',
      phrase: 'not interacting with an airplane',
    });
    for (const object of hicoDet.objects) {
      expect(candidatesForObject(hicoDet, object).some((c) => c.verb === 'no_interaction')).toBe(false);
    }
  });

  it('averages 6.5 candidates per object (520 classes over 80 objects, no_interaction excluded)', () => {
    const counts = hicoDet.objects.map((o) => candidatesForObject(hicoDet, o).length);
    const total = counts.reduce((a, b) => a + b, 0);
    expect(total).toBe(520);
    expect(total / hicoDet.objects.length).toBe(6.5);
    expect(Math.min(...counts)).toBe(2);
    expect(Math.max(...counts)).toBe(17);
  });

  it('gives bicycle its 13 candidates in official order', () => {
    const bicycle = candidatesForObject(hicoDet, 'Bicycle');
    expect(bicycle).toHaveLength(13);
    expect(bicycle.map((c) => c.index)).toEqual([...bicycle.map((c) => c.index)].sort((a, b) => a - b));
    expect(bicycle[0].phrase).toBe('carrying a bicycle');
    expect(bicycle.map((c) => c.verb)).toContain('ride');
  });

  it('uses corrected phrases and keeps the raw prompts', () => {
    expect(findInteraction(hicoDet, 'hit', 'sports_ball')?.phrase).toBe('hitting a sports ball');
    expect(findInteraction(hicoDet, 'wear', 'skis')?.phrase).toBe('wearing skis');
    expect(findInteraction(hicoDet, 'sit at', 'Dining Table')?.phrase).toBe('sitting at a dining table');
    expect(HICO_DET_PROMPTS).toHaveLength(600);
    expect(HICO_DET_PROMPTS.some((p) => p.includes('hiting'))).toBe(true);
    expect(PROMPT_FIXES.length).toBe(9);
  });

  it('maps HICO and COCO object orders both ways', () => {
    expect(HICO_DET_OBJECT_TO_COCO_INDEX).toHaveLength(80);
    hicoDet.objects.forEach((object, hico) => {
      expect(COCO_80_LABELS[HICO_DET_OBJECT_TO_COCO_INDEX[hico]]).toBe(object);
      expect(COCO_INDEX_TO_HICO_DET_OBJECT[HICO_DET_OBJECT_TO_COCO_INDEX[hico]]).toBe(hico);
    });
    expect(HICO_DET_OBJECT_TO_COCO_INDEX[hicoDet.objects.indexOf('person')]).toBe(0);
    expect(COCO_80_CATEGORY_IDS).toHaveLength(80);
    expect(HICO_DET_OBJECT_COCO_CATEGORY_IDS[hicoDet.objects.indexOf('person')]).toBe(1);
    expect(HICO_DET_OBJECT_COCO_CATEGORY_IDS[hicoDet.objects.indexOf('toothbrush')]).toBe(90);
    expect(HICO_DET_OBJECT_COCO_CATEGORY_IDS[hicoDet.objects.indexOf('dining table')]).toBe(67);
    expect(new Set(HICO_DET_OBJECT_COCO_CATEGORY_IDS).size).toBe(80);
    expect(COCO_80_CATEGORY_IDS[COCO_80_LABELS.indexOf('toothbrush')]).toBe(90);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(hicoDet)).toBe(true);
    expect(Object.isFrozen(hicoDet.interactions[0])).toBe(true);
    expect(Object.isFrozen(HICO_DET_ZERO_SHOT_SPLITS.uo)).toBe(true);
  });
});

describe.skipIf(!HAS_SHARED)(
  `hicoDet against ../shared/data${HAS_SHARED ? '' : ` (skipped: ${CLASSES_FILE} not found)`}`,
  () => {
    interface ClassesFile {
      verbs: string[];
      objects_hico_order: string[];
      hoi_600: { verb: string; object: string; rare: boolean }[];
      rare_hoi_ids: number[];
      non_rare_hoi_ids: number[];
    }
    const read = <T>(path: string): T => JSON.parse(readFileSync(join(SHARED_DATA, path), 'utf8')) as T;

    it('equals the class, verb, object and rare lists of hico_det_classes.json', () => {
      const file = read<ClassesFile>('hico-det/hico_det_classes.json');
      expect(hicoDet.verbs).toEqual(file.verbs);
      expect(hicoDet.objects).toEqual(file.objects_hico_order.map(normalizeLabel));
      expect(file.hoi_600).toHaveLength(600);
      file.hoi_600.forEach((h, i) => {
        expect(hicoDet.interactions[i].verb).toBe(h.verb);
        expect(hicoDet.interactions[i].object).toBe(normalizeLabel(h.object));
        expect(hicoDet.interactions[i].rare).toBe(h.rare);
      });
      expect(HICO_DET_RARE_CLASSES).toEqual([...file.rare_hoi_ids].sort((a, b) => a - b));
      expect(file.non_rare_hoi_ids).toHaveLength(462);
    });

    it('equals splits.json and prompts.json', () => {
      const splits = read<Record<string, number[]>>('hico-det/splits.json');
      expect(HICO_DET_ZERO_SHOT_SPLITS['rf-uc']).toEqual(splits.rare_first_unseen);
      expect(HICO_DET_ZERO_SHOT_SPLITS['nf-uc']).toEqual(splits.non_rare_first_unseen);
      expect(HICO_DET_ZERO_SHOT_SPLITS.uo).toEqual(splits.unseen_object_unseen);
      expect(HICO_DET_ZERO_SHOT_SPLITS.uv).toEqual(splits.unseen_verb_unseen);
      expect(HICO_DET_PROMPTS).toEqual(read<string[]>('hico-det/prompts.json'));
    });

    it('committed generated modules equal what the generator writes now', () => {
      const modules = renderVocabularyModules(SHARED_DATA);
      expect(Object.keys(modules).sort()).toEqual(['coco-data.ts', 'hico-det-data.ts', 'vcoco-data.ts']);
      for (const [name, text] of Object.entries(modules)) {
        expect(readFileSync(join(GENERATED_DIR, name), 'utf8'), name).toBe(text);
      }
    });
  },
);
