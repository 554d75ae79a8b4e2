import { ts } from '../util/typescript.cjs';
import type { ClassArgumentFact, ClassUseFact, FileFacts, MessageFact, ParameterRef, SourceLocation, ValuePart } from '../model.js';
import { addPass, addRead, bindValue, trackValue, type ValueSink } from './response-use.js';
import type { ParsedFile, TypeScriptCollector } from './typescript-walk.js';
import { enclosingClass, exportedClassName, findClassMember, findDeclaration, importBindings, objectMember, propertyValue, unwrap, valueParts, type Declaration } from './values.js';

type System = MessageFact['system'];
type Role = MessageFact['role'];

/** Job queues on Redis (`new Queue('x')` produces, `new Worker('x')` consumes) and their NestJS modules. */
const QUEUE_MODULES = /^(bullmq|bull|bee-queue|@taskforcesh\/bullmq-pro|@nestjs\/bullmq?)$/;
const TRIGGER_SDK = /^@trigger\.dev\/sdk(\/|$)/;

const systemsCache = new WeakMap<ts.SourceFile, Set<System>>();

/** The messaging packages a file imports, by system (computed once per file). */
function systemsOf(source: ts.SourceFile): Set<System> {
  const cached = systemsCache.get(source);
  if (cached) return cached;
  const systems = new Set<System>();
  systemsCache.set(source, systems);
  for (const { from } of importBindings(source).values()) {
    if (from === 'kafkajs' || from === '@confluentinc/kafka-javascript') systems.add('kafka');
    else if (/^(amqplib|amqp-connection-manager)(\/|$)/.test(from)) systems.add('amqp');
    else if (/^(nats|@nats-io\/)/.test(from)) systems.add('nats');
    else if (from === 'ioredis' || from === 'redis' || from === '@redis/client') systems.add('redis');
    else if (from === '@nestjs/microservices') systems.add('nestjs');
    else if (from === '@aws-sdk/client-sns') systems.add('sns');
    else if (from === '@aws-sdk/client-sqs' || from === 'sqs-consumer') systems.add('sqs');
    else if (from === '@aws-sdk/client-eventbridge') systems.add('eventbridge');
    else if (from === '@google-cloud/pubsub') systems.add('pubsub');
    else if (QUEUE_MODULES.test(from)) systems.add('queue');
    else if (TRIGGER_SDK.test(from)) systems.add('task');
    else if (/^@temporalio\/(client|worker)$/.test(from)) systems.add('temporal');
    else if (from === '@upstash/qstash' || from === '@google-cloud/tasks') systems.add('http-task');
  }
  return systems;
}

/** The module and exported name an identifier is imported as, if it is. */
function importOf(name: ts.Expression, source: ts.SourceFile) {
  return ts.isIdentifier(name) ? importBindings(source).get(name.text) : undefined;
}

/** Commands of the AWS SDK v3 and the option naming the topic or queue. */
const AWS_COMMANDS: Record<string, { system: System; role: Role; key: string }> = {
  PublishCommand: { system: 'sns', role: 'publish', key: 'TopicArn' },
  PublishBatchCommand: { system: 'sns', role: 'publish', key: 'TopicArn' },
  SendMessageCommand: { system: 'sqs', role: 'publish', key: 'QueueUrl' },
  SendMessageBatchCommand: { system: 'sqs', role: 'publish', key: 'QueueUrl' },
  ReceiveMessageCommand: { system: 'sqs', role: 'subscribe', key: 'QueueUrl' },
};

/**
 * Topics, subjects, queues and tasks: kafkajs `send({ topic })`/`subscribe({ topic(s) })`, amqplib `publish`/`sendToQueue`/
 * `bindQueue`/`consume`, NATS `publish`/`subscribe`/`request`, NestJS `@EventPattern`/`@MessagePattern` and
 * `ClientProxy.emit`/`send` (request-response), SNS/SQS/EventBridge commands and sqs-consumer, Google Pub/Sub topics
 * and subscriptions, BullMQ/Bull/bee-queue queues and workers (and NestJS `@Processor`/`@InjectQueue`), trigger.dev
 * tasks, Temporal task queues, QStash/Cloud Tasks deliveries to a URL, requests through a service broker, tRPC clients
 * of a router another module exports, and Redis pub/sub channels. Queues made by wrapper classes are facts whose topic is a
 * parameter, with the values given to classes (`classArguments`) for the graph to follow.
 */
export const messagingCollector: TypeScriptCollector = {
  kinds: [
    ts.SyntaxKind.CallExpression,
    ts.SyntaxKind.NewExpression,
    ts.SyntaxKind.MethodDeclaration,
    ts.SyntaxKind.Decorator,
    ts.SyntaxKind.TypeAliasDeclaration,
    ts.SyntaxKind.Constructor,
    ts.SyntaxKind.ClassDeclaration,
  ],
  visit(node, parsed, facts) {
    recordClassUses(node, parsed, facts);
    if (ts.isConstructorDeclaration(node) || ts.isClassDeclaration(node)) return;
    const given = ts.isCallExpression(node) || ts.isNewExpression(node) ? classArguments(node, parsed) : [];
    if (given.length > 0) (facts.classArguments ??= []).push(...given);
    if (ts.isCallExpression(node)) trackDecodedPayload(node, parsed);
    const found = ts.isCallExpression(node)
      ? callFacts(node, parsed)
      : ts.isNewExpression(node)
        ? [...awsCommand(node, parsed), ...queueConstruction(node, parsed)]
        : ts.isMethodDeclaration(node)
          ? nestPattern(node, parsed)
          : ts.isDecorator(node)
            ? queueDecorator(node, parsed)
            : ts.isTypeAliasDeclaration(node)
              ? trpcRouterType(node, parsed)
              : [];
    if (found.length > 0) (facts.messages ??= []).push(...found);
  },
};

function callFacts(node: ts.CallExpression, parsed: ParsedFile): MessageFact[] {
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return systemsOf(parsed.source).has('task') ? taskDefinition(node, parsed) : trpcClient(node, callee, parsed);
  if (!ts.isPropertyAccessExpression(callee)) return [];
  // Calls on a queue or task another module holds need no messaging import in this file.
  const onHandle = handleCall(node, callee, parsed);
  if (onHandle) return onHandle;
  // A broker client or a method registration is recognised by its shape, whatever package brings the broker.
  const brokered = brokerRequest(node, callee, parsed) ?? brokerRegistration(node, callee, parsed);
  if (brokered) return brokered;
  const systems = systemsOf(parsed.source);
  if (systems.size === 0) return [];
  if (systems.has('task')) {
    const found = taskDefinition(node, parsed);
    if (found.length > 0) return found;
    const receiver = unwrap(callee.expression);
    const onTasks = ts.isIdentifier(receiver) ? receiver.text === 'tasks' : ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'tasks';
    if (TRIGGER_METHODS.has(callee.name.text) && node.arguments[0] && onTasks) {
      return [messageFact('task', 'produce', node.arguments[0], node, parsed)];
    }
  }
  if (systems.has('temporal')) {
    const found = temporalCall(node, callee, parsed);
    if (found.length > 0) return found;
  }
  if (systems.has('pubsub')) {
    const found = pubsubCall(node, callee, parsed);
    if (found.length > 0) return found;
  }
  if (systems.has('http-task')) {
    const found = httpTaskCall(node, callee, parsed);
    if (found.length > 0) return found;
  }
  return messageCall(node, callee, systems, parsed);
}

function messageFact(system: System, role: Role, topic: ts.Expression, node: ts.Node, parsed: ParsedFile, extra: Partial<MessageFact> = {}): MessageFact {
  const parts = topicParts(topic, parsed);
  const parameter = parts.length === 1 && parts[0].kind === 'unknown' ? parameterRef(topic, parsed) : undefined;
  return { system, role, topic: parts, ...extra, ...(parameter ? { parameter } : {}), location: parsed.locate(node) };
}

/** The name of the variable a node initialises (`const emails = new Queue('emails')`). */
function bindingOf(parsed: ParsedFile): { binding?: string } {
  const parent = parsed.ancestors[parsed.ancestors.length - 1];
  return parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? { binding: parent.name.text } : {};
}

/** What a receiver stands for in this file: the initializer of a local variable or class property, else itself. */
function resolveReceiver(expression: ts.Expression, parsed: ParsedFile): ts.Expression {
  let node = unwrap(expression);
  if (ts.isAwaitExpression(node)) node = unwrap(node.expression);
  const declared = ts.isIdentifier(node)
    ? findDeclaration(node.text, parsed.ancestors)
    : ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword
      ? findClassMember(node.name.text, parsed.ancestors)
      : undefined;
  if (!declared?.initializer) return node;
  const initializer = unwrap(declared.initializer);
  return ts.isAwaitExpression(initializer) ? unwrap(initializer.expression) : initializer;
}

// ------------------------------------------------------------ values given to classes (queues made by wrapper classes)

/**
 * What a call gives a class that may name a topic made further on: `super(Topics.EMAIL, bull)` and `new EmailQueue('emails')`
 * (a name written here, an imported constant or a parameter passed on), `this.bull.createQueue(this.topic)` on a receiver
 * whose declared type is a class (an imported constant, or a constructor parameter kept on the instance: a method's
 * other arguments are mostly messages, keys and ids).
 */
function classArguments(node: ts.CallExpression | ts.NewExpression, parsed: ParsedFile): ClassArgumentFact[] {
  if (!node.arguments?.length) return [];
  const target = argumentTarget(node, parsed);
  if (!target) return [];
  const owner = exportedClassName(enclosingClass(parsed.ancestors));
  const holder = owner ? { holder: owner } : {};
  const constructs = target.member === 'constructor';
  const found: ClassArgumentFact[] = [];
  node.arguments.forEach((argument, index) => {
    const parameter = parameterRef(argument, parsed);
    if (parameter) {
      if (constructs || parameter.member === 'constructor') found.push({ target, index, parameter, ...holder, location: parsed.locate(node) });
      return;
    }
    const value = valueParts(argument, parsed.ancestors, parsed.source);
    const named = constructs ? value.every((p) => (p.kind === 'text' && /^[^\s]+$/.test(p.text)) || p.kind === 'import') : value.every((p) => p.kind === 'import');
    if (value.length > 0 && named) found.push({ target, index, value, ...holder, location: parsed.locate(node) });
  });
  return found;
}

/** Imported classes the code injects (`constructor(private queue: EmailsQueue)`), extends or constructs with `new`. */
function recordClassUses(node: ts.Node, parsed: ParsedFile, facts: FileFacts): void {
  let names: ts.Expression[];
  if (ts.isConstructorDeclaration(node)) {
    names = node.parameters.flatMap((p) => (p.type && ts.isTypeReferenceNode(p.type) && ts.isIdentifier(p.type.typeName) ? [p.type.typeName] : []));
  } else if (ts.isClassDeclaration(node)) {
    const base = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    names = base ? [base] : [];
  } else if (ts.isNewExpression(node)) names = [node.expression];
  else return;
  if (names.length === 0) return;
  const user = ts.isClassDeclaration(node) ? node : enclosingClass(parsed.ancestors);
  const exported = exportedClassName(user);
  const by = exported ? { by: exported } : {};
  for (const name of names) {
    const imported = importOf(name, parsed.source);
    if (!imported || imported.name === '*' || imported.name === 'default') continue;
    const use: ClassUseFact = { name: imported.name, from: imported.from, ...by };
    const uses = (facts.classUses ??= []);
    if (!uses.some((u) => u.name === use.name && u.from === use.from && u.by === use.by)) uses.push(use);
  }
}

/** The class a call gives its arguments to: `new C(…)`, `super(…)` (the class extended) or a method of a receiver's declared class. */
function argumentTarget(node: ts.CallExpression | ts.NewExpression, parsed: ParsedFile): ClassArgumentFact['target'] | undefined {
  const callee = node.expression;
  if (ts.isNewExpression(node)) return ts.isIdentifier(callee) ? classRef(callee.text, 'constructor', parsed) : undefined;
  if (callee.kind === ts.SyntaxKind.SuperKeyword) {
    const base = enclosingClass(parsed.ancestors)?.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    return base && ts.isIdentifier(base) ? classRef(base.text, 'constructor', parsed) : undefined;
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const type = declaredClass(callee.expression, parsed);
  return type === undefined ? undefined : classRef(type, callee.name.text, parsed);
}

const classesCache = new WeakMap<ts.SourceFile, Set<string>>();

/** A class by the name this file knows it under: imported by name (as the module exports it) or declared here. */
function classRef(name: string, member: string, parsed: ParsedFile): ClassArgumentFact['target'] | undefined {
  const imported = importBindings(parsed.source).get(name);
  if (imported) return imported.name === '*' || imported.name === 'default' ? undefined : { name: imported.name, from: imported.from, member };
  let declared = classesCache.get(parsed.source);
  if (!declared) {
    declared = new Set(parsed.source.statements.flatMap((s) => (ts.isClassDeclaration(s) && s.name ? [s.name.text] : [])));
    classesCache.set(parsed.source, declared);
  }
  return declared.has(name) ? { name, member } : undefined;
}

/** The class a receiver is declared as: `this.bull` (a property or constructor parameter typed `BullService` or made by `new BullService()`) or a parameter typed so. */
function declaredClass(expression: ts.Expression, parsed: ParsedFile): string | undefined {
  const node = unwrap(expression);
  let type: ts.TypeNode | undefined;
  let made: ts.Expression | undefined;
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
    for (const member of enclosingClass(parsed.ancestors)?.members ?? []) {
      if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && member.name.text === node.name.text) {
        type = member.type;
        made = member.initializer;
      } else if (ts.isConstructorDeclaration(member)) {
        const parameter = member.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === node.name.text);
        if (parameter) type = parameter.type;
      }
    }
  } else if (ts.isIdentifier(node)) {
    const declared = findDeclaration(node.text, parsed.ancestors);
    type = declared?.parameter?.type;
    made = declared?.initializer;
  }
  if (type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) return type.typeName.text;
  const constructed = made && unwrap(made);
  return constructed && ts.isNewExpression(constructed) && ts.isIdentifier(constructed.expression) ? constructed.expression.text : undefined;
}

/** The parameter of the enclosing class method or constructor an expression is: `topic`, or `this.topic` kept from the constructor's. */
function parameterRef(expression: ts.Expression, parsed: ParsedFile): ParameterRef | undefined {
  const node = unwrap(expression);
  let declared: Declaration | undefined;
  if (ts.isIdentifier(node)) declared = findDeclaration(node.text, parsed.ancestors);
  else if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
    declared = findClassMember(node.name.text, parsed.ancestors);
    const kept = declared?.initializer && unwrap(declared.initializer);
    if (declared && kept && ts.isIdentifier(kept)) declared = findDeclaration(kept.text, declared.scopes);
  }
  const parameter = declared?.parameter;
  if (!declared || !parameter) return undefined;
  const [owner, member] = declared.scopes.slice(-2);
  if (!owner || !ts.isClassLike(owner) || !owner.name) return undefined;
  if (ts.isConstructorDeclaration(member)) return { holder: owner.name.text, member: 'constructor', index: member.parameters.indexOf(parameter) };
  return ts.isMethodDeclaration(member) && ts.isIdentifier(member.name) ? { holder: owner.name.text, member: member.name.text, index: member.parameters.indexOf(parameter) } : undefined;
}

// ------------------------------------------------------------ queues (BullMQ, Bull, bee-queue)

/**
 * What a queue class makes: `Queue` (Bull's and bee-queue's default export) produces, `Worker` consumes; also
 * through a local choice between classes (`const QueueClass = pro ? QueuePro : Queue`).
 */
function queueClassRole(callee: ts.Expression, parsed: ParsedFile, chosen = false): Role | undefined {
  const imported = importOf(callee, parsed.source);
  if (!imported) {
    const choice = !chosen && ts.isIdentifier(callee) ? resolveReceiver(callee, parsed) : undefined;
    return choice && ts.isConditionalExpression(choice) ? (queueClassRole(unwrap(choice.whenTrue), parsed, true) ?? queueClassRole(unwrap(choice.whenFalse), parsed, true)) : undefined;
  }
  if (!QUEUE_MODULES.test(imported.from)) return undefined;
  if (imported.name === 'Queue' || imported.name === 'QueuePro' || imported.name === 'default') return 'produce';
  if (imported.name === 'Worker' || imported.name === 'WorkerPro') return 'consume';
  return undefined;
}

/** `new Queue('emails', { connection })` produces to queue emails, `new Worker('emails', process, { connection })` consumes it. */
function queueConstruction(node: ts.NewExpression, parsed: ParsedFile): MessageFact[] {
  const [name, second, third] = node.arguments ?? [];
  const role = name && systemsOf(parsed.source).has('queue') && queueClassRole(node.expression, parsed);
  if (!role) return [];
  const options = role === 'consume' ? third : second;
  const connection = options && brokerConnection(options, parsed);
  const fact = messageFact('queue', role, name, node, parsed, { ...bindingOf(parsed), ...(connection ? { connection } : {}) });
  if (role === 'consume') readsJobData(second, [fact], parsed);
  return [fact];
}

/** Where the Redis client given as a queue's `connection` is built in this file (`connection: redis` with `const redis = new IORedis(url)`). */
function brokerConnection(options: ts.Expression, parsed: ParsedFile): SourceLocation | undefined {
  const object = unwrap(options);
  const given = ts.isObjectLiteralExpression(object) ? propertyValue(object, 'connection') : undefined;
  if (!given) return undefined;
  const client = resolveReceiver(given, parsed);
  return ts.isNewExpression(client) || ts.isCallExpression(client) ? parsed.locate(client) : undefined;
}

const QUEUE_METHODS: Record<string, Role> = { add: 'produce', addBulk: 'produce', createJob: 'produce', process: 'consume' };
const TRIGGER_METHODS = new Set(['trigger', 'batchTrigger', 'triggerAndWait', 'batchTriggerAndWait']);

/**
 * `emails.add(…)`, `emails.process(…)` on a queue and `sendEmail.trigger(…)` on a task, made in this file or imported:
 * an imported one keeps its import for the graph to find the module that makes it.
 */
function handleCall(node: ts.CallExpression, callee: ts.PropertyAccessExpression, parsed: ParsedFile): MessageFact[] | undefined {
  const method = callee.name.text;
  const queueRole = Object.hasOwn(QUEUE_METHODS, method) ? QUEUE_METHODS[method] : undefined;
  if (!queueRole && !TRIGGER_METHODS.has(method)) return undefined;
  const system: System = queueRole ? 'queue' : 'task';
  const role: Role = queueRole ?? 'produce';
  const receiver = unwrap(callee.expression);
  if (!ts.isIdentifier(receiver)) return undefined;
  const imported = importBindings(parsed.source).get(receiver.text);
  if (imported) {
    if (imported.name === '*' || QUEUE_MODULES.test(imported.from) || TRIGGER_SDK.test(imported.from)) return undefined;
    const fact: MessageFact = { system, role, topic: [], on: { name: imported.name, from: imported.from }, location: parsed.locate(node) };
    if (method === 'add' || TRIGGER_METHODS.has(method)) withPayload(fact, method === 'add' ? jobData(node.arguments) : node.arguments[0], parsed);
    if (role === 'consume') readsJobData(node.arguments[node.arguments.length - 1], [fact], parsed);
    return [fact];
  }
  // A queue or task made in this file: only where the file imports its package.
  if (!systemsOf(parsed.source).has(system)) return undefined;
  const declared = findDeclaration(receiver.text, parsed.ancestors)?.initializer;
  const made = declared && unwrap(declared);
  if (!made) return undefined;
  if (system === 'queue' && ts.isNewExpression(made) && made.arguments?.[0] && queueClassRole(made.expression, parsed) === 'produce') {
    // Adding to a queue made here repeats what `new Queue` says; processing it (Bull, bee-queue) consumes it.
    if (role !== 'consume') return [];
    const fact = messageFact('queue', 'consume', made.arguments[0], node, parsed);
    readsJobData(node.arguments[node.arguments.length - 1], [fact], parsed);
    return [fact];
  }
  const id = system === 'task' && ts.isCallExpression(made) ? taskId(made, parsed.source) : undefined;
  return id ? [messageFact('task', 'produce', id, node, parsed)] : undefined;
}

/** `@Processor('emails')` (or `{ name: 'emails' }`) consumes a queue; `@InjectQueue('emails')` produces to it. */
function queueDecorator(node: ts.Decorator, parsed: ParsedFile): MessageFact[] {
  const call = node.expression;
  if (!ts.isCallExpression(call) || !call.arguments[0]) return [];
  const imported = importOf(call.expression, parsed.source);
  if (!imported || !/^@nestjs\/bullmq?$/.test(imported.from)) return [];
  const role: Role | undefined = imported.name === 'Processor' ? 'consume' : imported.name === 'InjectQueue' ? 'produce' : undefined;
  if (!role) return [];
  const argument = unwrap(call.arguments[0]);
  const name = ts.isObjectLiteralExpression(argument) ? propertyValue(argument, 'name') : argument;
  return name ? [messageFact('queue', role, name, node, parsed)] : [];
}

// ------------------------------------------------------------ service brokers (request/response addressed by service name)

/**
 * A typed broker client's call, `Api.get().notification.email.send(payload)`: a request for the method `email.send` of
 * the service named `notification`. The chain must start at a call without arguments on an imported binding (`Api.get()`,
 * `client()`) and name a service and a method; `this.users.find()` and `prisma.user.findMany()` start elsewhere. Whether
 * the name is a deployable that registers the method is the graph's to decide.
 */
function brokerRequest(node: ts.CallExpression, callee: ts.PropertyAccessExpression, parsed: ParsedFile): MessageFact[] | undefined {
  const names = [callee.name.text];
  let receiver = unwrap(callee.expression);
  for (;;) {
    if (ts.isPropertyAccessExpression(receiver)) names.unshift(receiver.name.text);
    else if (ts.isElementAccessExpression(receiver) && ts.isStringLiteralLike(receiver.argumentExpression)) names.unshift(receiver.argumentExpression.text);
    else break;
    receiver = unwrap(receiver.expression);
  }
  if (names.length < 2 || !ts.isCallExpression(receiver) || receiver.arguments.length > 0) return undefined;
  const client = unwrap(receiver.expression);
  const root = ts.isPropertyAccessExpression(client) ? unwrap(client.expression) : client;
  if (!ts.isIdentifier(root) || !importBindings(parsed.source).has(root.text)) return undefined;
  return [{ system: 'broker', role: 'request', topic: [{ kind: 'text', text: names.join('.') }], location: parsed.locate(node) }];
}

/** Methods that register a handler a broker delivers requests to, under the registering service's name. */
const BROKER_REGISTRATIONS = new Set(['addEndpoint', 'addMethod']);

/** `ms.addEndpoint('email.send', handler)`: the service running this code answers `email.send` (a template's unknown parts stand for any segment). */
function brokerRegistration(node: ts.CallExpression, callee: ts.PropertyAccessExpression, parsed: ParsedFile): MessageFact[] | undefined {
  const [method, handler] = node.arguments;
  if (!BROKER_REGISTRATIONS.has(callee.name.text) || !handler || !method) return undefined;
  const name = unwrap(method);
  if (!ts.isStringLiteralLike(name) && !ts.isTemplateExpression(name)) return undefined;
  return [messageFact('broker', 'respond', name, node, parsed)];
}

// ------------------------------------------------------------ tRPC

/**
 * `createTRPCProxyClient<AppRouter>(…)` (or `createTRPCClient`, `createTRPCReact`, `createTRPCNext`, …) with the router
 * type imported: a client of the router the imported module's `export type AppRouter = typeof appRouter` describes.
 */
function trpcClient(node: ts.CallExpression, callee: ts.Identifier, parsed: ParsedFile): MessageFact[] {
  const factory = importOf(callee, parsed.source);
  const router = node.typeArguments?.[0];
  if (!factory || !/^@trpc\/(?!server)/.test(factory.from) || !factory.name.startsWith('createTRPC') || !router || !ts.isTypeReferenceNode(router)) return [];
  const imported = importOf(router.typeName as ts.Expression, parsed.source);
  return imported ? [{ system: 'trpc', role: 'request', topic: [], on: { name: imported.name, from: imported.from }, location: parsed.locate(node) }] : [];
}

/** `export type AppRouter = typeof appRouter` with `appRouter` made by `router({…})`, `t.router({…})`, `createTRPCRouter({…})` or `mergeRouters(…)`: the router clients name. */
function trpcRouterType(node: ts.TypeAliasDeclaration, parsed: ParsedFile): MessageFact[] {
  const exported = ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  if (!exported || !ts.isTypeQueryNode(node.type) || !ts.isIdentifier(node.type.exprName)) return [];
  const made = findDeclaration(node.type.exprName.text, [parsed.source])?.initializer;
  const call = made && unwrap(made);
  if (!call || !ts.isCallExpression(call)) return [];
  const maker = ts.isPropertyAccessExpression(call.expression) ? call.expression.name : call.expression;
  if (!ts.isIdentifier(maker) || !/routers?$/i.test(maker.text)) return [];
  return [{ system: 'trpc', role: 'respond', topic: [{ kind: 'text', text: node.name.text }], binding: node.name.text, location: parsed.locate(node) }];
}

// ------------------------------------------------------------ trigger.dev tasks

/** `task({ id: 'send-email', run })`, `schemaTask({ id })`, `schedules.task({ id })`: the task's id, when the SDK makes it. */
function taskId(call: ts.CallExpression, source: ts.SourceFile): ts.Expression | undefined {
  const callee = call.expression;
  const sdk = (name: ts.Expression) => {
    const imported = importOf(name, source);
    return imported !== undefined && TRIGGER_SDK.test(imported.from) ? imported.name : undefined;
  };
  const isDefinition = ts.isIdentifier(callee)
    ? ['task', 'schemaTask'].includes(sdk(callee) ?? '')
    : ts.isPropertyAccessExpression(callee) && callee.name.text === 'task' && sdk(callee.expression) === 'schedules';
  const options = isDefinition && call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
  return options && ts.isObjectLiteralExpression(options) ? propertyValue(options, 'id') : undefined;
}

/** A task definition consumes the task: the project holding it runs it. */
function taskDefinition(node: ts.CallExpression, parsed: ParsedFile): MessageFact[] {
  const id = taskId(node, parsed.source);
  return id ? [messageFact('task', 'consume', id, node, parsed, bindingOf(parsed))] : [];
}

// ------------------------------------------------------------ Temporal, Pub/Sub, QStash and Cloud Tasks

/** `Worker.create({ taskQueue })` consumes a task queue; `client.workflow.start(fn, { taskQueue })` (or `execute`, `signalWithStart`) produces to it. */
function temporalCall(node: ts.CallExpression, callee: ts.PropertyAccessExpression, parsed: ParsedFile): MessageFact[] {
  const method = callee.name.text;
  const options = (index: number) => {
    const argument = node.arguments[index] && unwrap(node.arguments[index]);
    return argument && ts.isObjectLiteralExpression(argument) ? propertyValue(argument, 'taskQueue') : undefined;
  };
  const imported = importOf(callee.expression, parsed.source);
  if (method === 'create' && imported?.name === 'Worker' && imported.from === '@temporalio/worker') {
    const queue = options(0);
    return queue ? [messageFact('temporal', 'consume', queue, node, parsed)] : [];
  }
  const receiver = unwrap(callee.expression);
  if (['start', 'execute', 'signalWithStart'].includes(method) && ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'workflow') {
    const queue = options(1);
    return queue ? [messageFact('temporal', 'produce', queue, node, parsed)] : [];
  }
  return [];
}

/** `pubsub.topic('t').publishMessage(…)` publishes to t; `pubsub.subscription('s').on('message', …)` subscribes (to t when made by `topic('t').subscription('s')`). */
function pubsubCall(node: ts.CallExpression, callee: ts.PropertyAccessExpression, parsed: ParsedFile): MessageFact[] {
  const method = callee.name.text;
  const made = madeBy(resolveReceiver(callee.expression, parsed));
  if (['publishMessage', 'publish', 'publishJSON'].includes(method)) {
    return made?.maker === 'topic' ? [messageFact('pubsub', 'publish', made.name, node, parsed)] : [];
  }
  const [event] = node.arguments;
  if (method !== 'on' || !event || !ts.isStringLiteralLike(event) || event.text !== 'message' || made?.maker !== 'subscription') return [];
  const topic = madeBy(resolveReceiver(made.owner, parsed));
  return [messageFact('pubsub', 'subscribe', topic?.maker === 'topic' ? topic.name : made.name, node, parsed)];
}

/** `owner.topic(name)` or `owner.subscription(name)`: the Pub/Sub handle a call makes. */
function madeBy(expression: ts.Expression): { maker: string; name: ts.Expression; owner: ts.Expression } | undefined {
  if (!ts.isCallExpression(expression) || !ts.isPropertyAccessExpression(expression.expression) || !expression.arguments[0]) return undefined;
  return { maker: expression.expression.name.text, name: expression.arguments[0], owner: expression.expression.expression };
}

/** QStash `publishJSON({ url })` / `enqueueJSON({ url })` and Cloud Tasks `createTask({ task: { httpRequest: { url } } })`: a job for whatever serves the URL. */
function httpTaskCall(node: ts.CallExpression, callee: ts.PropertyAccessExpression, parsed: ParsedFile): MessageFact[] {
  const argument = node.arguments[node.arguments.length - 1];
  const request = argument && resolveReceiver(argument, parsed);
  if (!request || !ts.isObjectLiteralExpression(request)) return [];
  const method = callee.name.text;
  const url = ['publishJSON', 'publish', 'enqueueJSON', 'enqueue'].includes(method)
    ? propertyValue(request, 'url')
    : method === 'createTask'
      ? objectMember(request, ['task', 'httpRequest', 'url'])
      : undefined;
  return url ? [messageFact('http-task', 'produce', url, node, parsed)] : [];
}

function messageCall(node: ts.CallExpression, callee: ts.PropertyAccessExpression, systems: Set<System>, parsed: ParsedFile): MessageFact[] {
  const name = callee.name.text;
  const args = node.arguments;
  const fact = (system: System, role: Role, topic: ts.Expression) => messageFact(system, role, topic, node, parsed);
  const options = args[0] && ts.isObjectLiteralExpression(unwrap(args[0])) ? (unwrap(args[0]) as ts.ObjectLiteralExpression) : undefined;

  const published = (system: System, topic: ts.Expression, payload: ts.Expression | undefined) => [withPayload(fact(system, 'publish', topic), payload, parsed)];
  const handled = (system: System, topic: ts.Expression, handler: ts.Expression | undefined) => {
    const found = fact(system, 'subscribe', topic);
    registerHandler(handler, [found], parsed);
    return [found];
  };

  if (systems.has('kafka') && options) {
    const topic = propertyValue(options, 'topic');
    const messages = propertyValue(options, 'messages');
    if (name === 'send' && topic && messages) return published('kafka', topic, kafkaValue(messages));
    if (name === 'subscribe') {
      const topics = propertyValue(options, 'topics');
      const list = topic ? [topic] : topics && ts.isArrayLiteralExpression(unwrap(topics)) ? (unwrap(topics) as ts.ArrayLiteralExpression).elements : [];
      const found = list.map((t) => fact('kafka', 'subscribe', t));
      consumerSubscriptions(callee.expression, parsed)?.push(...found);
      return found;
    }
    // `consumer.run({ eachMessage })`: the handler of what that consumer subscribed to.
    if (name === 'run') registerHandler(propertyValue(options, 'eachMessage'), consumerSubscriptions(callee.expression, parsed) ?? [], parsed);
  }
  if (systems.has('sqs') && options && name === 'create') {
    const queue = propertyValue(options, 'queueUrl');
    if (queue) return handled('sqs', queue, propertyValue(options, 'handleMessage'));
  }
  if (systems.has('nestjs') && args.length === 2) {
    if (name === 'emit') return published('nestjs', args[0], args[1]);
    if (name === 'send') return [fact('nestjs', 'request', args[0])];
  }
  if (!args[0] || options) return [];
  if (systems.has('amqp')) {
    if (name === 'publish' && args.length >= 3) {
      const exchange = unwrap(args[0]);
      return published('amqp', ts.isStringLiteralLike(exchange) && exchange.text === '' ? args[1] : exchange, args[2]);
    }
    if (name === 'sendToQueue' && args.length >= 2) return published('amqp', args[0], args[1]);
    if (name === 'bindQueue' && args.length >= 2) return [fact('amqp', 'subscribe', args[1])];
    if (name === 'consume' && args.length >= 2) return handled('amqp', args[0], args[1]);
  }
  if (systems.has('nats')) {
    if (name === 'publish') return published('nats', args[0], args[1]);
    if (name === 'subscribe') {
      const subscription = args[1] && unwrap(args[1]);
      return handled('nats', args[0], subscription && ts.isObjectLiteralExpression(subscription) ? propertyValue(subscription, 'callback') : undefined);
    }
    if (name === 'request') return [fact('nats', 'request', args[0])];
  }
  if (systems.has('redis')) return redisPubSub(node, callee, parsed);
  return [];
}

const REDIS_SUBSCRIPTIONS = new Set(['subscribe', 'psubscribe', 'pSubscribe', 'ssubscribe', 'sSubscribe']);

/**
 * Redis pub/sub (ioredis, node-redis): `publish('chan', message)` publishes, `subscribe('a', 'b')` / `subscribe(['a'], listener)`
 * and the pattern forms subscribe; the client built here for it is a broker, not a store.
 */
function redisPubSub(node: ts.CallExpression, callee: ts.PropertyAccessExpression, parsed: ParsedFile): MessageFact[] {
  const name = callee.name.text;
  const client = resolveReceiver(callee.expression, parsed);
  const extra = ts.isNewExpression(client) || ts.isCallExpression(client) ? { connection: parsed.locate(client) } : {};
  const [first] = node.arguments;
  if ((name === 'publish' || name === 'spublish' || name === 'sPublish') && node.arguments.length >= 2) return [messageFact('redis', 'publish', first, node, parsed, extra)];
  if (!REDIS_SUBSCRIPTIONS.has(name)) return [];
  const listed = unwrap(first);
  const channels = ts.isArrayLiteralExpression(listed) ? listed.elements : node.arguments.filter((a) => !ts.isFunctionLike(unwrap(a)));
  return channels.map((channel) => messageFact('redis', 'subscribe', channel, node, parsed, extra));
}

function awsCommand(node: ts.NewExpression, parsed: ParsedFile): MessageFact[] {
  if (!ts.isIdentifier(node.expression) || !node.arguments?.[0]) return [];
  const name = node.expression.text;
  if (name === 'PutEventsCommand') return putEvents(node, node.arguments[0], parsed);
  const command = AWS_COMMANDS[name];
  const options = unwrap(node.arguments[0]);
  if (!command || !ts.isObjectLiteralExpression(options) || !systemsOf(parsed.source).has(command.system)) return [];
  const topic = propertyValue(options, command.key);
  if (!topic) return [];
  const fact = messageFact(command.system, command.role, topic, node, parsed);
  return [command.role === 'publish' ? withPayload(fact, propertyValue(options, command.system === 'sns' ? 'Message' : 'MessageBody'), parsed) : fact];
}

/** EventBridge `new PutEventsCommand({ Entries: [{ EventBusName, DetailType }] })`: one event per detail type (the bus when none is given). */
function putEvents(node: ts.NewExpression, input: ts.Expression, parsed: ParsedFile): MessageFact[] {
  if (!systemsOf(parsed.source).has('eventbridge')) return [];
  const options = resolveReceiver(input, parsed);
  const entries = ts.isObjectLiteralExpression(options) ? propertyValue(options, 'Entries') : undefined;
  const list = entries && unwrap(entries);
  if (!list || !ts.isArrayLiteralExpression(list)) return [];
  return list.elements.flatMap((element) => {
    const entry = unwrap(element);
    const topic = ts.isObjectLiteralExpression(entry) ? (propertyValue(entry, 'DetailType') ?? propertyValue(entry, 'EventBusName')) : undefined;
    return topic ? [messageFact('eventbridge', 'publish', topic, node, parsed)] : [];
  });
}

/** NestJS handlers: `@EventPattern('order.created')` subscribes, `@MessagePattern({ cmd: 'reserve' })` answers requests. */
function nestPattern(node: ts.MethodDeclaration, parsed: ParsedFile): MessageFact[] {
  for (const d of ts.getDecorators(node) ?? []) {
    const call = d.expression;
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || !call.arguments[0]) continue;
    const role = call.expression.text === 'EventPattern' ? 'subscribe' : call.expression.text === 'MessagePattern' ? 'respond' : undefined;
    if (!role) continue;
    const fact = messageFact('nestjs', role, call.arguments[0], node.name, parsed);
    if (role === 'subscribe') readsPayloadParameter(node, fact, parsed);
    return [fact];
  }
  return [];
}

// ------------------------------------------------------------ payloads: what a publication sends, what a handler reads

/** Publications send a value wrapped for the wire; the value is what its type is asked of. */
const ENCODERS = new Set(['stringify', 'from', 'encode']);

/** The value a publication sends, unwrapped from `JSON.stringify(…)`, `Buffer.from(…)` and a codec's `encode(…)`, unless written as a literal. */
function withPayload(fact: MessageFact, sent: ts.Expression | undefined, parsed: ParsedFile): MessageFact {
  let value = sent;
  while (value && (ts.isParenthesizedExpression(value) || ts.isAwaitExpression(value))) value = value.expression;
  while (value && ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && ENCODERS.has(value.expression.name.text) && value.arguments[0]) {
    value = value.arguments[0];
  }
  // A literal written in place has no declared type to name (`{ orderId }` typed by nothing but itself).
  if (value && !ts.isObjectLiteralExpression(value) && !ts.isArrayLiteralExpression(value) && !ts.isStringLiteralLike(value) && !ts.isTemplateExpression(value)) {
    fact.payload = parsed.locate(value);
  }
  return fact;
}

/** Options of a job (Bull's `add(data, { delay })`), not its data. */
const JOB_OPTIONS = new Set(['delay', 'attempts', 'backoff', 'jobId', 'priority', 'repeat', 'lifo', 'timeout', 'removeOnComplete', 'removeOnFail']);

/** The data of `queue.add(…)`: BullMQ's `add(name, data, opts)`, Bull's `add(data, opts)` or `add(name, data, opts)`. */
function jobData(args: readonly ts.Expression[]): ts.Expression | undefined {
  const [first, second] = args.map(unwrap);
  if (!second) return first;
  const named = ts.isStringLiteralLike(first) || ts.isTemplateExpression(first) || args.length >= 3;
  const options = ts.isObjectLiteralExpression(second) && second.properties.every((p) => p.name !== undefined && ts.isIdentifier(p.name) && JOB_OPTIONS.has(p.name.text));
  return named || !options ? args[1] : args[0];
}

/** kafkajs `messages: [{ value }]`: the first message's value. */
function kafkaValue(messages: ts.Expression): ts.Expression | undefined {
  const list = unwrap(messages);
  const first = ts.isArrayLiteralExpression(list) && list.elements[0] ? unwrap(list.elements[0]) : undefined;
  return first && ts.isObjectLiteralExpression(first) ? propertyValue(first, 'value') : undefined;
}

/** Per file, the handler functions of subscriptions, whose `JSON.parse(…)` (or `decode(…)`) gives the payload. */
const handlersBySource = new WeakMap<ts.SourceFile, Map<ts.Node, MessageFact[]>>();
/** Per file, a kafkajs consumer's subscriptions by the receiver's text (`consumer`, `this.consumer`). */
const subscriptionsBySource = new WeakMap<ts.SourceFile, Map<string, MessageFact[]>>();

function registerHandler(handler: ts.Expression | undefined, facts: MessageFact[], parsed: ParsedFile): void {
  const fn = handler && unwrap(handler);
  if (!fn || facts.length === 0 || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return;
  let handlers = handlersBySource.get(parsed.source);
  if (!handlers) handlersBySource.set(parsed.source, (handlers = new Map()));
  handlers.set(fn, facts);
}

/** The subscriptions of the consumer a call is made on, in this file (none for a receiver that is not a name or `this.name`). */
function consumerSubscriptions(receiver: ts.Expression, parsed: ParsedFile): MessageFact[] | undefined {
  const node = unwrap(receiver);
  const key = ts.isIdentifier(node) ? node.text : ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword ? `this.${node.name.text}` : undefined;
  if (key === undefined) return undefined;
  let byReceiver = subscriptionsBySource.get(parsed.source);
  if (!byReceiver) subscriptionsBySource.set(parsed.source, (byReceiver = new Map()));
  let found = byReceiver.get(key);
  if (!found) byReceiver.set(key, (found = []));
  return found;
}

/** `JSON.parse(…)` or `codec.decode(…)` inside a subscription's handler: the payload, followed to its reads. */
function trackDecodedPayload(node: ts.CallExpression, parsed: ParsedFile): void {
  const handlers = handlersBySource.get(parsed.source);
  const callee = node.expression;
  if (!handlers || !ts.isPropertyAccessExpression(callee)) return;
  const decodes = callee.name.text === 'decode' || (callee.name.text === 'parse' && ts.isIdentifier(callee.expression) && callee.expression.text === 'JSON');
  if (!decodes) return;
  for (let i = parsed.ancestors.length - 1; i >= 0; i--) {
    const facts = handlers.get(parsed.ancestors[i]);
    if (facts) return trackValue(node, 'body', readsInto(facts, parsed), parsed);
  }
}

/** A BullMQ `Worker` or Bull `process` processor: its job's `.data` is the payload. */
function readsJobData(processor: ts.Expression | undefined, facts: MessageFact[], parsed: ParsedFile): void {
  const fn = processor && unwrap(processor);
  const job = fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ? fn.parameters[0] : undefined;
  if (job) bindValue(job.name, fn!, 'response', '', readsInto(facts, parsed), parsed);
}

/** A NestJS `@EventPattern` handler's payload: its `@Payload()` parameter (`@Payload('order')` a property of it), else its first when none is decorated. */
function readsPayloadParameter(method: ts.MethodDeclaration, fact: MessageFact, parsed: ParsedFile): void {
  const decorated = (parameter: ts.ParameterDeclaration) => ts.getDecorators(parameter) ?? [];
  const payloadDecorator = (parameter: ts.ParameterDeclaration) =>
    decorated(parameter).find((d) => ts.isCallExpression(d.expression) && ts.isIdentifier(d.expression.expression) && d.expression.expression.text === 'Payload');
  const parameter = method.parameters.find((p) => payloadDecorator(p)) ?? (method.parameters.every((p) => decorated(p).length === 0) ? method.parameters[0] : undefined);
  if (!parameter) return;
  const sink = readsInto([fact], parsed);
  const property = (payloadDecorator(parameter)?.expression as ts.CallExpression | undefined)?.arguments[0];
  const prefix = property && ts.isStringLiteralLike(property) ? property.text : '';
  if (prefix !== '') sink.read(prefix, property!);
  bindValue(parameter.name, method, 'body', prefix, sink, parsed);
}

/** Where reads of a payload go, and the functions it is handed to: each once per subscription, where first seen. */
function readsInto(facts: MessageFact[], parsed: ParsedFile): ValueSink {
  return {
    read: (path, at) => facts.forEach((fact) => addRead(fact, path, at, parsed)),
    pass: (passed, at) => facts.forEach((fact) => addPass(fact, passed, at, parsed)),
  };
}

/** A topic as parts; a NestJS object pattern (`{ cmd: 'reserve' }`) becomes its canonical text `{"cmd":"reserve"}`. */
function topicParts(expression: ts.Expression, parsed: ParsedFile): ValuePart[] {
  const node = unwrap(expression);
  if (ts.isObjectLiteralExpression(node)) {
    const entries = node.properties.flatMap((p) => {
      if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return [];
      const value = unwrap(p.initializer);
      return ts.isStringLiteralLike(value) ? [[p.name.text, value.text] as const] : [];
    });
    if (entries.length === node.properties.length) return [{ kind: 'text', text: JSON.stringify(Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : 1)))) }];
  }
  return valueParts(node, parsed.ancestors, parsed.source);
}
