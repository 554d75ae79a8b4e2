import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRelative } from '../src/util/paths.js';

describe('repoRelative', () => {
  const root = path.resolve('/repo/root');

  it('gives the repo-relative path of normalised paths inside the root', () => {
    expect(repoRelative(root, `${root}/apps/api/src/index.ts`)).toBe('apps/api/src/index.ts');
    expect(repoRelative(root, root)).toBe('');
  });

  it('normalises what the fast path cannot take: trailing slashes, dot segments, double slashes', () => {
    expect(repoRelative(root, `${root}/apps/api/src/`)).toBe('apps/api/src');
    expect(repoRelative(root, `${root}/apps/./api//src/../lib`)).toBe('apps/api/lib');
  });

  it('is undefined outside the root, including a sibling that shares its name as a prefix', () => {
    expect(repoRelative(root, `${root}/../elsewhere/x.ts`)).toBeUndefined();
    expect(repoRelative(root, `${root}-other/x.ts`)).toBeUndefined();
    expect(repoRelative(root, '/etc/hostname')).toBeUndefined();
  });
});
