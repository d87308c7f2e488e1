export * from './one-pass-matching.js';
