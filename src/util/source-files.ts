/** Where the source of a path written in package.json lives: `dist/x.js` is built from `src/x.ts`. */

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.jsx', '.mjs', '.cjs'];
const BUILD_FOLDERS = new Set(['dist', 'build', 'lib', 'out']);

export function stripExtension(file: string): string {
  return file.replace(/\.d\.(m|c)?ts$/, '').replace(/\.(m|c)?(j|t)sx?$/, '');
}

/** The path itself and, when it goes through a build folder, the same path under `src/`. */
export function sourceStems(target: string): string[] {
  const segments = target.split('/');
  const build = segments.findIndex((segment) => BUILD_FOLDERS.has(segment));
  return build < 0 ? [target] : [target, [...segments.slice(0, build), 'src', ...segments.slice(build + 1)].join('/')];
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
