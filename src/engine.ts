import { createHash } from 'node:crypto';
import type { ResolvedConfig } from './config/types.js';
import type { ComponentKind, Finding, Graph, Severity } from './model.js';
import { rules } from './rules/index.js';
import type { AnyRule } from './rules/types.js';
import { compareStrings } from './util/text.js';

/** Version of the fingerprint scheme: bump it when the inputs below change. */
const FINGERPRINT_VERSION = 'v1';

/** Runs every enabled rule (of the graph rules, or those given) on the graph and gives each finding its configured severity and a stable fingerprint. */
export function runRules(graph: Graph, config: ResolvedConfig, ruleList: readonly AnyRule[] = rules): Finding[] {
  const findings: Finding[] = [];
  const kindOf = componentKinds(graph);
  for (const rule of ruleList) {
    const setting = config.rules[rule.meta.id];
    if (!setting || setting.severity === 'off') continue;
    const configured: Severity = setting.severity === 'warn' ? 'warning' : 'error';
    for (const finding of rule.check(graph, setting.options)) {
      const severity: Severity = finding.severity === 'warning' ? 'warning' : configured;
      const kinds = finding.services.map(kindOf);
      findings.push({ ...finding, ruleId: rule.meta.id, severity, fingerprint: '', ...(kinds.length > 0 ? { kinds } : {}) });
    }
  }
  findings.sort(compareFindings);
  assignFingerprints(findings);
  return findings;
}

/** The kind of what a finding names: a service (or a group of deployables), else the component's own kind. */
function componentKinds(graph: Graph): (id: string) => ComponentKind {
  const kinds = new Map<string, ComponentKind>();
  for (const component of graph.components) {
    kinds.set(component.id, component.kind);
    if (component.service !== component.id) kinds.set(component.service, 'service');
  }
  return (id) => kinds.get(id) ?? 'service';
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.location.file, b.location.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.message, b.message)
  );
}

/**
 * A fingerprint names what is coupled, never where on a line: rule, services, the primary file and
 * the rule's key (or the related files). Repeats of the same coupling in one file are numbered in order.
 */
export function assignFingerprints(findings: Finding[]): void {
  const seen = new Map<string, number>();
  for (const finding of findings) {
    const identity = [
      finding.ruleId,
      finding.services.join(','),
      finding.location.file,
      finding.key ?? finding.related.map((r) => r.location.file).join(','),
    ].join('\0');
    const occurrence = seen.get(identity) ?? 0;
    seen.set(identity, occurrence + 1);
    const hash = createHash('sha256').update(identity).digest('hex').slice(0, 32);
    finding.fingerprint = `${FINGERPRINT_VERSION}:${hash}:${occurrence}`;
  }
}
