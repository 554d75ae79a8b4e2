import { ts } from '../util/typescript.cjs';

export interface Comment {
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
export function scriptComments(file: string, text: string, marker: string): Comment[] {
  const variant = /\.(tsx|jsx)$/.test(file) ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, variant, text);
  const comments: Comment[] = [];
  const braces: ('block' | 'template')[] = [];
  let previous = ts.SyntaxKind.Unknown;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.SingleLineCommentTrivia || token === ts.SyntaxKind.MultiLineCommentTrivia) {
      const raw = scanner.getTokenText();
      if (!raw.includes(marker)) continue;
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
