import type { Component } from '../model.js';
import { dirOf } from '../util/paths.js';

/** What owns a file among things kept by folder: the one with the deepest folder containing it. */
export function folderLocator<T>(byDir: Map<string, T>): (file: string) => T | undefined {
  const cache = new Map<string, T | undefined>();
  const lookup = (dir: string): T | undefined => {
    if (cache.has(dir)) return cache.get(dir);
    const found = byDir.get(dir) ?? (dir === '' ? undefined : lookup(dirOf(dir)));
    cache.set(dir, found);
    return found;
  };
  // by file too: the same files are asked for again and again (every import of a module), and dirOf allocates
  const byFile = new Map<string, T | null>();
  return (file) => {
    let owner = byFile.get(file);
    if (owner === undefined) byFile.set(file, (owner = lookup(dirOf(file)) ?? null));
    return owner ?? undefined;
  };
}

/** The component that owns a file: the one with the deepest folder containing it. */
export function componentLocator(components: Component[]): (file: string) => Component | undefined {
  return folderLocator(new Map(components.map((c) => [c.dir, c])));
}
