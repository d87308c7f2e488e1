/**
 * @hoi/core runtime: image loading, geometry, vocabularies, pairing, spatial encodings, RoI-Align,
 * matching, fusion and the `detectInteractions` pipeline. The contracts live in `@hoi/core/spec`,
 * mocks and the conformance kit in `@hoi/core/test`.
 */

export * from './errors/hoi-error.js';
export * from './geometry/index.js';
export * from './image/load-image.js';
export * from './image/resize-bilinear-planar.js';
export * from './matching/index.js';
export * from './models/index.js';
export * from './pipeline/index.js';
export * from './pooling/index.js';
export * from './spatial/index.js';
export type * from './spec/index.js';
export * from './vocabulary/index.js';
