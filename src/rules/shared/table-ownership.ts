import type { Graph, RuleFinding } from '../../model.js';
import { describeComponent } from './describe.js';
import { testFileSet } from '../../graph/services.js';

/** The table half of content coupling: reads and writes of tables that another service's schema defines. */
export interface TableCouplingOptions {
  /** Reading another service's table: an error, a warning (default), or not reported. Writes are always reported. */
  tableReads: 'error' | 'warn' | 'off';
  ignoreTestFiles: boolean;
}

export function tableCouplingFindings(graph: Graph, options: TableCouplingOptions): RuleFinding[] {
  const components = new Map(graph.components.map((c) => [c.id, c]));
  const tables = new Map(graph.resources.filter((r) => r.kind === 'table').map((r) => [r.id, r]));
  const tests = testFileSet(graph);
  const findings: RuleFinding[] = [];
  for (const edge of graph.edges) {
    const table = edge.kind === 'database' ? tables.get(edge.to) : undefined;
    const from = components.get(edge.from);
    const owner = table?.owner ? components.get(table.owner) : undefined;
    // A job (a migrator, a nightly report) is an operational tool of whoever runs it, not a service reaching into another's data.
    if (!table || !from || from.kind === 'job' || owner?.kind !== 'service' || owner.service === from.service) continue;
    for (const evidence of edge.evidence) {
      const writes = evidence.access === 'write';
      if ((!writes && options.tableReads === 'off') || (options.ignoreTestFiles && tests.has(evidence.location.file))) continue;
      findings.push({
        message: `${describeComponent(from)} ${writes ? 'writes' : 'reads'} table "${table.name}" (${evidence.detail}), which service "${owner.service}" owns; ${
          writes ? `add an operation to "${owner.service}"'s API (or have it consume an event) and let it write the table` : `read it through "${owner.service}"'s API, or keep a copy fed by events it publishes`
        }.`,
        location: evidence.location,
        related: table.evidence.map((definition) => ({ location: definition.location, message: `table "${table.name}" defined by service "${owner.service}" (${definition.detail})` })),
        services: [from.service, owner.service],
        key: table.id,
        severity: !writes && options.tableReads === 'warn' ? 'warning' : undefined,
      });
    }
  }
  return findings;
}

