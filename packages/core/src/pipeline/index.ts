export * from './candidate-table.js';
export * from './detect-interactions.js';
export * from './filter-instances.js';
export * from './fusion.js';
export * from './pairing.js';
export * from './spec-version.js';
export * from './validate.js';
export * from './validate-result-record.js';
