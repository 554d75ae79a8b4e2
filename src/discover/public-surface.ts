import type { PackageManifest } from '../model.js';
import { joinPosix } from '../util/paths.js';
import { leafTargets } from '../resolve/exports.js';
import { findSourceFile, SOURCE_EXTENSIONS, sourceStems, stripExtension } from '../util/source-files.js';

const DEFAULT_ENTRIES = ['index', 'src/index', 'src/main'];

/**
 * The public surface a package.json declares: its entry files (`main`, `types`, non-wildcard
 * `exports` targets) mapped back to source files, and globs for `exports` wildcards.
 * A package that declares none exposes its index file.
 */
export function publicSurface(dir: string, manifest: PackageManifest | undefined, files: Set<string>): { files: string[]; globs: string[] } {
  const entries = new Set<string>();
  const globs = new Set<string>();
  const targets = manifest ? [...leafTargets(manifest.exports), manifest.main, manifest.types].filter((t): t is string => !!t) : [];

  for (const target of targets) {
    const local = joinPosix(dir, target.replace(/^\.\//, ''));
    if (local.includes('*')) {
      const [prefix, suffix] = local.split('*', 2);
      for (const stem of sourceStems(prefix)) {
        for (const ending of suffixCandidates(suffix)) globs.add(`${stem}**${ending ? `/*${ending}` : ''}`);
      }
      continue;
    }
    const found = findSourceFile(local, files);
    if (found) entries.add(found);
  }
  if (entries.size === 0) {
    const found = DEFAULT_ENTRIES.map((entry) => findSourceFile(joinPosix(dir, entry), files)).find((f) => f !== undefined);
    if (found) entries.add(found);
  }
  return { files: [...entries].sort(), globs: [...globs].sort() };
}

/** `*.js` in a wildcard target also stands for the `.ts` source. */
function suffixCandidates(suffix: string): string[] {
  if (!suffix) return [''];
  const stem = stripExtension(suffix);
  return stem === suffix ? [suffix] : [suffix, ...SOURCE_EXTENSIONS.map((ext) => stem + ext)];
}
