#!/usr/bin/env node
/**
 * `npm run corpus`: arch-lint on the labelled public repositories of corpus/ (trees in
 * corpus/trees/<name>, gitignored), scored against their labels. Prints per repository what was
 * found, missed, forbidden and unlabelled, then recall and precision per rule; writes
 * corpus/results.json and the tables of docs/accuracy.md.
 *
 *   npm run corpus -- [name ...] [--diff] [--no-write]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { readLabelFiles } from './corpus/labels.mjs';
import { diffResults, findingKey, precisionLine, scoreRepository, tallyRules } from './corpus/match.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpusDir = path.join(repo, 'corpus');
const treesDir = path.join(corpusDir, 'trees');
const resultsFile = path.join(corpusDir, 'results.json');
const docsFile = path.join(repo, 'docs', 'accuracy.md');
const cli = path.join(repo, 'bin', 'arch-lint.js');
const TABLES_START = '<!-- corpus:results:start -->';
const TABLES_END = '<!-- corpus:results:end -->';
/** A run longer than this is stopped and reported: one repository must not hold up the rest. */
const RUN_TIMEOUT_MS = 15 * 60 * 1000;

function parseArguments(argv) {
  const flags = new Set(argv.filter((argument) => argument.startsWith('--')));
  const unknown = [...flags].filter((flag) => !['--diff', '--no-write'].includes(flag));
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(', ')}; usage: corpus.mjs [name ...] [--diff] [--no-write]`);
  return { names: argv.filter((argument) => !argument.startsWith('--')), diff: flags.has('--diff'), write: !flags.has('--no-write') };
}

/** Runs the built CLI in the tree's folder, so that every path it prints is relative to the tree's root. */
function runArchLint(tree, args) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [cli, ...args, '.'], { cwd: tree, encoding: 'utf8', maxBuffer: 1 << 30, timeout: RUN_TIMEOUT_MS, env: { ...process.env, NO_COLOR: '1' } });
  const seconds = (performance.now() - started) / 1000;
  if (run.error) throw new Error(`arch-lint ${args.join(' ')}: ${run.error.message}`);
  if (run.status === 2 || run.status === null) throw new Error(`arch-lint ${args.join(' ')} exited ${run.status ?? run.signal}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return { status: run.status, json: JSON.parse(run.stdout), seconds };
}

function committedResults() {
  try {
    return JSON.parse(execFileSync('git', ['-C', repo, 'show', 'HEAD:corpus/results.json'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    return fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : { repositories: {} };
  }
}

function archLintCommit() {
  try {
    const commit = execFileSync('git', ['-C', repo, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', repo, 'status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${commit} (src modified)` : commit;
  } catch {
    return 'unknown';
  }
}

const percent = (ratio) => (ratio === null ? '–' : `${Math.round(ratio * 100)} %`);
const oneLine = (text) => text.replace(/\s+/g, ' ').trim();

/** Runs and scores one repository; returns what results.json keeps of it. */
function measure(name, labels) {
  const tree = path.join(treesDir, name);
  const lint = runArchLint(tree, ['lint', '-f', 'json', '--no-cache']);
  const listing = runArchLint(tree, ['services', '-f', 'json', '--no-cache']).json;
  const components = listing.components;
  const score = scoreRepository(labels, lint.json, components);
  const services = components.filter((c) => c.kind !== 'library' && c.kind !== 'contract');
  return {
    repo: labels.repo,
    commit: labels.commit,
    seconds: Math.round(lint.seconds * 10) / 10,
    exitCode: lint.status,
    components: components.length,
    services: services.map((c) => `${c.dir} (${c.kind})`),
    deployables: score.deployables,
    diagnostics: lint.json.diagnostics.map((d) => `${d.file}${d.line ? `:${d.line}` : ''}: ${oneLine(d.message)} (${d.code})`),
    expected: score.expected.map(({ label, found }) => ({ rule: label.rule ?? '(any)', why: oneLine(label.why), found })),
    findings: score.findings
      .map(({ finding, verdict, label }) => ({
        key: findingKey(finding),
        rule: finding.ruleId,
        verdict,
        label: label === undefined ? undefined : oneLine(labels[verdict][label].why),
        message: oneLine(finding.message),
      }))
      .sort((a, b) => a.key.localeCompare(b.key)),
  };
}

function printRepository(name, result) {
  const counts = Object.fromEntries(['expect', 'debatable', 'forbid', 'unlabelled'].map((v) => [v, result.findings.filter((f) => f.verdict === v).length]));
  const found = result.expected.filter((e) => e.found).length;
  const deployablesFound = result.deployables.filter((d) => d.found).length;
  console.log(`\n== ${name} (${result.repo} @ ${result.commit.slice(0, 10)}): ${result.seconds} s, exit ${result.exitCode}`);
  console.log(`   components ${result.components}, services ${result.services.length}: ${result.services.join(', ') || '(none)'}`);
  const sameKind = result.deployables.filter((d) => d.sameKind).length;
  console.log(`   deployables labelled ${result.deployables.length}, found as deployables ${deployablesFound}, of the labelled kind ${sameKind}`);
  for (const d of result.deployables.filter((d) => !d.found)) console.log(`     not a deployable: ${d.dir} (labelled ${d.kind}, found ${d.foundAs})`);
  for (const d of result.deployables.filter((d) => d.found && !d.sameKind)) console.log(`     another kind:     ${d.dir} (labelled ${d.kind}, found ${d.foundAs})`);
  console.log(`   certain found ${found}/${result.expected.length}; forbidden hits ${counts.forbid}; findings ${result.findings.length} (expect ${counts.expect}, debatable ${counts.debatable}, forbid ${counts.forbid}, unlabelled ${counts.unlabelled})`);
  console.log(`   diagnostics ${result.diagnostics.length}`);
  for (const line of result.diagnostics.slice(0, 5)) console.log(`     ${line}`);
  for (const e of result.expected.filter((e) => !e.found)) console.log(`   missed     ${e.rule}: ${e.why}`);
  for (const f of result.findings.filter((f) => f.verdict === 'forbid')) console.log(`   FORBIDDEN  ${f.key}: ${f.message} — label: ${f.label}`);
  for (const f of result.findings.filter((f) => f.verdict === 'unlabelled')) console.log(`   unlabelled ${f.key}: ${f.message}`);
}

function ruleTable(rules) {
  const lines = [
    '| rule | findings | right (expect + debatable) | wrong (forbid) | unlabelled | precision | certain labels | found | recall |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rules) {
    lines.push(`| ${r.rule} | ${r.findings} | ${r.expect + r.debatable} | ${r.forbid} | ${r.unlabelled} | ${percent(r.precision)} | ${r.expected} | ${r.found} | ${percent(r.recall)} |`);
  }
  return lines.join('\n');
}

/** `14/15 (12)`: labelled deployables found as deployables, of all labelled, and (in brackets) those found as the kind labelled. */
function deployablesFound(result) {
  return `${result.deployables.filter((d) => d.found).length}/${result.deployables.length} (${result.deployables.filter((d) => d.sameKind).length})`;
}

function repositoryTable(repositories) {
  const lines = [
    '| repository | shapes | components | services | deployables found (of their kind) | certain found | forbidden hits | findings (right / wrong / unlabelled) | diagnostics | time |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
  ];
  for (const [name, r] of Object.entries(repositories)) {
    const count = (verdict) => r.findings.filter((f) => f.verdict === verdict).length;
    const right = count('expect') + count('debatable');
    lines.push(
      `| ${name} | ${r.shapes.join(', ')} | ${r.components} | ${r.services.length} | ${deployablesFound(r)} | ` +
        `${r.expected.filter((e) => e.found).length}/${r.expected.length} | ${count('forbid')} | ${r.findings.length} (${right} / ${count('forbid')} / ${count('unlabelled')}) | ${r.diagnostics.length} | ${r.seconds} s |`,
    );
  }
  const all = Object.values(repositories);
  const sum = (count) => all.reduce((total, r) => total + count(r), 0);
  const verdicts = (verdict) => sum((r) => r.findings.filter((f) => f.verdict === verdict).length);
  lines.push(
    `| **all ${all.length}** | | ${sum((r) => r.components)} | ${sum((r) => r.services.length)} | ` +
      `${sum((r) => r.deployables.filter((d) => d.found).length)}/${sum((r) => r.deployables.length)} (${sum((r) => r.deployables.filter((d) => d.sameKind).length)}) | ` +
      `${sum((r) => r.expected.filter((e) => e.found).length)}/${sum((r) => r.expected.length)} | ${verdicts('forbid')} | ` +
      `${sum((r) => r.findings.length)} (${verdicts('expect') + verdicts('debatable')} / ${verdicts('forbid')} / ${verdicts('unlabelled')}) | ` +
      `${sum((r) => r.diagnostics.length)} | ${Math.round(sum((r) => r.seconds) * 10) / 10} s |`,
  );
  lines.push('', `Repositories where no component was found: ${all.filter((r) => r.components === 0).length}.`);
  return lines.join('\n');
}

function writeDocs(results) {
  const block = [
    TABLES_START,
    `Taken on ${results.date} with arch-lint ${results.archLint}, on ${Object.keys(results.repositories).length} repositories.`,
    '',
    '### Per rule',
    '',
    ruleTable(results.rules),
    '',
    '### Per repository',
    '',
    repositoryTable(results.repositories),
    TABLES_END,
  ].join('\n');
  const existing = fs.existsSync(docsFile) ? fs.readFileSync(docsFile, 'utf8') : `# Accuracy\n\n${TABLES_START}\n${TABLES_END}\n`;
  const start = existing.indexOf(TABLES_START);
  const end = existing.indexOf(TABLES_END);
  if (start < 0 || end < start) throw new Error(`${docsFile}: the markers ${TABLES_START} … ${TABLES_END} are missing`);
  fs.writeFileSync(docsFile, existing.slice(0, start) + block + existing.slice(end + TABLES_END.length));
}

const PRECISION_HEADING = '## Precision on real repositories';

/** Each rule page's measured-precision line (precisionLine), under its own heading at the end of the page. */
function writeRulePages(results) {
  const rulesDir = path.join(repo, 'docs', 'rules');
  for (const page of fs.readdirSync(rulesDir).filter((f) => f.endsWith('.md'))) {
    const file = path.join(rulesDir, page);
    const text = fs.readFileSync(file, 'utf8');
    const line = precisionLine(page.slice(0, -'.md'.length), results);
    const at = text.indexOf(PRECISION_HEADING);
    const kept = at < 0 ? text.trimEnd() : text.slice(0, at).trimEnd();
    fs.writeFileSync(file, `${kept}\n\n${PRECISION_HEADING}\n\n${line}\n`);
  }
}

function main() {
  const options = parseArguments(process.argv.slice(2));
  if (!fs.existsSync(path.join(repo, 'dist', 'cli.js'))) throw new Error('run `npm run build` first: the corpus runs the built CLI');
  const all = readLabelFiles(corpusDir);
  const unknown = options.names.filter((name) => !all.some((entry) => entry.name === name));
  if (unknown.length > 0) throw new Error(`no label file corpus/${unknown[0]}.yaml`);
  const chosen = all.filter((entry) => options.names.length === 0 || options.names.includes(entry.name));
  const before = committedResults();
  const results = { date: new Date().toISOString().slice(0, 10), archLint: archLintCommit(), repositories: {} };
  for (const { name, labels } of chosen) {
    if (!fs.existsSync(path.join(treesDir, name))) {
      console.log(`\n== ${name}: no tree at corpus/trees/${name} (corpus/README.md says how to bring it); skipped`);
      continue;
    }
    let result;
    try {
      result = measure(name, labels);
    } catch (error) {
      console.log(`\n== ${name}: ${error.message}`);
      continue;
    }
    results.repositories[name] = { ...result, shapes: labels.shapes ?? [] };
    printRepository(name, result);
  }
  const measured = Object.values(results.repositories);
  console.log(`\n== per rule over the ${measured.length} repositories measured\n`);
  console.log(ruleTable(tallyRules(measured)));
  const deployables = measured.flatMap((r) => r.deployables);
  console.log(`\n== deployables: ${deployables.filter((d) => d.found).length}/${deployables.length} found as deployables, ${deployables.filter((d) => d.sameKind).length} of them as the kind labelled`);

  if (options.diff) {
    const after = { repositories: { ...before.repositories, ...results.repositories } };
    const changes = diffResults(before, after);
    console.log(`\n== findings gained and lost against the committed corpus/results.json (${before.archLint ?? 'none'})`);
    if (changes.length === 0) console.log('   no change');
    for (const { name, gained, lost } of changes) {
      console.log(`   ${name}: +${gained.length} -${lost.length}`);
      for (const f of gained) console.log(`     + ${f.key} (${f.verdict}): ${f.message}`);
      for (const f of lost) console.log(`     - ${f.key} (${f.verdict}): ${f.message}`);
    }
  }

  if (options.write) {
    const merged = { ...results, repositories: { ...(options.names.length > 0 ? before.repositories : {}), ...results.repositories } };
    merged.repositories = Object.fromEntries(Object.entries(merged.repositories).sort(([a], [b]) => a.localeCompare(b)));
    merged.rules = tallyRules(Object.values(merged.repositories));
    fs.writeFileSync(resultsFile, `${JSON.stringify(merged, null, 2)}\n`);
    if (options.names.length === 0) {
      writeDocs(merged);
      writeRulePages(merged);
    }
    console.log(`\nwrote corpus/results.json${options.names.length === 0 ? ', the tables of docs/accuracy.md and the precision of each rule page' : ''}`);
  }
}

try {
  main();
} catch (error) {
  console.error(`corpus: ${error.message}`);
  process.exit(2);
}
