export type * from './vocabulary.js';
