import { pathMatches, stripBasePath } from '../graph/urls.js';
import type { ContractChange, Graph, ResolvedHttpCall, SourceLocation } from '../model.js';
import { compareStrings } from '../util/text.js';

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
 * changed operation that use the changed part (a response property counts only where the caller reads it), each
 * `updated` when the diff changed its file. Pure: the rule and `arch-lint contracts` both ask it.
 */
export function consumersOf(change: ContractChange, graph: Graph): ContractConsumer[] {
  const changed = new Set(graph.contracts?.changedFiles ?? []);
  const serviceOf = new Map(graph.components.map((c) => [c.id, c.service]));
  const owner = serviceOf.get(change.owner) ?? change.owner;
  const consumers = new Map<string, ContractConsumer>();
  if (change.contract === 'openapi' && change.operation) {
    const spec = graph.interactions?.specs.find((s) => s.file === change.file);
    const basePaths = spec?.basePaths ?? [];
    for (const call of graph.interactions?.httpCalls ?? []) {
      const service = serviceOf.get(call.from);
      if (!call.to || serviceOf.get(call.to) !== owner || !service || service === owner || !calls(call, change.operation, basePaths)) continue;
      const updated = changed.has(call.location.file);
      const use = usage(change, call);
      if (!use && !updated) continue;
      consumers.set(`${service}\0${call.location.file}\0${call.location.line}\0${call.location.column}`, {
        component: call.from,
        service,
        location: call.location,
        state: updated ? 'updated' : 'affected',
        detail: use ?? `calls ${change.operation.method} ${change.operation.path}`,
      });
    }
  }
  return [...consumers.values()].sort(
    (a, b) => compareStrings(a.location.file, b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column || compareStrings(a.service, b.service),
  );
}

/** Whether a call reaches the operation: its method, and its path with or without a base path of the document's servers. */
function calls(call: ResolvedHttpCall, operation: { method: string; path: string }, basePaths: string[]): boolean {
  if (call.method !== operation.method || call.path === undefined) return false;
  const paths = [call.path, ...basePaths.map((base) => stripBasePath(call.path!, base)).filter((p): p is string => p !== undefined)];
  return paths.some((path) => pathMatches(path, operation.path));
}

/** How a call of the operation uses the changed part, or undefined when it does not (as far as the code shows). */
function usage(change: ContractChange, call: ResolvedHttpCall): string | undefined {
  const property = change.property;
  const callsIt = `calls ${change.operation!.method} ${change.operation!.path}`;
  if (property === undefined || change.parameter !== undefined) return callsIt;
  if (change.side === 'response') {
    const read = call.reads?.find((path) => path === property || path.startsWith(`${property}.`));
    return read === undefined ? undefined : `reads "${read}"`;
  }
  const top = property.split('.')[0];
  if (MUST_SEND.has(change.change)) {
    if (call.sends === undefined) return `${callsIt} with a body whose properties are not visible (it may not send "${property}")`;
    return call.sends.includes(top) ? undefined : `does not send "${property}"`;
  }
  return call.sends?.includes(top) ? `sends "${top}"` : undefined;
}
