export * from './cache-dir.js';
export * from './execution-providers.js';
export * from './model-cache.js';
export { MANIFEST_FILE, type ModelManifest, type ModelManifestEntry } from './model-manifest.js';
export { type ModelReference, parseModelReference } from './model-reference.js';
