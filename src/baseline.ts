import fs from 'node:fs';
import { UsageError } from './config/types.js';
import type { Finding } from './model.js';
import { compareStrings } from './util/text.js';
import { writeUserFile } from './util/user-file.js';

/** Read from the analysed root when present; `--baseline <file>` names another. */
export const DEFAULT_BASELINE_FILE = '.arch-lint-baseline.json';
const BASELINE_FORMAT = 'arch-lint-baseline';
const BASELINE_VERSION = 1;

/** One accepted finding. Only the fingerprint matches; the rest is there for the reviewer of the file. */
export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  file: string;
  services: string[];
  message: string;
}

export interface BaselineOutcome {
  /** Findings the baseline does not list: the new ones. */
  findings: Finding[];
  /** The findings the baseline accepted. */
  accepted: Finding[];
  /** Entries whose finding is gone (fixed): they should leave the baseline. */
  stale: BaselineEntry[];
}

/** The entries of a baseline file; a file that is not a baseline is a usage error (it is reviewed, committed configuration). */
export function readBaseline(file: string): BaselineEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: cannot read the baseline: ${(error as Error).message}`);
  }
  const baseline = parsed as { format?: unknown; version?: unknown; findings?: unknown } | null;
  if (baseline?.format !== BASELINE_FORMAT || baseline.version !== BASELINE_VERSION || !Array.isArray(baseline.findings)) {
    throw new UsageError(`${file}: not an arch-lint baseline (version ${BASELINE_VERSION}); recreate it with --update-baseline`);
  }
  const entries = baseline.findings as Partial<BaselineEntry>[];
  const bad = entries.findIndex((entry) => typeof entry?.fingerprint !== 'string');
  if (bad >= 0) throw new UsageError(`${file}: findings[${bad}] has no fingerprint`);
  return entries as BaselineEntry[];
}

/** Writes the entries sorted by file, rule and fingerprint, one per finding, so that reviews read the diff; `shown` names the file in an error. */
export function writeBaseline(file: string, entries: BaselineEntry[], shown = file): void {
  const sorted = [...entries].sort(
    (a, b) => compareStrings(a.file, b.file) || compareStrings(a.ruleId, b.ruleId) || compareStrings(a.fingerprint, b.fingerprint),
  );
  const content = { format: BASELINE_FORMAT, version: BASELINE_VERSION, findings: sorted };
  writeUserFile(file, `${JSON.stringify(content, null, 2)}\n`, shown);
}

export function baselineEntry(finding: Finding): BaselineEntry {
  return { fingerprint: finding.fingerprint, ruleId: finding.ruleId, file: finding.location.file, services: finding.services, message: finding.message };
}

/** Keeps the findings the baseline does not list, and names the entries nothing matched any more. */
export function applyBaseline(findings: Finding[], entries: BaselineEntry[]): BaselineOutcome {
  const listed = new Set(entries.map((entry) => entry.fingerprint));
  const current = new Set(findings.map((finding) => finding.fingerprint));
  const fresh = findings.filter((finding) => !listed.has(finding.fingerprint));
  return {
    findings: fresh,
    accepted: findings.filter((finding) => listed.has(finding.fingerprint)),
    stale: entries.filter((entry) => !current.has(entry.fingerprint)),
  };
}
