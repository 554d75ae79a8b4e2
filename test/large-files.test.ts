import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFacts } from '../src/facts/index.js';
import type { FileFacts } from '../src/model.js';
import { ts } from '../src/util/typescript.cjs';

/**
 * A valid minified bundle of about `size` bytes on one line: thousands of declarations in one scope, each
 * looked up by later ones, with the calls, routes, queries and topics every extractor reads.
 */
function minifiedBundle(size: number): string {
  const parts = ['import axios from "axios";import express from "express";import { Kafka } from "kafkajs";var app=express(),kafka=new Kafka({brokers:[]}).producer();'];
  let length = parts[0].length;
  for (let i = 0; length < size; i++) {
    const previous = `a${Math.max(0, i - 1)}`;
    const chunk =
      `var a${i}="http://svc${i % 7}:80/"+${previous},b${i}=process.env.URL_${i % 13}||"http://x",q${i}="SELECT id FROM t${i % 5} WHERE x = 1";` +
      `function f${i}(e,t){var n=e+"/api/"+a${i},o=\`\${b${i}}/v1/\${t}\`;return fetch(n+t,{method:"POST"}).then(function(r){return r.json()}),axios.get(o)}` +
      `const c${i}=axios.create({baseURL:b${i}});c${i}.get("/orders/"+a${i});app.get("/r${i}/:id",function(e,t){t.json(db.query(q${i}))});` +
      `kafka.send({topic:"topic-${i % 11}",messages:[]});`;
    parts.push(chunk);
    length += chunk.length;
  }
  return `${parts.join('')}\n`;
}

/** CPU time (user + system) of `work`, in milliseconds. */
async function cpuMs(work: () => unknown): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const { user, system } = process.cpuUsage(before);
  return (user + system) / 1000;
}

/** CPU time of extracting the facts of a generated bundle, and of parsing it alone (the floor). */
async function extraction(size: number): Promise<{ extractMs: number; parseMs: number }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-minified-'));
  const text = minifiedBundle(size);
  fs.writeFileSync(path.join(root, 'bundle.min.js'), text);
  let facts: FileFacts[] = [];
  const extractMs = await cpuMs(async () => (facts = await extractFacts(root, ['bundle.min.js'], 2 * 1024 * 1024)));
  expect(facts[0].imports.map((i) => i.specifier)).toEqual(['axios', 'express', 'kafkajs']);
  expect(facts[0].httpCalls?.length).toBeGreaterThan(size / 1000);
  const parseMs = await cpuMs(() => ts.createSourceFile('bundle.min.js', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS));
  return { extractMs, parseMs };
}

describe('extraction of large files', () => {
  it('takes time linear in the size of a file: a 2 MB minified bundle within a few parses of CPU', async () => {
    await extraction(10_000); // loads TypeScript
    const half = await extraction(1_000_000);
    const full = await extraction(2_000_000);
    // Twice the size, about twice the time (four times when quadratic).
    expect(full.extractMs / half.extractMs).toBeLessThan(3);
    // A bound on the work per byte, not a timing: extraction is one parse and one walk, so it stays within a
    // few parses of the same text (the quadratic scan took minutes). About 2 s on an idle machine where parsing
    // takes under 1 s; the slack is for the other test files this one runs beside (it failed at 2,007 ms once).
    expect(full.extractMs).toBeLessThan(Math.max(4000, 6 * full.parseMs));
  });
});
