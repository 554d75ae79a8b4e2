/*
 * TypeScript's compiler API as ts-morph bundles it, loaded with require(). An ESM `import` of ts-morph
 * first scans its 1 MB of CommonJS for export names, a tenth of a second; this module is CommonJS, so
 * the scan covers these few lines only. Import `ts` from here, never from 'ts-morph'.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the point of this module
import tsMorph = require('ts-morph');

export import ts = tsMorph.ts;
