import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { exitCodeFor } from '../src/cli.js';
import { SCRIPT_FILE } from '../src/facts/typescript.js';
import { fixture, fixturesWithExpectations, readExpectation } from './helpers.js';

/** Every fixture's hand-checked expected findings (rule, file, line, severity), asserted exactly. */
describe.each(fixturesWithExpectations())('fixture %s', (name) => {
  it('reports exactly the expected findings, and none on the imports listed as not flagged', async () => {
    const expected = readExpectation(name);
    const result = await analyze({ root: fixture(name) });
    const actual = result.findings.map((f) => ({ rule: f.ruleId, file: f.location.file, line: f.location.line, severity: f.severity }));
    // A finding that "needs" an edge kind another extractor provides is expected once the graph has such edges.
    const kinds = new Set<string>(result.graph.edges.map((e) => e.kind));
    const wanted = expected.findings.filter((f) => !f.needs || kinds.has(f.needs)).map((f) => ({ rule: f.rule, file: f.file, line: f.line, severity: f.severity ?? 'error' }));
    const key = (f: { rule: string; file: string; line: number }) => `${f.file}:${f.line}:${f.rule}`;
    expect(actual.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(wanted.sort((a, b) => key(a).localeCompare(key(b))));
    expect(exitCodeFor(result, undefined)).toBe(expected.exitCode);

    // "Not flagged" only means something when the import was seen and resolved (or, outside code, the file was read).
    // An entry may name the one rule it is about: `file:line [rule-id] why`.
    for (const entry of expected.notFlagged) {
      const [, file, line, rule] = /^(\S+):(\d+) (?:\[([\w-]+)\] )?/.exec(entry) ?? [];
      expect(file, `notFlagged entry "${entry}" names file:line`).toBeDefined();
      if (SCRIPT_FILE.test(file)) {
        const resolved = result.graph.moduleEdges.filter((e) => e.from === file && e.reference.location.line === Number(line));
        expect(resolved.length, `${file}:${line} has a resolved import`).toBeGreaterThan(0);
      } else {
        expect(fs.existsSync(path.join(fixture(name), file)), `${file} exists`).toBe(true);
      }
      expect(actual.filter((f) => f.file === file && f.line === Number(line) && (!rule || f.rule === rule))).toEqual([]);
    }
  });
});
