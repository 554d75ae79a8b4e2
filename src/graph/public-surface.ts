import picomatch from 'picomatch';
import type { Component } from '../model.js';

/** Whether a file is part of a component's public surface (entry points, `exports`, configured globs). */
export function publicSurfaceMatcher(components: Component[]): (component: Component, file: string) => boolean {
  const matchers = new Map(
    components.map((c) => {
      const files = new Set(c.publicFiles);
      const globs = c.publicGlobs.length > 0 ? picomatch(c.publicGlobs, { dot: true }) : () => false;
      return [c, (file: string) => files.has(file) || globs(file)] as const;
    }),
  );
  return (component, file) => matchers.get(component)!(file);
}
