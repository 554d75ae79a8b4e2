import { readWalkedFile } from '../discover/read.js';
import { isApiDocumentText, parseApiDocument, type ApiDocument } from '../facts/openapi.js';
import { componentLocator } from '../discover/component-locator.js';
import type { ContractChange, ContractComparison, Diagnostic, Finding, Graph, SuppressedFinding } from '../model.js';
import { viewGraph, type ContractView } from './view.js';
import type { ResolvedConfig } from '../config/types.js';
import { runRules } from '../engine.js';
import { contractRules } from '../rules/index.js';
import { applyContractSuppressions } from '../suppress.js';
import { compareStrings } from '../util/text.js';
import type { GitBase } from './git-base.js';
import { asyncApiChanges, openApiChanges, type LoadDocument } from './openapi-changes.js';
import { typeScriptContractChangesOf } from './typescript.js';
import { publishedPayloadChanges } from './event-payloads.js';

export interface ContractInput {
  root: string;
  base: GitBase;
  /** The contract view's graph (viewGraph). */
  graph: Graph;
  documents: ContractView['documents'];
  /** Every walked file (repo-relative): the only files of the working tree ever read. */
  files: string[];
  maxFileSize: number;
  diagnostics: Diagnostic[];
}

/**
 * The contract stage, after the graph and before the rules, only in a run with a base: compares every contract
 * the diff touches (an API document or a file it `$ref`s, a contract package or a public entry another service
 * imports, a payload type a service publishes) with its base version read from git, and classifies each change. Only the touched contracts are read again; who consumes a change is the graph's to say (consumers.ts).
 */
export function compareContracts(input: ContractInput): ContractComparison {
  const changedFiles = input.base.changedFiles();
  const typeScript = typeScriptContractChangesOf(input, changedFiles);
  const payloads = publishedPayloadChanges(input, changedFiles);
  const changes: ContractChange[] = [...openApiContractChanges(input, changedFiles), ...eventContractChanges(input, changedFiles), ...typeScript.changes, ...payloads.changes];
  changes.sort((a, b) => compareStrings(a.location.file, b.location.file) || a.location.line - b.location.line || compareStrings(a.description, b.description));
  return { base: input.base.ref, changedFiles: [...changedFiles].sort(compareStrings), changes, typeCheckedPackages: [...typeScript.typeChecked, ...payloads.typeChecked] };
}

/** What the contract stage gives a run: the comparison, and its rules' findings (suppressed by the directives the view keeps). */
export interface ContractOutcome {
  comparison: ContractComparison;
  findings: Finding[];
  suppressed: SuppressedFinding[];
}

/** The contract stage over a contract view: from a graph just built, or from the view a reused result kept. */
export function contractStage(view: ContractView, input: Omit<ContractInput, 'graph' | 'documents'> & { config: ResolvedConfig }): ContractOutcome {
  const { config, ...rest } = input;
  const graph = viewGraph(view);
  const comparison = compareContracts({ ...rest, graph, documents: view.documents });
  graph.contracts = comparison;
  const { findings, suppressed } = applyContractSuppressions(runRules(graph, config, contractRules), view.directives, config);
  return { comparison, findings, suppressed };
}

function openApiContractChanges(input: ContractInput, changed: Set<string>): ContractChange[] {
  const refsOf = new Map(input.documents.map((d) => [d.file, d.refs]));
  const touched = (spec: string) => closure(spec, refsOf).some((file) => changed.has(file));
  const headSpecs = input.documents.filter((d) => d.spec && touched(d.file)).map((d) => d.file);
  const candidates = [...changed].filter((file) => !walked(input).has(file) && /\.(ya?ml|json)$/i.test(file));
  const removedSpecs = [...input.base.read(candidates)].filter(([, text]) => text !== undefined && isApiDocumentText(text)).map(([file]) => file);
  const { loadBase, loadHead } = loaders(input);
  const ownerOf = componentLocator(input.graph.components);
  const changes: ContractChange[] = [];
  for (const spec of [...headSpecs, ...removedSpecs]) {
    const owner = input.graph.interactions?.specs.find((s) => s.file === spec)?.owner ?? ownerOf(spec)?.id;
    if (!owner) continue;
    for (const change of openApiChanges(spec, loadBase, loadHead)) changes.push({ contract: 'openapi', owner, file: spec, ...change });
  }
  return changes;
}

/** A top-level `asyncapi:` key, in YAML or JSON. */
const ASYNCAPI_MARKER = /^asyncapi\s*:|^\s*\{?\s*"asyncapi"\s*:/m;

/**
 * AsyncAPI documents the diff touches (the document, or a file it `$ref`s), compared with their base: the payloads
 * of the topics their component publishes. The bulk pass sees them as YAML with refs only; their text says what they are.
 */
function eventContractChanges(input: ContractInput, changed: Set<string>): ContractChange[] {
  const refsOf = new Map(input.documents.map((d) => [d.file, d.refs]));
  const referring = input.documents.filter((d) => !d.spec && closure(d.file, refsOf).some((file) => changed.has(file))).map((d) => d.file);
  const candidates = [...new Set([...[...changed].filter((file) => /\.(ya?ml|json)$/i.test(file)), ...referring])];
  const baseTexts = input.base.read(candidates);
  const headText = (file: string) => {
    const read = walked(input).has(file) ? readWalkedFile(input.root, file, input.maxFileSize) : undefined;
    return read && 'text' in read ? read.text : undefined;
  };
  const documents = candidates.filter((file) => [baseTexts.get(file), headText(file)].some((text) => text !== undefined && ASYNCAPI_MARKER.test(text)));
  const { loadBase, loadHead } = loaders(input);
  const ownerOf = componentLocator(input.graph.components);
  const changes: ContractChange[] = [];
  for (const file of documents) {
    const owner = ownerOf(file)?.id;
    if (!owner) continue;
    for (const change of asyncApiChanges(file, loadBase, loadHead)) changes.push({ contract: 'event', owner, file, ...change });
  }
  return changes;
}

/** The document loaders of both sides, one per contract input (each file parsed once per side). */
const loaderSets = new WeakMap<ContractInput, { loadBase: LoadDocument; loadHead: LoadDocument }>();
function loaders(input: ContractInput): { loadBase: LoadDocument; loadHead: LoadDocument } {
  let found = loaderSets.get(input);
  if (!found) {
    const loadHead = documentLoader(input, (file) => {
      if (!walked(input).has(file)) return undefined;
      const read = readWalkedFile(input.root, file, input.maxFileSize);
      return 'text' in read ? read.text : undefined;
    }, 'contract-invalid', 'it');
    const loadBase = documentLoader(input, (file) => input.base.read([file]).get(file), 'contract-base-invalid', `its base version (${input.base.ref})`);
    loaderSets.set(input, (found = { loadBase, loadHead }));
  }
  return found;
}

const walkedSets = new WeakMap<string[], Set<string>>();
function walked(input: ContractInput): Set<string> {
  let set = walkedSets.get(input.files);
  if (!set) walkedSets.set(input.files, (set = new Set(input.files)));
  return set;
}

/** Parses each file of one side once; a file that does not parse is a diagnostic, and is compared as absent. */
function documentLoader(input: ContractInput, read: (file: string) => string | undefined, code: string, what: string): (file: string) => ApiDocument | undefined {
  const documents = new Map<string, ApiDocument | undefined>();
  return (file) => {
    if (documents.has(file)) return documents.get(file);
    const text = read(file);
    const parsed = text === undefined ? undefined : parseApiDocument(file, text);
    if (parsed && 'error' in parsed) input.diagnostics.push({ file, code, message: `${what} cannot be read as an API document (${parsed.error}); its contract changes are not compared` });
    const document = parsed && !('error' in parsed) ? parsed : undefined;
    documents.set(file, document);
    return document;
  };
}

/** A document and every file its `$ref`s reach, through the files' own refs. */
function closure(spec: string, refsOf: Map<string, string[]>): string[] {
  const seen = new Set<string>([spec]);
  const queue = [spec];
  while (queue.length > 0) {
    for (const file of refsOf.get(queue.pop()!) ?? []) {
      if (!seen.has(file)) {
        seen.add(file);
        queue.push(file);
      }
    }
  }
  return [...seen];
}
