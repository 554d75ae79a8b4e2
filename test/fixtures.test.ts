import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { exitCodeFor } from '../src/cli.js';
import { fixture, fixturesWithExpectations, readExpectation } from './helpers.js';

/** Every fixture's hand-checked expected findings (rule, file, line, severity), asserted exactly. */
describe.each(fixturesWithExpectations())('fixture %s', (name) => {
  it('reports exactly the expected findings, and none on the imports listed as not flagged', async () => {
    const expected = readExpectation(name);
    const result = await analyze({ root: fixture(name) });
    const actual = result.findings.map((f) => ({ rule: f.ruleId, file: f.location.file, line: f.location.line, severity: f.severity }));
    const wanted = expected.findings.map((f) => ({ rule: f.rule, file: f.file, line: f.line, severity: f.severity ?? 'error' }));
    const key = (f: { rule: string; file: string; line: number }) => `${f.file}:${f.line}:${f.rule}`;
    expect(actual.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(wanted.sort((a, b) => key(a).localeCompare(key(b))));
    expect(exitCodeFor(result, undefined)).toBe(expected.exitCode);
    for (const wantedFinding of expected.findings.filter((f) => f.services)) {
      const found = result.findings.find((f) => key({ rule: f.ruleId, file: f.location.file, line: f.location.line }) === key(wantedFinding));
      expect([...(found?.services ?? [])].sort(), `services of ${key(wantedFinding)}`).toEqual([...wantedFinding.services!].sort());
    }
    // Discovery: each listed folder is a component of that kind ("absent": no component at all).
    for (const [dir, kind] of Object.entries(expected.components ?? {})) {
      expect(result.graph.components.find((c) => c.dir === dir)?.kind ?? 'absent', `component ${dir}`).toBe(kind);
    }
    if (expected.diagnosticCodes) expect(result.diagnostics.map((d) => `${d.file}: ${d.code}`)).toEqual(expected.diagnosticCodes);

    // Entries that name `file:line` (optionally `[rule-id]`) are checked: no finding there beyond the expected
    // ones, the file exists, and an import on that line resolved. Other entries are prose.
    for (const entry of expected.notFlagged ?? []) {
      const [, file, line, rule] = /^(\S+):(\d+) (?:\[([\w-]+)\] )?/.exec(entry) ?? [];
      if (!file) continue;
      expect(fs.existsSync(path.join(fixture(name), file)), `${entry}: ${file} exists`).toBe(true);
      const at = (f: { rule: string; file: string; line: number }) => f.file === file && f.line === Number(line) && (!rule || f.rule === rule);
      expect(actual.filter(at).map(key), entry).toEqual(wanted.filter(at).map(key));
      const unresolved = result.graph.unresolved.filter((u) => u.file === file && u.reference.location.line === Number(line));
      expect(unresolved, `${entry}: the import there resolves`).toEqual([]);
    }
  });
});
