import { consumersOf, ownerService, type ContractConsumer } from '../contracts/consumers.js';
import type { ContractChange, Graph, RuleFinding } from '../model.js';
import { compareStrings } from '../util/text.js';
import { quoteList } from './shared/interaction-queries.js';
import { defineRule } from './types.js';

const REMEDIES =
  'Expand then contract (add the new field or operation beside the old one, move the consumers, remove the old one in a later change), or serve a versioned endpoint that coexists with the old one until every consumer has moved.';

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
    return (graph.contracts?.changes ?? []).filter((change) => change.breaking).map((change) => finding(change, consumersOf(change, graph), ownerService(change, graph)));
  },
});

function finding(change: ContractChange, consumers: ContractConsumer[], owner: string): RuleFinding {
  const contract = change.owner === owner ? `service "${owner}"` : `"${change.owner}" (service "${owner}")`;
  const affected = consumers.filter((c) => c.state === 'affected');
  const updated = consumers.filter((c) => c.state === 'updated');
  const servicesOf = (list: ContractConsumer[]) => [...new Set(list.map((c) => c.service))].sort(compareStrings);
  const together = (list: ContractConsumer[]) => `${quoteList([owner, ...servicesOf(list)])} would have to ship together`;
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
    message: `Breaking change to the contract of ${contract}: ${change.description}; ${verdict} ${REMEDIES}`,
    location: change.location,
    related: consumers.map((c) => ({ location: c.location, message: `${c.service} ${c.detail}${c.state === 'updated' ? ' (updated in this diff)' : ''}` })),
    services: [owner, ...servicesOf(consumers).filter((s) => s !== owner)],
    key: [change.contract, change.file, change.change, change.operation ? `${change.operation.method} ${change.operation.path}` : (change.topic ?? ''), change.parameter ?? change.property ?? change.exportName ?? '', change.member ?? ''].join('\0'),
    ...(affected.length === 0 ? { severity: 'warning' as const } : {}),
  };
}
