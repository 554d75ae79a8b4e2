import type { Diagnostic, Directive } from '../model.js';
import { LineIndex } from '../util/text.js';
import type { FileExtractor } from './index.js';
import type * as ScriptComments from './script-comments.js';
import type { Comment } from './script-comments.js';
import { SCRIPT_FILE } from './typescript.js';

const MARKER = 'arch-lint-disable';
const YAML_FILE = /\.ya?ml$/;
/** Generated YAML nobody writes comments in (and too large to read for nothing). */
const LOCK_FILE = /(^|\/)pnpm-lock\.yaml$/;
const DOTENV_FILE = /(^|\/)\.env(\.[^/]+)?$|\.env$/;

let scripts: typeof ScriptComments | undefined;

/**
 * `arch-lint-disable-next-line rule-a, rule-b -- reason` (also `-line`, `-file`), in the comment text
 * after the comment opener. No rules means every rule.
 */
const DIRECTIVE = /^\s*arch-lint-disable-(next-line|line|file)(?=\s|$)([^]*)$/;

/**
 * Inline suppressions: `// arch-lint-disable-next-line …` (or in a block comment) in scripts,
 * `# arch-lint-disable-next-line …` in YAML and .env files. Plain facts; the suppression stage applies them.
 */
export const directiveExtractor: FileExtractor = {
  name: 'directives',
  matches: (file) => SCRIPT_FILE.test(file) || (YAML_FILE.test(file) && !LOCK_FILE.test(file)) || DOTENV_FILE.test(file),
  // Comments in scripts need TypeScript's scanner, imported when a script is first extracted.
  prepare: async (file) => {
    if (SCRIPT_FILE.test(file)) scripts ??= await import('./script-comments.js');
  },
  extract({ file, text }, facts) {
    if (!text.includes(MARKER)) return;
    const comments = SCRIPT_FILE.test(file) ? scripts!.scriptComments(file, text, MARKER) : hashComments(text);
    const lines = new LineIndex(text);
    for (const comment of comments) {
      const directive = parseDirective(comment.body);
      if (!directive) continue;
      const start = lines.position(comment.start);
      const end = lines.position(comment.end);
      facts.directives.push({
        ...directive,
        location: { file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column },
      });
    }
  },
};

/**
 * A directive written in a file that directives are not read from (a `.prisma` schema, SQL): a
 * diagnostic at its first occurrence, so that nobody believes it suppresses anything.
 */
export function unreadDirective(file: string, text: string): Diagnostic | undefined {
  const at = text.indexOf(MARKER);
  if (at < 0) return undefined;
  const { line, column } = new LineIndex(text).position(at);
  return {
    file,
    line,
    column,
    code: 'directive-not-read',
    message: `${MARKER} comments are read in TypeScript/JavaScript, YAML and .env files only; in this file it suppresses nothing`,
  };
}

/** `#` comments on their own line or after a value (YAML and .env alike). */
function hashComments(text: string): Comment[] {
  const comments: Comment[] = [];
  const pattern = /(^|[ \t])#([^\r\n]*)/gm;
  for (const match of text.matchAll(pattern)) {
    if (!match[2].includes(MARKER)) continue;
    const start = match.index + match[1].length;
    comments.push({ start, end: start + 1 + match[2].length, body: match[2] });
  }
  return comments;
}

export function parseDirective(body: string): Omit<Directive, 'location'> | undefined {
  const match = DIRECTIVE.exec(body);
  if (!match) return undefined;
  const kind = `disable-${match[1]}` as Directive['kind'];
  const [list, ...reason] = match[2].split(/\s-{2,}(?:\s|$)/);
  const rules = list
    .split(/[\s,]+/)
    .filter((rule) => rule !== '')
    .sort();
  const why = reason.join(' -- ').trim();
  return { kind, rules: [...new Set(rules)], ...(why ? { reason: why } : {}) };
}
