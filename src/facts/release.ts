import type { ReleaseGroupFact } from '../model.js';
import { parseJsonWithLocations } from '../util/json.js';
import type { FileExtractor } from './index.js';

const CHANGESETS_CONFIG = '.changeset/config.json';
const LERNA_CONFIG = 'lerna.json';

/**
 * Release configuration that versions packages together: changesets `fixed` and `linked` groups,
 * and Lerna in fixed mode (a `version` other than "independent"). Only the root's files count.
 */
export const releaseConfigExtractor: FileExtractor = {
  name: 'release-config',
  matches: (file) => file === CHANGESETS_CONFIG || file === LERNA_CONFIG,
  extract({ file, text }, facts) {
    const doc = parseJsonWithLocations(file, text);
    if (doc.errors.length > 0 || typeof doc.value !== 'object' || doc.value === null) {
      facts.diagnostics.push({ file, code: 'invalid-json', message: `malformed release configuration: ${doc.errors[0] ?? 'not a JSON object'}` });
      return;
    }
    const config = doc.value as Record<string, unknown>;
    const groups: ReleaseGroupFact[] = [];
    if (file === LERNA_CONFIG) {
      if (typeof config.version === 'string' && config.version !== 'independent') {
        groups.push({ tool: 'lerna-fixed', members: [], location: doc.locate(['version']) });
      }
    } else {
      for (const key of ['fixed', 'linked'] as const) {
        const lists = config[key];
        if (!Array.isArray(lists)) continue;
        lists.forEach((list, index) => {
          if (!Array.isArray(list)) return;
          const members = list.filter((m): m is string => typeof m === 'string');
          groups.push({ tool: `changesets-${key}`, members, location: doc.locate([key, index]) });
        });
      }
    }
    if (groups.length > 0) facts.releaseGroups = groups;
  },
};
