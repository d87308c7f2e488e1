export * from './spatial-encoding.js';
