// lint-staged.config.mjs — arch-lint analyses the whole repository, so the command gets no file names:
// a function value returns the one command to run when any matching file is staged.
export default {
  '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,json,yml,yaml}': () => 'arch-lint --staged',
};
