#!/usr/bin/env node
// Writes the tree of <commit> in the bare repository <git-dir> to <dest>, like
// `git archive <commit> | tar -x`, but skips blobs the clone lacks (partial or
// filtered clones keep large files out) instead of stopping at the first one.
// Usage: node scripts/corpus/extract-tree.mjs <git-dir> <commit> <dest>
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [gitDir, commit, dest] = process.argv.slice(2);
if (!gitDir || !commit || !dest) {
  console.error('usage: extract-tree.mjs <git-dir> <commit> <dest>');
  process.exit(2);
}

const listing = execFileSync('git', ['-C', gitDir, 'ls-tree', '-r', '-z', commit], { maxBuffer: 1 << 30 }).toString('utf8');
const entries = listing.split('\0').filter(Boolean).map((line) => {
  const [meta, path] = line.split('\t');
  const [mode, type, oid] = meta.split(' ');
  return { mode, type, oid, path };
}).filter((e) => e.type === 'blob');

const batch = spawn('git', ['-C', gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'inherit'] });
let buffer = Buffer.alloc(0);
let index = 0;
let missing = 0;
const waiters = [];
batch.stdout.on('data', (chunk) => { buffer = Buffer.concat([buffer, chunk]); drain(); });

function drain() {
  while (index < entries.length) {
    const newline = buffer.indexOf(10);
    if (newline < 0) return;
    const header = buffer.subarray(0, newline).toString('utf8');
    const entry = entries[index];
    if (header.endsWith(' missing')) {
      missing++;
      buffer = buffer.subarray(newline + 1);
      index++;
      continue;
    }
    const size = Number(header.split(' ')[2]);
    if (buffer.length < newline + 1 + size + 1) return;
    const content = buffer.subarray(newline + 1, newline + 1 + size);
    buffer = buffer.subarray(newline + 1 + size + 1);
    const target = join(dest, entry.path);
    mkdirSync(dirname(target), { recursive: true });
    if (entry.mode === '120000') {
      try { symlinkSync(content.toString('utf8'), target); } catch { /* already there */ }
    } else {
      writeFileSync(target, content, { mode: entry.mode === '100755' ? 0o755 : 0o644 });
    }
    index++;
  }
  if (index >= entries.length) waiters.forEach((resolve) => resolve());
}

const done = new Promise((resolve) => waiters.push(resolve));
for (const entry of entries) batch.stdin.write(`${entry.oid}\n`);
batch.stdin.end();
if (entries.length === 0) waiters.forEach((resolve) => resolve());
await done;
batch.kill();
console.log(`${dest}: ${entries.length - missing} files written, ${missing} absent from the clone`);
