import type { Document } from 'yaml';
import type { FileFacts } from '../model.js';
import { readWalkedFile } from '../discover/read.js';
import { yamlPackage } from '../util/yaml.js';
import type { ProgressReport } from '../progress.js';
import type { FactsCache } from './cache.js';
import { directiveExtractor, unreadDirective } from './directives.js';
import { bakeExtractor } from './bake.js';
import { composeExtractor } from './compose.js';
import { configFileExtractor } from './config-files.js';
import { dockerfileExtractor } from './dockerfile.js';
import { dotenvExtractor } from './dotenv.js';
import { goExtractor } from './go.js';
import { helmExtractor } from './helm.js';
import { kubernetesExtractor } from './kubernetes.js';
import { prismaExtractor } from './prisma.js';
import { sqlExtractor } from './sql.js';
import { openApiExtractor } from './openapi.js';
import { platformExtractor } from './platforms.js';
import { releaseConfigExtractor } from './release.js';
import { typeScriptExtractor } from './typescript.js';
import { workflowExtractor } from './workflows.js';

/** What an extractor gets: the file's path and text, and its YAML documents parsed once on demand. */
export interface ExtractInput {
  file: string;
  text: string;
  /** The YAML documents of the file, parsed at most once however many extractors ask (alias expansion bounded). */
  yamlDocuments(): Document[];
}

/**
 * One extractor per evidence source. It records plain facts about one file from its text alone
 * (so facts can be cached by content hash) and never decides what is a violation.
 */
export interface FileExtractor {
  name: string;
  matches(file: string): boolean;
  /**
   * Loads code that is costly to import and that extract() needs for this file (TypeScript's compiler).
   * Awaited before the first extract() of such a file, so that a run served by the cache never loads it.
   */
  prepare?(file: string): Promise<void>;
  extract(input: ExtractInput, facts: FileFacts): void;
}

/** Every extractor, in the order they run on a file. */
export const extractors: FileExtractor[] = [
  typeScriptExtractor,
  dotenvExtractor,
  configFileExtractor,
  composeExtractor,
  kubernetesExtractor,
  helmExtractor,
  workflowExtractor,
  bakeExtractor,
  prismaExtractor,
  sqlExtractor,
  openApiExtractor,
  platformExtractor,
  releaseConfigExtractor,
  dockerfileExtractor,
  goExtractor,
  directiveExtractor,
];

export function emptyFacts(file: string): FileFacts {
  return { file, imports: [], directives: [], diagnostics: [] };
}

/** True for files some extractor reads. */
export function isAnalysed(file: string): boolean {
  return extractors.some((extractor) => extractor.matches(file));
}

/** Loads the code the extractors of these files need (FileExtractor.prepare). */
export async function prepareExtractors(files: string[]): Promise<void> {
  for (const extractor of extractors) {
    if (!extractor.prepare) continue;
    for (const file of files) if (extractor.matches(file)) await extractor.prepare(file);
  }
}

/** Facts of one file from its text alone: the unit that is cached by content hash. Needs prepareExtractors([file]) first. */
export function extractFileFacts(file: string, text: string): FileFacts {
  const facts = emptyFacts(file);
  let documents: Document[] | undefined;
  const input: ExtractInput = {
    file,
    text,
    yamlDocuments: () => (documents ??= yamlPackage().parseAllDocuments(text, { uniqueKeys: false }) as Document[]),
  };
  for (const extractor of extractors) {
    if (!extractor.matches(file)) continue;
    try {
      extractor.extract(input, facts);
    } catch (error) {
      facts.diagnostics.push({ file, code: 'extract-failed', message: `${extractor.name}: could not extract facts: ${(error as Error).message}` });
    }
  }
  const unread = directiveExtractor.matches(file) ? undefined : unreadDirective(file, text);
  if (unread) facts.diagnostics.push(unread);
  return facts;
}

/** Facts of every analysed file the walk listed, from the cache when given; unreadable files become diagnostics, never failures. */
export async function extractFacts(root: string, files: string[], maxFileSize: number, cache?: FactsCache, progress?: ProgressReport): Promise<FileFacts[]> {
  const all: FileFacts[] = [];
  for (const [index, file] of files.entries()) {
    progress?.('reading and parsing', index, files.length);
    if (!isAnalysed(file)) continue;
    const unchanged = cache?.unchanged(file);
    if (unchanged) {
      all.push(unchanged);
      continue;
    }
    const read = readWalkedFile(root, file, maxFileSize);
    if ('diagnostic' in read) {
      all.push({ ...emptyFacts(file), diagnostics: [read.diagnostic] });
      continue;
    }
    const { text, warning } = read;
    const extract = async () => {
      await prepareExtractors([file]);
      const facts = extractFileFacts(file, text);
      if (warning) facts.diagnostics.unshift(warning);
      return facts;
    };
    all.push(cache ? await cache.factsFor(file, text, extract) : await extract());
  }
  cache?.save();
  return all;
}
