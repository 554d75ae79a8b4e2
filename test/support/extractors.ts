import { prepareExtractors } from '../../src/facts/index.js';

// Tests call extractFileFacts() directly: load the extractors' lazily imported code (TypeScript's) once.
await prepareExtractors(['any.ts']);
