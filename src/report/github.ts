import type { Finding } from '../model.js';
import { escapeControlCharacters } from '../util/text.js';
import { countBySeverity, type Formatter } from './types.js';

/** GitHub shows this many error and this many warning annotations per step; the rest only in the log. */
export const ANNOTATIONS_SHOWN_PER_STEP = 10;

/**
 * GitHub Actions workflow commands, one annotation per finding:
 * `::error file=F,line=L,col=C,endLine=…,endColumn=…,title=T::message`, escaped as @actions/core does
 * (after control characters in repository text are made visible, so none can drive the log).
 */
export const github: Formatter = (result) => {
  const lines = result.findings.map(annotation);
  const { errors, warnings } = countBySeverity(result);
  if (errors > ANNOTATIONS_SHOWN_PER_STEP || warnings > ANNOTATIONS_SHOWN_PER_STEP) {
    lines.push(
      `arch-lint: ${errors} error${errors === 1 ? '' : 's'} and ${warnings} warning${warnings === 1 ? '' : 's'}; ` +
        `GitHub shows only the first ${ANNOTATIONS_SHOWN_PER_STEP} of each per step: every finding is listed above in this log, ` +
        'and uploading `--format sarif` to code scanning shows them all.',
    );
  }
  return lines.map((line) => `${line}\n`).join('');
};

function annotation(finding: Finding): string {
  const { file, line, column, endLine, endColumn } = finding.location;
  const properties: [string, string | number | undefined][] = [
    ['file', file],
    ['line', line],
    ['col', column],
    ['endLine', endLine],
    ['endColumn', endColumn],
    ['title', `arch-lint ${finding.ruleId}`],
  ];
  const related = finding.related.map((r) => `\n↳ ${r.location.file}:${r.location.line}:${r.location.column} ${r.message}`);
  const shown = properties.filter(([, value]) => value !== undefined).map(([key, value]) => `${key}=${escapeProperty(String(value))}`);
  return `::${finding.severity} ${shown.join(',')}::${escapeData(visibleLines(finding.message + related.join('')))}`;
}

/** Control characters from repository text made visible; line breaks kept (annotations may span lines). */
function visibleLines(text: string): string {
  return text.split('\n').map(escapeControlCharacters).join('\n');
}

/** @actions/core `escapeData`: the message of a workflow command. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** @actions/core `escapeProperty`: a property value, where `:` and `,` are separators. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
