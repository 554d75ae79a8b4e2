import { ts } from '../util/typescript.cjs';
import type { ExportedClientFact, HttpCallFact, HttpClientKind, ValuePart } from '../model.js';
import { isDatabaseClientModule } from './data-access.js';
import { trackCall, visitAccess, visitDeclaration } from './response-use.js';
import type { ParsedFile, TypeScriptCollector } from './typescript-walk.js';
import { findClassMember, findDeclaration, hasModifier, importBindings, looksLikeUrl, propertyValue, requiredModule, unwrap, valueParts } from './values.js';

/** Packages whose default (or namespace) export is an HTTP client, and the client they are. */
const CLIENT_PACKAGES: Record<string, HttpClientKind> = {
  axios: 'axios',
  got: 'got',
  ky: 'ky',
  'ky-universal': 'ky',
  undici: 'undici',
  superagent: 'superagent',
  'node-fetch': 'fetch',
  'cross-fetch': 'fetch',
  'isomorphic-fetch': 'fetch',
};

const VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);
/** Option names that carry a base URL: axios, got/ky, openapi-generator `Configuration`, GraphQL links (`uri`), hand-written clients. */
const BASE_URL_KEYS = ['baseURL', 'baseUrl', 'basePath', 'prefixUrl', 'prefixURL', 'serverUrl', 'apiUrl', 'url', 'uri'];
/** Classes and factories whose name says they are API clients (for positional base URL arguments). */
const CLIENT_NAME = /(client|api|sdk|http|service|gateway)$/i;

/** The HTTP client an expression stands for, with the base URL it was built with. */
export interface ClientInfo {
  client: HttpClientKind;
  baseUrl?: ValuePart[];
  via?: { name: string; from: string };
}

/** What client (if any) `expression` is, following local constants, class members and imports. */
export function clientOf(expression: ts.Expression, scopes: readonly ts.Node[], source: ts.SourceFile, depth = 0): ClientInfo | undefined {
  if (depth > 4) return undefined;
  const node = unwrap(expression);
  if (ts.isIdentifier(node)) {
    const declaration = findDeclaration(node.text, scopes);
    if (declaration?.parameter) return isHttpServiceType(declaration.parameter.type) ? { client: 'nestjs-http' } : undefined;
    // A CommonJS `const axios = require('axios')` is an import: its binding says which export it is.
    if (declaration?.initializer && requiredModule(declaration.initializer) === undefined) {
      return clientFromInitializer(declaration.initializer, declaration.scopes, source, depth + 1);
    }
    const binding = importBindings(source).get(node.text);
    const kind = binding && CLIENT_PACKAGES[binding.from];
    if (kind && (binding.name === 'default' || binding.name === '*' || binding.name === binding.from || (kind === 'undici' && binding.name === 'request'))) return { client: kind };
    return undefined;
  }
  if (ts.isPropertyAccessExpression(node)) {
    if (node.name.text === 'axiosRef') return clientOf(node.expression, scopes, source, depth + 1);
    if (node.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
    const member = findClassMember(node.name.text, scopes);
    if (member?.parameter) return isHttpServiceType(member.parameter.type) ? { client: 'nestjs-http' } : undefined;
    if (member?.initializer) return clientFromInitializer(member.initializer, member.scopes, source, depth + 1);
  }
  return undefined;
}

function isHttpServiceType(type: ts.TypeNode | undefined): boolean {
  return !!type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'HttpService';
}

function clientFromInitializer(initializer: ts.Expression, scopes: readonly ts.Node[], source: ts.SourceFile, depth: number): ClientInfo | undefined {
  let node = unwrap(initializer);
  if (ts.isAwaitExpression(node)) node = unwrap(node.expression);
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) return clientOf(node, scopes, source, depth);
  if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return undefined;
  const callee = node.expression;
  // axios.create({ baseURL }), got.extend({ prefixUrl }), ky.create(...) / ky.extend(...)
  if (ts.isPropertyAccessExpression(callee) && ['create', 'extend'].includes(callee.name.text)) {
    const library = clientOf(callee.expression, scopes, source, depth + 1);
    if (library) return { client: library.client, baseUrl: baseUrlArgument(node.arguments ?? [], scopes, source, depth) ?? library.baseUrl };
  }
  return factoryClient(node, scopes, source, depth);
}

/** `new OrdersClient({ baseUrl })`, `createClient(process.env.ORDERS_URL)`: an imported factory given a base URL. */
function factoryClient(node: ts.CallExpression | ts.NewExpression, scopes: readonly ts.Node[], source: ts.SourceFile, depth: number): ClientInfo | undefined {
  if (!ts.isIdentifier(node.expression)) return undefined;
  const binding = importBindings(source).get(node.expression.text);
  if (!binding || CLIENT_PACKAGES[binding.from] || binding.from.startsWith('node:') || isDatabaseClientModule(binding.from)) return undefined;
  const baseUrl = baseUrlArgument(node.arguments ?? [], scopes, source, depth, CLIENT_NAME.test(node.expression.text));
  return baseUrl ? { client: 'client-factory', baseUrl, via: { name: binding.name === 'default' ? node.expression.text : binding.name, from: binding.from } } : undefined;
}

/**
 * The base URL among constructor or factory arguments: an options object with a base URL key, a nested
 * `new Configuration({ basePath })`, or (for client-named callees) a positional URL-looking argument.
 */
function baseUrlArgument(args: readonly ts.Expression[], scopes: readonly ts.Node[], source: ts.SourceFile, depth: number, positional = false): ValuePart[] | undefined {
  for (const argument of args) {
    let node = unwrap(argument);
    if (ts.isIdentifier(node)) {
      const declaration = findDeclaration(node.text, scopes);
      if (declaration?.initializer && (ts.isObjectLiteralExpression(unwrap(declaration.initializer)) || ts.isNewExpression(unwrap(declaration.initializer)))) {
        node = unwrap(declaration.initializer);
      }
    }
    if (ts.isObjectLiteralExpression(node)) {
      for (const key of BASE_URL_KEYS) {
        const value = propertyValue(node, key);
        if (!value) continue;
        const parts = valueParts(value, scopes, source);
        if (looksLikeUrl(parts)) return parts;
      }
    } else if (ts.isNewExpression(node) && depth < 4) {
      const nested = baseUrlArgument(node.arguments ?? [], scopes, source, depth + 1);
      if (nested) return nested;
    } else if (positional && !ts.isFunctionLike(node)) {
      const parts = valueParts(node, scopes, source);
      if (looksLikeUrl(parts)) return parts;
    }
  }
  return undefined;
}

/** True for a handler argument: then `x.get('/path', handler)` registers a route rather than calling one. */
export function isHandlerArgument(argument: ts.Expression | undefined): boolean {
  return !!argument && (ts.isArrowFunction(argument) || ts.isFunctionExpression(argument));
}

/** The method and URL of an options object (`{ method: 'POST', url }`), as axios/got/undici take them. */
function fromOptions(options: ts.Expression | undefined, scopes: readonly ts.Node[], source: ts.SourceFile): { method?: string; url?: ValuePart[] } {
  const node = options && unwrap(options);
  if (!node || !ts.isObjectLiteralExpression(node)) return {};
  const method = propertyValue(node, 'method');
  const url = propertyValue(node, 'url');
  return {
    method: method && ts.isStringLiteralLike(unwrap(method)) ? (unwrap(method) as ts.StringLiteralLike).text.toUpperCase() : undefined,
    url: url ? valueParts(url, scopes, source) : undefined,
  };
}

function recordCall(parsed: ParsedFile, node: ts.Node, info: ClientInfo, url: ValuePart[], method: string | undefined): HttpCallFact {
  const fact: HttpCallFact = { client: info.client, url, location: parsed.locate(node) };
  if (method) fact.method = method;
  if (info.baseUrl) fact.baseUrl = info.baseUrl;
  if (info.via) fact.via = info.via;
  return fact;
}

/** Outgoing HTTP calls: fetch, axios (and its instances), got, ky, undici, superagent, NestJS HttpService, API client factories. */
export const httpCallCollector: TypeScriptCollector = {
  kinds: [ts.SyntaxKind.SourceFile, ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression, ts.SyntaxKind.PropertyAccessExpression, ts.SyntaxKind.ElementAccessExpression, ts.SyntaxKind.VariableDeclaration],
  visit(node, parsed, facts) {
    if (ts.isSourceFile(node)) {
      const exported = exportedClients(node);
      if (exported.length > 0) facts.exportedClients = exported;
      return;
    }
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      visitAccess(node, parsed);
      return;
    }
    if (ts.isVariableDeclaration(node)) {
      visitDeclaration(node, parsed);
      return;
    }
    const call = ts.isCallExpression(node) || ts.isNewExpression(node) ? node : undefined;
    if (!call) return;
    const found = httpCall(call, parsed);
    if (!found) return;
    (facts.httpCalls ??= []).push(found);
    trackCall(call, found, parsed);
  },
};

function httpCall(node: ts.CallExpression | ts.NewExpression, parsed: ParsedFile): HttpCallFact | undefined {
  const { source, ancestors } = parsed;
  const args = node.arguments ?? [];
  const callee = node.expression;
  const parent = ancestors[ancestors.length - 1];
  const isArgument = !!parent && (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && !!parent.arguments?.includes(node);
  if (ts.isNewExpression(node)) {
    if (isArgument) return undefined; // `new Configuration({ basePath })` given to `new OrdersApi(…)`: the outer one is the client
    const client = factoryClient(node, ancestors, source, 0);
    return client ? recordCall(parsed, node, client, [], undefined) : undefined;
  }
  if (ts.isIdentifier(callee)) {
    const binding = importBindings(source).get(callee.text);
    if (callee.text === 'fetch' && (!binding || CLIENT_PACKAGES[binding.from] === 'fetch' || binding.from === 'undici')) {
      if (!args[0]) return undefined;
      const options = fromOptions(args[1], ancestors, source);
      return recordCall(parsed, node, { client: 'fetch' }, valueParts(args[0], ancestors, source), options.method ?? 'GET');
    }
    // `const { get } = require('got')`, `import { post } from 'axios'`: a verb of the client, called on its own.
    const verbOf = binding && VERBS.has(binding.name) ? CLIENT_PACKAGES[binding.from] : undefined;
    if (verbOf && args[0]) return recordCall(parsed, node, { client: verbOf }, valueParts(args[0], ancestors, source), binding!.name.toUpperCase());
    const client = clientOf(callee, ancestors, source);
    if (client && client.client !== 'client-factory' && args[0]) {
      // axios(config) / axios(url, config), got(url, options), undici request(url, options)
      const first = unwrap(args[0]);
      const options = fromOptions(ts.isObjectLiteralExpression(first) ? first : args[1], ancestors, source);
      const url = ts.isObjectLiteralExpression(first) ? options.url : valueParts(first, ancestors, source);
      return url ? recordCall(parsed, node, client, url, options.method ?? 'GET') : undefined;
    }
    const factory = factoryClient(node, ancestors, source, 0);
    return factory ? recordCall(parsed, node, factory, [], undefined) : undefined;
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const name = callee.name.text;
  if (!VERBS.has(name) && name !== 'request' && name !== 'fetch') {
    // A method of a generated client instance (`orders.getOrder(id)`): its base URL names the service.
    const client = ts.isIdentifier(callee.expression) || isThisMember(callee.expression) ? clientOf(callee.expression, ancestors, source) : undefined;
    return client?.client === 'client-factory' ? recordCall(parsed, node, client, [], undefined) : undefined;
  }
  if (isHandlerArgument(args[args.length - 1]) && name !== 'request') return undefined;
  const client = clientOf(callee.expression, ancestors, source);
  if (!client && args[0] && VERBS.has(name)) {
    const via = importedReceiver(callee.expression, ancestors, source);
    const url = via && valueParts(args[0], ancestors, source);
    if (via && url && looksLikeUrl(url)) return { ...recordCall(parsed, node, { client: 'client-factory', via }, url, name.toUpperCase()), viaExport: true };
  }
  if (!client || !args[0]) return undefined;
  if (name === 'request' || name === 'fetch') {
    const first = unwrap(args[0]);
    const options = fromOptions(ts.isObjectLiteralExpression(first) ? first : args[1], ancestors, source);
    const url = ts.isObjectLiteralExpression(first) ? options.url : valueParts(first, ancestors, source);
    return url ? recordCall(parsed, node, client, url, options.method ?? 'GET') : undefined;
  }
  return recordCall(parsed, node, client, valueParts(args[0], ancestors, source), name.toUpperCase());
}

function isThisMember(node: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword;
}

/** The import a receiver comes from: an imported binding, or a local/member built by calling an imported function. */
function importedReceiver(expression: ts.Expression, scopes: readonly ts.Node[], source: ts.SourceFile): { name: string; from: string } | undefined {
  const node = unwrap(expression);
  const imported = (identifier: ts.Expression) => {
    const binding = ts.isIdentifier(identifier) ? importBindings(source).get(identifier.text) : undefined;
    return binding && binding.name !== '*' && !CLIENT_PACKAGES[binding.from] ? { name: binding.name, from: binding.from } : undefined;
  };
  let initializer: ts.Expression | undefined;
  if (ts.isIdentifier(node)) {
    const declaration = findDeclaration(node.text, scopes);
    if (!declaration) return imported(node);
    initializer = declaration.initializer;
  } else if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
    initializer = findClassMember(node.name.text, scopes)?.initializer;
  }
  let value = initializer && unwrap(initializer);
  if (value && ts.isAwaitExpression(value)) value = unwrap(value.expression);
  if (!value) return undefined;
  return ts.isCallExpression(value) || ts.isNewExpression(value) ? imported(value.expression) : imported(value);
}

/** `export const api = axios.create(…)`, `export default axios.create(…)`, `export function client() { return axios.create(…) }`. */
function exportedClients(source: ts.SourceFile): ExportedClientFact[] {
  const found: ExportedClientFact[] = [];
  const add = (name: string, expression: ts.Expression | undefined, scopes: readonly ts.Node[]) => {
    const client = expression && clientFromInitializer(expression, scopes, source, 0);
    if (client) found.push({ name, client: client.client, ...(client.baseUrl ? { baseUrl: client.baseUrl } : {}) });
  };
  const returned = (fn: ts.FunctionLikeDeclaration): ts.Expression | undefined => {
    if (!fn.body) return undefined;
    if (!ts.isBlock(fn.body)) return fn.body;
    const statement = fn.body.statements.find(ts.isReturnStatement);
    return statement?.expression;
  };
  for (const statement of source.statements) {
    if (ts.isExportAssignment(statement)) add('default', statement.expression, [source]);
    const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) add(statement.name.text, returned(statement), [source, statement, statement.body]);
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
      const value = unwrap(declaration.initializer);
      if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) add(declaration.name.text, returned(value), ts.isBlock(value.body) ? [source, value, value.body] : [source, value]);
      else add(declaration.name.text, value, [source]);
    }
  }
  return found;
}
