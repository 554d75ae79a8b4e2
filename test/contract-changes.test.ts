import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Validator } from 'jsonschema';
import { describe, expect, it } from 'vitest';
import { lintRepository } from '../src/analyze.js';
import type { ContractChange } from '../src/model.js';
import { CLI_RUNS_TIMEOUT, FIXTURES, git, REPO_ROOT, runCli } from './helpers.js';

const CASES = path.join(FIXTURES, 'contract-changes');

interface ContractCase {
  description: string;
  /** The folder (under fixtures/contract-changes) holding the base tree. */
  base: string;
  exitCode: number;
  findings: { rule: string; file: string; line: number; severity: string; related?: string[] }[];
}

function contractCases(): string[] {
  return fs
    .readdirSync(CASES)
    .filter((name) => fs.existsSync(path.join(CASES, name, 'expected.json')))
    .sort();
}

function readCase(name: string): ContractCase {
  return JSON.parse(fs.readFileSync(path.join(CASES, name, 'expected.json'), 'utf8')) as ContractCase;
}

/**
 * A git repository of a case (its trees in `folder` below the repository's top): its base tree committed on `main`, then its head tree (the files it changes, adds
 * or, listed in `removed.txt`, deletes) committed on a branch, as a pull request has it.
 */
function contractRepository(name: string, folder = ''): string {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), `arch-lint-contract-${name}-`));
  const dir = path.join(top, folder);
  fs.cpSync(path.join(CASES, readCase(name).base), dir, { recursive: true });
  git(top, 'init', '-q');
  git(top, 'add', '-A');
  git(top, 'commit', '-q', '-m', 'base');
  git(top, 'checkout', '-q', '-b', 'change');
  const head = path.join(CASES, name, 'head');
  if (fs.existsSync(head)) fs.cpSync(head, dir, { recursive: true });
  const removed = path.join(CASES, name, 'removed.txt');
  if (fs.existsSync(removed)) for (const file of fs.readFileSync(removed, 'utf8').split('\n').filter(Boolean)) fs.rmSync(path.join(dir, file));
  git(top, 'add', '-A');
  git(top, 'commit', '-q', '--allow-empty', '-m', 'change');
  return top;
}

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  location: { file: string; line: number };
  related: { location: { file: string; line: number }; message: string }[];
}

describe('breaking-contract-change on a base and a head tree', () => {
  it.each(contractCases())(
    'case %s',
    async (name) => {
      const expected = readCase(name);
      const dir = contractRepository(name);
      const run = await runCli(['--changed', 'main', '-f', 'json', '--no-cache'], { cwd: dir });
      expect(run.stderr).toBe('');
      const report = JSON.parse(run.stdout) as { findings: JsonFinding[] };
      const found = report.findings.map((f) => ({
        rule: f.ruleId,
        file: f.location.file,
        line: f.location.line,
        severity: f.severity,
        ...(f.ruleId === 'breaking-contract-change' ? { related: f.related.map((r) => `${r.location.file}:${r.location.line}`) } : {}),
      }));
      expect(found).toEqual(expected.findings.map(({ rule, file, line, severity, related }) => ({ rule, file, line, severity, ...(related ? { related } : {}) })));
      expect(run.code).toBe(expected.exitCode);
    },
    CLI_RUNS_TIMEOUT,
  );

  it(
    'judges a directive naming breaking-contract-change only in a run with a base: used when it hides a change, unused when none is there',
    async () => {
      const dir = contractRepository('suppressed-change');
      const unusedAt = (stdout: string) =>
        (JSON.parse(stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.ruleId === 'unused-suppression').map((f) => `${f.location.file}:${f.location.line}`);
      // Without a base the contract stage does not run: nothing says whether the directive is needed.
      const plain = await runCli(['-f', 'json', '--no-cache'], { cwd: dir });
      expect(unusedAt(plain.stdout)).toEqual([]);
      // A later edit of the same file that changes no contract: against it, the directive hides nothing.
      const schema = path.join(dir, 'services/orders/api/schemas/order.yaml');
      fs.writeFileSync(schema, fs.readFileSync(schema, 'utf8').replace('Amount due, taxes included', 'Amount due, all taxes included'));
      git(dir, 'commit', '-q', '-am', 'description');
      const described = await runCli(['--changed', 'HEAD~1', '-f', 'json', '--no-cache'], { cwd: dir });
      expect(unusedAt(described.stdout)).toEqual(['services/orders/api/schemas/order.yaml:4']);
    },
    CLI_RUNS_TIMEOUT,
  );
});

/** The official SARIF 2.1.0 schema, as test/sarif.test.ts validates with it. */
const sarifSchema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));

describe('a run with a base', () => {
  it(
    'lists every change with its classification and consumers in arch-lint contracts -f json, exit 1 for a broken consumer',
    async () => {
      const dir = contractRepository('renamed-property');
      const run = await runCli(['contracts', '--base', 'main', '-f', 'json', '--no-cache'], { cwd: dir });
      expect([run.code, run.stderr]).toEqual([1, '']);
      const listed = JSON.parse(run.stdout) as { base: string; changes: (ContractChange & { consumers: { service: string; location: { file: string; line: number }; state: string; detail: string }[] })[] };
      expect(listed.base).toBe('main');
      const summary = listed.changes.map((c) => ({
        change: c.change,
        breaking: c.breaking,
        operation: `${c.operation!.method} ${c.operation!.path}`,
        property: c.property,
        at: `${c.location.file}:${c.location.line}`,
        consumers: c.consumers.map((k) => `${k.service} ${k.state} ${k.location.file}:${k.location.line} ${k.detail}`),
      }));
      expect(summary).toEqual([
        { change: 'removed-response-property', breaking: true, operation: 'GET /orders/{id}', property: 'total', at: 'services/orders/api/schemas/order.yaml:4', consumers: ['@shop/web affected services/web/src/orders.ts:6 reads "total"'] },
        { change: 'removed-response-property', breaking: true, operation: 'POST /orders', property: 'total', at: 'services/orders/api/schemas/order.yaml:4', consumers: [] },
        { change: 'added-response-property', breaking: false, operation: 'GET /orders/{id}', property: 'amountDue', at: 'services/orders/api/schemas/order.yaml:10', consumers: [] },
        { change: 'added-response-property', breaking: false, operation: 'POST /orders', property: 'amountDue', at: 'services/orders/api/schemas/order.yaml:10', consumers: [] },
      ]);
      const text = await runCli(['contracts', '--base', 'main', '--no-cache'], { cwd: dir });
      expect(text.stdout).toContain('breaking  services/orders/api/schemas/order.yaml:4  GET /orders/{id}: response property "total" was removed (openapi of @shop/orders)\n  affected services/web/src/orders.ts:6  @shop/web reads "total"\n');
      expect(text.stdout).toMatch(/4 contract changes against main: 2 breaking \(1 with consumers not updated\), 2 expansions\.\n$/);
      const clean = await runCli(['contracts', '--base', 'HEAD', '--no-cache'], { cwd: dir });
      expect([clean.code, clean.stdout]).toEqual([0, 'No contract changes against HEAD.\n']);
    },
    CLI_RUNS_TIMEOUT,
  );

  it(
    'compares uncommitted contract changes with HEAD under --changed without a ref',
    async () => {
      const dir = contractRepository('removed-read-property');
      git(dir, 'reset', '-q', '--soft', 'HEAD~1'); // the change, staged and not committed, on top of the base
      const run = await runCli(['--changed', '-f', 'compact', '--no-cache'], { cwd: dir });
      expect(run.stdout).toContain('[breaking-contract-change]');
      expect([run.code, run.stderr]).toEqual([1, '']);
      git(dir, 'commit', '-q', '-m', 'change');
      const committed = await runCli(['--changed', '-f', 'compact', '--no-cache'], { cwd: dir });
      expect([committed.code, committed.stdout]).toEqual([0, '']);
    },
    CLI_RUNS_TIMEOUT,
  );

  it(
    'compares contracts from the view a reused result kept: the same report as a run that builds the graph',
    async () => {
      const dir = contractRepository('removed-read-property');
      const args = ['--changed', 'main', '-f', 'json'];
      const full = await runCli([...args, '--no-cache'], { cwd: dir });
      const plain = await runCli(['-f', 'json'], { cwd: dir }); // stores the result (and the view) in the cache
      expect(JSON.parse(plain.stdout).findings).toEqual([]);
      const reused = await runCli(args, { cwd: dir });
      const again = await runCli(args, { cwd: dir });
      expect(JSON.parse(full.stdout).findings).toHaveLength(1);
      expect(reused.stdout).toBe(full.stdout);
      expect(again.stdout).toBe(full.stdout);
      expect([reused.code, again.code]).toEqual([1, 1]);
      // In one process (the CLI's cache is salted with its own build), the reuse shows.
      expect((await lintRepository({ root: dir, cache: true })).findings).toEqual([]);
      const inProcess = await lintRepository({ root: dir, cache: true, base: 'main' });
      expect(inProcess.reused).toBe(true);
      expect(inProcess.findings.map((f) => `${f.ruleId} ${f.severity} ${f.location.file}:${f.location.line} ${f.related.map((r) => r.location.line).join(',')}`)).toEqual([
        'breaking-contract-change error services/orders/api/schemas/order.yaml:4 6',
      ]);
    },
    CLI_RUNS_TIMEOUT,
  );

  it(
    'loads only the TypeScript contract packages the diff touches into the type checker',
    async () => {
      const touched = await runCli(['contracts', '--base', 'main', '-f', 'json', '--no-cache'], { cwd: contractRepository('ts-contract-change') });
      const listed = JSON.parse(touched.stdout) as { typeCheckedPackages: string[]; changes: ContractChange[] };
      expect(listed.typeCheckedPackages).toEqual(['@shop/orders-contracts']);
      expect(listed.changes.map((c) => `${c.change} ${c.exportName}.${c.member} ${c.breaking}`)).toEqual(['removed-property Order.total true']);
      const internal = await runCli(['contracts', '--base', 'main', '-f', 'json', '--no-cache'], { cwd: contractRepository('ts-internal-change') });
      expect(JSON.parse(internal.stdout)).toEqual({ base: 'main', typeCheckedPackages: [], changes: [] });
      // A publisher's own payload type: the publishing service is loaded (its publishing module and the changed file it imports), nothing else.
      const renamed = await runCli(['contracts', '--base', 'main', '-f', 'json', '--no-cache'], { cwd: contractRepository('published-type-renamed-field') });
      const payloads = JSON.parse(renamed.stdout) as { typeCheckedPackages: string[]; changes: (ContractChange & { consumers: { service: string; location: { file: string; line: number }; detail: string }[] })[] };
      expect(payloads.typeCheckedPackages).toEqual(['@shop/orders']);
      expect(payloads.changes.map((c) => `${c.contract} ${c.change} ${c.breaking} ${c.topic} ${c.property}: ${c.description} <- ${c.consumers.map((k) => `${k.location.file}:${k.location.line} ${k.detail}`).join(', ')}`)).toEqual([
        'event removed-property true order.placed placedAt: payload of "order.placed": `OrderPlaced.placedAt` was removed (at services/orders/src/events.ts:6 in main) <- services/shipping/src/placed.controller.ts:7 reads "placedAt" of "order.placed" (nestjs)',
        'event property-now-required false order.placed placedOn: payload of "order.placed": `OrderPlaced.placedOn` was added and is required <- ',
      ]);
      const unpublished = await runCli(['contracts', '--base', 'main', '-f', 'json', '--no-cache'], { cwd: contractRepository('publisher-internal-type') });
      expect(JSON.parse(unpublished.stdout)).toEqual({ base: 'main', typeCheckedPackages: ['@shop/orders'], changes: [] });
    },
    CLI_RUNS_TIMEOUT,
  );

  it(
    'asks git for the changed files once in a --changed run with a base: the filter and the contract stage share them',
    async () => {
      const dir = contractRepository('ts-contract-change');
      const trace = path.join(dir, '..', `${path.basename(dir)}-git-trace.log`);
      const run = await runCli(['--changed', 'main', '-f', 'json', '--no-cache'], { cwd: dir, env: { GIT_TRACE: trace } });
      expect([run.code, run.stderr]).toEqual([1, '']);
      const commands = fs.readFileSync(trace, 'utf8').split('\n').filter((line) => line.includes('trace: built-in: git '));
      expect(commands.filter((line) => /built-in: git diff /.test(line))).toHaveLength(1);
      expect(commands.filter((line) => /built-in: git ls-files --others /.test(line))).toHaveLength(1);
    },
    CLI_RUNS_TIMEOUT,
  );

  it(
    'carries the consumers as SARIF related locations, valid against the SARIF 2.1.0 schema, with paths from the git root',
    async () => {
      const top = contractRepository('removed-read-property', 'platform');
      const run = await runCli(['platform', '--changed', 'main', '-f', 'sarif', '--no-cache'], { cwd: top });
      expect([run.code, run.stderr]).toEqual([1, '']);
      const log = JSON.parse(run.stdout);
      expect(new Validator().validate(log, sarifSchema).errors.map((e) => e.stack)).toEqual([]);
      const result = log.runs[0].results.find((r: { level: string }) => r.level === 'error');
      expect(result.ruleId).toBe('breaking-contract-change');
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('platform/services/orders/api/schemas/order.yaml');
      expect(result.relatedLocations.map((r: { id: number; physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }) => [r.id, r.physicalLocation.artifactLocation.uri, r.physicalLocation.region.startLine])).toEqual([
        [1, 'platform/services/web/src/orders.ts', 6],
      ]);
      expect(result.message.text).toContain('[@shop/web reads "total"](1)');
      // Read from git objects: nothing checked out, the branch and the working tree as they were.
      expect(git(top, 'status', '--porcelain')).toBe('');
      expect(git(top, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('change');
    },
    CLI_RUNS_TIMEOUT,
  );

  it(
    'names a library no service owns as a library, its consumers as those moving to its new version, and no endpoint to version',
    async () => {
      const run = await runCli(['--changed', 'main', '-f', 'json', '--no-cache'], { cwd: contractRepository('library-export-removed') });
      const [finding] = (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
      expect(finding.message).toBe(
        'Breaking change to the contract of library "@shop/money", which no service owns: export `formatPrice` was removed (at packages/money/src/index.ts:1 in main); ' +
          '2 consumers in "@shop/billing", "@shop/web" are written against the base contract, so "@shop/billing", "@shop/web" would have to move to its new version in the same change. ' +
          'Expand then contract: add the new export or member beside the old one, move the consumers, and remove the old one in a later change.',
      );
    },
    CLI_RUNS_TIMEOUT,
  );

  it(
    'exits 2 saying how to fetch the base when the clone lacks it (shallow) or there is no git at all',
    async () => {
      const dir = contractRepository('removed-read-property');
      const shallow = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-contract-shallow-'));
      git(shallow, 'clone', '-q', '--depth', '1', '--branch', 'change', `file://${dir}`, 'clone');
      const clone = path.join(shallow, 'clone');
      for (const args of [['--changed', 'main'], ['--changed', 'origin/main'], ['contracts', '--base', 'origin/main']]) {
        const run = await runCli([...args, '--no-cache'], { cwd: clone });
        expect(run.code).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(/shallow checkout.*`fetch-depth: 0`.*`git fetch origin main --depth=1`/);
      }
      // Once fetched, it runs; the clone's history does not meet main's, so main itself is the base.
      git(clone, 'fetch', '-q', 'origin', 'main:refs/remotes/origin/main', '--depth=1');
      const fetched = await runCli(['--changed', 'origin/main', '-f', 'compact', '--no-cache'], { cwd: clone });
      expect(fetched.code).toBe(1);
      expect(fetched.stdout).toContain('services/orders/api/schemas/order.yaml:4:3: error Breaking change');
      const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-contract-nogit-'));
      fs.cpSync(path.join(CASES, 'shop-base'), plain, { recursive: true });
      const outside = await runCli(['contracts', '--base', 'main', '--no-cache'], { cwd: plain });
      expect(outside.code).toBe(2);
      expect(outside.stderr).toMatch(/is not in a git repository .*`fetch-depth: 0`/);
    },
    CLI_RUNS_TIMEOUT,
  );

  it(
    'reports a base version that is not a readable API document as a diagnostic, and compares the rest',
    async () => {
      const dir = contractRepository('removed-read-property');
      const spec = path.join(dir, 'services/orders/api/openapi.yaml');
      const valid = fs.readFileSync(spec, 'utf8');
      git(dir, 'checkout', '-q', '-b', 'broken-base', 'main');
      fs.writeFileSync(spec, 'openapi: 3.0.3\npaths: {\n  /orders: [\n');
      git(dir, 'commit', '-qam', 'broken');
      git(dir, 'checkout', '-q', '-b', 'repaired');
      fs.writeFileSync(spec, valid);
      git(dir, 'commit', '-qam', 'repaired');
      const run = await runCli(['--changed', 'broken-base', '-f', 'compact', '--no-cache'], { cwd: dir });
      expect(run.stderr).toContain('services/orders/api/openapi.yaml: its base version (broken-base) cannot be read as an API document');
      expect(run.stderr).toContain('(contract-base-invalid)');
      expect(run.code).toBe(0); // every operation is new against a base that has none
    },
    CLI_RUNS_TIMEOUT,
  );
});
