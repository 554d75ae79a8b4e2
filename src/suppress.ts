import type { ResolvedConfig } from './config/types.js';
import { assignFingerprints, compareFindings } from './engine.js';
import type { Directive, FileFacts, Finding, SuppressedFinding } from './model.js';
import { isContractRule, ruleMetas } from './rules/index.js';
import { unusedSuppression } from './rules/unused-suppression.js';

export interface SuppressionOutcome {
  /** The findings no directive suppressed, plus one `unused-suppression` finding per directive that suppressed nothing. */
  findings: Finding[];
  /** The findings the directives suppressed, with the reason given after `--`. */
  suppressed: SuppressedFinding[];
}

/**
 * The suppression stage, after the rules: drops every finding whose primary location an
 * `arch-lint-disable…` comment covers, and reports the comments (or the rules named in them) that covered nothing.
 */
export function applySuppressions(findings: Finding[], facts: Pick<FileFacts, 'file' | 'directives'>[], config: ResolvedConfig): SuppressionOutcome {
  // The contract stage reports later, and only with a base: it judges the directives that name its rules.
  return suppress(findings, facts, config, (rule) => !isContractRule(rule));
}

/**
 * The same for the findings of the contract stage, which runs after the suppression stage and only with a base ref:
 * a directive naming one of its rules is unused when that stage's findings do not use it.
 */
export function applyContractSuppressions(findings: Finding[], facts: Pick<FileFacts, 'file' | 'directives'>[], config: ResolvedConfig): SuppressionOutcome {
  return suppress(findings, facts, config, isContractRule);
}

/** `judges`: whether this stage says a directive naming the rule (or '', every rule) is unused. */
function suppress(findings: Finding[], facts: Pick<FileFacts, 'file' | 'directives'>[], config: ResolvedConfig, judges: (rule: string) => boolean): SuppressionOutcome {
  const directivesByFile = new Map(facts.filter((f) => f.directives.length > 0).map((f) => [f.file, f.directives]));
  const { kept, suppressed, used } = partition(findings, directivesByFile);
  const unused = unusedDirectiveFindings([...directivesByFile.values()].flat(), used, config, judges);
  assignFingerprints(unused);
  return { findings: [...kept, ...unused].sort(compareFindings), suppressed };
}

function partition(findings: Finding[], directivesByFile: Map<string, Directive[]>): { kept: Finding[]; suppressed: SuppressedFinding[]; used: Map<Directive, Set<string>> } {
  const used = new Map<Directive, Set<string>>();
  const suppressed: SuppressedFinding[] = [];
  const kept = findings.filter((finding) => {
    const covering = (directivesByFile.get(finding.location.file) ?? []).filter((d) => covers(d, finding));
    for (const directive of covering) {
      const rules = used.get(directive) ?? new Set();
      rules.add(finding.ruleId);
      used.set(directive, rules);
    }
    if (covering.length === 0) return true;
    const justification = covering.find((directive) => directive.reason)?.reason;
    suppressed.push({ ...finding, suppression: { kind: 'inSource', ...(justification ? { justification } : {}) } });
    return false;
  });
  return { kept, suppressed, used };
}

function covers(directive: Directive, finding: Finding): boolean {
  if (directive.rules.length > 0 && !directive.rules.includes(finding.ruleId)) return false;
  const { line, endLine = line } = directive.location;
  const target = finding.location.line;
  if (directive.kind === 'disable-file') return true;
  if (directive.kind === 'disable-line') return target >= line && target <= endLine;
  return target === endLine + 1;
}

function unusedDirectiveFindings(directives: Directive[], used: Map<Directive, Set<string>>, config: ResolvedConfig, judges: (rule: string) => boolean): Finding[] {
  const setting = config.rules[unusedSuppression.id];
  if (!setting || setting.severity === 'off') return [];
  const known = new Set(ruleMetas.map((meta) => meta.id));
  const findings: Finding[] = [];
  for (const directive of directives) {
    const matched = used.get(directive);
    const idle = directive.rules.length === 0 ? (matched || !judges('') ? [] : ['']) : directive.rules.filter((rule) => judges(rule) && !matched?.has(rule));
    if (idle.length === 0) continue;
    findings.push({
      ruleId: unusedSuppression.id,
      severity: setting.severity === 'warn' ? 'warning' : 'error',
      message: describeUnused(directive, idle, known),
      location: directive.location,
      related: [],
      services: [],
      key: `arch-lint-${directive.kind} ${idle.join(',')}`,
      fingerprint: '',
    });
  }
  return findings;
}

function describeUnused(directive: Directive, idle: string[], known: Set<string>): string {
  const where =
    directive.kind === 'disable-file' ? 'in this file' : `on line ${directive.kind === 'disable-line' ? directive.location.line : (directive.location.endLine ?? directive.location.line) + 1}`;
  const unknown = idle.filter((rule) => rule !== '' && !known.has(rule));
  const named = idle.filter((rule) => rule !== '' && known.has(rule));
  const reasons = [
    ...(idle.includes('') ? [`no finding ${where} to suppress`] : []),
    ...(named.length > 0 ? [`no ${named.map((r) => `"${r}"`).join(' or ')} finding ${where}`] : []),
    ...(unknown.length > 0 ? [`${unknown.map((r) => `"${r}"`).join(', ')} ${unknown.length === 1 ? 'is not an arch-lint rule' : 'are not arch-lint rules'}`] : []),
  ];
  return `Unused arch-lint-${directive.kind} comment: ${reasons.join('; ')}. Remove it (or the rule name) so that it cannot hide a future finding.`;
}
