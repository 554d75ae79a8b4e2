import { defineConfig } from 'vitest/config';

const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  // src/util/typescript.cts is TypeScript too (Vite's default transform skips .cts)
  oxc: { include: /\.(m?ts|cts|[jt]sx)$/ },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/extractors.ts'],
    globalSetup: ['test/support/temp-folder.ts'],
    testTimeout: 90_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // .ci/run reads vitest's JSON results to print its "N passed, N failed" line.
    reporters: jsonReport ? ['default', 'json'] : ['default'],
    outputFile: jsonReport ? { json: jsonReport } : undefined,
  },
});
