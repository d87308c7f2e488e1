export * from './candidates.js';
export * from './coco-labels.js';
export * from './create-vocabulary.js';
export * from './hico-det.js';
export * from './normalize-label.js';
export * from './vcoco.js';
export * from './verb-phrase.js';
export type * from './vocabulary.js';
export * from './vocabulary-file.js';
