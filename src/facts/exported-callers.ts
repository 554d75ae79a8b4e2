import { ts } from '../util/typescript.cjs';
import type { ParsedFile } from './typescript-walk.js';
import { hasModifier, unwrap } from './values.js';

/** One top-level declaration of a module: the names it is exported as, and the top-level names its code mentions. */
interface TopLevel {
  exportedAs: string[];
  mentions: Set<string>;
}

/** What a module's top level declares and which names its load-time code (statements, non-function initializers) mentions. */
interface ModuleIndex {
  declarations: Map<string, TopLevel>;
  loadTime: Set<string>;
  /** Top-level name → the names a caller may import to run its code (undefined: the module's loading may run it). */
  reaching: Map<string, string[] | undefined>;
}

const indexes = new WeakMap<ts.SourceFile, ModuleIndex>();
const WORD = /[A-Za-z_$][\w$]*/g;

/**
 * The names a module exports whose calls may run the code being visited: the exported function, class or
 * function-valued constant enclosing it, and the exported ones that mention it (`export const cancelOrder = () =>
 * setStatus(…)` runs the private `setStatus`), followed within the module. Undefined when loading the module may run it
 * (top-level code, a value built at load, `module.exports = { … }`) or when no export reaches it: then whoever loads
 * the module counts. Mentions are found by name in the declarations' text, so a name in a comment or a string counts too:
 * the answer errs towards more callers, never fewer.
 */
export function exportsRunning(parsed: ParsedFile): string[] | undefined {
  const { ancestors } = parsed;
  const statement = ancestors[1];
  if (!statement) return undefined;
  const name = declaredName(statement, ancestors);
  if (name === undefined) return undefined;
  if (!ts.isClassDeclaration(statement) && !ancestors.slice(1).some((node) => ts.isFunctionLike(node))) return undefined;
  const index = indexOf(parsed.source);
  if (!index.reaching.has(name)) index.reaching.set(name, reachingExports(index, name));
  return index.reaching.get(name);
}

/** The top-level name whose declaration holds the visited node: a function, a class, or the variable it initialises. */
function declaredName(statement: ts.Node, ancestors: readonly ts.Node[]): string | undefined {
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) return statement.name?.text ?? (hasModifier(statement, ts.SyntaxKind.DefaultKeyword) ? 'default' : undefined);
  if (!ts.isVariableStatement(statement)) return undefined;
  const declaration = ancestors[3];
  return declaration && ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
}

/** The exported names from which `name` is reached through mentions, or undefined when load-time code reaches it. */
function reachingExports(index: ModuleIndex, name: string): string[] | undefined {
  const reached = new Set([name]);
  const queue = [name];
  while (queue.length > 0) {
    const current = queue.pop()!;
    if (index.loadTime.has(current)) return undefined;
    for (const [other, declaration] of index.declarations) {
      if (!reached.has(other) && declaration.mentions.has(current)) {
        reached.add(other);
        queue.push(other);
      }
    }
  }
  const exported = [...reached].flatMap((n) => index.declarations.get(n)?.exportedAs ?? []);
  return exported.length > 0 ? [...new Set(exported)].sort() : undefined;
}

function indexOf(source: ts.SourceFile): ModuleIndex {
  let index = indexes.get(source);
  if (index) return index;
  const declarations = new Map<string, TopLevel>();
  const texts: [string, string][] = [];
  const loadTimeTexts: string[] = [];
  const exportedAs: [string, string][] = [];
  const declare = (name: string, node: ts.Node, exported: boolean, asDefault = false) => {
    declarations.set(name, { exportedAs: exported ? [asDefault ? 'default' : name] : [], mentions: new Set() });
    texts.push([name, node.getText(source)]);
  };
  for (const statement of source.statements) {
    const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
    if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) {
      const asDefault = hasModifier(statement, ts.SyntaxKind.DefaultKeyword);
      const name = statement.name?.text ?? (asDefault ? 'default' : undefined);
      if (name !== undefined) declare(name, statement, exported, asDefault);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const initializer = declaration.initializer && unwrap(declaration.initializer);
        if (ts.isIdentifier(declaration.name)) declare(declaration.name.text, declaration, exported);
        // A value built at load (`cache(async () => …)`, `register(save)`) may call what it mentions then; an alias does not.
        if (initializer && !ts.isFunctionLike(initializer) && !ts.isIdentifier(initializer)) loadTimeTexts.push(initializer.getText(source));
      }
    } else if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) exportedAs.push([(element.propertyName ?? element.name).text, element.name.text]);
    } else if (ts.isExportAssignment(statement) && !statement.isExportEquals && ts.isIdentifier(statement.expression)) {
      exportedAs.push([statement.expression.text, 'default']);
    } else if (!ts.isImportDeclaration(statement) && !ts.isInterfaceDeclaration(statement) && !ts.isTypeAliasDeclaration(statement)) {
      loadTimeTexts.push(statement.getText(source));
    }
  }
  for (const [local, exported] of exportedAs) declarations.get(local)?.exportedAs.push(exported);
  for (const [name, text] of texts) {
    const mentions = declarations.get(name)!.mentions;
    for (const word of text.match(WORD) ?? []) if (word !== name && declarations.has(word)) mentions.add(word);
  }
  const loadTime = new Set(loadTimeTexts.flatMap((text) => (text.match(WORD) ?? []).filter((word) => declarations.has(word))));
  index = { declarations, loadTime, reaching: new Map() };
  indexes.set(source, index);
  return index;
}
