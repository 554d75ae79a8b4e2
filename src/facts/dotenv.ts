import type { EnvAssignment } from '../model.js';
import { LineIndex } from '../util/text.js';
import type { FileExtractor } from './index.js';

/** `.env`, `.env.local`, `.env.example`, `billing.env`, …; not scripts such as `env.ts`. */
export const DOTENV_FILE = /(^|\/)(\.env(\.[\w-]+)*|[\w.-]+\.env)$/;

const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][\w.-]*)[ \t]*=[ \t]*/gm;

/**
 * Dotenv syntax as the `dotenv` package reads it: `KEY=value`, `export KEY=value`, comments, single,
 * double and backtick quotes (double quotes may span lines and know `\n`), ` #` comments after bare
 * values. `${VAR}` references are kept; the graph expands them.
 */
export function parseDotenv(file: string, text: string): EnvAssignment[] {
  const lines = new LineIndex(text);
  const assignments: EnvAssignment[] = [];
  ASSIGNMENT.lastIndex = 0;
  for (let match = ASSIGNMENT.exec(text); match; match = ASSIGNMENT.exec(text)) {
    const start = match.index + match[0].length;
    const { value, end } = readValue(text, start);
    const nameStart = match.index + match[0].indexOf(match[1]);
    assignments.push({ name: match[1], value, location: lines.span(file, nameStart, nameStart + match[1].length) });
    ASSIGNMENT.lastIndex = Math.max(end, start);
  }
  return assignments;
}

function readValue(text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  if (quote === '"' || quote === "'" || quote === '`') {
    const close = text.indexOf(quote, start + 1);
    if (close >= 0) {
      const raw = text.slice(start + 1, close);
      return { value: quote === '"' ? raw.replace(/\\n/g, '\n').replace(/\\r/g, '\r') : raw, end: close + 1 };
    }
  }
  const lineEnd = text.indexOf('\n', start);
  const raw = text.slice(start, lineEnd < 0 ? text.length : lineEnd);
  return { value: raw.replace(/\s+#.*$/, '').trim(), end: lineEnd < 0 ? text.length : lineEnd };
}

export const dotenvExtractor: FileExtractor = {
  name: 'dotenv',
  matches: (file) => DOTENV_FILE.test(file),
  extract: ({ file, text }, facts) => {
    facts.dotenv = parseDotenv(file, text);
  },
};
