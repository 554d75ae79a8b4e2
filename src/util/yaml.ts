import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

/**
 * The yaml package, loaded on first use (a tenth of a warm run otherwise): a run whose facts come from
 * the cache and whose workspace and configuration are not YAML parses none. Required, not imported, so
 * that it can be loaded where it is needed, synchronously.
 */
export function yamlPackage(): typeof Yaml {
  return (loaded ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
}
