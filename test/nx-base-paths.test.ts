import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { copyFixture } from './helpers.js';

describe('the root tsconfig.base.json', () => {
  it('resolves only in an Nx workspace: without nx.json a project that neither has nor extends it does not see its aliases', async () => {
    const root = copyFixture('nx-base-paths');
    fs.rmSync(path.join(root, 'nx.json'));
    const result = await analyze({ root });
    expect(result.graph.components.filter((c) => c.kind === 'service').map((c) => c.dir)).toEqual(['apps/catalog', 'apps/orders', 'apps/shipping']);
    // Unmapped, @acme/catalog reads as a package of the registry: no import reaches catalog.
    expect(result.findings.map((f) => `${f.ruleId} ${f.location.file}`)).toEqual([]);
  });
});
