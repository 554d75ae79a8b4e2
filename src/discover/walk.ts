import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { Diagnostic } from '../model.js';
import { isInside, joinPosix } from '../util/paths.js';

/** Folders that never hold analysable source: dependencies, version control, caches. */
export const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'coverage', '.next', '.nuxt', '.turbo', '.nx', '.cache', '.yarn', '.pnpm-store']);

/**
 * Build output when it sits next to a package.json or tsconfig.json (`apps/web/build`), and is not a
 * package itself; `src/build/bundle.ts` and `packages/build/` are source.
 */
const OUTPUT_FOLDERS = new Set(['build', 'out']);

/**
 * Folders of samples: test fixtures, examples, templates, playgrounds. Their loose files are analysed
 * (tests import `./fixtures/orders`), but a project inside them (a folder with its own package.json)
 * is a sample, not part of the repository's architecture, and is skipped whole.
 */
export const SAMPLE_FOLDERS = new Set(['fixtures', '__fixtures__', 'examples', 'templates', 'playground', 'playgrounds', 'samples']);

interface GitIgnoreScope {
  base: string;
  rules: Ignore;
}

/**
 * Lists every repo-relative file below the root, sorted, skipping what git ignores, the folders
 * above, the configured ignore globs, and `excluded` (repo-relative files or folders: arch-lint's own
 * cache and report). Symbolic links are never followed (no loops, no escape); a link that points
 * outside the root or nowhere is reported.
 */
export function walkRepository(root: string, ignoreGlobs: string[], excluded: ReadonlySet<string> = new Set()): { files: string[]; diagnostics: Diagnostic[] } {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const configured = ignoreGlobs.length > 0 ? picomatch(ignoreGlobs, { dot: true }) : undefined;
  const isConfiguredIgnored = (rel: string, isDir: boolean) =>
    !!configured && (configured(rel) || (isDir && (configured(`${rel}/`) || configured(`${rel}/**`))));

  const visit = (dir: string, scopes: GitIgnoreScope[], inSamples: boolean) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, dir), { withFileTypes: true });
    } catch (error) {
      diagnostics.push({ file: dir || '.', code: 'unreadable', message: `cannot list folder: ${(error as NodeJS.ErrnoException).code}` });
      return;
    }
    if (inSamples && entries.some((e) => e.name === 'package.json' && e.isFile())) return;
    const gitignore = entries.find((e) => e.name === '.gitignore' && e.isFile());
    if (gitignore) {
      try {
        const text = fs.readFileSync(path.join(root, dir, '.gitignore'), 'utf8');
        scopes = [...scopes, { base: dir, rules: ignore().add(text) }];
      } catch {
        diagnostics.push({ file: joinPosix(dir, '.gitignore'), code: 'unreadable', message: 'cannot read .gitignore' });
      }
    }
    const isProjectFolder = entries.some((e) => (e.name === 'package.json' || e.name === 'tsconfig.json') && e.isFile());
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      // readdir names hold no '/' and are never '.' or '..': no normalising needed
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.name.includes('\uFFFD') && !fs.existsSync(path.join(root, rel))) {
        // readdir replaced bytes that are not UTF-8: the name it gives opens nothing
        diagnostics.push({ file: rel, code: 'invalid-file-name', message: 'skipped: the file name is not valid UTF-8' });
        continue;
      }
      const isDir = entry.isDirectory();
      if ((isDir && SKIPPED_FOLDERS.has(entry.name)) || excluded.has(rel)) continue;
      if (isDir && OUTPUT_FOLDERS.has(entry.name) && isProjectFolder && !fs.existsSync(path.join(root, rel, 'package.json'))) continue;
      if (isGitIgnored(scopes, rel, isDir) || isConfiguredIgnored(rel, isDir)) continue;
      if (entry.isSymbolicLink()) {
        reportLink(root, rel, diagnostics);
      } else if (isDir) {
        visit(rel, scopes, inSamples || SAMPLE_FOLDERS.has(entry.name));
      } else if (entry.isFile()) {
        files.push(rel);
      }
    }
  };
  visit('', [], false);
  return { files, diagnostics };
}

function isGitIgnored(scopes: GitIgnoreScope[], rel: string, isDir: boolean): boolean {
  for (const scope of scopes) {
    const local = scope.base === '' ? rel : rel.slice(scope.base.length + 1);
    if (scope.rules.ignores(isDir ? `${local}/` : local)) return true;
  }
  return false;
}

function reportLink(root: string, rel: string, diagnostics: Diagnostic[]): void {
  let target: string;
  try {
    target = fs.realpathSync(path.join(root, rel));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ELOOP' ? 'a symbolic link loop' : 'a broken symbolic link';
    diagnostics.push({ file: rel, code: 'symlink', message: `not followed: ${why}` });
    return;
  }
  if (!isInside(fs.realpathSync(root), target)) {
    diagnostics.push({ file: rel, code: 'symlink', message: 'not followed: symbolic link points outside the repository root' });
  }
}
