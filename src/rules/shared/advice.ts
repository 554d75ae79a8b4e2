import { contractOwner } from '../../graph/interactions.js';
import type { Graph } from '../../model.js';
import { compareStrings } from '../../util/text.js';

/** The contract packages named after a service (`@shop/payments-contracts` for `payments`), sorted. */
export function contractsOf(graph: Graph, service: string): string[] {
  return graph.components
    .filter((c) => c.kind === 'contract' && contractOwner(c, graph.components)?.service === service)
    .map((c) => c.id)
    .sort(compareStrings);
}

/** What to do instead of using another service's code: its contract package when it has one, its API otherwise. */
export function useInsteadOfCode(graph: Graph, service: string): string {
  const [contract] = contractsOf(graph, service);
  return contract
    ? `import its contract package "${contract}" instead`
    : `call "${service}" over its API or events instead, and move code both need into a library of their own`;
}
