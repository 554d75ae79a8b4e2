import { ts } from '../util/typescript.cjs';
import type { RpcFact } from '../model.js';
import type { ParsedFile, TypeScriptCollector } from './typescript-walk.js';
import { dottedName, enclosingClass, exportedClassName, findDeclaration, importBindings, propertyValue, unwrap, valueParts } from './values.js';

const NEST = '@nestjs/microservices';
const NESTCLOUD = '@nestcloud/grpc';
const GRPC_JS = /^(@grpc\/grpc-js|grpc)$/;

type Transport = RpcFact['transport'];
/** Each part as an expression to evaluate, or a name read from the code's shape. */
type Parts = { service?: ts.Expression | string; package?: ts.Expression; address?: ts.Expression };

/**
 * gRPC services served and called, and clients of NestJS TCP servers: NestJS `@GrpcMethod`/`@GrpcStreamMethod`/
 * `@GrpcStreamCall` and `createMicroservice`/`connectMicroservice` options serve; `ClientsModule.register(Async)`,
 * `ClientProxyFactory.create` and `@Client` options (package and url, or TCP host) and `client.getService('Name')`
 * call, as does @nestcloud/grpc's `@Service('Name', { package })`. With @grpc/grpc-js, `server.addService(pkg.Name.service)`
 * (or a generated `NameService`) serves and `new pkg.Name(address, credentials)` (or a generated `NameClient`) calls.
 * NATS, RMQ, Kafka and Redis transports are brokers: their patterns are messaging facts; a Redis transport is recorded
 * (with its host) so that its Redis is known as a broker, not a database.
 */
export const rpcCollector: TypeScriptCollector = {
  kinds: [ts.SyntaxKind.Decorator, ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression],
  visit(node, parsed, facts) {
    const found = ts.isDecorator(node) ? decoratorFacts(node, parsed) : ts.isCallExpression(node) ? callFacts(node, parsed) : ts.isNewExpression(node) ? grpcClientConstruction(node, parsed) : [];
    if (found.length > 0) (facts.rpc ??= []).push(...found);
  },
};

function rpcFact(transport: Transport, role: RpcFact['role'], node: ts.Node, parts: Parts, parsed: ParsedFile): RpcFact {
  const fact: RpcFact = { transport, role, location: parsed.locate(node) };
  const holder = exportedClassName(enclosingClass(parsed.ancestors));
  if (holder) fact.holder = holder;
  for (const key of ['service', 'package', 'address'] as const) {
    const given = parts[key];
    if (typeof given === 'string') fact[key] = [{ kind: 'text', text: given }];
    else if (given) fact[key] = valueParts(given, parsed.ancestors, parsed.source);
  }
  return fact;
}

/** The module and exported name an identifier (or `ns.Name`) is imported as. */
function importOf(expression: ts.Expression, source: ts.SourceFile): { name: string; from: string } | undefined {
  const node = unwrap(expression);
  if (ts.isIdentifier(node)) return importBindings(source).get(node.text);
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
    const namespace = importBindings(source).get(node.expression.text);
    return namespace && (namespace.name === '*' || namespace.name === 'default') ? { name: node.name.text, from: namespace.from } : undefined;
  }
  return undefined;
}

function importsModule(source: ts.SourceFile, test: (from: string) => boolean): boolean {
  for (const { from } of importBindings(source).values()) if (test(from)) return true;
  return false;
}

// ------------------------------------------------------------ decorators

function decoratorFacts(node: ts.Decorator, parsed: ParsedFile): RpcFact[] {
  const call = node.expression;
  if (!ts.isCallExpression(call)) return [];
  const imported = importOf(call.expression, parsed.source);
  if (!imported) return [];
  const [first, second] = call.arguments;
  if (imported.from === NEST && ['GrpcMethod', 'GrpcStreamMethod', 'GrpcStreamCall'].includes(imported.name)) {
    // Without a service name NestJS uses the controller class's name.
    const named = first ?? enclosingClass(parsed.ancestors)?.name?.text;
    return named ? [rpcFact('grpc', 'serve', node, { service: named }, parsed)] : [];
  }
  if (imported.from === NEST && imported.name === 'Client' && first) return clientRegistrations(first, parsed);
  if (imported.from === NESTCLOUD && imported.name === 'Service' && first) {
    const options = second && unwrap(second);
    const packageName = options && ts.isObjectLiteralExpression(options) ? propertyValue(options, 'package') : undefined;
    return [rpcFact('grpc', 'call', node, { service: first, package: packageName }, parsed)];
  }
  return [];
}

// ------------------------------------------------------------ calls

function callFacts(node: ts.CallExpression, parsed: ParsedFile): RpcFact[] {
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee)) return [];
  const method = callee.name.text;
  const receiver = importOf(callee.expression, parsed.source);
  const [first, second] = node.arguments;
  if (receiver?.from === NEST) {
    if (receiver.name === 'ClientsModule' && (method === 'register' || method === 'registerAsync') && first) return clientRegistrations(first, parsed);
    if (receiver.name === 'ClientProxyFactory' && method === 'create' && first) return clientRegistrations(first, parsed);
    return [];
  }
  if (method === 'createMicroservice' || method === 'connectMicroservice') {
    const options = method === 'createMicroservice' ? second : first;
    return options ? servedPackages(options, node, parsed) : [];
  }
  if (method === 'getService' && node.arguments.length === 1 && importsModule(parsed.source, (from) => from === NEST)) {
    return [rpcFact('grpc', 'call', node, { service: first }, parsed)];
  }
  if (method === 'addService' && first && importsModule(parsed.source, (from) => GRPC_JS.test(from))) {
    const service = servedDefinition(first, parsed);
    return service ? [rpcFact('grpc', 'serve', node, { service }, parsed)] : [];
  }
  return [];
}

/** `pkg.Name.service` → Name; a generated definition imported as `NameService` → Name. */
function servedDefinition(definition: ts.Expression, parsed: ParsedFile): string | undefined {
  const node = unwrap(definition);
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'service') {
    const owner = unwrap(node.expression);
    if (ts.isPropertyAccessExpression(owner)) return owner.name.text;
    return ts.isIdentifier(owner) && !importOf(owner, parsed.source) ? owner.text : undefined;
  }
  const imported = importOf(node, parsed.source);
  const generated = imported && /^(.+)Service$/.exec(imported.name);
  return generated && !GRPC_JS.test(imported.from) ? generated[1] : undefined;
}

/**
 * `new proto.shop.Catalog(address, credentials.createInsecure())` or a generated `new CatalogClient(address, credentials)`:
 * a client of service Catalog at that address, in a file that imports @grpc/grpc-js.
 */
function grpcClientConstruction(node: ts.NewExpression, parsed: ParsedFile): RpcFact[] {
  const [address, credentials] = node.arguments ?? [];
  if (!address || !credentials || !importsModule(parsed.source, (from) => GRPC_JS.test(from))) return [];
  if (!/credentials/i.test(credentials.getText(parsed.source))) return [];
  const callee = unwrap(node.expression);
  const path = dottedName(callee)?.split('.');
  let service: string | undefined;
  if (path && path.length >= 2 && !importOf(callee, parsed.source)) service = path[path.length - 1];
  else if (ts.isIdentifier(callee)) service = /^(.+)Client$/.exec(importOf(callee, parsed.source)?.name ?? '')?.[1];
  return service ? [rpcFact('grpc', 'call', node, { service, address }, parsed)] : [];
}

// ------------------------------------------------------------ transport options

/** An object literal an expression is, or a local variable holds. */
function objectLiteral(expression: ts.Expression, parsed: ParsedFile): ts.ObjectLiteralExpression | undefined {
  let node = unwrap(expression);
  if (ts.isIdentifier(node)) {
    const initializer = findDeclaration(node.text, parsed.ancestors)?.initializer;
    if (initializer) node = unwrap(initializer);
  }
  return ts.isObjectLiteralExpression(node) ? node : undefined;
}

/** `{ transport: Transport.GRPC, options }`: the transport (gRPC, TCP or Redis) and its options. */
function transportOptions(object: ts.ObjectLiteralExpression, parsed: ParsedFile): { transport: Transport; options: ts.ObjectLiteralExpression } | undefined {
  const transport = propertyValue(object, 'transport');
  const name = transport && ts.isPropertyAccessExpression(unwrap(transport)) ? (unwrap(transport) as ts.PropertyAccessExpression).name.text : undefined;
  const options = propertyValue(object, 'options');
  const given = options && objectLiteral(options, parsed);
  const transports: Record<string, Transport> = { GRPC: 'grpc', TCP: 'tcp', REDIS: 'redis' };
  if (!given || name === undefined || !Object.hasOwn(transports, name)) return undefined;
  return { transport: transports[name], options: given };
}

/** The client options a registration holds: an array or `{ clients: [...] }` of them, each an object or the result of `useFactory`. */
function registeredOptions(expression: ts.Expression, parsed: ParsedFile): ts.ObjectLiteralExpression[] {
  const node = unwrap(expression);
  if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap((element) => registeredOptions(element, parsed));
  const object = objectLiteral(node, parsed);
  if (!object) return [];
  const clients = propertyValue(object, 'clients');
  if (clients) return registeredOptions(clients, parsed);
  const factory = propertyValue(object, 'useFactory');
  const made = factory && unwrap(factory);
  if (made && (ts.isArrowFunction(made) || ts.isFunctionExpression(made))) return returnedObjects(made, parsed);
  return [object];
}

function returnedObjects(fn: ts.ArrowFunction | ts.FunctionExpression, parsed: ParsedFile): ts.ObjectLiteralExpression[] {
  if (!ts.isBlock(fn.body)) {
    const object = objectLiteral(fn.body, parsed);
    return object ? [object] : [];
  }
  return fn.body.statements.flatMap((statement) => {
    const object = ts.isReturnStatement(statement) && statement.expression ? objectLiteral(statement.expression, parsed) : undefined;
    return object ? [object] : [];
  });
}

/** Clients of gRPC packages (at `url`) and of TCP servers (at `host`); a TCP client without a host reaches localhost. */
function clientRegistrations(expression: ts.Expression, parsed: ParsedFile): RpcFact[] {
  return registeredOptions(expression, parsed).flatMap((object) => {
    const found = transportOptions(object, parsed);
    if (!found) return [];
    const { transport, options } = found;
    if (transport === 'redis') return [redisTransport('call', object, options, parsed)];
    if (transport === 'tcp') {
      const host = propertyValue(options, 'host');
      return host ? [rpcFact('tcp', 'call', object, { address: host }, parsed)] : [];
    }
    const address = propertyValue(options, 'url');
    return packages(options).map((packageName) => rpcFact('grpc', 'call', object, { package: packageName, address }, parsed));
  });
}

/** The gRPC packages a microservice serves (`options.package`, one or an array), or the Redis broker it listens on. */
function servedPackages(expression: ts.Expression, node: ts.Node, parsed: ParsedFile): RpcFact[] {
  const object = objectLiteral(expression, parsed);
  const found = object && transportOptions(object, parsed);
  if (found?.transport === 'redis') return [redisTransport('serve', node, found.options, parsed)];
  if (found?.transport !== 'grpc') return [];
  return packages(found.options).map((packageName) => rpcFact('grpc', 'serve', node, { package: packageName }, parsed));
}

/** A Redis transport, at its `host` (or `url`) when given. */
function redisTransport(role: RpcFact['role'], node: ts.Node, options: ts.ObjectLiteralExpression, parsed: ParsedFile): RpcFact {
  return rpcFact('redis', role, node, { address: propertyValue(options, 'host') ?? propertyValue(options, 'url') }, parsed);
}

function packages(options: ts.ObjectLiteralExpression): ts.Expression[] {
  const given = propertyValue(options, 'package');
  if (!given) return [];
  const node = unwrap(given);
  return ts.isArrayLiteralExpression(node) ? [...node.elements] : [given];
}
