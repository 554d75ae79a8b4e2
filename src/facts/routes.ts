import { ts } from '../util/typescript.cjs';
import type { ForwardedField, RouteFact, RouteMountFact } from '../model.js';
import { clientOf } from './http-calls.js';
import type { ParsedFile, TypeScriptCollector } from './typescript-walk.js';
import { findDeclaration, importBindings, propertyValue, unwrap } from './values.js';

const ROUTE_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all']);
const NEST_VERBS: Record<string, string> = { Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Head: 'HEAD', Options: 'OPTIONS', All: 'ALL' };
const FRAMEWORKS: [RegExp, RouteFact['framework']][] = [
  [/^express$/, 'express'],
  [/^fastify$/, 'fastify'],
  [/^(koa-router|@koa\/router)$/, 'koa'],
  [/^hono(\/.*)?$/, 'hono'],
];

/** OpenAPI-style path: `:id` becomes `{id}`, slashes are normalised. */
export function normaliseRoutePath(...segments: string[]): string {
  const joined = segments
    .flatMap((s) => s.split('/'))
    .filter((s) => s !== '')
    .map((s) => s.replace(/^:(\w+)\??$/, '{$1}'))
    .join('/');
  return `/${joined}`;
}

/** A route handler being walked: which expressions are request fields, and what has been seen of each. */
interface HandlerScope {
  route: RouteFact;
  /** `req` of express handlers (fields are `req.body.x`), or the NestJS `@Body()` parameter (fields are `dto.x`). */
  requestName?: string;
  bodyName?: string;
  seen: Map<string, { forwarded: ForwardedField[]; read: boolean }>;
}

const handlers = new WeakMap<ts.Node, HandlerScope>();

/** Server routes: express/fastify/koa/hono registrations and NestJS controllers, plus the request fields handlers pass on unread. */
export const routeCollector: TypeScriptCollector = {
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.ClassDeclaration, ts.SyntaxKind.PropertyAccessExpression],
  visit(node, parsed, facts) {
    if (ts.isCallExpression(node)) {
      const mount = routeMount(node, parsed);
      if (mount) (facts.routeMounts ??= []).push(mount);
      const route = routeRegistration(node, parsed);
      if (route) (facts.routes ??= []).push(route);
    } else if (ts.isClassDeclaration(node)) {
      for (const route of nestRoutes(node, parsed)) (facts.routes ??= []).push(route);
    } else if (ts.isPropertyAccessExpression(node)) {
      noteRequestField(node, parsed);
    }
  },
};

function frameworkOf(source: ts.SourceFile): RouteFact['framework'] {
  for (const binding of importBindings(source).values()) {
    const found = FRAMEWORKS.find(([pattern]) => pattern.test(binding.from));
    if (found) return found[1];
  }
  return 'express';
}

function literalPath(node: ts.Expression | undefined): string | undefined {
  const value = node && unwrap(node);
  return value && ts.isStringLiteralLike(value) && /^[/*]/.test(value.text) ? value.text : undefined;
}

/** `app.get('/x', handler)`, `router.route('/x').post(handler)`, `fastify.route({ method, url, handler })`. */
function routeRegistration(node: ts.CallExpression, parsed: ParsedFile): RouteFact | undefined {
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const name = callee.name.text;
  const receiver = unwrap(callee.expression);
  let method: string | undefined;
  let path: string | undefined;
  let handler: ts.Expression | undefined;
  let router: ts.Expression = receiver;
  if (ROUTE_VERBS.has(name) && ts.isCallExpression(receiver) && ts.isPropertyAccessExpression(receiver.expression) && receiver.expression.name.text === 'route') {
    method = name.toUpperCase();
    path = literalPath(receiver.arguments[0]);
    handler = node.arguments[node.arguments.length - 1];
    router = receiver.expression.expression;
  } else if (ROUTE_VERBS.has(name) && node.arguments.length >= 2) {
    handler = node.arguments[node.arguments.length - 1];
    if (!isHandler(handler)) return undefined;
    method = name.toUpperCase();
    path = literalPath(node.arguments[0]);
  } else if (name === 'route' && node.arguments.length === 1 && ts.isObjectLiteralExpression(unwrap(node.arguments[0]))) {
    const options = unwrap(node.arguments[0]) as ts.ObjectLiteralExpression;
    const methodValue = propertyValue(options, 'method');
    method = methodValue && ts.isStringLiteralLike(methodValue) ? methodValue.text.toUpperCase() : undefined;
    path = literalPath(propertyValue(options, 'url') ?? propertyValue(options, 'path'));
    handler = propertyValue(options, 'handler');
  }
  if (!method || path === undefined) return undefined;
  if (clientOf(router, parsed.ancestors, parsed.source)) return undefined;
  const routerName = ts.isIdentifier(router) ? router.text : undefined;
  const route: RouteFact = {
    framework: frameworkOf(parsed.source),
    method,
    path: normaliseRoutePath(routerPrefix(router, parsed), path),
    location: parsed.locate(node),
  };
  if (routerName) route.router = routerName;
  if (handler && (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler))) {
    const request = handler.parameters[0];
    if (request && ts.isIdentifier(request.name)) handlers.set(handler, { route, requestName: request.name.text, seen: new Map() });
  }
  return route;
}

function isHandler(node: ts.Expression | undefined): boolean {
  if (!node) return false;
  const value = unwrap(node);
  return ts.isArrowFunction(value) || ts.isFunctionExpression(value) || ts.isIdentifier(value) || ts.isPropertyAccessExpression(value) || ts.isCallExpression(value);
}

/** The prefix of a koa-router declared as `new Router({ prefix: '/x' })` in this file. */
function routerPrefix(router: ts.Expression, parsed: ParsedFile): string {
  if (!ts.isIdentifier(router)) return '';
  const initializer = findDeclaration(router.text, parsed.ancestors)?.initializer;
  const value = initializer && unwrap(initializer);
  if (!value || !ts.isNewExpression(value) || !value.arguments?.[0] || !ts.isObjectLiteralExpression(unwrap(value.arguments[0]))) return '';
  return literalPath(propertyValue(unwrap(value.arguments[0]) as ts.ObjectLiteralExpression, 'prefix')) ?? '';
}

/** `app.use('/api', router)`, `router.use('/x', sub.routes())`, hono `app.route('/x', sub)`, `register(plugin, { prefix })`, `setGlobalPrefix('api')`. */
function routeMount(node: ts.CallExpression, parsed: ParsedFile): RouteMountFact | undefined {
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const name = callee.name.text;
  const [first, second] = node.arguments;
  if (name === 'setGlobalPrefix' && first && ts.isStringLiteralLike(unwrap(first))) {
    return { prefix: normaliseRoutePath((unwrap(first) as ts.StringLiteralLike).text), location: parsed.locate(node) };
  }
  let prefix: string | undefined;
  let target: ts.Expression | undefined;
  if ((name === 'use' || name === 'route') && node.arguments.length === 2) {
    prefix = literalPath(first);
    target = second;
  } else if (name === 'register' && second && ts.isObjectLiteralExpression(unwrap(second))) {
    prefix = literalPath(propertyValue(unwrap(second) as ts.ObjectLiteralExpression, 'prefix'));
    target = first;
  }
  if (prefix === undefined || !target) return undefined;
  let router = unwrap(target);
  if (ts.isCallExpression(router) && ts.isPropertyAccessExpression(router.expression) && router.expression.name.text === 'routes') router = router.expression.expression;
  if (!ts.isIdentifier(router)) return undefined;
  const binding = importBindings(parsed.source).get(router.text);
  return {
    prefix: normaliseRoutePath(prefix),
    router: binding ? { name: binding.name, from: binding.from } : { name: router.text },
    location: parsed.locate(node),
  };
}

function decorator(node: ts.HasDecorators, names: (name: string) => boolean): { name: string; args: readonly ts.Expression[] } | undefined {
  for (const d of ts.getDecorators(node) ?? []) {
    const call = d.expression;
    if (ts.isCallExpression(call) && ts.isIdentifier(call.expression) && names(call.expression.text)) return { name: call.expression.text, args: call.arguments };
  }
  return undefined;
}

function decoratorPath(args: readonly ts.Expression[]): string {
  const first = args[0] && unwrap(args[0]);
  if (!first) return '';
  if (ts.isStringLiteralLike(first)) return first.text;
  if (ts.isArrayLiteralExpression(first) && first.elements[0] && ts.isStringLiteralLike(first.elements[0])) return first.elements[0].text;
  if (ts.isObjectLiteralExpression(first)) {
    const path = propertyValue(first, 'path');
    if (path && ts.isStringLiteralLike(path)) return path.text;
  }
  return '';
}

/** `@Controller('orders')` with `@Post(':id/pay')` methods; the `@Body()` parameter is watched for pass-through fields. */
function nestRoutes(node: ts.ClassDeclaration, parsed: ParsedFile): RouteFact[] {
  const controller = decorator(node, (name) => name === 'Controller');
  if (!controller) return [];
  const prefix = decoratorPath(controller.args);
  const routes: RouteFact[] = [];
  for (const member of node.members) {
    if (!ts.isMethodDeclaration(member)) continue;
    const verb = decorator(member, (name) => name in NEST_VERBS);
    if (!verb) continue;
    const route: RouteFact = { framework: 'nestjs', method: NEST_VERBS[verb.name], path: normaliseRoutePath(prefix, decoratorPath(verb.args)), location: parsed.locate(member.name) };
    const body = member.parameters.find((p) => decorator(p, (name) => name === 'Body' || name === 'Req' || name === 'Request'));
    if (body && ts.isIdentifier(body.name)) {
      const kind = decorator(body, (name) => name === 'Body');
      handlers.set(member, { route, ...(kind ? { bodyName: body.name.text } : { requestName: body.name.text }), seen: new Map() });
    }
    routes.push(route);
  }
  return routes;
}

/**
 * Watches request fields inside route handlers during the one walk: `req.body.x` (express) or `dto.x`
 * (NestJS `@Body()`). A field passed whole as an argument of a call (or as a property of an object
 * argument) is forwarded; any other use reads it. Identifiers (`…Id`) are correlation keys, not pass-through data.
 */
function noteRequestField(node: ts.PropertyAccessExpression, parsed: ParsedFile): void {
  const inner = node.expression;
  const root = ts.isPropertyAccessExpression(inner) && inner.name.text === 'body' && ts.isIdentifier(inner.expression) ? inner.expression.text : ts.isIdentifier(inner) ? inner.text : undefined;
  if (!root) return;
  const scope = enclosingHandler(parsed.ancestors);
  if (!scope) return;
  const isField = ts.isPropertyAccessExpression(inner) ? root === scope.requestName : root === scope.bodyName;
  if (!isField || /id$/i.test(node.name.text)) return;
  const field = node.getText(parsed.source);
  const entry = scope.seen.get(field) ?? { forwarded: [], read: false };
  scope.seen.set(field, entry);
  const call = receivingCall(node, parsed.ancestors);
  if (call) entry.forwarded.push({ field, location: parsed.locate(node), call: parsed.locate(call) });
  else entry.read = true;
  const forwards = [...scope.seen.values()].filter((e) => !e.read).flatMap((e) => e.forwarded);
  if (forwards.length > 0) scope.route.forwards = forwards;
  else delete scope.route.forwards;
}

function enclosingHandler(ancestors: readonly ts.Node[]): HandlerScope | undefined {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const scope = handlers.get(ancestors[i]);
    if (scope) return scope;
  }
  return undefined;
}

/** The method call that receives `node` whole: as an argument, or as a property value of an object argument. */
function receivingCall(node: ts.Node, ancestors: readonly ts.Node[]): ts.CallExpression | undefined {
  let child: ts.Node = node;
  let i = ancestors.length - 1;
  const parentOf = () => ancestors[i];
  if (ts.isPropertyAssignment(parentOf()) || ts.isShorthandPropertyAssignment(parentOf())) {
    child = ancestors[i - 1];
    i -= 2;
    if (!child || !ts.isObjectLiteralExpression(child)) return undefined;
  }
  const parent = parentOf();
  return parent && ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression) && parent.arguments.includes(child as ts.Expression) ? parent : undefined;
}
