import type { ReleaseGroupFact, ReleaseProjectFact, SourceLocation } from '../model.js';
import { parseJsonWithLocations, type JsonDocument } from '../util/json.js';
import type { FileExtractor } from './index.js';

const CHANGESETS_CONFIG = '.changeset/config.json';
const LERNA_CONFIG = 'lerna.json';
const NX_CONFIG = 'nx.json';
const RUSH_CONFIG = 'rush.json';
const RUSH_VERSION_POLICIES = 'common/config/rush/version-policies.json';
const RELEASE_PLEASE_CONFIG = 'release-please-config.json';
const ROOT_FILES = new Set([CHANGESETS_CONFIG, LERNA_CONFIG, NX_CONFIG, RUSH_CONFIG, RUSH_VERSION_POLICIES, RELEASE_PLEASE_CONFIG]);

type Json = Record<string, unknown>;
type Extracted = { groups: ReleaseGroupFact[]; projects: ReleaseProjectFact[] };

/**
 * Release configuration that versions packages together: changesets `fixed` and `linked` groups, Lerna in
 * fixed mode, Nx release (fixed unless `projectsRelationship` says independent, per group), Rush
 * `lockStepVersion` policies, release-please `linked-versions`, and `@jscutlery/semver` `syncVersions` in a
 * project.json. Only the root's files count, except project.json, which also names its Nx project.
 */
export const releaseConfigExtractor: FileExtractor = {
  name: 'release-config',
  matches: (file) => ROOT_FILES.has(file) || file === 'project.json' || file.endsWith('/project.json'),
  extract({ file, text }, facts) {
    const doc = parseJsonWithLocations(file, text);
    const isProject = file.endsWith('project.json');
    if (doc.errors.length > 0 || typeof doc.value !== 'object' || doc.value === null || Array.isArray(doc.value) !== (file === RUSH_VERSION_POLICIES)) {
      // Discovery reports a malformed project.json already.
      if (!isProject) facts.diagnostics.push({ file, code: 'invalid-json', message: `malformed release configuration: ${doc.errors[0] ?? 'not the expected JSON shape'}` });
      return;
    }
    const found: Extracted = { groups: [], projects: [] };
    if (isProject) readNxProject(file, doc, found);
    else READERS[file](doc, found);
    if (found.groups.length > 0) facts.releaseGroups = found.groups;
    if (found.projects.length > 0) facts.releaseProjects = found.projects;
  },
};

const READERS: Record<string, (doc: JsonDocument, found: Extracted) => void> = {
  [LERNA_CONFIG](doc, { groups }) {
    const config = doc.value as Json;
    if (typeof config.version !== 'string' || config.version === 'independent') return;
    // Lerna versions the folders its `packages` globs name; without them (or with useWorkspaces) the workspace's.
    const folders = config.useWorkspaces === true || !Array.isArray(config.packages) ? [] : strings(config.packages).map((glob) => glob.replace(/^\.\/|\/$/g, ''));
    groups.push({ tool: 'lerna-fixed', members: folders, location: doc.locate(['version']) });
  },
  [CHANGESETS_CONFIG](doc, { groups }) {
    const config = doc.value as Json;
    for (const key of ['fixed', 'linked'] as const) {
      const lists = config[key];
      if (!Array.isArray(lists)) continue;
      lists.forEach((list, index) => {
        if (Array.isArray(list)) groups.push({ tool: `changesets-${key}`, members: strings(list), location: doc.locate([key, index]) });
      });
    }
  },
  [NX_CONFIG](doc, { groups }) {
    const release = (doc.value as Json).release;
    if (!isObject(release)) return;
    // Nx versions the projects of a release (or of each group) together unless told they are independent.
    const isFixed = (relationship: unknown) => relationship !== 'independent';
    const fixedGroup = (projects: unknown, location: SourceLocation) => {
      const members = nxProjects(projects);
      if (members.length > 0) groups.push({ tool: 'nx-release', members, location });
    };
    if (isObject(release.groups)) {
      for (const [name, group] of Object.entries(release.groups)) {
        if (isObject(group) && isFixed(group.projectsRelationship ?? release.projectsRelationship)) fixedGroup(group.projects, doc.locate(['release', 'groups', name]));
      }
    } else if (isFixed(release.projectsRelationship)) {
      // Without `projects` Nx releases the public library projects only, never an application: no service.
      fixedGroup(release.projects, doc.locate(['release']));
    }
  },
  [RUSH_VERSION_POLICIES](doc, { groups }) {
    (doc.value as unknown[]).forEach((policy, index) => {
      if (isObject(policy) && policy.definitionName === 'lockStepVersion' && typeof policy.policyName === 'string') {
        groups.push({ tool: 'rush-lockstep', members: [], policy: policy.policyName, location: doc.locate([index, 'policyName']) });
      }
    });
  },
  [RUSH_CONFIG](doc, { projects }) {
    const list = (doc.value as Json).projects;
    if (!Array.isArray(list)) return;
    for (const project of list) {
      if (isObject(project) && typeof project.projectFolder === 'string' && typeof project.versionPolicyName === 'string') {
        projects.push({ dir: project.projectFolder.replace(/^\.\/|\/$/g, ''), versionPolicy: project.versionPolicyName });
      }
    }
  },
  [RELEASE_PLEASE_CONFIG](doc, { groups }) {
    const config = doc.value as Json;
    // A linked component is named by its `component` (or `package-name`) in `packages`, whose key is its folder.
    const folderOf = new Map<string, string>();
    for (const [dir, settings] of Object.entries(isObject(config.packages) ? config.packages : {})) {
      if (!isObject(settings)) continue;
      for (const name of [settings.component, settings['package-name']]) if (typeof name === 'string' && dir !== '.') folderOf.set(name, dir);
    }
    const plugins = Array.isArray(config.plugins) ? config.plugins : [];
    plugins.forEach((plugin, index) => {
      if (!isObject(plugin) || plugin.type !== 'linked-versions' || !Array.isArray(plugin.components)) return;
      const members = strings(plugin.components).map((name) => folderOf.get(name) ?? name);
      groups.push({ tool: 'release-please-linked', members, location: doc.locate(['plugins', index]) });
    });
  },
};

/** A project.json names its Nx project and its tags, and `@jscutlery/semver` with `syncVersions` versions every project together. */
function readNxProject(file: string, doc: JsonDocument, { groups, projects }: Extracted): void {
  const project = doc.value as Json;
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  const tags = strings(Array.isArray(project.tags) ? project.tags : []);
  if (typeof project.name === 'string' || tags.length > 0) {
    projects.push({ dir, ...(typeof project.name === 'string' ? { name: project.name } : {}), ...(tags.length > 0 ? { tags } : {}) });
  }
  for (const [target, settings] of Object.entries(isObject(project.targets) ? project.targets : {})) {
    if (isObject(settings) && settings.executor === '@jscutlery/semver:version' && isObject(settings.options) && settings.options.syncVersions === true) {
      groups.push({ tool: 'jscutlery-semver-sync', members: [], location: doc.locate(['targets', target, 'options', 'syncVersions']) });
    }
  }
}

/** Nx `projects`: a name, glob, folder or `tag:` selector, or a list of them (`!` excludes). */
function nxProjects(value: unknown): string[] {
  return strings(typeof value === 'string' ? [value] : Array.isArray(value) ? value : []);
}

function strings(list: unknown[]): string[] {
  return list.filter((m): m is string => typeof m === 'string' && m !== '' && m !== '!');
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
