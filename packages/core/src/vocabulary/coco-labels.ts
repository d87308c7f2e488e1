// The data lives in generated/coco-data.ts (written by scripts/generate-vocabulary.ts).
export { COCO_80_CATEGORY_IDS, COCO_80_LABELS } from './generated/coco-data.js';
