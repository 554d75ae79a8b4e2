import { breaks, consumersOf, owningService, type ContractConsumer } from '../contracts/consumers.js';
import type { ContractChange, Graph, RuleFinding } from '../model.js';
import { compareStrings } from '../util/text.js';
import { quoteList } from './shared/interaction-queries.js';
import { defineRule } from './types.js';

const REMEDIES =
  'Expand then contract (add the new field or operation beside the old one, move the consumers, remove the old one in a later change), or serve a versioned endpoint that coexists with the old one until every consumer has moved.';
/** A library is no endpoint to version: its old export or member stays beside the new one. */
const LIBRARY_REMEDIES = 'Expand then contract: add the new export or member beside the old one, move the consumers, and remove the old one in a later change.';

/**
 * A breaking change to a service's contract (against the base of `--changed <ref>` or `arch-lint contracts`):
 * an error when consumers in the repository still use what changed, since they would have to ship with it; a
 * warning when none does (consumers outside the repository are unknown). Expansions are never reported.
 */
export const breakingContractChange = defineRule<Record<string, never>>({
  meta: {
    id: 'breaking-contract-change',
    description: "A change to a service's contract breaks the consumers that still use what changed, so they would have to deploy in lockstep with it.",
    defaultSeverity: 'error',
    tags: ['architecture', 'contract', 'openapi', 'deployability'],
    precision: 'high',
    optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
    defaultOptions: {},
  },
  check(graph: Graph): RuleFinding[] {
    const groups = new Map<string, ContractChange[]>();
    for (const change of (graph.contracts?.changes ?? []).filter((c) => c.breaking)) {
      const key = sameChange(change);
      groups.set(key, [...(groups.get(key) ?? []), change]);
    }
    return [...groups.entries()].flatMap(([key, changes]) => finding(key, changes, graph) ?? []);
  },
});

/** One change of one place, whatever operation reaches it: a schema `$ref`ed by many operations is one finding. */
function sameChange(change: ContractChange): string {
  return [change.contract, change.owner, change.location.file, change.location.line, change.change, change.parameter ?? change.property ?? '', change.topic ?? '', change.exportName ?? '', change.member ?? ''].join('\0');
}

/** How many operations a description names at most before "and N more". */
const OPERATIONS_NAMED = 3;

/** The finding of one change, none when it breaks only its users and nobody uses it. */
function finding(key: string, changes: ContractChange[], graph: Graph): RuleFinding | undefined {
  const [change] = changes;
  const service = owningService(change, graph);
  const owner = service ?? change.owner;
  const consumers = [...new Map(changes.flatMap((c) => consumersOf(c, graph)).map((c) => [`${c.service}\0${c.location.file}\0${c.location.line}\0${c.location.column}`, c])).values()];
  if (!breaks(change, consumers)) return undefined;
  const contract = contractOf(change, service, graph);
  const affected = consumers.filter((c) => c.state === 'affected');
  const updated = consumers.filter((c) => c.state === 'updated');
  const servicesOf = (list: ContractConsumer[]) => [...new Set(list.map((c) => c.service))].sort(compareStrings);
  // A library no service owns ships inside its consumers: they move to its new version together.
  const together = (list: ContractConsumer[]) =>
    service === undefined ? `${quoteList(servicesOf(list))} would have to move to its new version in the same change` : `${quoteList([owner, ...servicesOf(list)])} would have to ship together`;
  let verdict: string;
  if (affected.length > 0) {
    const count = `${affected.length} consumer${affected.length === 1 ? '' : 's'}`;
    verdict = `${count} in ${quoteList(servicesOf(affected))} ${affected.length === 1 ? 'is' : 'are'} written against the base contract, so ${together(consumers)}.`;
  } else if (updated.length > 0) {
    verdict = `its consumers in ${quoteList(servicesOf(updated))} were changed in the same diff, so ${together(updated)}.`;
  } else {
    verdict = 'no consumer in the repository uses what changed; consumers outside it are unknown.';
  }
  return {
    message: `Breaking change to the contract of ${contract}: ${describe(changes)}; ${verdict} ${service === undefined ? LIBRARY_REMEDIES : REMEDIES}`,
    location: change.location,
    related: consumers.map((c) => ({ location: c.location, message: `${c.service} ${c.detail}${c.state === 'updated' ? ' (updated in this diff)' : ''}` })),
    services: [owner, ...servicesOf(consumers).filter((s) => s !== owner)],
    key,
    ...(affected.length === 0 ? { severity: 'warning' as const } : {}),
  };
}

/** Whose contract changed, as the message names it: `service "orders"`, `"@shop/orders-contracts" (service "orders")`, `library "@shop/money", which no service owns`. */
function contractOf(change: ContractChange, service: string | undefined, graph: Graph): string {
  if (service === change.owner) return `service "${service}"`;
  if (service !== undefined) return `"${change.owner}" (service "${service}")`;
  const kind = graph.components.find((c) => c.id === change.owner)?.kind === 'contract' ? 'contract package' : 'library';
  return `${kind} "${change.owner}", which no service owns`;
}

/** The change, with every operation it reaches: `response property "total" was removed (GET /orders/{id}, POST /orders)`. */
function describe(changes: ContractChange[]): string {
  const operations = changes.flatMap((c) => (c.operation ? [`${c.operation.method} ${c.operation.path}`] : []));
  if (changes.length === 1 || operations.length !== changes.length) return changes[0].description;
  const what = changes[0].description.slice(operations[0].length + 2);
  const more = operations.length > OPERATIONS_NAMED ? `, and ${operations.length - OPERATIONS_NAMED} more operations` : '';
  return `${what} (${operations.slice(0, OPERATIONS_NAMED).join(', ')}${more})`;
}
