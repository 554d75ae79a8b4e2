import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as Sarif from 'sarif';
import type { Diagnostic, Finding, RelatedLocation, Severity, SourceLocation, SuppressedFinding } from '../model.js';
import { ruleMetas } from '../rules/index.js';
import type { RuleMeta } from '../rules/types.js';
import { INFORMATION_URI, ruleDocsUrl, TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { Formatter } from './types.js';

/** GitHub code scanning rejects a whole file beyond these (docs: "SARIF support for code scanning", upload limits). */
export const SARIF_LIMITS = { resultsPerRun: 25_000, locationsPerResult: 1_000, threadFlowLocationsPerResult: 10_000 };
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SOURCE_ROOT = '%SRCROOT%';
/** Our own line-independent identity of a finding, next to the `primaryLocationLineHash` GitHub computes. */
const FINGERPRINT_KEY = 'archLintFinding/v1';
const DESCRIPTION_LIMIT = 1024;

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: one run, every rule described, repo-relative URIs,
 * related locations linked from the message, code flows for paths, and our versioned fingerprint.
 * Never sets `automationDetails.id`: the upload action's `category` must stay in the user's hands.
 */
export const sarif: Formatter = (result) => {
  const rules = ruleMetas.map(ruleDescriptor);
  const ruleIndex = new Map(ruleMetas.map((meta, index) => [meta.id, index]));
  // Suppressed findings stay in the file, marked, so that code scanning closes their alerts; open ones come first.
  const open = withinResultLimit(result.findings);
  const kept: (Finding | SuppressedFinding)[] = [...open, ...result.suppressed.slice(0, SARIF_LIMITS.resultsPerRun - open.length)];
  const total = result.findings.length + result.suppressed.length;
  const notifications = result.diagnostics.map(diagnosticNotification);
  if (kept.length < total) {
    notifications.push({
      level: 'warning',
      message: { text: `Only ${kept.length} of ${total} findings are included (code scanning accepts ${SARIF_LIMITS.resultsPerRun} per run); errors come first, suppressed findings last.` },
    });
  }
  const log: Sarif.Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: TOOL_NAME, version: TOOL_VERSION, semanticVersion: TOOL_VERSION, informationUri: INFORMATION_URI, rules },
        },
        invocations: [{ executionSuccessful: true, ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}) }],
        results: kept.map((finding) => sarifResult(finding, ruleIndex.get(finding.ruleId))),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

function ruleDescriptor(meta: RuleMeta<unknown>): Sarif.ReportingDescriptor {
  const docs = ruleDocsUrl(meta.id);
  const enabled = meta.defaultSeverity !== 'off';
  const severity: Severity = meta.defaultSeverity === 'off' ? 'warning' : meta.defaultSeverity;
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: truncate(firstSentence(meta.description)) },
    fullDescription: { text: truncate(meta.description) },
    help: { text: `${meta.description}\n\nDocumentation: ${docs}`, markdown: ruleDocsMarkdown(meta.id) ?? `${meta.description}\n\n[Documentation](${docs})` },
    helpUri: docs,
    defaultConfiguration: { enabled, level: severity },
    properties: { tags: meta.tags.slice(0, 20), precision: meta.precision, 'problem.severity': severity },
  };
}

function sarifResult(finding: Finding | SuppressedFinding, ruleIndex: number | undefined): Sarif.Result {
  const related = finding.related.slice(0, SARIF_LIMITS.locationsPerResult);
  const links = related.map((r, i) => `[${escapeMessage(r.message)}](${i + 1})`);
  const dropped = finding.related.length - related.length;
  const text = [
    escapeMessage(finding.message),
    ...(links.length > 0 ? [`Related: ${links.join(', ')}${dropped > 0 ? ` and ${dropped} more` : ''}.`] : []),
  ].join(' ');
  return {
    ruleId: finding.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: finding.severity,
    message: { text },
    locations: [{ physicalLocation: physicalLocation(finding.location) }],
    ...(related.length > 0
      ? { relatedLocations: related.map((r, i) => ({ id: i + 1, physicalLocation: physicalLocation(r.location), message: { text: r.message } })) }
      : {}),
    ...(finding.flow && finding.flow.length > 0 ? { codeFlows: [codeFlow(finding.flow)] } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    ...('suppression' in finding ? { suppressions: [finding.suppression] } : {}),
    properties: { services: finding.services, ...(finding.kinds ? { kinds: finding.kinds } : {}) },
  };
}

function codeFlow(flow: RelatedLocation[]): Sarif.CodeFlow {
  const steps = flow.slice(0, SARIF_LIMITS.threadFlowLocationsPerResult);
  return {
    threadFlows: [
      { locations: steps.map((step) => ({ location: { physicalLocation: physicalLocation(step.location), message: { text: step.message } } })) },
    ],
  };
}

function physicalLocation(location: SourceLocation): Sarif.PhysicalLocation {
  const region: Sarif.Region = { startLine: location.line, startColumn: location.column };
  // Without a known end, SARIF's defaults apply (the rest of the start line) rather than an invented one.
  if (location.endLine !== undefined && location.endColumn !== undefined) {
    region.endLine = location.endLine;
    region.endColumn = location.endColumn;
  }
  return { artifactLocation: { uri: fileUri(location.file), uriBaseId: SOURCE_ROOT }, region };
}

function diagnosticNotification(diagnostic: Diagnostic): Sarif.Notification {
  return {
    level: 'warning',
    message: { text: diagnostic.message },
    descriptor: { id: diagnostic.code },
    ...(diagnostic.file
      ? { locations: [{ physicalLocation: physicalLocation({ file: diagnostic.file, line: diagnostic.line ?? 1, column: diagnostic.column ?? 1 }) }] }
      : {}),
  };
}

/** A run holds at most 25,000 results: errors are kept before warnings, the order otherwise unchanged. */
function withinResultLimit(findings: Finding[]): Finding[] {
  if (findings.length <= SARIF_LIMITS.resultsPerRun) return findings;
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity !== 'error');
  return [...errors, ...warnings].slice(0, SARIF_LIMITS.resultsPerRun);
}

/** A repo-relative path as a relative URI reference (each segment percent-encoded). */
export function fileUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/** Square brackets in SARIF message text start embedded links unless escaped. */
function escapeMessage(text: string): string {
  return text.replace(/[[\]]/g, (c) => `\\${c}`);
}

function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, c: string) => c.toUpperCase());
}

function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return end < 0 ? text : text.slice(0, end + 1);
}

function truncate(text: string): string {
  return text.length <= DESCRIPTION_LIMIT ? text : `${text.slice(0, DESCRIPTION_LIMIT - 1)}…`;
}

const docsRoot = new URL('../../docs/rules/', import.meta.url);
const docsCache = new Map<string, string | undefined>();

/** The rule's documentation page as shipped in the package, shown by code scanning as the rule's help. */
function ruleDocsMarkdown(ruleId: string): string | undefined {
  if (!docsCache.has(ruleId)) {
    let markdown: string | undefined;
    try {
      markdown = fs.readFileSync(fileURLToPath(new URL(`${ruleId}.md`, docsRoot)), 'utf8');
    } catch {
      markdown = undefined;
    }
    docsCache.set(ruleId, markdown);
  }
  return docsCache.get(ruleId);
}
