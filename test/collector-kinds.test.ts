import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyFacts } from '../src/facts/index.js';
import { SCRIPT_FILE } from '../src/facts/typescript.js';
import { collectors, extractTypeScriptFacts } from '../src/facts/typescript-walk.js';
import { FIXTURES } from './helpers.js';

function scriptsUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && SCRIPT_FILE.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('TypeScriptCollector.kinds', () => {
  it('lists every node kind a collector reads: the facts are the same when every collector sees every node', () => {
    const seeingEverything = collectors.map(({ kinds: _kinds, ...collector }) => collector);
    const files = scriptsUnder(FIXTURES);
    expect(files.length).toBeGreaterThan(50);
    for (const absolute of files) {
      const file = path.relative(FIXTURES, absolute).split(path.sep).join('/');
      const text = fs.readFileSync(absolute, 'utf8');
      const dispatched = emptyFacts(file);
      const exhaustive = emptyFacts(file);
      const outcome = (run: () => void) => {
        try {
          run();
          return 'extracted';
        } catch (error) {
          return (error as Error).name; // hostile fixtures: nesting deeper than the stack
        }
      };
      expect(outcome(() => extractTypeScriptFacts(file, text, collectors, dispatched)), file).toBe(outcome(() => extractTypeScriptFacts(file, text, seeingEverything, exhaustive)));
      expect(dispatched, file).toEqual(exhaustive);
    }
  });
});
