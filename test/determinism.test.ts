import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatters } from '../src/report/index.js';
import { fixture, runCli } from './helpers.js';

/** Every file below `dir`, relative, in the order a depth-first walk lists them. */
function listFiles(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((entry) => {
    const child = path.join(rel, entry.name);
    if (entry.name === 'node_modules') return []; // the facts cache of earlier runs on the fixture
    return entry.isDirectory() ? listFiles(dir, child) : [child];
  });
}

/** Copies a tree creating its files (and so its folders) in the given order. */
function copyInOrder(from: string, to: string, files: string[]): void {
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    fs.copyFileSync(path.join(from, file), path.join(to, file));
  }
}

/** The same tree twice: at different absolute paths (one with a space and non-ASCII), files created in opposite orders. */
function twoCopies(name: string): [string, string] {
  const files = listFiles(fixture(name)).filter((file) => file !== 'expected.json');
  const first = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-order-')), 'repo');
  const second = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-ördnung ')), 'another name');
  copyInOrder(fixture(name), first, [...files].sort());
  copyInOrder(fixture(name), second, [...files].sort().reverse());
  return [first, second];
}

const formats = Object.keys(formatters);

/** fixtures/hostile, for its findings and its many diagnostics (they are part of every report). */
describe('deterministic output', () => {
  const [first, second] = twoCopies('hostile');

  it.each(formats)('gives byte-identical %s reports whatever the path and the file-system order', async (format) => {
    const [a, b] = await Promise.all([runCli(['-f', format, first]), runCli(['-f', format, second])]);
    expect(a.code).toBe(1);
    expect(b.code).toBe(1);
    expect(a.stdout.length).toBeGreaterThan(0);
    expect(b.stdout).toBe(a.stdout);
    expect(b.stderr).toBe(a.stderr);
    expect(a.stdout).not.toContain(first);
  });

  it.each(['text', 'json'])('gives byte-identical `services --format %s` listings', async (format) => {
    const [a, b] = await Promise.all([runCli(['services', '-f', format, first]), runCli(['services', '-f', format, second])]);
    expect(a.code).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(0);
    expect(b.stdout).toBe(a.stdout);
    expect(b.stderr).toBe(a.stderr);
  });
});
