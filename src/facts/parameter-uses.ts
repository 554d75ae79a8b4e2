import { ts } from '../util/typescript.cjs';
import type { FileFacts, ParameterUseFact, PassedValue } from '../model.js';
import type { ParsedFile, TypeScriptCollector } from './typescript-walk.js';
import { addPass, addRead, bindValue, releaseBindings, visitCall } from './response-use.js';
import { enclosingClass, hasModifier } from './values.js';

/**
 * What the named functions of a module do with their parameters: the property paths they read and the functions
 * they hand them to, for payloads and responses passed there (`handle(msg) { process(msg.data) }`). Each parameter
 * is bound as a body would be (response-use.ts), in the same walk; a function's facts are kept when the module
 * exports it or hands a value to it, so that the graph can follow a pass into this module or within it.
 */

/** Per parsed file, every parameter of a named function seen so far. */
const usesBySource = new WeakMap<ts.SourceFile, ParameterUseFact[]>();

export const parameterUseCollector: TypeScriptCollector = {
  kinds: [ts.SyntaxKind.FunctionDeclaration, ts.SyntaxKind.MethodDeclaration, ts.SyntaxKind.ArrowFunction, ts.SyntaxKind.FunctionExpression, ts.SyntaxKind.CallExpression],
  visit(node, parsed) {
    if (ts.isCallExpression(node)) return visitCall(node, parsed);
    if (!ts.isFunctionDeclaration(node) && !ts.isMethodDeclaration(node) && !ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return;
    const named = namedFunction(node, parsed);
    if (!named) return;
    // `this` is no parameter a caller gives.
    const offset = node.parameters[0] && ts.isIdentifier(node.parameters[0].name) && node.parameters[0].name.text === 'this' ? 1 : 0;
    for (let i = offset; i < node.parameters.length; i++) {
      const parameter = node.parameters[i];
      if (!ts.isIdentifier(parameter.name) && !ts.isObjectBindingPattern(parameter.name)) continue;
      if (parameter.type && PRIMITIVE_TYPES.has(parameter.type.kind)) continue; // nothing to read off
      // The fact is made when the parameter is first read or handed on: most are neither.
      let use: ParameterUseFact | undefined;
      const fact = () => {
        if (!use) {
          use = { function: named.name, ...(named.exported !== undefined ? { exported: named.exported } : {}), index: i - offset };
          let uses = usesBySource.get(parsed.source);
          if (!uses) usesBySource.set(parsed.source, (uses = []));
          uses.push(use);
        }
        return use;
      };
      // A parameter a handler was already given a payload in keeps that binding (bindings are first come).
      bindValue(parameter.name, node, 'body', '', { read: (path, at) => addRead(fact(), path, at, parsed), pass: (passed, at) => addPass(fact(), passed, at, parsed) }, parsed);
    }
  },
  finish(parsed, facts) {
    releaseBindings(parsed);
    const uses = usesBySource.get(parsed.source) ?? [];
    usesBySource.delete(parsed.source);
    const declared = new Set(uses.map((use) => use.function));
    // A value handed to a function this module does not declare (`String(x)`, a callback) leads nowhere.
    const named = (holder: { passes?: PassedValue[] }) => {
      if (!holder.passes) return;
      const passes = holder.passes.filter((pass) => pass.from !== undefined || declared.has(pass.callee));
      if (passes.length > 0) holder.passes = passes;
      else delete holder.passes;
    };
    facts.messages?.forEach(named);
    facts.httpCalls?.forEach(named);
    uses.forEach(named);
    if (uses.length === 0) return;
    markExportLists(parsed.source, uses);
    const kept = keptUses(uses, facts);
    if (kept.length > 0) facts.parameterUses = kept;
  },
};

/** Parameter types with no properties a payload or body could be read through. */
const PRIMITIVE_TYPES = new Set([ts.SyntaxKind.NumberKeyword, ts.SyntaxKind.StringKeyword, ts.SyntaxKind.BooleanKeyword, ts.SyntaxKind.BigIntKeyword]);

/** The name of a function values can be handed to, and the name other modules import it by. */
function namedFunction(node: ts.FunctionLikeDeclaration, parsed: ParsedFile): { name: string; exported?: string } | undefined {
  if (ts.isFunctionDeclaration(node)) {
    const exported = hasModifier(node, ts.SyntaxKind.ExportKeyword);
    const isDefault = hasModifier(node, ts.SyntaxKind.DefaultKeyword);
    const name = node.name?.text ?? (isDefault ? 'default' : undefined);
    return name === undefined ? undefined : { name, ...(exported ? { exported: isDefault ? 'default' : name } : {}) };
  }
  if (ts.isMethodDeclaration(node)) {
    const owner = enclosingClass(parsed.ancestors);
    return owner?.name && ts.isIdentifier(node.name) ? { name: `${owner.name.text}.${node.name.text}` } : undefined;
  }
  // `const process = (order) => …`, exported when its statement is.
  const { ancestors } = parsed;
  const declaration = ancestors[ancestors.length - 1];
  if (!declaration || !ts.isVariableDeclaration(declaration) || declaration.initializer !== node || !ts.isIdentifier(declaration.name)) return undefined;
  const statement = ancestors[ancestors.length - 3];
  const exported = !!statement && ts.isVariableStatement(statement) && hasModifier(statement, ts.SyntaxKind.ExportKeyword);
  return { name: declaration.name.text, ...(exported ? { exported: declaration.name.text } : {}) };
}

/** `export { process, total as sum }` and `export default process`, below the functions they export. */
function markExportLists(source: ts.SourceFile, uses: ParameterUseFact[]): void {
  const exportedAs = new Map<string, string>();
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) exportedAs.set((element.propertyName ?? element.name).text, element.name.text);
    } else if (ts.isExportAssignment(statement) && !statement.isExportEquals && ts.isIdentifier(statement.expression)) {
      exportedAs.set(statement.expression.text, 'default');
    }
  }
  for (const use of uses) if (use.exported === undefined && exportedAs.has(use.function)) use.exported = exportedAs.get(use.function);
}

/** The parameters that read or hand on something, of the functions exported or handed a value in this module (followed through each other). */
function keptUses(uses: ParameterUseFact[], facts: FileFacts): ParameterUseFact[] {
  const used = uses.filter((use) => use.reads !== undefined || use.passes !== undefined); // a parameter whose passes all led nowhere
  const reached = new Set<string>();
  const queue: PassedValue[] = [...(facts.messages ?? []), ...(facts.httpCalls ?? [])].flatMap((holder) => holder.passes ?? []);
  for (const use of used) if (use.exported !== undefined) queue.push(...(use.passes ?? []));
  while (queue.length > 0) {
    const pass = queue.pop()!;
    if (pass.from !== undefined || reached.has(pass.callee)) continue;
    reached.add(pass.callee);
    for (const use of used) if (use.function === pass.callee) queue.push(...(use.passes ?? []));
  }
  return used.filter((use) => use.exported !== undefined || reached.has(use.function));
}
