import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIN_FINDINGS_MEASURED, precisionLevel, precisionLine } from '../scripts/corpus/match.mjs';
import { ruleMetas } from '../src/rules/index.js';
import { REPO_ROOT } from './helpers.js';

/** The last corpus run, as committed: the precision each rule states must be the one measured there. */
const results = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'corpus', 'results.json'), 'utf8')) as {
  date: string;
  repositories: Record<string, unknown>;
  rules: { rule: string; findings: number; precision: number | null }[];
};

describe('rule precision as measured on the corpus', () => {
  it.each(ruleMetas.map((meta) => [meta.id, meta] as const))('%s states the measured precision level in its metadata and on its page', (id, meta) => {
    const tally = results.rules.find((r) => r.rule === id);
    if (tally && tally.findings >= MIN_FINDINGS_MEASURED) expect(meta.precision).toBe(precisionLevel(tally.precision!));
    const page = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'rules', `${id}.md`), 'utf8');
    expect(page).toContain(`## Precision on real repositories\n\n${precisionLine(id, results)}\n`);
  });

  it('maps shares of right findings to SARIF precision levels', () => {
    expect([1, 0.95, 0.9, 0.85, 0.7, 0.6, 0.59, 0].map(precisionLevel)).toEqual(['very-high', 'very-high', 'high', 'high', 'medium', 'medium', 'low', 'low']);
  });
});
