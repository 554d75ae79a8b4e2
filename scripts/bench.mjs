#!/usr/bin/env node
/**
 * `npm run bench`: arch-lint against the parse floor, dependency-cruiser and madge on generated
 * monorepos (scripts/generate-monorepo.mjs). On each tree, in one run, the tools alternate round by
 * round; every tool runs as a child process, and the table shows medians of wall time and peak RSS.
 * It checks that arch-lint reports exactly the planted violations and writes docs/benchmarks.md.
 * With --tree, it measures a real repository instead (a corpus tree): arch-lint cold and warm against
 * the parse floor on that tree, written to a block of its own in docs/benchmarks.md. Generated trees hide
 * costs real ones have (YAML, large files, many packages).
 *
 *   npm run bench -- [--sizes 1000,10000,30000] [--runs 3] [--tools floor,cold,warm,touched,depcruise,madge] [--no-write]
 *   npm run bench -- --tree corpus/trees/medusa [--runs 3] [--tools floor,cold,warm] [--no-write]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { generateMonorepo } from './generate-monorepo.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchOut = path.join(repo, 'bench-out');
const docsFile = path.join(repo, 'docs', 'benchmarks.md');
const TIME = '/usr/bin/time';
const RESULTS_START = '<!-- bench:results:start -->';
const RESULTS_END = '<!-- bench:results:end -->';
/** The file the "one file changed" runs edit: a module inside a service, far from the planted ones. */
const TOUCHED_FILE = 'services/svc-01/src/modules/mod-00/file-04.ts';
const ALL_TOOLS = ['floor', 'cold', 'warm', 'touched', 'depcruise', 'madge'];
/** What runs on any tree: the others need the generated layout (its touched file, its services/ and libs/). */
const TREE_TOOLS = ['floor', 'cold', 'warm'];

function parseArguments(argv) {
  const value = (name, fallback) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 && argv[index + 1] !== undefined ? argv[index + 1] : fallback;
  };
  const sizes = value('sizes', '1000,10000,30000').split(',').map(Number);
  const runs = Number(value('runs', '3'));
  const tree = value('tree', undefined);
  const known = tree ? TREE_TOOLS : ALL_TOOLS;
  const tools = value('tools', known.join(',')).split(',');
  const unknown = tools.filter((t) => !known.includes(t));
  const missingTree = tree !== undefined && !fs.existsSync(path.resolve(tree));
  if (sizes.some((s) => !Number.isInteger(s) || s < 100) || !Number.isInteger(runs) || runs < 1 || unknown.length > 0 || missingTree) {
    throw new Error(
      `usage: bench.mjs [--sizes 1000,10000] [--runs 3] [--tools ${ALL_TOOLS.join(',')}] [--no-write]\n` +
        `       bench.mjs --tree <dir> [--runs 3] [--tools ${TREE_TOOLS.join(',')}] [--no-write]`,
    );
  }
  return { sizes, runs, tools, tree: tree && path.resolve(tree), write: !argv.includes('--no-write') };
}

function packageVersion(name) {
  return JSON.parse(fs.readFileSync(path.join(repo, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** What the built arch-lint supports: the facts cache lands separately, so warm runs need its flags. */
function archLintCacheFlags() {
  const help = spawnSync(process.execPath, [path.join(repo, 'bin', 'arch-lint.js'), 'lint', '--help'], { encoding: 'utf8' }).stdout;
  return { noCache: help.includes('--no-cache'), cacheLocation: help.includes('--cache-location') };
}

/** The command line of every tool on one tree. */
function commands(tree, size, flags) {
  const archLint = path.join(repo, 'bin', 'arch-lint.js');
  const report = path.join(benchOut, `arch-lint-${size}.json`);
  const cache = flags.cacheLocation ? ['--cache-location', path.join(benchOut, `cache-${size}`)] : [];
  const lint = [archLint, 'lint', tree, '--format', 'json', '-o', report];
  return {
    report,
    floor: { args: [path.join(repo, 'scripts', 'parse-floor.mjs'), tree], cwd: repo, exitCodes: [0] },
    cold: { args: [...lint, ...(flags.noCache ? ['--no-cache'] : [])], cwd: repo, exitCodes: [0, 1] },
    warm: { args: [...lint, ...cache], cwd: repo, exitCodes: [0, 1] },
    touched: { args: [...lint, ...cache], cwd: repo, exitCodes: [0, 1], before: () => touch(path.join(tree, TOUCHED_FILE)) },
    depcruise: {
      args: [
        path.join(repo, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
        '--no-config',
        '--ts-pre-compilation-deps',
        '--ts-config',
        'tsconfig.json',
        '-T',
        'json',
        '-f',
        path.join(benchOut, `depcruise-${size}.json`),
        'services',
        'libs',
      ],
      cwd: tree,
      exitCodes: [0],
    },
    madge: {
      args: [path.join(repo, 'node_modules', 'madge', 'bin', 'cli.js'), '--json', '--no-spinner', '--ts-config', 'tsconfig.json', '--extensions', 'ts,tsx', 'services', 'libs'],
      cwd: tree,
      exitCodes: [0],
      stdout: path.join(benchOut, `madge-${size}.json`),
    },
  };
}

/** Alternates the last line of a file between two contents, so each touched run sees one changed file. */
function touch(file) {
  const text = fs.readFileSync(file, 'utf8');
  const marker = '// touched by the benchmark\n';
  fs.writeFileSync(file, text.endsWith(marker) ? text.slice(0, -marker.length) : text + marker);
}

/** Runs one command as a child process: wall time in seconds and peak RSS in MB (from /usr/bin/time). */
function measure(command) {
  command.before?.();
  const rssFile = path.join(benchOut, 'peak-rss.txt');
  const useTime = fs.existsSync(TIME);
  const argv = useTime ? [TIME, '-f', '%M', '-o', rssFile, process.execPath, ...command.args] : [process.execPath, ...command.args];
  const stdout = command.stdout ? fs.openSync(command.stdout, 'w') : 'ignore';
  const started = performance.now();
  const child = spawnSync(argv[0], argv.slice(1), { cwd: command.cwd, stdio: ['ignore', stdout, 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  if (typeof stdout === 'number') fs.closeSync(stdout);
  if (!command.exitCodes.includes(child.status)) {
    throw new Error(`${command.args.join(' ')} exited with ${child.status}: ${String(child.stderr).slice(0, 2000)}`);
  }
  const rssMb = useTime ? Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : NaN;
  return { seconds, rssMb };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** arch-lint must report exactly the planted findings (rule, file, line): nothing missed, nothing extra. */
function checkFindings(reportFile, planted) {
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  const key = (f) => `${f.rule}\t${f.file}:${f.line}`;
  const expected = new Set(planted.map(key));
  const found = new Set(report.findings.map((f) => key({ rule: f.ruleId, file: f.location.file, line: f.location.line })));
  const missed = [...expected].filter((k) => !found.has(k));
  const extra = [...found].filter((k) => !expected.has(k));
  return { ok: missed.length === 0 && extra.length === 0 && found.size === report.findings.length, missed, extra, files: report.summary.files, findings: report.findings.length };
}

function benchTree(size, options, flags) {
  const tree = path.join(benchOut, `mono-${size}`);
  const generated = generateMonorepo({ targetFiles: size, outDir: tree });
  console.log(`\n${size}: ${generated.fileCount} files, ${generated.services} services, ${generated.libraries} libraries, ${generated.planted.length} planted findings`);
  const cmd = commands(tree, size, flags);
  fs.rmSync(path.join(benchOut, `cache-${size}`), { recursive: true, force: true });

  measure(cmd.cold);
  const check = checkFindings(cmd.report, generated.planted);
  console.log(`  findings: ${check.ok ? 'exactly the planted ones' : 'MISMATCH'} (${check.findings} reported, ${generated.planted.length} planted)`);
  for (const k of check.missed.slice(0, 10)) console.log(`    missed: ${k}`);
  for (const k of check.extra.slice(0, 10)) console.log(`    extra:  ${k}`);
  const results = sampleTools(cmd, options);
  touchBack(path.join(tree, TOUCHED_FILE));
  return { size, files: generated.fileCount, services: generated.services, libraries: generated.libraries, planted: generated.planted.length, check, results };
}

/** Runs the tools round by round, alternating their order, after filling the cache for warm runs: the median of each. */
function sampleTools(cmd, options) {
  if (options.tools.includes('warm') || options.tools.includes('touched')) measure(cmd.warm); // fills the cache
  const samples = Object.fromEntries(options.tools.map((t) => [t, []]));
  for (let run = 0; run < options.runs; run++) {
    const order = options.tools.map((_, i) => options.tools[(i + run) % options.tools.length]);
    for (const tool of order) {
      const sample = measure(cmd[tool]);
      samples[tool].push(sample);
      console.log(`  run ${run + 1} ${tool.padEnd(9)} ${sample.seconds.toFixed(2).padStart(7)} s ${sample.rssMb.toFixed(0).padStart(6)} MB`);
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([tool, list]) => [tool, { seconds: median(list.map((s) => s.seconds)), rssMb: median(list.map((s) => s.rssMb)), runs: list.length }]),
  );
}

/** A real tree, as it is: no planted findings to check, so the findings are only counted. */
function benchRealTree(tree, options, flags) {
  const name = path.basename(tree);
  const cmd = commands(tree, `tree-${name}`, flags);
  fs.rmSync(path.join(benchOut, `cache-tree-${name}`), { recursive: true, force: true });
  measure(cmd.cold);
  const report = JSON.parse(fs.readFileSync(cmd.report, 'utf8'));
  console.log(`\n${name}: ${report.summary.files} files analysed, ${report.findings.length} findings`);
  return { name, files: report.summary.files, findings: report.findings.length, results: sampleTools(cmd, options) };
}

function touchBack(file) {
  if (fs.readFileSync(file, 'utf8').endsWith('// touched by the benchmark\n')) touch(file);
}

const ratio = (a, b) => (a && b ? a / b : NaN);
const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

/** The targets of issue 7, judged on the 10k tree (or the largest one measured). */
function targets(trees) {
  const base = trees.find((t) => t.size === 10000) ?? trees[trees.length - 1];
  const r = base.results;
  const list = [
    ['cold ≤ 1.5 × parse floor', ratio(r.cold?.seconds, r.floor?.seconds), 1.5],
    ['cold ≤ 0.25 × dependency-cruiser', ratio(r.cold?.seconds, r.depcruise?.seconds), 0.25],
    ['warm ≤ 0.2 × cold', ratio(r.warm?.seconds, r.cold?.seconds), 0.2],
    ['one file changed ≤ 0.3 × cold', ratio(r.touched?.seconds, r.cold?.seconds), 0.3],
    ['peak RSS (cold) ≤ 2 × parse floor', ratio(r.cold?.rssMb, r.floor?.rssMb), 2],
  ];
  const big = trees.find((t) => t.size === 30000);
  if (big && base.size === 10000) list.push(['30k cold ≤ 3.3 × 10k cold', ratio(big.results.cold?.seconds, r.cold?.seconds), 3.3]);
  return { size: base.size, list: list.map(([name, value, limit]) => ({ name, value, limit, met: Number.isFinite(value) ? value <= limit : undefined })) };
}

const TOOL_NAMES = {
  floor: 'parse floor',
  cold: 'arch-lint cold (no cache)',
  warm: 'arch-lint warm (nothing changed)',
  touched: 'arch-lint, one file changed',
  depcruise: 'dependency-cruiser (tsPreCompilationDeps)',
  madge: 'madge --json',
};

function machineLines(meta) {
  return [
    `Machine: ${meta.cpus} × ${meta.cpuModel}, ${meta.memoryGb} GB memory, Node ${meta.node}, ${meta.platform}. ` +
      `Load averages (1/5/15 min) at start ${meta.loadStart}, at end ${meta.loadEnd}.`,
    '',
  ];
}

function markdown(trees, meta, options) {
  const lines = [];
  lines.push(`Measured ${meta.date} on commit ${meta.commit} by \`npm run bench -- --sizes ${options.sizes.join(',')} --runs ${options.runs}\`.`, '');
  lines.push(
    ...machineLines(meta),
    `Versions: arch-lint ${meta.versions.archLint}, TypeScript ${meta.versions.typescript}, dependency-cruiser ${meta.versions.depcruise}, madge ${meta.versions.madge}. ` +
      `arch-lint cache flags: ${meta.cacheFlags.noCache ? '`--no-cache`' : 'none (no facts cache yet: warm and one-file runs are cold runs)'}.`,
    '',
  );
  for (const t of trees) {
    const r = t.results;
    lines.push(`### ${t.files} files (${t.services} services, ${t.libraries} libraries)`, '');
    lines.push(`Findings check: ${t.check.ok ? `arch-lint reported exactly the ${t.planted} planted violations` : `MISMATCH: ${t.check.findings} reported, ${t.planted} planted`}.`, '');
    lines.push('| tool | wall (median s) | peak RSS (median MB) | runs |', '| --- | ---: | ---: | ---: |');
    for (const tool of options.tools) lines.push(`| ${TOOL_NAMES[tool]} | ${fmt(r[tool].seconds)} | ${fmt(r[tool].rssMb, 0)} | ${r[tool].runs} |`);
    lines.push('', '| ratio | wall | peak RSS |', '| --- | ---: | ---: |');
    for (const [name, a, b] of [
      ['cold / floor', 'cold', 'floor'],
      ['cold / dependency-cruiser', 'cold', 'depcruise'],
      ['cold / madge', 'cold', 'madge'],
      ['warm / cold', 'warm', 'cold'],
      ['one file changed / cold', 'touched', 'cold'],
    ]) {
      if (r[a] && r[b]) lines.push(`| ${name} | ${fmt(ratio(r[a].seconds, r[b].seconds))} | ${fmt(ratio(r[a].rssMb, r[b].rssMb))} |`);
    }
    lines.push('');
  }
  const verdict = targets(trees);
  lines.push(`### Targets (${verdict.size}-file tree)`, '', '| target | measured | met |', '| --- | ---: | --- |');
  for (const t of verdict.list) lines.push(`| ${t.name} | ${fmt(t.value)} | ${t.met === undefined ? 'not measured' : t.met ? 'yes' : 'no'} |`);
  lines.push('');
  return lines.join('\n');
}

/** The section of one real tree: its wall times and memory against the parse floor. */
function treeMarkdown(tree, meta, options) {
  const r = tree.results;
  const lines = [`### ${tree.name} (a real tree: ${tree.files} files analysed, ${tree.findings} findings)`, ''];
  lines.push(`Measured ${meta.date} on commit ${meta.commit} by \`npm run bench -- --tree ${path.relative(repo, options.tree) || '.'} --runs ${options.runs}\`.`, '');
  lines.push(...machineLines(meta));
  lines.push('| tool | wall (median s) | peak RSS (median MB) | runs |', '| --- | ---: | ---: | ---: |');
  for (const tool of options.tools) lines.push(`| ${TOOL_NAMES[tool]} | ${fmt(r[tool].seconds)} | ${fmt(r[tool].rssMb, 0)} | ${r[tool].runs} |`);
  lines.push('', '| ratio | wall | peak RSS |', '| --- | ---: | ---: |');
  for (const [name, a, b] of [
    ['cold / floor', 'cold', 'floor'],
    ['warm / cold', 'warm', 'cold'],
  ]) {
    if (r[a] && r[b]) lines.push(`| ${name} | ${fmt(ratio(r[a].seconds, r[b].seconds))} | ${fmt(ratio(r[a].rssMb, r[b].rssMb))} |`);
  }
  lines.push('');
  return lines.join('\n');
}

/** Replaces the block between two markers in docs/benchmarks.md, or appends it. */
function writeDocs(results, start = RESULTS_START, end = RESULTS_END) {
  const block = `${start}\n${results}\n${end}`;
  const existing = fs.existsSync(docsFile) ? fs.readFileSync(docsFile, 'utf8') : `# Benchmarks\n\n${RESULTS_START}\n${RESULTS_END}\n`;
  const from = existing.indexOf(start);
  const to = existing.indexOf(end);
  const next = from >= 0 && to > from ? existing.slice(0, from) + block + existing.slice(to + end.length) : `${existing.trimEnd()}\n\n${block}\n`;
  fs.mkdirSync(path.dirname(docsFile), { recursive: true });
  fs.writeFileSync(docsFile, next);
}

function main() {
  const options = parseArguments(process.argv.slice(2));
  if (!fs.existsSync(path.join(repo, 'dist', 'cli.js'))) throw new Error('build arch-lint first: npm run build');
  fs.mkdirSync(benchOut, { recursive: true });
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ');
  const flags = archLintCacheFlags();
  const meta = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).stdout.trim() || 'unknown',
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.versions.node,
    platform: `${os.type()} ${os.release()}`,
    loadStart: load(),
    cacheFlags: flags,
    versions: {
      archLint: JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).version,
      typescript: ts.version,
      depcruise: packageVersion('dependency-cruiser'),
      madge: packageVersion('madge'),
    },
  };
  if (options.tree) {
    const tree = benchRealTree(options.tree, options, flags);
    meta.loadEnd = load();
    const results = treeMarkdown(tree, meta, options);
    console.log(`\n${results}`);
    if (options.write) {
      writeDocs(results, `<!-- bench:tree:${tree.name}:start -->`, `<!-- bench:tree:${tree.name}:end -->`);
      console.log(`written to ${path.relative(repo, docsFile)}`);
    }
    return 0;
  }
  const trees = options.sizes.map((size) => benchTree(size, options, flags));
  meta.loadEnd = load();
  const results = markdown(trees, meta, options);
  console.log(`\n${results}`);
  if (options.write) {
    writeDocs(results);
    console.log(`written to ${path.relative(repo, docsFile)}`);
  }
  return trees.every((t) => t.check.ok) ? 0 : 1;
}

process.exitCode = main();
