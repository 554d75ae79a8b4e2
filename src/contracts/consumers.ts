import { contractOwner } from '../graph/interactions.js';
import { isDeployable } from '../graph/services.js';
import { pathMatches, stripBasePath } from '../graph/urls.js';
import type { ContractChange, Graph, ModuleReference, ResolvedHttpCall, SourceLocation } from '../model.js';
import { compareStrings } from '../util/text.js';
import { isReader } from './view.js';

/** A place in the repository that uses the part of a contract a change touches. */
export interface ContractConsumer {
  /** The component making the call (or import), and the service it ships in. */
  component: string;
  service: string;
  location: SourceLocation;
  /** `affected`: uses what changed and the diff did not touch its file; `updated`: its file changed in the same diff. */
  state: 'affected' | 'updated';
  /** What it does with the changed part: `reads "total"`, `does not send "customerId"`, `calls GET /orders/{id}`. */
  detail: string;
}

/** Request changes every caller must follow: it has to send something it need not send before. */
const MUST_SEND = new Set(['added-required-request-property', 'request-property-now-required']);

/**
 * The consumers of a change inside the repository, read from the graph: the HTTP calls of other services to the
 * changed operation that use the changed part (a response property counts only where the caller reads it), and
 * for a TypeScript contract the reads and writes of a changed member the type checker found, else the imports by
 * other services of the changed export; each `updated` when the diff changed its file. Pure: the rule and `arch-lint contracts` both ask it.
 */
export function consumersOf(change: ContractChange, graph: Graph): ContractConsumer[] {
  const changed = new Set(graph.contracts?.changedFiles ?? []);
  const serviceOf = new Map(graph.components.map((c) => [c.id, c.service]));
  const owner = owningService(change, graph) ?? change.owner;
  const consumers = new Map<string, ContractConsumer>();
  if (change.contract === 'openapi' && change.operation) {
    const spec = graph.interactions?.specs.find((s) => s.file === change.file);
    const basePaths = spec?.basePaths ?? [];
    for (const call of graph.interactions?.httpCalls ?? []) {
      const service = serviceOf.get(call.from);
      if (!call.to || serviceOf.get(call.to) !== owner || !service || service === owner || !calls(call, change.operation, basePaths)) continue;
      const use = usage(change, call);
      // A read in a function the response was handed to is where the consumer uses it.
      const location = use?.at ?? call.location;
      const updated = changed.has(call.location.file) || changed.has(location.file);
      if (!use && !updated) continue;
      consumers.set(`${service}\0${location.file}\0${location.line}\0${location.column}`, {
        component: call.from,
        service,
        location,
        state: updated ? 'updated' : 'affected',
        detail: use?.detail ?? `calls ${change.operation.method} ${change.operation.path}`,
      });
    }
  }
  if (change.contract === 'event' && change.topic !== undefined) {
    // A change to a payload property reaches the handlers that read it; a removed message, every subscriber.
    const property = change.property;
    for (const message of graph.interactions?.messages ?? []) {
      const service = serviceOf.get(message.component);
      if (message.topic !== change.topic || !isReader(message) || !service || service === owner) continue;
      const updated = changed.has(message.location.file);
      const read = property === undefined ? undefined : message.reads?.find((r) => r.path === property || r.path.startsWith(`${property}.`));
      if (property !== undefined && !read && !updated) continue;
      const location = read?.location ?? message.location;
      consumers.set(`${service}\0${location.file}\0${location.line}\0${location.column}`, {
        component: message.component,
        service,
        location,
        state: updated || changed.has(location.file) ? 'updated' : 'affected',
        detail: read ? `reads "${read.path}" of "${change.topic}" (${message.system})` : `subscribes to "${change.topic}" (${message.system})`,
      });
    }
  }
  if (change.contract === 'typescript' && change.uses !== undefined) {
    const tests = new Set(graph.testFiles);
    const what = `\`${change.exportName}.${change.member}\``;
    for (const use of change.uses) {
      const service = serviceOf.get(use.component);
      if (!service || service === owner || tests.has(use.location.file)) continue;
      consumers.set(`${service}\0${use.location.file}\0${use.location.line}\0${use.location.column}`, {
        component: use.component,
        service,
        location: use.location,
        state: changed.has(use.location.file) ? 'updated' : 'affected',
        detail: change.change === 'property-now-required' ? `builds \`${change.exportName}\` without \`${change.member}\`` : `${use.write ? 'writes' : 'reads'} ${what}`,
      });
    }
  }
  if (change.contract === 'typescript' && change.exportName !== undefined) {
    const tests = new Set(graph.testFiles);
    // A whole module taken (`import * as`, `require`) holds the export when it declares it or is a package entry (which may re-export it).
    const publicFiles = graph.components.find((c) => c.id === change.owner)?.publicFiles ?? [];
    const holdsExport = new Set([change.location.file, ...publicFiles]);
    for (const edge of graph.moduleEdges) {
      const service = edge.fromComponent === undefined ? undefined : serviceOf.get(edge.fromComponent);
      if (edge.toComponent !== change.owner || edge.fromComponent === change.owner || !service || service === owner || tests.has(edge.from)) continue;
      if (!takes(edge.reference, change.exportName) || (edge.reference.names === undefined && !holdsExport.has(edge.to))) continue;
      // Where the uses of the member are known, an importer that does not use it counts only as updated by the diff.
      if (change.uses !== undefined && !changed.has(edge.from)) continue;
      const location = edge.reference.location;
      consumers.set(`${service}\0${location.file}\0${location.line}\0${location.column}`, {
        component: edge.fromComponent!,
        service,
        location,
        state: changed.has(edge.from) ? 'updated' : 'affected',
        detail: edge.reference.names === undefined ? `imports the whole of ${edge.reference.specifier}` : `imports ${change.exportName === '' ? edge.reference.specifier : `\`${change.exportName}\``}`,
      });
    }
  }
  return [...consumers.values()].sort(
    (a, b) => compareStrings(a.location.file, b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column || compareStrings(a.service, b.service),
  );
}

/**
 * The service whose contract changed: the spec's owner, the package's own service, or the service a contract package
 * is named after (`@shop/orders-contracts` → orders); none for a library no service owns (nor groups with it by configuration).
 */
export function owningService(change: ContractChange, graph: Graph): string | undefined {
  const component = graph.components.find((c) => c.id === change.owner);
  if (!component) return change.owner;
  const named = contractOwner(component, graph.components);
  if (named) return named.service;
  return isDeployable(component) || component.service !== component.id ? component.service : undefined;
}

/** Whether an import takes an export: by name, or the whole module (a namespace import, `require`, `export *`); '' is the entry itself. */
function takes(reference: ModuleReference, exportName: string): boolean {
  if (reference.names === undefined || exportName === '') return true;
  return reference.names.includes(exportName) || (reference.typeNames ?? []).includes(exportName);
}

/** Whether a call reaches the operation: its method, and its path with or without a base path of the document's servers. */
function calls(call: ResolvedHttpCall, operation: { method: string; path: string }, basePaths: string[]): boolean {
  if (call.method !== operation.method || call.path === undefined) return false;
  const paths = [call.path, ...basePaths.map((base) => stripBasePath(call.path!, base)).filter((p): p is string => p !== undefined)];
  return paths.some((path) => pathMatches(path, operation.path));
}

/** How a call of the operation uses the changed part (and where, when not at the call), or undefined when it does not (as far as the code shows). */
function usage(change: ContractChange, call: ResolvedHttpCall): { detail: string; at?: SourceLocation } | undefined {
  const detail = (text: string | undefined) => (text === undefined ? undefined : { detail: text });
  const property = change.property;
  const callsIt = `calls ${change.operation!.method} ${change.operation!.path}`;
  if (change.properties !== undefined) return change.side === 'response' ? responseRead(call, change.properties) : detail(variantUsage(call, change.properties, callsIt));
  if (property === undefined || change.parameter !== undefined) return { detail: callsIt };
  if (change.side === 'response') return responseRead(call, [property]);
  return detail(requestUsage(change, call, property, callsIt));
}

/**
 * A read of one of these response properties (or a path under one): where the call is, or in a function the response
 * was handed to (`summarize(res.data)` reading `order.total`), at that read.
 */
function responseRead(call: ResolvedHttpCall, properties: string[]): { detail: string; at?: SourceLocation } | undefined {
  const under = (path: string) => properties.some((property) => path === property || path.startsWith(`${property}.`));
  const read = call.reads?.find(under);
  if (read !== undefined) return { detail: `reads "${read}"` };
  const passed = call.passedReads?.find((r) => under(r.path));
  return passed && { detail: `reads "${passed.path}" of the response of ${call.method} ${call.path ?? call.url} (${call.location.file}:${call.location.line})`, at: passed.location };
}

/** How a call uses a changed request property: does not send a now-required one, or sends a changed one. */
function requestUsage(change: ContractChange, call: ResolvedHttpCall, property: string, callsIt: string): string | undefined {
  const top = property.split('.')[0];
  if (change.variantProperties && call.sends && !change.variantProperties.some((p) => call.sends!.includes(p.split('.')[0]))) return undefined; // it sends another variant
  if (MUST_SEND.has(change.change)) {
    if (call.sends === undefined) return `${callsIt} with a body whose properties are not visible (it may not send "${property}")`;
    return call.sends.includes(top) ? undefined : `does not send "${property}"`;
  }
  return call.sends?.includes(top) ? `sends "${top}"` : undefined;
}

/** How a call uses a removed request variant: it sends one of the variant's telling properties (a body it cannot see may). */
function variantUsage(call: ResolvedHttpCall, properties: string[], callsIt: string): string | undefined {
  if (call.sends === undefined) return `${callsIt} with a body whose properties are not visible (it may send the removed variant)`;
  const sent = properties.map((property) => property.split('.')[0]).find((top) => call.sends!.includes(top));
  return sent === undefined ? undefined : `sends "${sent}"`;
}

/** Whether a change breaks, its consumers known: one breaking only for its users (`whenUsed`) is an expansion when nobody uses it. */
export function breaks(change: ContractChange, consumers: readonly ContractConsumer[]): boolean {
  return change.breaking && (change.whenUsed !== true || consumers.length > 0);
}
