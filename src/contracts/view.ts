import type { ApiSpec, Component, Directive, FileFacts, Graph, ModuleEdge, ResolvedHttpCall, ResolvedMessage } from '../model.js';
import { isContractRule } from '../rules/index.js';

/**
 * The part of the graph the contract stage reads, kept with the cached lint result: a run with a base whose
 * working tree is as the cache saw it compares contracts from this view, without rebuilding the graph. Plain data.
 */
export interface ContractView {
  /** Every component, without its manifest and reasons. */
  components: Component[];
  testFiles: string[];
  /** HTTP calls that reach a component of the repository. */
  httpCalls: ResolvedHttpCall[];
  /** Subscriptions and consumptions of topics (who reads an event payload, and what of it), and publications whose payload the walk saw. */
  messages: ResolvedMessage[];
  specs: ApiSpec[];
  /** Every API document and `$ref`ed fragment, with the files its refs point to. */
  documents: { file: string; spec: boolean; refs: string[] }[];
  /**
   * Module edges into the packages whose contract is compared (contract packages, public entries other services
   * import), theirs included, and the edges inside a component that publishes a payload (which module's types it sends).
   */
  moduleEdges: ModuleEdge[];
  /** The inline directives that can hide a contract finding: those naming a contract rule, or every rule. */
  directives: { file: string; directives: Directive[] }[];
}

export function contractView(graph: Graph, facts: FileFacts[]): ContractView {
  const packages = new Set(contractPackages(graph).map((c) => c.id));
  const messages = (graph.interactions?.messages ?? []).filter((message) => isReader(message) || message.payload !== undefined);
  const publishers = new Set(messages.filter((message) => message.payload !== undefined).map((message) => message.component));
  const documents = facts.flatMap((f) => (f.openapi ? [{ file: f.file, spec: f.openapi.kind === 'spec', refs: [...new Set(f.openapi.refs.flatMap((r) => (r.file === undefined ? [] : [r.file])))] }] : []));
  return {
    components: graph.components.map(({ manifest: _manifest, reasons: _reasons, ...component }) => ({ ...component, reasons: [] })),
    testFiles: graph.testFiles,
    httpCalls: (graph.interactions?.httpCalls ?? []).filter((call) => call.to !== undefined),
    messages,
    specs: graph.interactions?.specs ?? [],
    documents,
    moduleEdges: graph.moduleEdges.filter(
      (edge) => edge.toComponent !== undefined && (packages.has(edge.toComponent) || (edge.fromComponent === edge.toComponent && publishers.has(edge.toComponent))),
    ),
    directives: facts.filter((f) => f.directives.some(coversContracts)).map(({ file, directives }) => ({ file, directives: directives.filter(coversContracts) })),
  };
}

/** A subscription or a consumption: it reads the payloads sent on its topic. */
export function isReader(message: ResolvedMessage): boolean {
  return message.role === 'subscribe' || message.role === 'consume';
}

function coversContracts(directive: Directive): boolean {
  return directive.rules.length === 0 || directive.rules.some(isContractRule);
}

/** The graph the contract stage and its rule read: the view's data, nothing else. */
export function viewGraph(view: ContractView): Graph {
  return {
    root: '',
    components: view.components,
    resources: [],
    environment: [],
    moduleEdges: view.moduleEdges,
    edges: [],
    unresolved: [],
    testFiles: view.testFiles,
    interactions: { httpCalls: view.httpCalls, urlLiterals: [], routes: [], messages: view.messages, rpcCalls: [], specs: view.specs, specRefs: [] },
  };
}

/** Contract packages, and packages whose public entry a module of another service imports: the TypeScript contracts. */
export function contractPackages(graph: Pick<Graph, 'components' | 'moduleEdges'>): Component[] {
  const byId = new Map(graph.components.map((c) => [c.id, c]));
  const importedByOthers = new Set<string>();
  for (const edge of graph.moduleEdges) {
    const to = edge.toComponent === undefined ? undefined : byId.get(edge.toComponent);
    const from = edge.fromComponent === undefined ? undefined : byId.get(edge.fromComponent);
    if (to && from && to.service !== from.service && to.publicFiles.includes(edge.to)) importedByOthers.add(to.id);
  }
  return graph.components.filter((c) => c.publicFiles.length > 0 && c.language === undefined && (c.kind === 'contract' || importedByOthers.has(c.id)));
}
