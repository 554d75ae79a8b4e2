import { ts } from '../util/typescript.cjs';
import type { MessageFact, ValuePart } from '../model.js';
import type { ParsedFile, TypeScriptCollector } from './typescript-walk.js';
import { importBindings, propertyValue, unwrap, valueParts } from './values.js';

type System = MessageFact['system'];

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
    else if (from === '@nestjs/microservices') systems.add('nestjs');
    else if (from === '@aws-sdk/client-sns') systems.add('sns');
    else if (from === '@aws-sdk/client-sqs' || from === 'sqs-consumer') systems.add('sqs');
  }
  return systems;
}

/** Commands of the AWS SDK v3 and the option naming the topic or queue. */
const AWS_COMMANDS: Record<string, { system: System; role: MessageFact['role']; key: string }> = {
  PublishCommand: { system: 'sns', role: 'publish', key: 'TopicArn' },
  PublishBatchCommand: { system: 'sns', role: 'publish', key: 'TopicArn' },
  SendMessageCommand: { system: 'sqs', role: 'publish', key: 'QueueUrl' },
  SendMessageBatchCommand: { system: 'sqs', role: 'publish', key: 'QueueUrl' },
  ReceiveMessageCommand: { system: 'sqs', role: 'subscribe', key: 'QueueUrl' },
};

/**
 * Topics and subjects: kafkajs `send({ topic })`/`subscribe({ topic(s) })`, amqplib `publish`/`sendToQueue`/
 * `bindQueue`/`consume`, NATS `publish`/`subscribe`/`request`, NestJS `@EventPattern`/`@MessagePattern` and
 * `ClientProxy.emit`/`send` (request-response), SNS/SQS commands and sqs-consumer.
 */
export const messagingCollector: TypeScriptCollector = {
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression, ts.SyntaxKind.MethodDeclaration],
  visit(node, parsed, facts) {
    const found = ts.isCallExpression(node) ? messageCall(node, parsed) : ts.isNewExpression(node) ? awsCommand(node, parsed) : ts.isMethodDeclaration(node) ? nestPattern(node, parsed) : [];
    if (found.length > 0) (facts.messages ??= []).push(...found);
  },
};

function messageCall(node: ts.CallExpression, parsed: ParsedFile): MessageFact[] {
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee)) return [];
  const systems = systemsOf(parsed.source);
  if (systems.size === 0) return [];
  const name = callee.name.text;
  const args = node.arguments;
  const fact = (system: System, role: MessageFact['role'], topic: ts.Expression): MessageFact => ({ system, role, topic: topicParts(topic, parsed), location: parsed.locate(node) });
  const options = args[0] && ts.isObjectLiteralExpression(unwrap(args[0])) ? (unwrap(args[0]) as ts.ObjectLiteralExpression) : undefined;

  if (systems.has('kafka') && options) {
    const topic = propertyValue(options, 'topic');
    if (name === 'send' && topic && propertyValue(options, 'messages')) return [fact('kafka', 'publish', topic)];
    if (name === 'subscribe') {
      const topics = propertyValue(options, 'topics');
      if (topic) return [fact('kafka', 'subscribe', topic)];
      if (topics && ts.isArrayLiteralExpression(unwrap(topics))) return (unwrap(topics) as ts.ArrayLiteralExpression).elements.map((t) => fact('kafka', 'subscribe', t));
    }
  }
  if (systems.has('sqs') && options && name === 'create') {
    const queue = propertyValue(options, 'queueUrl');
    if (queue) return [fact('sqs', 'subscribe', queue)];
  }
  if (systems.has('nestjs') && args.length === 2) {
    if (name === 'emit') return [fact('nestjs', 'publish', args[0])];
    if (name === 'send') return [fact('nestjs', 'request', args[0])];
  }
  if (!args[0] || options) return [];
  if (systems.has('amqp')) {
    if (name === 'publish' && args.length >= 3) {
      const exchange = unwrap(args[0]);
      return [fact('amqp', 'publish', ts.isStringLiteralLike(exchange) && exchange.text === '' ? args[1] : exchange)];
    }
    if (name === 'sendToQueue' && args.length >= 2) return [fact('amqp', 'publish', args[0])];
    if (name === 'bindQueue' && args.length >= 2) return [fact('amqp', 'subscribe', args[1])];
    if (name === 'consume' && args.length >= 2) return [fact('amqp', 'subscribe', args[0])];
  }
  if (systems.has('nats')) {
    if (name === 'publish') return [fact('nats', 'publish', args[0])];
    if (name === 'subscribe') return [fact('nats', 'subscribe', args[0])];
    if (name === 'request') return [fact('nats', 'request', args[0])];
  }
  return [];
}

function awsCommand(node: ts.NewExpression, parsed: ParsedFile): MessageFact[] {
  if (!ts.isIdentifier(node.expression)) return [];
  const command = AWS_COMMANDS[node.expression.text];
  const options = node.arguments?.[0] && unwrap(node.arguments[0]);
  if (!command || !options || !ts.isObjectLiteralExpression(options) || !systemsOf(parsed.source).has(command.system)) return [];
  const topic = propertyValue(options, command.key);
  return topic ? [{ system: command.system, role: command.role, topic: topicParts(topic, parsed), location: parsed.locate(node) }] : [];
}

/** NestJS handlers: `@EventPattern('order.created')` subscribes, `@MessagePattern({ cmd: 'reserve' })` answers requests. */
function nestPattern(node: ts.MethodDeclaration, parsed: ParsedFile): MessageFact[] {
  for (const d of ts.getDecorators(node) ?? []) {
    const call = d.expression;
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || !call.arguments[0]) continue;
    const role = call.expression.text === 'EventPattern' ? 'subscribe' : call.expression.text === 'MessagePattern' ? 'respond' : undefined;
    if (role) return [{ system: 'nestjs', role, topic: topicParts(call.arguments[0], parsed), location: parsed.locate(node.name) }];
  }
  return [];
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
