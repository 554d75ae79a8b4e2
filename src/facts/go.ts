import type { FileExtractor } from './index.js';

/**
 * Go sources and go.mod, only as far as discovery needs them to find programs: a file's package clause and
 * its imports (a `package main` folder is a program; the packages it imports say what it runs), and the
 * module path. Go code is never analysed further.
 */
export const goExtractor: FileExtractor = {
  name: 'go',
  matches: (file) => (file.endsWith('.go') && !file.endsWith('_test.go')) || file === 'go.mod' || file.endsWith('/go.mod'),
  extract: (input, facts) => {
    // Only the header matters: the package clause and imports come before any declaration.
    const text = withoutComments(input.text).split(/^(?:func|type|var|const)\b/m)[0];
    if (input.file.endsWith('go.mod')) {
      const module = /^\s*module\s+"?([^\s"]+)"?/m.exec(text)?.[1];
      if (module) facts.goModule = module;
      return;
    }
    const name = /^\s*package\s+(\w+)/m.exec(text)?.[1];
    if (!name) return;
    const imports: string[] = [];
    for (const block of text.matchAll(/^\s*import\s*(\([^)]*\)|[^\n]*)/gm)) {
      for (const path of block[1].matchAll(/"([^"]+)"|`([^`]+)`/g)) imports.push(path[1] ?? path[2]);
    }
    facts.goPackage = { name, imports };
  },
};

/** The text with `//` and `/* … *\/` comments blanked (a build tag or a doc comment may mention `package`). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:"`])\/\/[^\n]*/g, '$1');
}
