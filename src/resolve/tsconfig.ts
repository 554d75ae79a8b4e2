import path from 'node:path';
import { ts } from 'ts-morph';
import type { Diagnostic } from '../model.js';
import { isInside, relativePosix } from '../util/paths.js';

/** How tsconfig files are read: text by absolute path, and the real path behind a node_modules link. */
export interface ConfigFileAccess {
  readFile(absolute: string): string | undefined;
  realpath(absolute: string): string;
}

/**
 * Reads a tsconfig.json for its compiler options only (no file enumeration), following `extends`
 * chains inside the root; an `extends` that leaves the root is reported and not followed.
 */
export function readCompilerOptions(root: string, configFile: string, access: ConfigFileAccess, diagnostics: Diagnostic[]): ts.CompilerOptions {
  const { readFile } = access;
  const absolute = path.join(root, configFile);
  const text = readFile(absolute);
  if (text === undefined) return {};
  const parsed = ts.parseConfigFileTextToJson(absolute, text);
  if (parsed.error) {
    diagnostics.push({ file: configFile, code: 'invalid-tsconfig', message: `malformed tsconfig: ${ts.flattenDiagnosticMessageText(parsed.error.messageText, ' ')}` });
    return {};
  }
  const host: ts.ParseConfigHost = {
    useCaseSensitiveFileNames: true,
    // An `extends` of a package resolves to its real folder, so its relative paths and baseUrl are right.
    realpath: access.realpath,
    readDirectory: () => [],
    fileExists: (file) => isInside(root, file) && readFile(file) !== undefined,
    readFile: (file) => {
      if (isInside(root, file)) return readFile(file);
      diagnostics.push({ file: configFile, code: 'outside-root', message: `extends "${relativePosix(root, file)}", outside the repository root; not followed` });
      return undefined;
    },
  };
  const result = ts.parseJsonConfigFileContent(parsed.config, host, path.dirname(absolute), undefined, absolute);
  for (const error of result.errors) {
    if (error.code === 18003) continue; // "No inputs were found": we never enumerate files
    diagnostics.push({ file: configFile, code: 'invalid-tsconfig', message: ts.flattenDiagnosticMessageText(error.messageText, ' ') });
  }
  return result.options;
}
