/*
 * TypeScript's compiler API, loaded through V8's code cache (compile-cache.cts): import `ts` from here,
 * never from 'typescript'. CommonJS, so that the loading is synchronous and an ESM import does not scan
 * TypeScript's 9 MB for export names.
 */
import { preloadWithCodeCache } from './compile-cache.cjs';

preloadWithCodeCache('typescript', __filename);

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the instance preloaded above
import TypeScript = require('typescript');

export import ts = TypeScript;
