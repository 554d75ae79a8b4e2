import { ts } from '../util/typescript.cjs';
import type { ValuePart } from '../model.js';

/**
 * Evaluates the string-valued expressions of one file (URLs, topics) as far as its own text allows:
 * literals, templates, concatenations and constants become text; `process.env.X` and config lookups stay
 * env parts; imported bindings stay import parts for the graph to resolve; everything else is `unknown`.
 */

/** How deep constant lookups go (`const a = b; const b = c; …`), so cycles end. */
const MAX_DEPTH = 6;

export interface ImportBinding {
  /** The imported name (`default`, `*`, or the exported name). */
  name: string;
  from: string;
}

/** Import bindings of a file (import declarations and top-level `require`s), built once per source file. */
const importsCache = new WeakMap<ts.SourceFile, Map<string, ImportBinding>>();

export function importBindings(source: ts.SourceFile): Map<string, ImportBinding> {
  let bindings = importsCache.get(source);
  if (bindings) return bindings;
  bindings = new Map();
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const from = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause?.name) bindings.set(clause.name.text, { name: 'default', from });
      const named = clause?.namedBindings;
      if (named && ts.isNamespaceImport(named)) bindings.set(named.name.text, { name: '*', from });
      if (named && ts.isNamedImports(named)) {
        for (const element of named.elements) bindings.set(element.name.text, { name: (element.propertyName ?? element.name).text, from });
      }
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const from = requiredModule(declaration.initializer);
        if (from === undefined) continue;
        if (ts.isIdentifier(declaration.name)) bindings.set(declaration.name.text, { name: 'default', from });
        else if (ts.isObjectBindingPattern(declaration.name)) {
          for (const element of declaration.name.elements) {
            if (!ts.isIdentifier(element.name)) continue;
            const imported = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
            bindings.set(element.name.text, { name: imported, from });
          }
        }
      }
    }
  }
  importsCache.set(source, bindings);
  return bindings;
}

/** `require('x')` → `x`: the module a CommonJS require names; `require('x').default` (an ES module's default export) too. */
export function requiredModule(expression: ts.Expression | undefined): string | undefined {
  if (expression && ts.isPropertyAccessExpression(expression) && expression.name.text === 'default') return requiredModule(expression.expression);
  if (!expression || !ts.isCallExpression(expression)) return undefined;
  const [argument] = expression.arguments;
  return ts.isIdentifier(expression.expression) && expression.expression.text === 'require' && argument && ts.isStringLiteral(argument)
    ? argument.text
    : undefined;
}

/** Strips parentheses, `as`, `satisfies`, `!` and `<T>` casts. */
export function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isTypeAssertionExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

/** Whether a node carries a modifier (`export`, `declare`, `static`, …), without the array ts.getModifiers builds. */
export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const modifiers = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  if (!modifiers) return false;
  for (const modifier of modifiers) if (modifier.kind === kind) return true;
  return false;
}

/** A name declared in one of the enclosing scopes: its initializer and the scopes visible from it. */
export interface Declaration {
  initializer?: ts.Expression;
  /** The enclosing nodes of the declaration, outermost first. */
  scopes: readonly ts.Node[];
  /** A parameter (of a function or constructor) rather than a variable. */
  parameter?: ts.ParameterDeclaration;
  /** The property of an object parameter the name is taken out of (`({ url }) => …`). */
  parameterProperty?: string;
  /** A name taken out of an object (`const { property: name } = from`). */
  destructured?: { from: ts.Expression; property: string };
}

/** Finds `const name = …` (or a parameter) in the enclosing blocks, functions and the file, innermost first. */
export function findDeclaration(name: string, scopes: readonly ts.Node[]): Declaration | undefined {
  const i = declaringScopeIndex(name, scopes);
  return i < 0 ? undefined : { ...namesDeclaredIn(scopes[i]).get(name)!, scopes: scopes.slice(0, i + 1) };
}

/** The innermost of `scopes` that declares `name` (as findDeclaration finds it), without building the declaration: for lookups on every property access. */
export function declaringScope(name: string, scopes: readonly ts.Node[]): ts.Node | undefined {
  const i = declaringScopeIndex(name, scopes);
  return i < 0 ? undefined : scopes[i];
}

function declaringScopeIndex(name: string, scopes: readonly ts.Node[]): number {
  for (let i = scopes.length - 1; i >= 0; i--) if (namesDeclaredIn(scopes[i]).has(name)) return i;
  return -1;
}

type ScopeName = Omit<Declaration, 'scopes'>;
/** The names each scope declares, listed once per scope: a minified file looks up thousands of names in one scope of thousands of statements. */
const scopeNames = new WeakMap<ts.Node, Map<string, ScopeName>>();
const NO_NAMES = new Map<string, ScopeName>();

/** The parameters and variables a scope declares; the first declaration of a name wins, parameters before variables. */
function namesDeclaredIn(scope: ts.Node): Map<string, ScopeName> {
  const isScope = ts.isFunctionLike(scope) || ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope);
  if (!isScope) return NO_NAMES;
  let names = scopeNames.get(scope);
  if (names) return names;
  names = new Map();
  const declare = (name: string, declared: ScopeName) => {
    if (!names!.has(name)) names!.set(name, declared);
  };
  if (ts.isFunctionLike(scope)) {
    for (const parameter of scope.parameters) {
      if (ts.isIdentifier(parameter.name)) declare(parameter.name.text, { initializer: parameter.initializer, parameter });
      else if (ts.isObjectBindingPattern(parameter.name)) {
        for (const element of parameter.name.elements) {
          const property = element.propertyName ?? element.name;
          if (ts.isIdentifier(element.name) && !element.dotDotDotToken && (ts.isIdentifier(property) || ts.isStringLiteral(property))) {
            declare(element.name.text, { initializer: element.initializer, parameter, parameterProperty: property.text });
          }
        }
      }
    }
  }
  const statements = ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope) ? scope.statements : [];
  for (const statement of statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name)) declare(declaration.name.text, { initializer: declaration.initializer });
      else if (ts.isObjectBindingPattern(declaration.name) && declaration.initializer) {
        for (const element of declaration.name.elements) {
          const property = element.propertyName ?? element.name;
          if (ts.isIdentifier(element.name) && !element.dotDotDotToken && (ts.isIdentifier(property) || ts.isStringLiteral(property))) {
            declare(element.name.text, { destructured: { from: declaration.initializer, property: property.text } });
          }
        }
      }
    }
  }
  scopeNames.set(scope, names);
  return names;
}

/** The innermost class around the node being visited. */
export function enclosingClass(ancestors: readonly ts.Node[]): ts.ClassLikeDeclaration | undefined {
  const index = findLastIndex(ancestors, (node) => ts.isClassLike(node));
  return index < 0 ? undefined : (ancestors[index] as ts.ClassLikeDeclaration);
}

/** A class's name when its module exports it (`export class Orders`), the name other modules import it by. */
export function exportedClassName(declaration: ts.ClassLikeDeclaration | undefined): string | undefined {
  return declaration?.name && ts.isClassDeclaration(declaration) && hasModifier(declaration, ts.SyntaxKind.ExportKeyword) ? declaration.name.text : undefined;
}

/**
 * `this.name` inside a class: the property initializer or the constructor's `this.name = …` / parameter property
 * (a property declared without a value takes the constructor's).
 */
export function findClassMember(name: string, scopes: readonly ts.Node[]): Declaration | undefined {
  const classIndex = findLastIndex(scopes, (node) => ts.isClassLike(node));
  if (classIndex < 0) return undefined;
  const owner = scopes[classIndex] as ts.ClassLikeDeclaration;
  const visible = scopes.slice(0, classIndex + 1);
  let declared: Declaration | undefined;
  for (const member of owner.members) {
    if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && member.name.text === name) {
      if (member.initializer) return { initializer: member.initializer, scopes: visible };
      declared = { scopes: visible };
      continue;
    }
    if (!ts.isConstructorDeclaration(member)) continue;
    const parameter = member.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name);
    if (parameter) return { scopes: [...visible, member], parameter };
    for (const statement of member.body?.statements ?? []) {
      const assigned = thisAssignment(statement, name);
      if (assigned) return { initializer: assigned, scopes: [...visible, member, member.body!] };
    }
  }
  return declared;
}

function thisAssignment(statement: ts.Statement, name: string): ts.Expression | undefined {
  if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) return undefined;
  const { left, operatorToken, right } = statement.expression;
  return operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isPropertyAccessExpression(left) &&
    left.expression.kind === ts.SyntaxKind.ThisKeyword &&
    left.name.text === name
    ? right
    : undefined;
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i])) return i;
  return -1;
}

/**
 * The environment variable an expression reads, the one reader every collector asks: `process.env.X`,
 * `process.env['X']`, `import.meta.env.X`, `Bun.env.X`, `Deno.env.get('X')`, a name destructured from one of
 * them (`const { X } = process.env`), `env.X` of a validated env object (t3-env's `createEnv`, envalid's
 * `cleanEnv`, a zod schema's `parse(process.env)`, an `env` exported by a config module, a call of a function of
 * the env module: `const { X } = dbEnv()`) and NestJS
 * `config.get('X')` / `getOrThrow('X')`. `scopes` (outermost first) resolve names declared in the file.
 */
export function envName(expression: ts.Expression, scopes: readonly ts.Node[] = []): string | undefined {
  const node = unwrap(expression);
  if (ts.isPropertyAccessExpression(node)) return isEnvObject(node.expression, scopes) ? node.name.text : undefined;
  if (ts.isElementAccessExpression(node)) {
    return ts.isStringLiteralLike(node.argumentExpression) && isEnvObject(node.expression, scopes) ? node.argumentExpression.text : undefined;
  }
  if (ts.isCallExpression(node)) return envLookup(node, scopes);
  if (ts.isIdentifier(node)) {
    const declaration = findDeclaration(node.text, scopes);
    return declaration?.destructured && isEnvObject(declaration.destructured.from, declaration.scopes) ? declaration.destructured.property : undefined;
  }
  return undefined;
}

/** A variable name a configuration lookup can mean; `config.get('db.url')` reads a nested configuration key instead. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `Deno.env.get('X')`, `config.get('X')`, `this.configService.getOrThrow<string>('X')`. */
function envLookup(call: ts.CallExpression, scopes: readonly ts.Node[]): string | undefined {
  const [key] = call.arguments;
  if (!key || !ts.isStringLiteralLike(key) || !ENV_NAME.test(key.text) || !ts.isPropertyAccessExpression(call.expression)) return undefined;
  const method = call.expression.name.text;
  if (method !== 'get' && method !== 'getOrThrow') return undefined;
  const receiver = unwrap(call.expression.expression);
  const receiverName = ts.isPropertyAccessExpression(receiver) ? receiver.name.text : ts.isIdentifier(receiver) ? receiver.text : '';
  return /config/i.test(receiverName) || isEnvObject(receiver, scopes) ? key.text : undefined;
}

/** The runtimes' environment objects (`process.env`, `import.meta.env`, `Bun.env`, `Deno.env`) and objects validated from them. */
function isEnvObject(expression: ts.Expression, scopes: readonly ts.Node[], depth = 0): boolean {
  const node = unwrap(expression);
  if (ts.isPropertyAccessExpression(node)) {
    const owner = node.expression;
    return node.name.text === 'env' && (ts.isMetaProperty(owner) || (ts.isIdentifier(owner) && RUNTIMES.has(owner.text)));
  }
  if (ts.isCallExpression(node)) return node.arguments.length === 0 && ts.isIdentifier(node.expression) && isEnvModuleExport(node.expression.text, scopes);
  if (!ts.isIdentifier(node) || depth > MAX_DEPTH) return false;
  if (node.text === 'env') return true;
  const declaration = findDeclaration(node.text, scopes);
  if (declaration) return declaration.initializer !== undefined && isValidatedEnv(declaration.initializer, declaration.scopes, depth + 1);
  const source = scopes[0];
  return source !== undefined && ts.isSourceFile(source) && importBindings(source).get(node.text)?.name === 'env';
}

/**
 * A function imported as `env` or from the project's env module (`./env`, `@/lib/env`, `~/env.mjs`): calling it
 * returns the validated environment (`const { DATABASE_HOST } = dbEnv()`).
 */
function isEnvModuleExport(name: string, scopes: readonly ts.Node[]): boolean {
  const source = scopes[0];
  const binding = source !== undefined && ts.isSourceFile(source) ? importBindings(source).get(name) : undefined;
  if (binding === undefined || declaringScope(name, scopes) !== undefined) return false;
  return binding.name === 'env' || (/^[.@~#]/.test(binding.from) && ENV_MODULE.test(binding.from));
}

/** A local module named env: `./env`, `../lib/env.js`, `@/env.mjs`. */
const ENV_MODULE = /(^|\/)env(\.[cm]?[jt]s)?$/;

const RUNTIMES = new Set(['process', 'Bun', 'Deno']);

/** `process.env` itself, t3-env's `createEnv({…})`, `cleanEnv(process.env, …)`, `schema.parse(process.env)`, `schema.safeParse(process.env).data`. */
function isValidatedEnv(initializer: ts.Expression, scopes: readonly ts.Node[], depth: number): boolean {
  let node = unwrap(initializer);
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'data') node = unwrap(node.expression);
  if (!ts.isCallExpression(node)) return isEnvObject(node, scopes, depth);
  const callee = unwrap(node.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  if (name === 'createEnv') return true;
  return ENV_VALIDATORS.has(name) && node.arguments.some((argument) => isEnvObject(argument, scopes, depth));
}

/** The calls that validate an environment object and return it typed (envalid, envsafe, zod, valibot, yup, joi). */
const ENV_VALIDATORS = new Set(['cleanEnv', 'envsafe', 'parse', 'safeParse', 'parseAsync', 'validateSync', 'validate']);

/** The parts of a string-valued expression, resolved as far as this file allows. */
export function valueParts(expression: ts.Expression, scopes: readonly ts.Node[], source: ts.SourceFile, depth = 0): ValuePart[] {
  const node = unwrap(expression);
  const unknown = (): ValuePart[] => [{ kind: 'unknown', text: shortText(node, source) }];
  if (depth > MAX_DEPTH) return unknown();
  const recurse = (e: ts.Expression, s: readonly ts.Node[] = scopes) => valueParts(e, s, source, depth + 1);

  if (ts.isStringLiteralLike(node)) return [{ kind: 'text', text: node.text }];
  if (ts.isNumericLiteral(node)) return [{ kind: 'text', text: node.text }];
  if (ts.isTemplateExpression(node)) {
    const parts: ValuePart[] = [{ kind: 'text', text: node.head.text }];
    for (const span of node.templateSpans) parts.push(...recurse(span.expression), { kind: 'text', text: span.literal.text });
    return joinText(parts);
  }
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    if (operator === ts.SyntaxKind.PlusToken) return joinText([...recurse(node.left), ...recurse(node.right)]);
    if (operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.BarBarToken) {
      const left = recurse(node.left);
      if (left.length === 1 && left[0].kind === 'env') return [withFallback(left[0], recurse(node.right))];
      return left;
    }
  }
  const env = envName(node, scopes);
  if (env !== undefined) return [{ kind: 'env', name: env }];
  if (ts.isIdentifier(node)) return identifierParts(node.text, scopes, source, depth) ?? unknown();
  if (ts.isPropertyAccessExpression(node)) {
    if (node.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const member = findClassMember(node.name.text, scopes);
      return member?.initializer ? recurse(member.initializer, member.scopes) : unknown();
    }
    const path = dottedName(node);
    if (path) {
      const [head, ...rest] = path.split('.');
      const binding = importBindings(source).get(head);
      if (binding) return [{ kind: 'import', name: binding.name === 'default' || binding.name === '*' ? rest.join('.') : [binding.name, ...rest].join('.'), from: binding.from }];
      const declaration = findDeclaration(head, scopes);
      const member = declaration?.initializer && objectMember(declaration.initializer, rest);
      if (member) return recurse(member, declaration.scopes);
    }
  }
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && TEXT_CONVERSIONS.has(node.expression.text) && node.arguments.length > 0) {
    return recurse(node.arguments[0]);
  }
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL' && node.arguments?.length === 2) {
    return joinText([...recurse(node.arguments[1]), ...recurse(node.arguments[0])]);
  }
  return unknown();
}

/**
 * `a ?? b ?? c ?? 'x'` parses as `((a ?? b) ?? c) ?? 'x'`: each link becomes the fallback of the last env read of the
 * chain so far, so every variable is kept and the literal ends the chain. A chain that already ends in a value
 * keeps it (what follows is never reached).
 */
function withFallback(part: Extract<ValuePart, { kind: 'env' }>, fallback: ValuePart[]): ValuePart {
  if (!part.fallback) return { ...part, fallback };
  const [inner] = part.fallback;
  return part.fallback.length === 1 && inner.kind === 'env' ? { ...part, fallback: [withFallback(inner, fallback)] } : part;
}

/** `Number(process.env.DB_PORT)`, `parseInt(port, 10)`, `String(x)`: their argument as written. */
const TEXT_CONVERSIONS = new Set(['Number', 'parseInt', 'String']);

function identifierParts(name: string, scopes: readonly ts.Node[], source: ts.SourceFile, depth: number): ValuePart[] | undefined {
  const declaration = findDeclaration(name, scopes);
  if (declaration?.initializer) return valueParts(declaration.initializer, declaration.scopes, source, depth + 1);
  if (declaration) return undefined;
  const binding = importBindings(source).get(name);
  if (binding && binding.name !== '*') return [{ kind: 'import', name: binding.name, from: binding.from }];
  return undefined;
}

/** `a.b.c` for a chain of identifiers. */
export function dottedName(node: ts.Expression): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) {
    const head = dottedName(node.expression);
    return head === undefined ? undefined : `${head}.${node.name.text}`;
  }
  return undefined;
}

/** The expression at `path` inside nested object literals. */
export function objectMember(expression: ts.Expression, path: string[]): ts.Expression | undefined {
  let current: ts.Expression | undefined = unwrap(expression);
  for (const key of path) {
    if (!current || !ts.isObjectLiteralExpression(current)) return undefined;
    current = propertyValue(current, key);
    if (current) current = unwrap(current);
  }
  return current;
}

/** The value of property `key` of an object literal (`key: v` or shorthand `key`). */
export function propertyValue(object: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const property of object.properties) {
    const name = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
    if (name !== key) continue;
    if (ts.isPropertyAssignment(property)) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property)) return property.name;
  }
  return undefined;
}

/** Merges neighbouring text parts and drops empty ones. */
function joinText(parts: ValuePart[]): ValuePart[] {
  const joined: ValuePart[] = [];
  for (const part of parts) {
    const last = joined[joined.length - 1];
    if (part.kind === 'text' && part.text === '') continue;
    if (part.kind === 'text' && last?.kind === 'text') joined[joined.length - 1] = { kind: 'text', text: last.text + part.text };
    else joined.push(part);
  }
  return joined;
}

/** The start of a node's text, whitespace flattened: read from its first characters, not the whole node (a minified bundle can be one). */
function shortText(node: ts.Node, source: ts.SourceFile): string {
  const start = node.getStart(source);
  const end = Math.min(node.end, start + 400);
  const flat = source.text.slice(start, end).replace(/\s+/g, ' ');
  return flat.length > 40 || end < node.end ? `${flat.slice(0, 37)}...` : flat;
}

/** True when the parts look like a URL or carry one (an env var, a literal with a scheme or a leading slash). */
export function looksLikeUrl(parts: ValuePart[]): boolean {
  const [first] = parts;
  if (!first) return false;
  if (first.kind === 'text') return /^(https?:)?\/\//i.test(first.text) || first.text.startsWith('/');
  if (first.kind === 'env') return /URL|URI|HOST|ENDPOINT|ADDR|BASE/i.test(first.name) || (first.fallback ? looksLikeUrl(first.fallback) : false);
  return first.kind === 'import' && /URL|URI|HOST|ENDPOINT|BASE/i.test(first.name);
}
