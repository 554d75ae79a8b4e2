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

/** Release groups with members resolved to components: changesets names and globs match package names; Lerna fixed mode takes every package. */
export function releaseGroups(facts: FileFacts[], components: Component[]): ReleaseGroup[] {
  const packages = components.filter((c) => c.packageName);
  const groups: ReleaseGroup[] = [];
  for (const fact of facts.flatMap((f) => f.releaseGroups ?? [])) {
    const matches = fact.members.length > 0 ? picomatch(fact.members) : () => true;
    const members = packages.filter((c) => matches(c.packageName!)).map((c) => c.id);
    groups.push({ tool: fact.tool, members: members.sort(compareStrings), location: fact.location });
  }
  return groups;
}
