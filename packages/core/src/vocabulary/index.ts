export * from './coco-labels.js';
export type * from './vocabulary.js';
