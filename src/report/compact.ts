import { escapeControlCharacters } from '../util/text.js';
import type { Formatter } from './types.js';

/**
 * One line per finding, `path:line:col: severity message [rule-id]`, paths relative to the root:
 * the shape the shipped VS Code problem matcher parses. Never coloured.
 */
export const compact: Formatter = (result) =>
  result.findings
    .map((f) => `${escapeControlCharacters(f.location.file)}:${f.location.line}:${f.location.column}: ${f.severity} ${escapeControlCharacters(oneLine(f.message))} [${f.ruleId}]\n`)
    .join('');

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
