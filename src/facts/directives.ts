import { ts } from 'ts-morph';
import type { Directive } from '../model.js';
import { LineIndex } from '../util/text.js';
import type { FileExtractor } from './index.js';
import { SCRIPT_FILE } from './typescript.js';

const MARKER = 'arch-lint-disable';
const YAML_FILE = /\.ya?ml$/;
/** Generated YAML nobody writes comments in (and too large to read for nothing). */
const LOCK_FILE = /(^|\/)pnpm-lock\.yaml$/;
const DOTENV_FILE = /(^|\/)\.env(\.[^/]+)?$|\.env$/;

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
  extract({ file, text }, facts) {
    if (!text.includes(MARKER)) return;
    const comments = SCRIPT_FILE.test(file) ? scriptComments(file, text) : hashComments(text);
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

interface Comment {
  /** Offsets of the whole comment, opener included. */
  start: number;
  end: number;
  /** The text after the opener (and before `*\/`). */
  body: string;
}

/** Tokens after which a `/` divides; anywhere else it starts a regular expression literal. */
const ENDS_OPERAND = new Set([
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.RegularExpressionLiteral,
  ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.ThisKeyword,
  ts.SyntaxKind.SuperKeyword,
  ts.SyntaxKind.PlusPlusToken,
  ts.SyntaxKind.MinusMinusToken,
]);

/**
 * Comments found by TypeScript's scanner, so that `//` inside strings, templates and regular
 * expressions is not mistaken for one. Without a parse the scanner needs two hints: where a `}`
 * resumes a template, and whether a `/` starts a regular expression.
 */
function scriptComments(file: string, text: string): Comment[] {
  const variant = /\.(tsx|jsx)$/.test(file) ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, variant, text);
  const comments: Comment[] = [];
  const braces: ('block' | 'template')[] = [];
  let previous = ts.SyntaxKind.Unknown;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.SingleLineCommentTrivia || token === ts.SyntaxKind.MultiLineCommentTrivia) {
      const raw = scanner.getTokenText();
      if (!raw.includes(MARKER)) continue;
      const body = token === ts.SyntaxKind.SingleLineCommentTrivia ? raw.slice(2) : raw.slice(2, raw.endsWith('*/') ? -2 : undefined).replace(/^\s*\*/gm, ' ');
      comments.push({ start: scanner.getTokenStart(), end: scanner.getTokenEnd(), body });
      continue;
    }
    if (token === ts.SyntaxKind.WhitespaceTrivia || token === ts.SyntaxKind.NewLineTrivia) continue;
    if ((token === ts.SyntaxKind.SlashToken || token === ts.SyntaxKind.SlashEqualsToken) && !ENDS_OPERAND.has(previous)) {
      token = scanner.reScanSlashToken();
    } else if (token === ts.SyntaxKind.TemplateHead || token === ts.SyntaxKind.OpenBraceToken) {
      braces.push(token === ts.SyntaxKind.TemplateHead ? 'template' : 'block');
    } else if (token === ts.SyntaxKind.CloseBraceToken && braces.pop() === 'template') {
      token = scanner.reScanTemplateToken(false);
      if (token === ts.SyntaxKind.TemplateMiddle) braces.push('template');
    }
    previous = token;
  }
  return comments;
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
