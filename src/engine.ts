import { createHash } from 'node:crypto';
import type { ResolvedConfig } from './config/types.js';
import type { Finding, Graph, Severity } from './model.js';
import { rules } from './rules/index.js';
import { compareStrings } from './util/text.js';

/** Version of the fingerprint scheme: bump it when the inputs below change. */
const FINGERPRINT_VERSION = 'v1';

/** Runs every enabled rule on the graph and gives each finding its configured severity and a stable fingerprint. */
export function runRules(graph: Graph, config: ResolvedConfig): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const setting = config.rules[rule.meta.id];
    if (!setting || setting.severity === 'off') continue;
    const configured: Severity = setting.severity === 'warn' ? 'warning' : 'error';
    for (const finding of rule.check(graph, setting.options)) {
      const severity: Severity = finding.severity === 'warning' ? 'warning' : configured;
      findings.push({ ...finding, ruleId: rule.meta.id, severity, fingerprint: '' });
    }
  }
  findings.sort(compareFindings);
  assignFingerprints(findings);
  return findings;
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
