import type { FileFacts } from '../model.js';
import { readRepoFile } from '../discover/read.js';
import { extractTypeScriptFacts, moduleReferenceCollector, SCRIPT_FILE, type TypeScriptCollector } from './typescript.js';

/** The collectors that run during the one TypeScript walk. */
const typeScriptCollectors: TypeScriptCollector[] = [moduleReferenceCollector];

export function emptyFacts(file: string): FileFacts {
  return { file, imports: [], directives: [], diagnostics: [] };
}

/** True for files some extractor reads. */
export function isAnalysed(file: string): boolean {
  return SCRIPT_FILE.test(file);
}

/** Facts of one file from its text alone: the unit that is cached by content hash. */
export function extractFileFacts(file: string, text: string): FileFacts {
  const facts = emptyFacts(file);
  try {
    if (SCRIPT_FILE.test(file)) extractTypeScriptFacts(file, text, typeScriptCollectors, facts);
  } catch (error) {
    facts.diagnostics.push({ file, code: 'extract-failed', message: `could not extract facts: ${(error as Error).message}` });
  }
  return facts;
}

/** Facts of every analysed file; unreadable files become diagnostics, never failures. */
export function extractFacts(root: string, files: string[], maxFileSize: number): FileFacts[] {
  const all: FileFacts[] = [];
  for (const file of files) {
    if (!isAnalysed(file)) continue;
    const read = readRepoFile(root, file, maxFileSize);
    if ('diagnostic' in read) {
      all.push({ ...emptyFacts(file), diagnostics: [read.diagnostic] });
      continue;
    }
    all.push(extractFileFacts(file, read.text));
  }
  return all;
}
