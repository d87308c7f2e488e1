/**
 * Test helpers for plugin authors and the toolkit's own tests: mocks that record their calls, synthetic
 * images, and the spec conformance kit (plain functions, usable from any test runner).
 */
export * from './conformance.js';
export * from './mock-detector.js';
export * from './mock-recognizer.js';
export * from './synthetic-image.js';
