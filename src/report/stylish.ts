import type { ChalkInstance } from 'chalk';
import { escapeControlCharacters } from '../util/text.js';
import { ruleDocsUrl } from '../version.js';
import { countBySeverity, type Formatter } from './types.js';

/** The rule id as a terminal hyperlink (OSC 8) to its page when colours are on; terminals without links show the id. */
function ruleLink(ruleId: string, chalk: ChalkInstance): string {
  return chalk.level > 0 ? `\u001b]8;;${ruleDocsUrl(ruleId)}\u0007${chalk.dim(ruleId)}\u001b]8;;\u0007` : ruleId;
}

/** Findings grouped by file, a summary line and the pages of the rules that fired: the default, for people. */
export const stylish: Formatter = (result, { chalk }) => {
  const byFile = new Map<string, typeof result.findings>();
  for (const finding of result.findings) {
    const list = byFile.get(finding.location.file) ?? [];
    list.push(finding);
    byFile.set(finding.location.file, list);
  }
  const lines: string[] = [];
  for (const [file, findings] of byFile) {
    lines.push(chalk.underline(escapeControlCharacters(file)));
    const positions = findings.map((f) => `${f.location.line}:${f.location.column}`);
    const width = Math.max(...positions.map((p) => p.length));
    findings.forEach((f, i) => {
      const severity = f.severity === 'error' ? chalk.red('error  ') : chalk.yellow('warning');
      lines.push(`  ${chalk.dim(positions[i].padEnd(width))}  ${severity}  ${escapeControlCharacters(f.message)}  ${ruleLink(f.ruleId, chalk)}`);
      for (const related of f.related) {
        lines.push(`  ${' '.repeat(width)}           ${chalk.dim(escapeControlCharacters(`↳ ${related.location.file}:${related.location.line}:${related.location.column} ${related.message}`))}`);
      }
    });
    lines.push('');
  }
  const { errors, warnings } = countBySeverity(result);
  const total = errors + warnings;
  if (total === 0) {
    lines.push(chalk.green(`✔ no problems (${result.componentCount} components, ${result.fileCount} files)`));
  } else {
    const summary = `✖ ${total} problem${total === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})`;
    lines.push(errors > 0 ? chalk.red.bold(summary) : chalk.yellow.bold(summary));
    lines.push('', 'Rule pages:');
    for (const ruleId of [...new Set(result.findings.map((f) => f.ruleId))].sort()) lines.push(`  ${ruleId}  ${chalk.dim(ruleDocsUrl(ruleId))}`);
  }
  return `${lines.join('\n')}\n`;
};
