import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleMetas } from '../src/rules/index.js';

const DOCS = path.join(import.meta.dirname, '..', 'docs', 'rules');

/** The body of a `## heading` section of a page, up to the next `## ` heading. */
function section(page: string, heading: string): string {
  const start = page.search(new RegExp(`^## ${heading}\\s*$`, 'm'));
  if (start < 0) return '';
  const rest = page.slice(start).split('\n').slice(1).join('\n');
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The rows of a markdown table by their first cell's code (`` `name` `` → name), each row's cells by column heading. */
function tableRows(markdown: string): Map<string, Record<string, string>> {
  // Cells are split on pipes that a backslash does not escape; `\|` inside a cell is a literal pipe.
  const cells = (line: string) => line.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((cell) => cell.trim().replaceAll('\\|', '|'));
  const lines = markdown.split('\n').filter((line) => line.trim().startsWith('|'));
  if (lines.length < 2) return new Map();
  const headings = cells(lines[0]);
  const rows = new Map<string, Record<string, string>>();
  for (const line of lines.slice(2)) {
    const row = Object.fromEntries(cells(line).map((cell, i) => [headings[i], cell]));
    const name = /^`(\w+)`$/.exec(row[headings[0]])?.[1];
    if (name) rows.set(name, row);
  }
  return rows;
}

interface OptionSchema {
  enum?: unknown[];
  items?: { enum?: unknown[] };
}

/** Every rule page: options as the schema declares them, and examples of what is reported and what is not. */
describe.each(ruleMetas.map((meta) => [meta.id, meta] as const))('docs/rules/%s.md', (id, meta) => {
  const page = fs.readFileSync(path.join(DOCS, `${id}.md`), 'utf8');

  it("lists exactly the options of the rule's schema in its options table", () => {
    const options = section(page, 'Options');
    const documented = [...options.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]).sort();
    const declared = Object.keys((meta.optionsSchema as { properties?: Record<string, unknown> }).properties ?? {}).sort();
    expect(documented).toEqual(declared);
    if (declared.length === 0) expect(options.trim()).toMatch(/^None\./);
  });

  it("gives each option the rule's default and names every value its schema allows", () => {
    const properties = (meta.optionsSchema as { properties?: Record<string, OptionSchema> }).properties ?? {};
    const rows = tableRows(section(page, 'Options'));
    for (const [option, schema] of Object.entries(properties)) {
      const row = rows.get(option)!;
      const defaultValue: unknown = (meta.defaultOptions as Record<string, unknown>)[option];
      const shown = Array.isArray(defaultValue) ? (defaultValue.length === 0 ? ['[]'] : defaultValue.map(String)) : [String(defaultValue)];
      // A scalar default is the whole cell; a list default names each of its members.
      if (Array.isArray(defaultValue) && defaultValue.length > 0) for (const value of shown) expect(row.default, `${option} default`).toContain(`\`${value}\``);
      else expect(row.default, `${option} default`).toBe(`\`${shown[0]}\``);
      for (const value of schema.enum ?? schema.items?.enum ?? []) expect(Object.values(row).join(' '), `${option} value ${String(value)}`).toContain(`\`${String(value)}\``);
    }
  });

  it('shows an incorrect and a correct example, each with code', () => {
    const examples = section(page, 'Examples');
    for (const heading of ['Incorrect', 'Correct']) {
      const start = examples.search(new RegExp(`^### ${heading}\\b`, 'm'));
      expect(start, `### ${heading} in ## Examples`).toBeGreaterThanOrEqual(0);
      const body = examples.slice(start).split('\n').slice(1).join('\n');
      const until = body.search(/^### /m);
      expect((until < 0 ? body : body.slice(0, until)).includes('```'), `a code block under ### ${heading}`).toBe(true);
    }
  });
});
