import type { Diagnostic, ManifestDependency, PackageManifest } from '../model.js';
import { parseJsonWithLocations } from '../util/json.js';

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

/** Reads the facts of a package.json that arch-lint uses; a malformed one gives a diagnostic and no manifest. */
export function parseManifest(file: string, text: string): { manifest?: PackageManifest; raw?: Record<string, unknown>; diagnostic?: Diagnostic } {
  const doc = parseJsonWithLocations(file, text);
  if (doc.errors.length > 0 || typeof doc.value !== 'object' || doc.value === null || Array.isArray(doc.value)) {
    const why = doc.errors[0] ?? 'not a JSON object';
    return { diagnostic: { file, code: 'invalid-json', message: `malformed package.json: ${why}` } };
  }
  const raw = doc.value as Record<string, unknown>;
  const dependencies: ManifestDependency[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    const entries = raw[field];
    if (typeof entries !== 'object' || entries === null) continue;
    for (const [name, range] of Object.entries(entries)) {
      dependencies.push({ name, range: String(range), field, location: doc.locate([field, name]) });
    }
  }
  const scripts: Record<string, string> = {};
  if (typeof raw.scripts === 'object' && raw.scripts !== null) {
    for (const [name, command] of Object.entries(raw.scripts)) if (typeof command === 'string') scripts[name] = command;
  }
  return {
    raw,
    manifest: {
      file,
      name: typeof raw.name === 'string' ? raw.name : undefined,
      version: typeof raw.version === 'string' ? raw.version : undefined,
      main: typeof raw.main === 'string' ? raw.main : undefined,
      types: typeof raw.types === 'string' ? raw.types : typeof raw.typings === 'string' ? raw.typings : undefined,
      exports: raw.exports ?? undefined,
      scripts,
      dependencies,
    },
  };
}
