export * from './errors.js';
export * from './classify.js';
