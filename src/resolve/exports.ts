/**
 * package.json `exports`: which targets a subpath maps to. Conditions are not chosen here: every
 * target of the matching entry is returned in order, and the caller keeps the one that maps to a
 * source file (a `source` condition, or `dist/esm/x.js` built from `src/x.ts`).
 */

/** The targets `exports` gives a subpath ('' is the package root), or undefined when it exposes none. */
export function exportTargetsFor(exports: unknown, subpath: string): string[] | undefined {
  if (exports === undefined || exports === null) return undefined;
  const key = subpath === '' ? '.' : `./${subpath}`;
  if (!isSubpathMap(exports)) return key === '.' ? nonEmpty(leafTargets(exports)) : undefined;
  const map = exports as Record<string, unknown>;
  if (key in map) return nonEmpty(leafTargets(map[key]));
  // Node picks the wildcard pattern with the longest prefix.
  const patterns = Object.keys(map)
    .filter((pattern) => pattern.includes('*'))
    .sort((a, b) => b.indexOf('*') - a.indexOf('*') || b.length - a.length);
  for (const pattern of patterns) {
    const star = pattern.indexOf('*');
    const prefix = pattern.slice(0, star);
    const suffix = pattern.slice(star + 1);
    if (key.startsWith(prefix) && key.endsWith(suffix) && key.length >= prefix.length + suffix.length) {
      const match = key.slice(prefix.length, key.length - suffix.length);
      return nonEmpty(leafTargets(map[pattern]).map((target) => target.replace(/\*/g, () => match) /* a function: `$&` in a subpath is literal */));
    }
  }
  return undefined;
}

/** Every string target in an `exports` value (subpath maps, nested conditions, fallback arrays), in order. */
export function leafTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (Array.isArray(exports)) return exports.flatMap(leafTargets);
  if (typeof exports === 'object' && exports !== null) return Object.values(exports).flatMap(leafTargets);
  return [];
}

function isSubpathMap(exports: unknown): boolean {
  return typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'));
}

/** `null` targets (`"./internal/*": null`) hide a subpath: it is not exported. */
function nonEmpty(targets: string[]): string[] | undefined {
  return targets.length > 0 ? targets : undefined;
}
