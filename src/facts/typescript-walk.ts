import { ts } from '../util/typescript.cjs';
import type { Diagnostic, FileFacts, ModuleReference, ModuleReferenceKind, SourceLocation } from '../model.js';
import { dataAccessCollector } from './data-access.js';
import { constantCollector } from './constants.js';
import { httpCallCollector } from './http-calls.js';
import { classCollector } from './classes.js';
import { functionEntryCollector } from './function-entries.js';
import { messagingCollector } from './messaging.js';
import { parameterUseCollector } from './parameter-uses.js';
import { graphqlGatewayCollector } from './graphql.js';
import { routeCollector } from './routes.js';
import { rpcCollector } from './rpc.js';
import { urlLiteralCollector } from './url-literals.js';
import { hasModifier } from './values.js';

/** A parsed file, handed to every collector during the one walk. */
export interface ParsedFile {
  file: string;
  source: ts.SourceFile;
  /** The location of a node (from its first token, without leading trivia, to its end). */
  locate(node: ts.Node): SourceLocation;
  /** The ancestors of the node being visited, outermost (the source file) first (nodes carry no parent pointers). */
  ancestors: readonly ts.Node[];
}

/** Gathers one kind of fact during the shared walk; collectors never decide what is a violation. */
export interface TypeScriptCollector {
  /**
   * The node kinds visit() looks at. The walk calls visit() for those only (most nodes are identifiers,
   * keywords and other tokens no collector reads); without it, visit() sees every node.
   */
  kinds?: readonly ts.SyntaxKind[];
  visit(node: ts.Node, parsed: ParsedFile, facts: FileFacts): void;
  /** After the walk, for what only the whole file says (which of its functions a value reaches). */
  finish?(parsed: ParsedFile, facts: FileFacts): void;
}

const collectorsByKind = new WeakMap<readonly TypeScriptCollector[], TypeScriptCollector[][]>();

/** For each SyntaxKind, the collectors that visit it: built once per collector list. */
function dispatchTable(collectors: readonly TypeScriptCollector[]): TypeScriptCollector[][] {
  let table = collectorsByKind.get(collectors);
  if (!table) {
    table = [];
    for (let kind = 0; kind <= ts.SyntaxKind.Count; kind++) table.push(collectors.filter((c) => !c.kinds || c.kinds.includes(kind)));
    collectorsByKind.set(collectors, table);
  }
  return table;
}

function scriptKind(file: string): ts.ScriptKind {
  if (/\.(tsx)$/.test(file)) return ts.ScriptKind.TSX;
  if (/\.(jsx)$/.test(file)) return ts.ScriptKind.JSX;
  if (/\.(js|mjs|cjs)$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** One parse and one walk per file: every collector sees every node. */
export function extractTypeScriptFacts(file: string, text: string, collectors: TypeScriptCollector[], facts: FileFacts): void {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, scriptKind(file));
  const ancestors: ts.Node[] = [];
  const parsed: ParsedFile = {
    file,
    source,
    ancestors,
    locate(node) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source));
      const end = source.getLineAndCharacterOfPosition(node.getEnd());
      return { file, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
    },
  };
  const parseErrors = (source as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (parseErrors.length > 0) facts.diagnostics.push(syntaxDiagnostic(file, source, parseErrors[0], parseErrors.length));

  facts.declaresOnlyTypes = source.statements.length > 0 && source.statements.every(isTypeLevelStatement);
  if (source.statements.some(ts.isImportDeclaration) && source.statements.every(erasesImports)) facts.importsErased = true;
  const directive = text.includes('use server') ? serverDirective(source) : undefined;
  if (directive) facts.serverDirective = parsed.locate(directive);
  const visitors = dispatchTable(collectors);
  const walk = (node: ts.Node): void => {
    const visiting = visitors[node.kind];
    for (let i = 0; i < visiting.length; i++) visiting[i].visit(node, parsed, facts);
    ancestors.push(node);
    ts.forEachChild(node, walk);
    ancestors.pop();
  };
  walk(source);
  for (const collector of collectors) collector.finish?.(parsed, facts);
}

/** The first `'use server'` directive: in the prologue of the module or of a function body (an inline server action). */
function serverDirective(node: ts.Node): ts.Node | undefined {
  const body = ts.isSourceFile(node) ? node : ts.isFunctionLike(node) && 'body' in node && node.body && ts.isBlock(node.body) ? node.body : undefined;
  for (const statement of body?.statements ?? []) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) break;
    if (statement.expression.text === 'use server') return statement;
  }
  return ts.forEachChild(node, serverDirective);
}

function syntaxDiagnostic(file: string, source: ts.SourceFile, first: ts.Diagnostic, count: number): Diagnostic {
  const where = source.getLineAndCharacterOfPosition(first.start ?? 0);
  const more = count > 1 ? ` (and ${count - 1} more)` : '';
  return {
    file,
    line: where.line + 1,
    column: where.character + 1,
    code: 'syntax-error',
    message: `syntax error: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}${more}; facts were taken from what parsed`,
  };
}

/** Statements that keep no imported binding alive once compiled: imports, interfaces, type aliases, re-exports from other modules. */
function erasesImports(statement: ts.Statement): boolean {
  return (
    ts.isImportDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    (ts.isExportDeclaration(statement) && statement.moduleSpecifier !== undefined)
  );
}

function isTypeLevelStatement(statement: ts.Statement): boolean {
  return (
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    ts.isImportDeclaration(statement) ||
    ts.isExportDeclaration(statement) ||
    ts.isEnumDeclaration(statement) ||
    hasModifier(statement, ts.SyntaxKind.DeclareKeyword)
  );
}

/** Every module reference: import/export … from, import type, import x = require(), require(), import(), import('x').T. */
export const moduleReferenceCollector: TypeScriptCollector = {
  kinds: [
    ts.SyntaxKind.ImportDeclaration,
    ts.SyntaxKind.ExportDeclaration,
    ts.SyntaxKind.ImportEqualsDeclaration,
    ts.SyntaxKind.CallExpression,
    ts.SyntaxKind.ImportType,
  ],
  visit(node, parsed, facts) {
    const add = (specifier: ts.Expression | ts.Node, kind: ModuleReferenceKind, typeOnly: boolean, names?: Pick<ModuleReference, 'names' | 'typeNames' | 'exportedAs'>) => {
      if (!ts.isStringLiteral(specifier) && !ts.isNoSubstitutionTemplateLiteral(specifier)) return;
      const reference: ModuleReference = { specifier: specifier.text, kind, typeOnly, ...names, location: parsed.locate(specifier) };
      facts.imports.push(reference);
    };
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const allNamedAreTypes =
        !!clause && !clause.name && !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
      add(node.moduleSpecifier, 'import', !!clause && (clause.isTypeOnly || allNamedAreTypes), importedNames(clause));
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const clause = node.exportClause;
      const allNamedAreTypes = !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
      add(node.moduleSpecifier, clause && ts.isNamedExports(clause) ? 'export' : 'export-star', node.isTypeOnly || allNamedAreTypes, reexportedNames(clause));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, 'import-equals', node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], 'dynamic-import', false);
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1) {
        add(node.arguments[0], 'require', false);
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, 'import', true);
    }
  },
};

/** The value names an import declaration takes (and its one-by-one type names); none when it takes the whole module (a namespace import). */
function importedNames(clause: ts.ImportClause | undefined): Pick<ModuleReference, 'names' | 'typeNames'> {
  if (!clause) return { names: [] };
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) return {};
  const elements = bindings ? bindings.elements : [];
  const named = elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text);
  const typeNames = elements.filter((e) => e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text);
  return { names: clause.name ? ['default', ...named] : named, ...(typeNames.length > 0 ? { typeNames } : {}) };
}

/** `export { a as b } from` → names [a] exported as [b]; `export * as ns from` → the whole module as ns; `export *` → everything. */
function reexportedNames(clause: ts.NamedExportBindings | undefined): Pick<ModuleReference, 'names' | 'exportedAs'> {
  if (!clause) return {};
  if (ts.isNamespaceExport(clause)) return { exportedAs: [clause.name.text] };
  const values = clause.elements.filter((e) => !e.isTypeOnly);
  return { names: values.map((e) => (e.propertyName ?? e.name).text), exportedAs: values.map((e) => e.name.text) };
}

/** The collectors that run during the one TypeScript walk. */
export const collectors: TypeScriptCollector[] = [
  moduleReferenceCollector,
  dataAccessCollector,
  constantCollector,
  httpCallCollector,
  graphqlGatewayCollector,
  routeCollector,
  messagingCollector,
  // After the messaging collector: a handler's payload parameter is bound as the payload first.
  parameterUseCollector,
  rpcCollector,
  classCollector,
  functionEntryCollector,
  urlLiteralCollector,
];
