#!/usr/bin/env node
/**
 * The parse floor of the benchmark: the least any import-graph tool must do on a tree.
 * Reads every script file once, parses it with ts.createSourceFile and resolves each import
 * with ts.resolveModuleName (root tsconfig, one shared resolution cache). No rules, no output but counts.
 *
 *   node scripts/parse-floor.mjs <dir>
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const SCRIPT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const SKIPPED = new Set(['node_modules', '.git', 'dist', 'build', 'coverage']);

function listScripts(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) listScripts(path.join(dir, entry.name), out);
    } else if (entry.isFile() && SCRIPT.test(entry.name)) {
      out.push(path.join(dir, entry.name));
    }
  }
  return out;
}

function compilerOptions(root) {
  const configFile = path.join(root, 'tsconfig.json');
  if (!fs.existsSync(configFile)) return { allowJs: true, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext };
  const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
  const host = { ...ts.sys, readDirectory: () => [] };
  return { ...ts.parseJsonConfigFileContent(config, host, root, undefined, configFile).options, allowJs: true };
}

function importsOf(source) {
  const specifiers = [];
  for (const statement of source.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      specifiers.push(statement.moduleSpecifier.text);
    }
  }
  return specifiers;
}

const root = path.resolve(process.argv[2] ?? '.');
const options = compilerOptions(root);
const cache = ts.createModuleResolutionCache(root, (f) => f, options);
let imports = 0;
let resolved = 0;
const files = listScripts(root);
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  for (const specifier of importsOf(source)) {
    imports++;
    if (ts.resolveModuleName(specifier, file, options, ts.sys, cache).resolvedModule) resolved++;
  }
}
console.log(JSON.stringify({ files: files.length, imports, resolved }));
