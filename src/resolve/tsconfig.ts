import path from 'node:path';
import { ts } from '../util/typescript.cjs';
import type { ReadResult } from '../discover/read.js';
import type { Diagnostic } from '../model.js';
import { isInside, relativePosix } from '../util/paths.js';

export interface TsconfigReading {
  /** Maps `…/node_modules/<workspace package>/x` to the package's own folder (identity for other paths). */
  throughWorkspaceLink?: (absolute: string) => string;
  /** One map for all the tsconfigs of a run, so that a base they share is parsed once. */
  extendedConfigs?: Map<string, ts.ExtendedConfigCacheEntry>;
  /** Reads a repo-relative file (readRepoFile, or a reader that records what it read). */
  read: (file: string) => ReadResult;
}

/**
 * Reads a tsconfig.json for its compiler options only (no file enumeration), following `extends`
 * chains inside the root; an `extends` that leaves the root (by path or through a symbolic link) is
 * reported and not followed.
 */
export function readCompilerOptions(root: string, configFile: string, diagnostics: Diagnostic[], reading: TsconfigReading): ts.CompilerOptions {
  try {
    return parseCompilerOptions(root, configFile, diagnostics, { ...reading, throughWorkspaceLink: reading.throughWorkspaceLink ?? ((file) => file) });
  } catch (error) {
    // TypeScript's parser recurses once per nesting level: a few thousand `[` exhaust the stack.
    if (!(error instanceof RangeError)) throw error;
    diagnostics.push({ file: configFile, code: 'invalid-tsconfig', message: 'malformed tsconfig: nested too deeply to parse' });
    return {};
  }
}

function parseCompilerOptions(
  root: string,
  configFile: string,
  diagnostics: Diagnostic[],
  { throughWorkspaceLink, extendedConfigs, read }: Required<Pick<TsconfigReading, 'throughWorkspaceLink'>> & TsconfigReading,
): ts.CompilerOptions {
  const own = read(configFile);
  if ('diagnostic' in own) {
    diagnostics.push(own.diagnostic);
    return {};
  }
  const absolute = path.join(root, configFile);
  const parsed = ts.parseConfigFileTextToJson(absolute, own.text);
  if (parsed.error) {
    diagnostics.push({ file: configFile, code: 'invalid-tsconfig', message: `malformed tsconfig: ${ts.flattenDiagnosticMessageText(parsed.error.messageText, ' ')}` });
    return {};
  }
  const readInside = (file: string) => {
    const linked = throughWorkspaceLink(file);
    return isInside(root, linked) ? read(relativePosix(root, linked)) : undefined;
  };
  let refusedExtends = false;
  const host: ts.ParseConfigHost = {
    useCaseSensitiveFileNames: true,
    // An `extends` of a package resolves to its real folder, so its relative paths and baseUrl are right.
    realpath: throughWorkspaceLink,
    readDirectory: () => [],
    fileExists: (file) => {
      const result = readInside(file);
      return result !== undefined && 'text' in result;
    },
    readFile: (file) => {
      const result = readInside(file);
      if (result && 'text' in result) return result.text;
      refusedExtends = true;
      const why = result ? result.diagnostic.message : 'outside the repository root; not followed';
      diagnostics.push({ file: configFile, code: result?.diagnostic.code ?? 'outside-root', message: `extends "${relativePosix(root, file)}": ${why}` });
      return undefined;
    },
  };
  const result = ts.parseJsonConfigFileContent(parsed.config, host, path.dirname(absolute), undefined, absolute, undefined, undefined, extendedConfigs);
  for (const error of result.errors) {
    if (error.code === 18003) continue; // "No inputs were found": we never enumerate files
    if (error.code === 5083 && refusedExtends) continue; // "Cannot read file": reported above with the reason
    diagnostics.push({ file: configFile, code: 'invalid-tsconfig', message: ts.flattenDiagnosticMessageText(error.messageText, ' ') });
  }
  return result.options;
}
