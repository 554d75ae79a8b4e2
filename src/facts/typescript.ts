import type { FileExtractor } from './index.js';
import type * as TypeScriptWalk from './typescript-walk.js';

export const SCRIPT_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

let walk: typeof TypeScriptWalk | undefined;

/**
 * Scripts: one parse and one walk per file (./typescript-walk.ts). TypeScript's compiler takes a third of
 * a second to load, so it is imported when a script first needs extracting: a run whose facts all come
 * from the cache never loads it.
 */
export const typeScriptExtractor: FileExtractor = {
  name: 'typescript',
  matches: (file) => SCRIPT_FILE.test(file),
  prepare: async () => {
    walk ??= await import('./typescript-walk.js');
  },
  extract: ({ file, text }, facts) => walk!.extractTypeScriptFacts(file, text, walk!.collectors, facts),
};
