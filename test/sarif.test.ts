import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Validator } from 'jsonschema';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { analyze, type AnalysisResult } from '../src/analyze.js';
import type { Finding } from '../src/model.js';
import { formatters } from '../src/report/index.js';
import { SARIF_LIMITS } from '../src/report/sarif.js';
import { ruleMetas } from '../src/rules/index.js';
import { allFixtures, expectedFindingLines, fixture, REPO_ROOT, runCli } from './helpers.js';

/** The official SARIF 2.1.0 schema, validated with `jsonschema` like GitHub's upload action does. */
const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
const validator = new Validator();

function toSarif(result: AnalysisResult): Sarif.Log {
  const text = formatters.sarif(result, { chalk: undefined as never });
  const log = JSON.parse(text) as Sarif.Log;
  const validation = validator.validate(log, schema);
  expect(validation.errors.map((e) => e.stack)).toEqual([]);
  return log;
}

/** What GitHub code scanning needs beyond the schema (see conventions.md). */
function expectCodeScanningShape(log: Sarif.Log, findings: Finding[]): void {
  expect(log.version).toBe('2.1.0');
  expect(log.runs).toHaveLength(1);
  const [run] = log.runs;
  expect(run.columnKind).toBe('utf16CodeUnits');
  expect(run.automationDetails).toBeUndefined();
  const driver = run.tool.driver;
  expect(driver).toMatchObject({ name: 'arch-lint', version: expect.any(String), semanticVersion: expect.any(String), informationUri: expect.stringMatching(/^https:/) });
  expect(driver.rules!.map((r) => r.id)).toEqual(ruleMetas.map((m) => m.id));
  for (const rule of driver.rules!) {
    expect(rule.shortDescription!.text.length).toBeLessThanOrEqual(1024);
    expect(rule.fullDescription!.text.length).toBeLessThanOrEqual(1024);
    expect(rule.help).toMatchObject({ text: expect.any(String), markdown: expect.any(String) });
    expect(rule.helpUri).toMatch(new RegExp(`/docs/rules/${rule.id}\\.md$`));
    expect(['note', 'warning', 'error']).toContain(rule.defaultConfiguration!.level);
    expect(rule.properties!.tags!.length).toBeLessThanOrEqual(20);
    expect(['very-high', 'high', 'medium', 'low']).toContain(rule.properties!.precision);
    expect(['error', 'warning', 'recommendation']).toContain(rule.properties!['problem.severity']);
    expect(rule.properties!['security-severity']).toBeUndefined();
  }
  const results = run.results!;
  expect(results.length).toBe(Math.min(findings.length, SARIF_LIMITS.resultsPerRun));
  results.forEach((result) => {
    expect(driver.rules![result.ruleIndex!].id).toBe(result.ruleId);
    const located = [result.locations![0], ...(result.relatedLocations ?? [])];
    for (const location of located) {
      const { artifactLocation, region } = location.physicalLocation!;
      expect(artifactLocation!.uriBaseId).toBe('%SRCROOT%');
      expect(artifactLocation!.uri).not.toMatch(/^(\/|file:|[a-z]:)/i);
      expect(region!.startLine).toBeGreaterThanOrEqual(1);
      expect(region!.startColumn).toBeGreaterThanOrEqual(1);
    }
    expect(result.locations![0].physicalLocation!.region).toMatchObject({ endLine: expect.any(Number), endColumn: expect.any(Number) });
    for (const related of result.relatedLocations ?? []) expect(result.message.text).toContain(`](${related.id})`);
    expect(result.relatedLocations?.length ?? 0).toBeLessThanOrEqual(SARIF_LIMITS.locationsPerResult);
    expect(result.partialFingerprints!['archLintFinding/v1']).toMatch(/^v\d+:[0-9a-f]{32}:\d+$/);
    expect(result.properties!.services).toEqual(expect.any(Array));
  });
}

describe('--format sarif', () => {
  it.each(allFixtures())('is valid SARIF 2.1.0 for code scanning on fixture %s', async (name) => {
    const result = await analyze({ root: fixture(name) });
    const log = toSarif(result);
    const reported = [...result.findings, ...result.suppressed];
    expectCodeScanningShape(log, reported);
    const fingerprints = log.runs[0].results!.map((r) => r.partialFingerprints!['archLintFinding/v1']);
    expect(fingerprints).toEqual(reported.map((f) => f.fingerprint));
  });

  it('links related locations from the message, escapes brackets, and shows flows as code flows', async () => {
    const base = await analyze({ root: fixture('shop-npm') });
    const at = (file: string, line: number) => ({ file, line, column: 1 });
    const finding: Finding = {
      ruleId: 'content-coupling',
      severity: 'warning',
      message: 'Service "a" calls [b] through c.',
      location: { file: 'apps/a b/src/x.ts', line: 3, column: 5, endLine: 3, endColumn: 9 },
      related: [
        { location: at('apps/b/src/y.ts', 7), message: 'handler in [b]' },
        { location: at('apps/c/src/z.ts', 2), message: 'handler in c' },
      ],
      flow: [
        { location: at('apps/a b/src/x.ts', 3), message: 'a calls b' },
        { location: at('apps/b/src/y.ts', 7), message: 'b calls c' },
      ],
      services: ['a', 'b', 'c'],
      fingerprint: 'v1:0123456789abcdef0123456789abcdef:0',
    };
    const log = toSarif({ ...base, findings: [finding] });
    const [result] = log.runs[0].results!;
    expect(result.message.text).toBe('Service "a" calls \\[b\\] through c. Related: [handler in \\[b\\]](1), [handler in c](2).');
    expect(result.relatedLocations!.map((r) => [r.id, r.physicalLocation!.artifactLocation!.uri])).toEqual([
      [1, 'apps/b/src/y.ts'],
      [2, 'apps/c/src/z.ts'],
    ]);
    expect(result.locations![0].physicalLocation!.artifactLocation!.uri).toBe('apps/a%20b/src/x.ts');
    expect(result.locations![0].physicalLocation!.region).toEqual({ startLine: 3, startColumn: 5, endLine: 3, endColumn: 9 });
    const steps = result.codeFlows![0].threadFlows[0].locations.map((l) => `${l.location!.physicalLocation!.region!.startLine} ${l.location!.message!.text}`);
    expect(steps).toEqual(['3 a calls b', '7 b calls c']);
    expect(result.level).toBe('warning');
    expect(result.properties!.services).toEqual(['a', 'b', 'c']);
  });

  it('gives the kind of each component a finding names, so that a frontend is told from a service', async () => {
    const log = toSarif(await analyze({ root: fixture('frontend-vite-spa') }));
    const properties = log.runs[0].results!.map((r) => [r.ruleId, r.properties!.services, r.properties!.kinds]);
    expect(properties).toEqual([
      ['content-coupling', ['web', 'api'], ['frontend', 'service']],
      ['hard-coded-service-url', ['web', 'api'], ['frontend', 'service']],
    ]);
  });

  it("stays inside GitHub's limits: 25,000 results per run (errors first), 1,000 locations per result", async () => {
    const base = await analyze({ root: fixture('shop-npm') });
    const template = base.findings.find((f) => f.ruleId === 'content-coupling')!;
    const related = Array.from({ length: 1500 }, (_, i) => ({ location: { file: `f${i}.ts`, line: 1, column: 1 }, message: `m${i}` }));
    const findings: Finding[] = Array.from({ length: SARIF_LIMITS.resultsPerRun + 5 }, (_, i) => ({
      ...template,
      severity: i < 10 ? 'warning' : 'error',
      related: i === 20 ? related : template.related,
      fingerprint: `v1:${'0'.repeat(32)}:${i}`,
    }));
    const log = JSON.parse(formatters.sarif({ ...base, findings }, { chalk: undefined as never })) as Sarif.Log;
    const results = log.runs[0].results!;
    expect(results).toHaveLength(SARIF_LIMITS.resultsPerRun);
    expect(results.filter((r) => r.level === 'warning')).toHaveLength(5);
    const big = results.find((r) => r.relatedLocations!.length > 1)!;
    expect(big.relatedLocations).toHaveLength(SARIF_LIMITS.locationsPerResult);
    expect(big.message.text).toContain('and 500 more.');
    expect(log.runs[0].invocations![0].toolExecutionNotifications!.at(-1)!.message.text).toMatch(/Only 25000 of 25005 findings/);
  });

  it('writes the same valid log from the CLI with -o, whatever arch-lint exits with', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-sarif-')), 'arch-lint.sarif');
    const run = await runCli(['--format', 'sarif', '-o', out, '--no-cache', fixture('shop-npm')]);
    expect(run.code).toBe(1);
    const log = JSON.parse(fs.readFileSync(out, 'utf8')) as Sarif.Log;
    expect(validator.validate(log, schema).errors).toEqual([]);
    // relative to the root of the git repository that holds the fixture: arch-lint's own
    expect(log.runs[0].results!.map((r) => r.locations![0].physicalLocation!.artifactLocation!.uri)).toEqual(
      expectedFindingLines('shop-npm').map((at) => `fixtures/shop-npm/${at.split(':')[0]}`),
    );
  });

  it('keeps findings hidden by inline directives (inSource, with the reason) and by the baseline (external), marked as suppressed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-sarif-suppressed-'));
    fs.cpSync(fixture('suppressions'), dir, { recursive: true, filter: (source) => path.basename(source) !== 'node_modules' });
    const sarifOf = async (...args: string[]) => {
      const log = JSON.parse((await runCli(['--no-cache', '-f', 'sarif', ...args, dir])).stdout) as Sarif.Log;
      expect(validator.validate(log, schema).errors.map((e) => e.stack)).toEqual([]);
      return log.runs[0].results!;
    };
    const suppressionsOf = (results: Sarif.Result[]) =>
      results.map((r) => `${r.locations![0].physicalLocation!.artifactLocation!.uri}:${r.locations![0].physicalLocation!.region!.startLine} ${JSON.stringify(r.suppressions ?? [])}`);

    const inline = await sarifOf();
    expect(suppressionsOf(inline.filter((r) => r.suppressions))).toEqual(
      expect.arrayContaining([
        `apps/shipping/src/index.ts:3 [{"kind":"inSource","justification":"tariffs move into @parcel/billing's entry point in BIL-112"}]`,
        'apps/shipping/src/index.ts:4 [{"kind":"inSource"}]',
      ]),
    );
    const open = inline.filter((r) => !r.suppressions);
    expect(open.length).toBeGreaterThan(0);

    await runCli(['--no-cache', '--update-baseline', dir]);
    const baselined = await sarifOf();
    expect(baselined.filter((r) => r.suppressions?.[0].kind === 'inSource')).toHaveLength(inline.length - open.length);
    expect(suppressionsOf(baselined.filter((r) => r.suppressions?.[0].kind === 'external'))).toEqual(
      suppressionsOf(open).map((line) => line.replace('[]', '[{"kind":"external","justification":"accepted in the baseline ' + path.join(dir, '.arch-lint-baseline.json') + '"}]')),
    );
  });
});
