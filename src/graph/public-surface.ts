import picomatch from 'picomatch';
import type { Component } from '../model.js';

/**
 * Whether a file is part of a component's public surface (entry points, `exports`, configured globs).
 * A component's globs are compiled when it is first asked about: most never are.
 */
export function publicSurfaceMatcher(): (component: Component, file: string) => boolean {
  const matchers = new Map<Component, (file: string) => boolean>();
  return (component, file) => {
    let matches = matchers.get(component);
    if (!matches) {
      const files = new Set(component.publicFiles);
      const globs = component.publicGlobs.length > 0 ? picomatch(component.publicGlobs, { dot: true }) : () => false;
      matchers.set(component, (matches = (candidate: string) => files.has(candidate) || globs(candidate)));
    }
    return matches(file);
  };
}
