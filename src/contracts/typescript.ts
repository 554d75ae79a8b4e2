import { readWalkedFile } from '../discover/read.js';
import type { Component, ContractChange, Graph, SourceLocation } from '../model.js';
import type { ContractInput } from './index.js';
import { contractPackages } from './view.js';
import { typeScriptContractChanges, type ContractConsumerFiles, type TypeScriptContractChange } from './typescript-changes.js';
import { componentLocator } from '../discover/component-locator.js';
import { compareStrings } from '../util/text.js';

/** Files the type checker reads as a package's source. */
export const SOURCE = /\.(ts|tsx|mts|cts)$/;

/**
 * The TypeScript contracts a diff touches, compared with the type checker: the contract packages, and the public
 * entries of every other package a module of another service imports. Only the packages whose files the diff
 * changed are loaded, each as its entries and the package files they import (head) and the same paths at the
 * base (plus the package's files the diff removed), read from git objects. Also says which packages were loaded.
 */
export function typeScriptContractChangesOf(input: ContractInput, changed: Set<string>): { changes: ContractChange[]; typeChecked: string[] } {
  const changes: ContractChange[] = [];
  const typeChecked: string[] = [];
  const present = new Set(input.files);
  const ownerOf = componentLocator(input.graph.components);
  for (const component of contractPackages(input.graph)) {
    const entries = entriesOf(component, input.graph);
    const head = packageFiles(entries, component, input.graph);
    const removed = [...changed].filter((file) => file.startsWith(`${component.dir}/`) && SOURCE.test(file) && !present.has(file));
    if (![...head, ...removed].some((file) => changed.has(file))) continue;
    typeChecked.push(component.id);
    const headTexts = readHead(input, head);
    const baseTexts = new Map<string, string>();
    for (const [file, text] of input.base.read([...head, ...removed])) if (text !== undefined) baseTexts.set(file, text);
    let found;
    try {
      found = typeScriptContractChanges({ base: baseTexts, head: headTexts, entries, consumers: () => consumerFiles(component, input) });
    } catch (error) {
      input.diagnostics.push({ file: component.publicFiles[0], code: 'contract-compare-failed', message: `the TypeScript contract of ${component.id} could not be compared with its base: ${(error as Error).message}` });
      continue;
    }
    for (const change of found) {
      const where = change.inBase ? ` (at ${change.file}:${change.line} in ${input.base.ref})` : '';
      changes.push({
        contract: 'typescript',
        owner: component.id,
        file: component.publicFiles[0],
        change: change.kind,
        breaking: change.breaking,
        location: changeLocation(change, headTexts, component.publicFiles[0]),
        description: `${change.description}${where}`,
        exportName: change.exportName,
        ...(change.member !== undefined ? { member: change.member } : {}),
        entries,
        ...(change.uses
          ? { uses: change.uses.map((use) => ({ location: { file: use.file, line: use.line, column: use.column }, component: ownerOf(use.file)?.id ?? '', write: use.write })).filter((use) => use.component !== '') }
          : {}),
      });
    }
  }
  return { changes, typeChecked };
}

/**
 * Where a change shows at head: its line; for a removal, the declaration of the export that lost a member, in the
 * file that held it, the file itself for a removed export, `fallback` (the package's entry) when the file is gone.
 */
export function changeLocation(change: TypeScriptContractChange, headTexts: Map<string, string>, fallback: string): SourceLocation {
  if (!change.inBase) return { file: change.file, line: change.line, column: 1 };
  const text = headTexts.get(change.file);
  if (text === undefined) return { file: fallback, line: 1, column: 1 };
  const name = change.exportName.replace(/[$]/g, '\\$&');
  const declaration = change.member === undefined || name === '' ? -1 : text.search(new RegExp(`\\b(interface|type|class|enum|function|const|let|var)\\s+${name}\\b`));
  return { file: change.file, line: declaration < 0 ? 1 : text.slice(0, declaration).split('\n').length, column: 1 };
}

/**
 * What other components use of a package: its public entries and each module of it they import (the deep imports a
 * wildcard export or a path alias opens, `@acme/types/errors`), tests left out.
 */
function entriesOf(component: Component, graph: Graph): string[] {
  const tests = new Set(graph.testFiles);
  const entries = new Set(component.publicFiles.filter((file) => SOURCE.test(file)));
  for (const edge of graph.moduleEdges) {
    if (edge.toComponent === component.id && edge.fromComponent !== component.id && !tests.has(edge.from) && SOURCE.test(edge.to)) entries.add(edge.to);
  }
  return [...entries].sort(compareStrings);
}

/** The modules of other components that import the package (tests left out), as the working tree has them, with where their imports of it lead. */
function consumerFiles(component: Component, input: ContractInput): ContractConsumerFiles {
  const tests = new Set(input.graph.testFiles);
  const imports = new Map<string, Map<string, string>>();
  for (const edge of input.graph.moduleEdges) {
    if (edge.toComponent !== component.id || edge.fromComponent === component.id || edge.fromComponent === undefined || tests.has(edge.from) || !SOURCE.test(edge.from)) continue;
    const targets = imports.get(edge.from) ?? new Map<string, string>();
    targets.set(edge.reference.specifier, edge.to);
    imports.set(edge.from, targets);
  }
  return { texts: readHead(input, imports.keys()), imports };
}

/** The working tree's text of these files (those the walk can read). */
export function readHead(input: ContractInput, files: Iterable<string>): Map<string, string> {
  const texts = new Map<string, string>();
  for (const file of files) {
    const read = readWalkedFile(input.root, file, input.maxFileSize);
    if ('text' in read) texts.set(file, read.text);
  }
  return texts;
}

/** The package's entries and the package files they import, transitively (tests left out). */
function packageFiles(entries: string[], component: Component, graph: Graph): Set<string> {
  const tests = new Set(graph.testFiles);
  const edgesFrom = new Map<string, string[]>();
  for (const edge of graph.moduleEdges) {
    if (edge.fromComponent !== component.id || edge.toComponent !== component.id) continue;
    edgesFrom.set(edge.from, [...(edgesFrom.get(edge.from) ?? []), edge.to]);
  }
  const files = new Set(entries);
  const queue = [...files];
  while (queue.length > 0) {
    for (const next of edgesFrom.get(queue.pop()!) ?? []) {
      if (files.has(next) || tests.has(next) || !SOURCE.test(next)) continue;
      files.add(next);
      queue.push(next);
    }
  }
  return files;
}
