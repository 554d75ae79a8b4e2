import { ts } from '../util/typescript.cjs';
import type { HttpCallFact, PassedValue, PayloadRead } from '../model.js';
import type { ParsedFile } from './typescript-walk.js';
import { declaringScope, enclosingClass, findDeclaration, importBindings, propertyValue, unwrap } from './values.js';

/**
 * What a caller does with an HTTP response and sends in a request, as far as the one walk sees: the response body
 * properties it reads (`res.data.total`, `const { total } = await res.json()`, `.then((r) => r.data.items[0].price)`)
 * and the properties of an object-literal request body. No types: a read is a property access on a name bound to
 * the response or its body in the function that made the call. A value handed to a named function
 * (`summarize(res.data)`) is a pass: the graph follows it to that function's parameter reads (parameter-uses.ts).
 */

/** Whether a name stands for the response (`res`, whose `.data`/`.body`/`.json()` is the body) or for the body itself. */
export type Level = 'response' | 'body';

/** Where what one value meets goes: a property path read, or the value (a part of it) handed to a named function. */
export interface ValueSink {
  read(path: string, at: ts.Node): void;
  pass(passed: Omit<PassedValue, 'location'>, at: ts.Node): void;
}

/** What a name bound in a scope stands for (the name means it where findDeclaration finds the name in that scope). */
interface Binding {
  level: Level;
  /** The body path the bound value sits at (`customer` for `const { customer } = body`). */
  prefix: string;
  sink: ValueSink;
}

/**
 * Per parsed file, the names bound to responses so far (the walk visits a call before the statements after it):
 * by name, then by declaring scope, so that a minified bundle's thousands of `.then((r) => …)` stay one lookup each.
 */
type Bindings = Map<string, Map<ts.Node, Binding>>;
const bindingsBySource = new WeakMap<ts.SourceFile, Bindings>();

/** Clients whose call returns the body itself (a generated client's method), not a response object. */
const RETURNS_BODY = new Set<HttpCallFact['client']>(['client-factory']);
const BODY_MEMBERS = new Set(['data', 'body']);

/** Called for each recorded call: follows its value up to a binding or a read, and records the request body's properties. */
export function trackCall(call: ts.CallExpression | ts.NewExpression, fact: HttpCallFact, parsed: ParsedFile): void {
  if (ts.isCallExpression(call)) {
    const sent = sentBody(call, fact, parsed);
    if (sent) fact.sends = sent;
  }
  const sink: ValueSink = {
    read(path) {
      const reads = (fact.reads ??= []);
      if (!reads.includes(path)) reads.push(path);
    },
    pass: (passed, at) => addPass(fact, passed, at, parsed),
  };
  follow(call, parsed.ancestors.length - 1, RETURNS_BODY.has(fact.client) ? 'body' : 'response', '', sink, parsed);
}

/**
 * A value read the same way that is not an HTTP response: an event payload (`JSON.parse(message.value)` in a handler,
 * a handler's payload parameter), or a job whose `.data` is the payload (`level` response). Follows `node`, the
 * expression being visited, to a binding or a read.
 */
export function trackValue(node: ts.Expression, level: Level, sink: ValueSink, parsed: ParsedFile): void {
  follow(node, parsed.ancestors.length - 1, level, '', sink, parsed);
}

/** A parameter (or its destructuring) of `scope`, a function, given such a value; `prefix` is the path it sits at (`@Payload('order')`). */
export function bindValue(name: ts.BindingName, scope: ts.Node, level: Level, prefix: string, sink: ValueSink, parsed: ParsedFile): void {
  bind(name, scope, level, prefix, sink, parsed);
}

/** After the walk of a file: its bindings hold closures over its syntax tree, which is let go at once rather than at the next full collection. */
export function releaseBindings(parsed: ParsedFile): void {
  bindingsBySource.delete(parsed.source);
}

/** Called for each variable declaration: `const { total } = body` or `const order = body` passes a bound body on. */
export function visitDeclaration(node: ts.VariableDeclaration, parsed: ParsedFile): void {
  const bindings = bindingsBySource.get(parsed.source);
  const initializer = bindings && node.initializer && unwrap(node.initializer);
  if (!initializer || !ts.isIdentifier(initializer)) return;
  const binding = boundAt(initializer.text, bindings!, parsed);
  if (binding) bind(node.name, scopeAbove(parsed.ancestors, parsed.ancestors.length - 1), binding.level, binding.prefix, binding.sink, parsed);
}

/** The binding a name means where it is used: the one declared in the scope findDeclaration finds the name in. */
function boundAt(name: string, bindings: Bindings, parsed: ParsedFile): Binding | undefined {
  const byScope = bindings.get(name);
  // Most names bound somewhere in a file are used elsewhere (another function's parameter of the same name): only
  // inside a scope it is bound in is it worth asking which declaration the name means.
  if (!byScope || !parsed.ancestors.some((node) => byScope.has(node))) return undefined;
  const scope = declaringScope(name, parsed.ancestors);
  return scope && byScope.get(scope);
}

/** Called for each property or element access: a read when its chain starts at a name bound to a response. */
export function visitAccess(node: ts.PropertyAccessExpression | ts.ElementAccessExpression, parsed: ParsedFile): void {
  const bindings = bindingsBySource.get(parsed.source);
  if (!bindings) return;
  const parent = parsed.ancestors[parsed.ancestors.length - 1];
  // The outermost access of a chain is visited first and reads the whole chain.
  if (parent && (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === node) return;
  const binding = boundRoot(node, bindings, parsed);
  if (!binding) return;
  const chain = accessedNames(node);
  if (binding.level === 'body') {
    record(binding.sink, binding.prefix, chain, node);
    return;
  }
  // A response: `.data`/`.body` is the body, `.json()` gives it; `.status` and `.headers` are no body.
  const [member, ...rest] = chain;
  if (BODY_MEMBERS.has(member)) {
    if (rest.length > 0) record(binding.sink, binding.prefix, rest, node);
    else followFromAccess(node, parsed, binding);
  } else if (member === 'json' && chain.length === 1) {
    const call = parent && ts.isCallExpression(parent) && parent.expression === node ? parent : undefined;
    if (call) follow(call, parsed.ancestors.length - 2, 'body', binding.prefix, binding.sink, parsed);
  }
}

/** A link of an access chain (`msg.order.lines`, `res['data']!`). */
function isChainLink(node: ts.Expression): node is ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.NonNullExpression | ts.ParenthesizedExpression {
  return ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isNonNullExpression(node) || ts.isParenthesizedExpression(node);
}

/** The binding of the name an access chain starts at, if any (looked up before anything is built: most chains start at no bound name). */
function boundRoot(node: ts.Expression, bindings: Bindings, parsed: ParsedFile): Binding | undefined {
  let root = node;
  while (isChainLink(root)) root = root.expression;
  return ts.isIdentifier(root) ? boundAt(root.text, bindings, parsed) : undefined;
}

/** The property names an access chain reads, outermost last (array indexes dropped). */
function accessedNames(node: ts.Expression): string[] {
  const chain: string[] = [];
  let current = node;
  while (isChainLink(current)) {
    if (ts.isPropertyAccessExpression(current)) chain.unshift(current.name.text);
    else if (ts.isElementAccessExpression(current) && ts.isStringLiteralLike(current.argumentExpression)) chain.unshift(current.argumentExpression.text);
    current = current.expression;
  }
  return chain;
}

/**
 * Called for each call: an argument that is a bound value or an access chain off one (`process(msg)`,
 * `process(msg.order)`, `summarize(res.data)`) is handed to the function called.
 */
export function visitCall(node: ts.CallExpression, parsed: ParsedFile): void {
  const bindings = bindingsBySource.get(parsed.source);
  if (!bindings) return;
  node.arguments.forEach((argument, index) => {
    const value = unwrap(argument);
    const binding = boundRoot(value, bindings, parsed);
    if (!binding) return;
    const chain = accessedNames(value);
    if (binding.level === 'body' || chain.length === 0) return passTo(node, index, binding.level, chain.reduce(join, binding.prefix), binding.sink, parsed);
    // A response's `.data`/`.body` (or a part of it) is the body; its `.status` is none.
    if (BODY_MEMBERS.has(chain[0])) passTo(node, index, 'body', chain.slice(1).reduce(join, binding.prefix), binding.sink, parsed);
  });
}

/** The value at `path`, the `index`th argument of `call`, handed to the function called when it is a named one. */
function passTo(call: ts.CallExpression, index: number, level: Level, path: string, sink: ValueSink, parsed: ParsedFile): void {
  const callee = calledFunction(call, parsed);
  if (callee) sink.pass({ ...callee, index, path, ...(level === 'response' ? { response: true as const } : {}) }, call.arguments[index]);
}

/**
 * The named function a call calls: one of this module (`process(…)`, `this.process(…)` as `Class.process`), or an
 * imported one (`process(…)` imported by name, `helpers.process(…)` of a namespace import).
 */
function calledFunction(call: ts.CallExpression, parsed: ParsedFile): Pick<PassedValue, 'callee' | 'from'> | undefined {
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) {
    const imported = importBindings(parsed.source).get(callee.text);
    if (imported && imported.name !== '*' && !findDeclaration(callee.text, parsed.ancestors)) return { callee: imported.name, from: imported.from };
    return { callee: callee.text };
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  if (callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const owner = enclosingClass(parsed.ancestors);
    return owner?.name ? { callee: `${owner.name.text}.${callee.name.text}` } : undefined;
  }
  const namespace = ts.isIdentifier(callee.expression) ? importBindings(parsed.source).get(callee.expression.text) : undefined;
  return namespace?.name === '*' ? { callee: callee.name.text, from: namespace.from } : undefined;
}

/** Records a pass once per function, parameter and path. */
export function addPass(holder: { passes?: PassedValue[] }, passed: Omit<PassedValue, 'location'>, at: ts.Node, parsed: ParsedFile): void {
  const passes = (holder.passes ??= []);
  const same = (p: PassedValue) => p.callee === passed.callee && p.from === passed.from && p.index === passed.index && p.path === passed.path && p.response === passed.response;
  if (!passes.some(same)) passes.push({ ...passed, location: parsed.locate(at) });
}

/** Records a read once per path, where first read. */
export function addRead(holder: { reads?: PayloadRead[] }, path: string, at: ts.Node, parsed: ParsedFile): void {
  const reads = (holder.reads ??= []);
  if (!reads.some((read) => read.path === path)) reads.push({ path, location: parsed.locate(at) });
}

/** `const body = res.data` / `const { total } = res.data`: the body bound to a name in turn. */
function followFromAccess(node: ts.Expression, parsed: ParsedFile, binding: Binding): void {
  follow(node, parsed.ancestors.length - 1, 'body', binding.prefix, binding.sink, parsed);
}

/**
 * Climbs from an expression whose value is a response (or body) through `await`, parentheses and `.data`/`.json()`
 * to what uses it: a read, a variable (or destructuring) declaration, or the parameter of a `.then` callback.
 */
function follow(start: ts.Node, parentIndex: number, startLevel: Level, prefix: string, sink: ValueSink, parsed: ParsedFile): void {
  const { ancestors } = parsed;
  let node = start;
  let level = startLevel;
  let i = parentIndex;
  while (i >= 0) {
    const parent = ancestors[i];
    if (ts.isAwaitExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isSatisfiesExpression(parent)) {
      node = parent;
      i--;
      continue;
    }
    const isReceiver = (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === node;
    if (ts.isCallExpression(parent) && parent.expression !== node) {
      // `process(JSON.parse(message.value))`, `summarize(await api.get(url))`: handed to the function called.
      const index = parent.arguments.indexOf(node as ts.Expression);
      if (index >= 0) passTo(parent, index, level, prefix, sink, parsed);
      return;
    }
    if (isReceiver && ts.isPropertyAccessExpression(parent) && parent.name.text === 'then') {
      const call = ancestors[i - 1];
      const callback = call && ts.isCallExpression(call) && call.expression === parent ? call.arguments[0] : undefined;
      const parameter = callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) ? callback.parameters[0] : undefined;
      if (parameter) bind(parameter.name, callback!, level, prefix, sink, parsed);
      return;
    }
    if (isReceiver && level === 'response') {
      const member = ts.isPropertyAccessExpression(parent) ? parent.name.text : undefined;
      const call = ancestors[i - 1];
      if (member && BODY_MEMBERS.has(member)) {
        level = 'body';
        node = parent;
        i--;
      } else if (member === 'json' && call && ts.isCallExpression(call) && call.expression === parent) {
        level = 'body';
        node = call;
        i -= 2;
      } else return;
      continue;
    }
    if (isReceiver) {
      // `(await api.get(url)).data.items[0].price`: the chain read off the body.
      const chain: string[] = [];
      let j = i;
      let current: ts.Node = node;
      while (j >= 0) {
        const outer = ancestors[j];
        if (ts.isPropertyAccessExpression(outer) && outer.expression === current) chain.push(outer.name.text);
        else if (ts.isElementAccessExpression(outer) && outer.expression === current) {
          if (ts.isStringLiteralLike(outer.argumentExpression)) chain.push(outer.argumentExpression.text);
        } else if (!(ts.isNonNullExpression(outer) && outer.expression === current)) break;
        current = outer;
        j--;
      }
      record(sink, prefix, chain, current);
      return;
    }
    if (ts.isVariableDeclaration(parent) && parent.initializer === node) bind(parent.name, scopeAbove(ancestors, i), level, prefix, sink, parsed);
    return;
  }
}

/** The nearest enclosing block, module body, file or function: where findDeclaration finds a variable declared below it. */
function scopeAbove(ancestors: readonly ts.Node[], index: number): ts.Node {
  for (let i = index; i >= 0; i--) {
    const node = ancestors[i];
    if (ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node) || ts.isFunctionLike(node)) return node;
  }
  return ancestors[0];
}

/** A name (or a destructuring pattern) given the response or its body. */
function bind(name: ts.BindingName, scope: ts.Node, level: Level, prefix: string, sink: ValueSink, parsed: ParsedFile): void {
  if (ts.isIdentifier(name)) {
    let bindings = bindingsBySource.get(parsed.source);
    if (!bindings) bindingsBySource.set(parsed.source, (bindings = new Map()));
    let byScope = bindings.get(name.text);
    if (!byScope) bindings.set(name.text, (byScope = new Map()));
    if (!byScope.has(scope)) byScope.set(scope, { level, prefix, sink });
    return;
  }
  if (!ts.isObjectBindingPattern(name)) return;
  for (const element of name.elements) {
    if (element.dotDotDotToken) continue;
    const key = element.propertyName ?? element.name;
    const property = ts.isIdentifier(key) || ts.isStringLiteral(key) ? key.text : undefined;
    if (property === undefined) continue;
    if (level === 'response') {
      if (BODY_MEMBERS.has(property)) bind(element.name, scope, 'body', prefix, sink, parsed);
      continue;
    }
    record(sink, prefix, [property], element);
    bind(element.name, scope, 'body', join(prefix, property), sink, parsed);
  }
}

function join(prefix: string, property: string): string {
  return prefix === '' ? property : `${prefix}.${property}`;
}

function record(sink: ValueSink, prefix: string, chain: string[], at: ts.Node): void {
  if (chain.length > 0) sink.read(chain.reduce(join, prefix), at);
}

/**
 * The top-level properties of the request body when it is an object literal without spreads (directly, or a
 * local constant holding one, or `JSON.stringify` of one): axios-style `post(url, body)`, `{ data }`, got/ky
 * `{ json }`, fetch `{ body }`. Undefined when the call sends no body the walk can read.
 */
function sentBody(call: ts.CallExpression, fact: HttpCallFact, parsed: ParsedFile): string[] | undefined {
  if (!fact.method || !['POST', 'PUT', 'PATCH'].includes(fact.method)) return undefined;
  const callee = call.expression;
  const verb = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  const options = (argument: ts.Expression | undefined, keys: string[]) => {
    const object = argument && objectLiteral(argument, parsed);
    return object && keys.map((key) => propertyValue(object, key)).find((value) => value !== undefined);
  };
  let body: ts.Expression | undefined;
  if (fact.client === 'fetch') body = options(call.arguments[1], ['body']);
  else if (fact.client === 'got' || fact.client === 'ky') body = options(call.arguments[1], ['json', 'body']);
  else if (verb && ['post', 'put', 'patch'].includes(verb)) body = call.arguments[1];
  else body = options(call.arguments.length === 1 ? call.arguments[0] : call.arguments[1], ['data', 'json', 'body']);
  const object = body && objectLiteral(body, parsed);
  if (!object || object.properties.some((p) => !ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p) && !ts.isMethodDeclaration(p))) return undefined;
  const names = object.properties.map((p) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined));
  return names.every((n) => n !== undefined) ? (names as string[]) : undefined;
}

/** The object literal an expression is: written there, held by a local constant, or given to `JSON.stringify`. */
function objectLiteral(expression: ts.Expression, parsed: ParsedFile, depth = 0): ts.ObjectLiteralExpression | undefined {
  const node = unwrap(expression);
  if (ts.isObjectLiteralExpression(node)) return node;
  if (depth > 3) return undefined;
  if (ts.isIdentifier(node)) {
    const initializer = findDeclaration(node.text, parsed.ancestors)?.initializer;
    return initializer && objectLiteral(initializer, parsed, depth + 1);
  }
  if (!ts.isCallExpression(node) || !node.arguments[0]) return undefined;
  const callee = node.expression;
  const isStringify = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'JSON' && callee.name.text === 'stringify';
  return isStringify ? objectLiteral(node.arguments[0], parsed, depth + 1) : undefined;
}
