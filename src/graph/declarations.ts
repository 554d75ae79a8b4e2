import picomatch from 'picomatch';
import type { Component, ComponentClass, FileFacts, ReleaseGroup } from '../model.js';
import { compareStrings } from '../util/text.js';

/** The exported classes of every component's non-test files, with the component that declares them. */
export function componentClasses(facts: FileFacts[], ownerOf: (file: string) => Component | undefined, isTest: (file: string) => boolean): ComponentClass[] {
  const classes: ComponentClass[] = [];
  for (const fileFacts of facts) {
    const owner = ownerOf(fileFacts.file);
    if (!owner || !fileFacts.classes || isTest(fileFacts.file)) continue;
    for (const fact of fileFacts.classes) classes.push({ ...fact, component: owner.id });
  }
  return classes;
}

/** The prefix of an Nx project selector by tag. */
const TAG = 'tag:';

/**
 * Release groups with members resolved to components. A member written as a name or glob matches a package
 * name, a component id or an Nx project name; one written as a folder (glob) matches the component's folder;
 * `tag:` and a tag (glob) match the Nx project's tags; `!` excludes. No members means every package; a Rush
 * lockstep policy holds the rush.json projects naming it.
 */
export function releaseGroups(facts: FileFacts[], components: Component[]): ReleaseGroup[] {
  const projects = facts.flatMap((f) => f.releaseProjects ?? []);
  const nxNameOf = new Map(projects.filter((p) => p.name).map((p) => [p.dir, p.name!]));
  const nxTagsOf = new Map(projects.filter((p) => p.tags).map((p) => [p.dir, p.tags!]));
  const namesOf = (c: Component) => [c.id, c.packageName, nxNameOf.get(c.dir), c.dir].filter((n): n is string => !!n);
  const packages = components.filter((c) => c.packageName || nxNameOf.has(c.dir) || nxTagsOf.has(c.dir));
  const groups: ReleaseGroup[] = [];
  for (const fact of facts.flatMap((f) => f.releaseGroups ?? [])) {
    let matches: (c: Component) => boolean = () => true;
    if (fact.policy !== undefined) {
      const dirs = new Set(projects.filter((p) => p.versionPolicy === fact.policy).map((p) => p.dir));
      matches = (c) => dirs.has(c.dir);
    } else if (fact.members.length > 0) {
      const included = fact.members.filter((m) => !m.startsWith('!'));
      const excluded = fact.members.filter((m) => m.startsWith('!')).map((m) => m.slice(1));
      const named = (patterns: string[]) => {
        const isName = picomatch(patterns.filter((p) => !p.startsWith(TAG)));
        const isTag = picomatch(patterns.filter((p) => p.startsWith(TAG)).map((p) => p.slice(TAG.length)));
        return (c: Component) => namesOf(c).some((name) => isName(name)) || (nxTagsOf.get(c.dir) ?? []).some((tag) => isTag(tag));
      };
      const isIncluded = included.length > 0 ? named(included) : () => true;
      const isExcluded = excluded.length > 0 ? named(excluded) : () => false;
      matches = (c) => isIncluded(c) && !isExcluded(c);
    }
    const members = packages.filter(matches).map((c) => c.id);
    groups.push({ tool: fact.tool, members: members.sort(compareStrings), location: fact.location });
  }
  return groups;
}
