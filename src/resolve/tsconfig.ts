import path from 'node:path';
import { ts } from 'ts-morph';
import type { Diagnostic } from '../model.js';
import { isInside, relativePosix } from '../util/paths.js';

/**
 * Reads a tsconfig.json for its compiler options only (no file enumeration), following `extends`
 * chains inside the root; an `extends` that leaves the root is reported and not followed.
 * Pass one `extendedConfigs` map for all the tsconfigs of a run so a shared base is parsed once.
 */
export function readCompilerOptions(
  root: string,
  configFile: string,
  readFile: (absolute: string) => string | undefined,
  diagnostics: Diagnostic[],
  extendedConfigs?: Map<string, ts.ExtendedConfigCacheEntry>,
): ts.CompilerOptions {
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
    readDirectory: () => [],
    fileExists: (file) => isInside(root, file) && readFile(file) !== undefined,
    readFile: (file) => {
      if (isInside(root, file)) return readFile(file);
      diagnostics.push({ file: configFile, code: 'outside-root', message: `extends "${relativePosix(root, file)}", outside the repository root; not followed` });
      return undefined;
    },
  };
  const result = ts.parseJsonConfigFileContent(parsed.config, host, path.dirname(absolute), undefined, absolute, undefined, undefined, extendedConfigs);
  for (const error of result.errors) {
    if (error.code === 18003) continue; // "No inputs were found": we never enumerate files
    diagnostics.push({ file: configFile, code: 'invalid-tsconfig', message: ts.flattenDiagnosticMessageText(error.messageText, ' ') });
  }
  return result.options;
}
