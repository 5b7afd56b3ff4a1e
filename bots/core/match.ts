// Name matching moved to the understanding layer; kept here until parse.ts is gone.
export * from '../understanding/names.js';
