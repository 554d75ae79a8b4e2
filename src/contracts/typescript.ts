import { readWalkedFile } from '../discover/read.js';
import type { Component, ContractChange, Graph, ModuleReference, SourceLocation } from '../model.js';
import type { ContractInput } from './index.js';
import { contractPackages } from './view.js';
import { MODULE_LINKS, typeScriptContractChanges, type ContractConsumerFiles, type TypeScriptContractChange } from './typescript-changes.js';
import { componentLocator } from '../discover/component-locator.js';
import { compareStrings, escapeRegExp } from '../util/text.js';

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
  const imports = importsByPackage(input.graph);
  for (const component of contractPackages(input.graph)) {
    const { importedByOthers, edgesFrom } = imports.get(component.id) ?? { importedByOthers: new Set<string>(), edgesFrom: new Map<string, PackageImport[]>() };
    const entries = [...new Set([...component.publicFiles.filter((file) => SOURCE.test(file)), ...importedByOthers])].sort(compareStrings);
    const head = packageFiles(entries, edgesFrom, input.graph);
    const removed = [...changed].filter((file) => file.startsWith(`${component.dir}/`) && SOURCE.test(file) && !present.has(file));
    if (![...head, ...removed].some((file) => changed.has(file))) continue;
    typeChecked.push(component.id);
    const headTexts = readHead(input, head);
    const baseTexts = new Map<string, string>();
    for (const [file, text] of input.base.read([...head, ...removed])) if (text !== undefined) baseTexts.set(file, text);
    let found;
    try {
      const unchanged = unchangedFiles(head, edgesFrom, baseTexts, headTexts, removed);
      found = typeScriptContractChanges({ base: baseTexts, head: headTexts, unchanged, entries, consumers: () => consumerFiles(component, input) });
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

/** A package module's import of another module of the package. */
interface PackageImport {
  to: string;
  reference: ModuleReference;
}

/**
 * What each package's imports say: the modules of it other components import (the deep imports a wildcard export
 * or a path alias opens, `@acme/types/errors`; with its public entries, what they use of it), and its imports of its
 * own modules (importing file → what it imports). Tests left out of the first.
 */
function importsByPackage(graph: Graph): Map<string, { importedByOthers: Set<string>; edgesFrom: Map<string, PackageImport[]> }> {
  const tests = new Set(graph.testFiles);
  const byPackage = new Map<string, { importedByOthers: Set<string>; edgesFrom: Map<string, PackageImport[]> }>();
  for (const edge of graph.moduleEdges) {
    if (edge.toComponent === undefined) continue;
    let imports = byPackage.get(edge.toComponent);
    if (!imports) byPackage.set(edge.toComponent, (imports = { importedByOthers: new Set(), edgesFrom: new Map() }));
    if (edge.fromComponent === edge.toComponent) imports.edgesFrom.set(edge.from, [...(imports.edgesFrom.get(edge.from) ?? []), { to: edge.to, reference: edge.reference }]);
    else if (!tests.has(edge.from) && SOURCE.test(edge.to)) imports.importedByOthers.add(edge.to);
  }
  return byPackage;
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
function packageFiles(entries: string[], edgesFrom: Map<string, PackageImport[]>, graph: Graph): Set<string> {
  const tests = new Set(graph.testFiles);
  const files = new Set(entries);
  const queue = [...files];
  while (queue.length > 0) {
    for (const { to: next } of edgesFrom.get(queue.pop()!) ?? []) {
      if (files.has(next) || tests.has(next) || !SOURCE.test(next)) continue;
      files.add(next);
      queue.push(next);
    }
  }
  return files;
}

/**
 * The package files the comparison loads once for both versions: the same text at the base and at head, and
 * importing inside the package (transitively) only such files, or others only through imports left unused. None
 * when the diff removed a file of the package: an unchanged import of it would mean something else at head.
 */
function unchangedFiles(files: Set<string>, edgesFrom: Map<string, PackageImport[]>, base: Map<string, string>, head: Map<string, string>, removed: string[]): Set<string> {
  if (removed.length > 0) return new Set();
  const importers = new Map<string, string[]>();
  for (const [from, imports] of edgesFrom) {
    const text = head.get(from);
    let split: SplitModule | undefined;
    const module = () => (split ??= splitModule(text!));
    for (const { to, reference } of imports) if (text === undefined || carriesTypes(reference, module)) importers.set(to, [...(importers.get(to) ?? []), from]);
  }
  const affected = new Set([...files].filter((file) => !head.has(file) || base.get(file) !== head.get(file)));
  const queue = [...affected];
  while (queue.length > 0) {
    for (const importer of importers.get(queue.pop()!) ?? []) {
      if (affected.has(importer)) continue;
      affected.add(importer);
      queue.push(importer);
    }
  }
  return new Set([...files].filter((file) => !affected.has(file)));
}

/**
 * Whether an import may bring the imported module's types into the importer: any but a named import whose names the
 * importer never writes outside its import and re-export statements (an import left unused cannot change the
 * importer's types). Names are matched as text, and a renamed or default binding counts as used: an import too many
 * may carry types, never one too few.
 */
export function mayCarryTypes(reference: ModuleReference, text: string | undefined): boolean {
  return text === undefined || carriesTypes(reference, () => splitModule(text));
}

/** A module's text as its import and re-export statements and the code without them. */
interface SplitModule {
  statements: string[];
  code: string;
}

function splitModule(text: string): SplitModule {
  return { statements: text.match(MODULE_LINKS) ?? [], code: text.replace(MODULE_LINKS, '') };
}

/** mayCarryTypes on the importer split once for all its imports (split only when an import's names must be looked for). */
function carriesTypes(reference: ModuleReference, module: () => SplitModule): boolean {
  const names = [...(reference.names ?? []), ...(reference.typeNames ?? [])];
  if (reference.kind !== 'import' || reference.names === undefined || names.length === 0 || names.includes('default')) return true;
  const { statements, code } = module();
  const linking = statements.filter((statement) => statement.includes(reference.specifier));
  if (linking.length === 0 || linking.some((statement) => /\bas\b/.test(statement))) return true;
  return [reference.specifier, ...names].some((name) => new RegExp(`(?<![\\w$])${escapeRegExp(name)}(?![\\w$])`).test(code));
}
