/** Where the source of a path written in package.json lives: `dist/esm/x.js` is built from `src/x.ts`. */

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.jsx', '.mjs', '.cjs'];
const BUILD_FOLDERS = new Set(['dist', 'build', 'lib', 'out']);
/** Module-format folders inside build output (`dist/cjs/index.js`, `lib/esm/index.js`). */
const FORMAT_FOLDERS = new Set(['esm', 'cjs', 'commonjs', 'mjs', 'es', 'module', 'types', 'src']);

/** A JavaScript or TypeScript module (`.ts`, `.tsx`, `.mjs`, `.cjs`, …). */
export function isCodeFile(file: string): boolean {
  return /\.[cm]?[jt]sx?$/.test(file);
}

export function stripExtension(file: string): string {
  return file.replace(/\.d\.(m|c)?(t|j)s$/, '').replace(/\.(m|c)?(j|t)sx?$/, '');
}

export function isDeclarationFile(file: string): boolean {
  return /\.d\.(m|c)?ts$/.test(file);
}

/** The path itself and, when it goes through a build folder, the same path under `src/` (with and without a format folder). */
export function sourceStems(target: string): string[] {
  const segments = target.split('/');
  const build = segments.findIndex((segment) => BUILD_FOLDERS.has(segment));
  if (build < 0) return [target];
  const before = segments.slice(0, build);
  const after = segments.slice(build + 1);
  const stems = [target, [...before, 'src', ...after].join('/')];
  if (after.length > 1 && FORMAT_FOLDERS.has(after[0])) stems.push([...before, 'src', ...after.slice(1)].join('/'));
  return stems;
}

/** The repo file a package-relative target stands for, with TypeScript's extension and index rules. */
export function findSourceFile(target: string, files: Set<string>): string | undefined {
  for (const stem of sourceStems(target)) {
    if (files.has(stem)) return stem;
    const bare = stripExtension(stem);
    for (const ext of SOURCE_EXTENSIONS) if (files.has(bare + ext)) return bare + ext;
    for (const ext of SOURCE_EXTENSIONS) if (files.has(`${stem}/index${ext}`)) return `${stem}/index${ext}`;
  }
  return undefined;
}

/** The first target that maps to a source file, preferring real sources over declaration files. */
export function findBestSourceFile(targets: string[], files: Set<string>): string | undefined {
  const found = targets.map((target) => findSourceFile(target, files)).filter((f): f is string => f !== undefined);
  return found.find((f) => !isDeclarationFile(f)) ?? found[0];
}
