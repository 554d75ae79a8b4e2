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
