import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../src/facts/index.js';
import type { ValuePart } from '../src/model.js';

/** Parts as one readable string: text as is, env as ${NAME}, imports as <name from>, unknown as {…}. */
function show(parts: ValuePart[] | undefined): string {
  return (parts ?? [])
    .map((p) => (p.kind === 'text' ? p.text : p.kind === 'env' ? `\${${p.name}${p.fallback ? `:-${show(p.fallback)}` : ''}}` : p.kind === 'import' ? `<${p.name} from ${p.from}>` : '{…}'))
    .join('');
}

function calls(code: string) {
  return (extractFileFacts('src/a.ts', code).httpCalls ?? []).map((c) => ({
    client: c.client,
    method: c.method,
    url: show(c.url),
    base: c.baseUrl ? show(c.baseUrl) : undefined,
    line: c.location.line,
  }));
}

describe('HTTP call facts', () => {
  it('reads fetch with template literals, concatenations, module constants and env fallbacks', () => {
    expect(
      calls(`const BASE = process.env.CATALOG_URL ?? 'http://localhost:3001';
export const f = (id: string) => fetch(\`\${BASE}/products/\${id}\`, { method: 'POST' });
export const g = (id: string) => fetch(BASE + '/products/' + id);`),
    ).toEqual([
      { client: 'fetch', method: 'POST', url: '${CATALOG_URL:-http://localhost:3001}/products/{…}', base: undefined, line: 2 },
      { client: 'fetch', method: 'GET', url: '${CATALOG_URL:-http://localhost:3001}/products/{…}', base: undefined, line: 3 },
    ]);
  });

  it('reads axios calls, config calls and axios.create instances (module, local and class members)', () => {
    expect(
      calls(`import axios from 'axios';
const api = axios.create({ baseURL: process.env.PAYMENTS_URL });
axios.get('http://a/x');
axios({ method: 'put', url: 'http://a/y' });
api.delete('/payments/1');
class Repo {
  private client = axios.create({ baseURL: 'http://b' });
  load() { return this.client.post('/z', {}); }
}
function local() { const c = axios.create({ baseURL: 'http://c' }); return c.request({ url: '/w', method: 'patch' }); }`),
    ).toEqual([
      { client: 'axios', method: 'GET', url: 'http://a/x', base: undefined, line: 3 },
      { client: 'axios', method: 'PUT', url: 'http://a/y', base: undefined, line: 4 },
      { client: 'axios', method: 'DELETE', url: '/payments/1', base: '${PAYMENTS_URL}', line: 5 },
      { client: 'axios', method: 'POST', url: '/z', base: 'http://b', line: 8 },
      { client: 'axios', method: 'PATCH', url: '/w', base: 'http://c', line: 10 },
    ]);
  });

  it('reads clients required the CommonJS way, and nothing through other required modules', () => {
    expect(
      calls(`const axios = require('axios');
const got = require('got');
const express = require('express');
axios.post('http://event-bus-srv:4005/events', {});
got('http://query-srv:4002/events');
express.get('http://not-a-call/');`),
    ).toEqual([
      { client: 'axios', method: 'POST', url: 'http://event-bus-srv:4005/events', base: undefined, line: 4 },
      { client: 'got', method: 'GET', url: 'http://query-srv:4002/events', base: undefined, line: 5 },
    ]);
  });

  it("reads a client's verbs taken out of it, and the default export of a required ES module", () => {
    expect(
      calls(`const { get, post: send } = require('got');
const axios = require('axios').default;
const { pick, get: lookup } = require('lodash');
get(process.env.ORDERS_URL + '/orders');
send('http://billing:3000/invoices', { json: {} });
axios.put('http://stock:3000/items/1', {});
lookup({ a: 1 }, 'a');`),
    ).toEqual([
      { client: 'got', method: 'GET', url: '${ORDERS_URL}/orders', base: undefined, line: 4 },
      { client: 'got', method: 'POST', url: 'http://billing:3000/invoices', base: undefined, line: 5 },
      { client: 'axios', method: 'PUT', url: 'http://stock:3000/items/1', base: undefined, line: 6 },
    ]);
  });

  it('reads got, ky, undici, superagent and NestJS HttpService (with ConfigService values as env)', () => {
    expect(
      calls(`import got from 'got';
import ky from 'ky';
import { request } from 'undici';
import superagent from 'superagent';
import { HttpService } from '@nestjs/axios';
got.post('http://a/1');
ky.get('http://a/2');
request('http://a/3', { method: 'DELETE' });
superagent.put('http://a/4');
export class S {
  constructor(private readonly http: HttpService, private readonly config: ConfigService) {}
  run() { return this.http.get(\`\${this.config.get('ORDERS_URL')}/orders\`); }
}`),
    ).toEqual([
      { client: 'got', method: 'POST', url: 'http://a/1', base: undefined, line: 6 },
      { client: 'ky', method: 'GET', url: 'http://a/2', base: undefined, line: 7 },
      { client: 'undici', method: 'DELETE', url: 'http://a/3', base: undefined, line: 8 },
      { client: 'superagent', method: 'PUT', url: 'http://a/4', base: undefined, line: 9 },
      { client: 'nestjs-http', method: 'GET', url: '${ORDERS_URL}/orders', base: undefined, line: 12 },
    ]);
  });

  it('reads wrapper factories and generated clients built with a base URL, and their method calls', () => {
    expect(
      calls(`import { createHttpClient } from '@shop/http';
import { OrdersApi, Configuration } from '@shop/orders-client';
const http = createHttpClient(process.env.SHIPPING_URL);
const orders = new OrdersApi(new Configuration({ basePath: process.env.ORDERS_URL }));
http.get('/rates');
orders.getOrder('1');`),
    ).toEqual([
      { client: 'client-factory', method: undefined, url: '', base: '${SHIPPING_URL}', line: 3 },
      { client: 'client-factory', method: undefined, url: '', base: '${ORDERS_URL}', line: 4 },
      { client: 'client-factory', method: 'GET', url: '/rates', base: '${SHIPPING_URL}', line: 5 },
      { client: 'client-factory', method: undefined, url: '', base: '${ORDERS_URL}', line: 6 },
    ]);
  });

  it('does not take route registrations, unknown receivers or non-client factories for calls', () => {
    expect(
      calls(`import express from 'express';
import { makeLogger } from '@shop/logger';
const app = express();
const log = makeLogger({ level: 'info' });
app.get('/orders', (req, res) => res.json([]));
map.get('/key');
log.get('x');`),
    ).toEqual([]);
  });

  it('records the HTTP clients a module exports, and calls through imported receivers for the graph to confirm', () => {
    const library = extractFileFacts(
      'src/http.ts',
      `import axios from 'axios';
export const catalog = axios.create({ baseURL: process.env.CATALOG_URL });
export function payments() { return axios.create({ baseURL: 'http://payments' }); }
export const plain = () => axios.create();
export const notAClient = { get: () => 1 };`,
    );
    expect(library.exportedClients?.map((c) => `${c.name} ${c.client} ${show(c.baseUrl)}`)).toEqual(['catalog axios ${CATALOG_URL}', 'payments axios http://payments', 'plain axios ']);
    const user = extractFileFacts('src/use.ts', `import { catalog, payments } from './http';
const p = payments();
catalog.get('/a');
p.post('/b');
catalog.get(key);`);
    expect(user.httpCalls?.map((c) => `${c.method} ${show(c.url)} via ${c.via?.name} ${c.viaExport}`)).toEqual(['GET /a via catalog true', 'POST /b via payments true']);
  });

  it('keeps imported constants symbolic for the graph to resolve', () => {
    expect(calls(`import { env } from './env';\nfetch(env.BILLING_URL);`)[0].url).toBe('${BILLING_URL}');
    expect(calls(`import { ORDERS } from './urls';\nfetch(\`\${ORDERS}/orders\`);`)[0].url).toBe('<ORDERS from ./urls>/orders');
  });
});

describe('URL literal facts', () => {
  const literals = (code: string) =>
    (extractFileFacts('src/a.ts', code).urlLiterals ?? []).map(({ url, location, fallback, passedTo, property }) => ({ url, line: location.line, fallback, passedTo, property }));

  it('records service URLs wherever they are held, with what takes them and whether configuration stands in front', () => {
    expect(
      literals(`import { z } from 'zod';
await tasks.enqueue({ callback: 'http://notifier:4200/deliveries' });
const client = new GrpcClient(\`grpc://catalog:50051/\${name}\`);
export const base = (url = 'http://orders:4000') => url;
const a = process.env.ORDERS_URL ?? 'http://orders:4000';
const b = configService.get('ORDERS_URL', 'http://orders:4000');
const c = z.string().default('ws://events:7000');
const { d = 'http://orders:4000' } = options;
export const targets = { billing: 'amqp://broker:5672' };`),
    ).toEqual([
      { url: 'http://notifier:4200/deliveries', line: 2, fallback: undefined, passedTo: 'tasks.enqueue', property: 'callback' },
      { url: 'grpc://catalog:50051/{…}', line: 3, fallback: undefined, passedTo: 'new GrpcClient', property: undefined },
      { url: 'http://orders:4000', line: 4, fallback: true, passedTo: undefined, property: undefined },
      { url: 'http://orders:4000', line: 5, fallback: true, passedTo: undefined, property: undefined },
      { url: 'http://orders:4000', line: 6, fallback: true, passedTo: undefined, property: undefined },
      { url: 'ws://events:7000', line: 7, fallback: true, passedTo: undefined, property: undefined },
      { url: 'http://orders:4000', line: 8, fallback: true, passedTo: undefined, property: undefined },
      { url: 'amqp://broker:5672', line: 9, fallback: undefined, passedTo: undefined, property: 'billing' },
    ]);
  });

  it('leaves out database URLs, hosts built at run time, module specifiers, types, log lines, comparisons and text that only mentions a URL', () => {
    expect(
      literals(`import x from 'https://deno.land/x/mod.ts';
type Endpoint = 'http://orders:4000';
const db = 'postgres://app@db:5432/app';
const built = \`http://\${host}:4000\`;
console.log('http://orders:4000 is up');
logger.info('http://orders:4000');
const prose = 'see http://orders:4000';
// http://orders:4000
const lookup = { 'http://orders:4000': 1 };
if (origin === 'http://orders:4000') allow();`),
    ).toEqual([]);
  });
});

describe('route facts', () => {
  const routes = (code: string, file = 'src/a.ts') => extractFileFacts(file, code).routes?.map((r) => `${r.framework} ${r.method} ${r.path}`);

  it('reads express, fastify, koa-router and hono registrations with :params as {params}', () => {
    expect(routes(`import express from 'express'; const r = express.Router(); r.get('/orders/:id', h); r.route('/items').post((req, res) => 1);`)).toEqual([
      'express GET /orders/{id}',
      'express POST /items',
    ]);
    expect(routes(`import Fastify from 'fastify'; const f = Fastify(); f.route({ method: 'PUT', url: '/a/:b', handler }); f.delete('/c', async () => 1);`)).toEqual([
      'fastify PUT /a/{b}',
      'fastify DELETE /c',
    ]);
    expect(routes(`import Router from '@koa/router'; const r = new Router({ prefix: '/rates' }); r.get('/:country', h);`)).toEqual(['koa GET /rates/{country}']);
    expect(routes(`import { Hono } from 'hono'; const app = new Hono(); app.post('/x', (c) => c.json(1));`)).toEqual(['hono POST /x']);
  });

  it('reads NestJS controllers and the mounts and global prefixes other files apply', () => {
    const facts = extractFileFacts(
      'src/a.ts',
      `@Controller('orders') export class C { @Get(':id') one() {} @Post() create(@Body() dto: D) {} helper() {} }
app.use('/api', router); app.setGlobalPrefix('v1');`,
    );
    expect(facts.routes?.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /orders/{id}', 'POST /orders']);
    expect(facts.routeMounts?.map((m) => `${m.prefix} ${m.router?.name ?? '(global)'}`)).toEqual(['/api router', '/v1 (global)']);
  });

  it('records request fields a handler forwards unread, not the ones it reads or identifiers', () => {
    const facts = extractFileFacts(
      'src/a.ts',
      `import express from 'express';
const app = express();
app.post('/orders', async (req, res) => {
  if (req.body.items.length === 0) return res.status(400).end();
  await shipping.reserve(req.body.customerId, req.body.address);
  await billing.charge({ card: req.body.card, items: req.body.items });
});`,
    );
    expect(facts.routes?.[0].forwards?.map((f) => `${f.field}@${f.location.line}→${f.call.line}`)).toEqual(['req.body.address@5→5', 'req.body.card@6→6']);
  });
});

describe('messaging facts', () => {
  const messages = (code: string) => extractFileFacts('src/a.ts', code).messages?.map((m) => `${m.system} ${m.role} ${show(m.topic)}`);

  it('reads kafkajs, amqplib, NATS, NestJS and SNS/SQS', () => {
    expect(messages(`import { Kafka } from 'kafkajs'; p.send({ topic: 'a', messages: [] }); c.subscribe({ topics: ['b', 'c'] });`)).toEqual([
      'kafka publish a',
      'kafka subscribe b',
      'kafka subscribe c',
    ]);
    expect(messages(`import amqp from 'amqplib'; ch.publish('ex', 'key', buf); ch.publish('', 'q1', buf); ch.sendToQueue('q2', buf); ch.bindQueue('mine', 'ex', '#'); ch.consume('q2', cb);`)).toEqual([
      'amqp publish ex',
      'amqp publish q1',
      'amqp publish q2',
      'amqp subscribe ex',
      'amqp subscribe q2',
    ]);
    expect(messages(`import { connect } from 'nats'; nc.publish('s.a', d); nc.subscribe('s.b'); nc.request('s.c', d);`)).toEqual([
      'nats publish s.a',
      'nats subscribe s.b',
      'nats request s.c',
    ]);
    expect(
      messages(`import { ClientProxy } from '@nestjs/microservices';
class H { @EventPattern('e') on() {} @MessagePattern({ cmd: 'x' }) answer() {} go() { this.c.emit('e2', 1); this.c.send({ cmd: 'y' }, 1); } }`),
    ).toEqual(['nestjs subscribe e', 'nestjs respond {"cmd":"x"}', 'nestjs publish e2', 'nestjs request {"cmd":"y"}']);
    expect(
      messages(`import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
sns.send(new PublishCommand({ TopicArn: process.env.ORDERS_TOPIC_ARN, Message: 'x' }));`),
    ).toEqual(['sns publish ${ORDERS_TOPIC_ARN}']);
  });

  const payloads = (code: string) =>
    extractFileFacts('src/a.ts', code).messages?.map(
      (m) => `${m.system} ${m.role} ${show(m.topic)}${m.payload ? ` sends ${m.payload.line}:${m.payload.column}` : ''}${m.reads ? ` reads ${m.reads.map((r) => `${r.path}@${r.location.line}`).join(' ')}` : ''}`,
    );

  it('reads what a publication sends and which payload properties a subscription\'s handler reads', () => {
    expect(
      payloads(`import { Kafka } from 'kafkajs';
await producer.send({ topic: 'placed', messages: [{ key: id, value: JSON.stringify(event) }] });
await consumer.subscribe({ topics: ['placed', 'paid'] });
await consumer.run({
  eachMessage: async ({ message }) => {
    const event = JSON.parse(message.value!.toString()) as Placed;
    const { total, customer: { email } } = event;
    log(event.orderId, total, email);
  },
});
await other.subscribe({ topic: 'cancelled' });`),
    ).toEqual(['kafka publish placed sends 2:84', 'kafka subscribe placed reads total@7 customer@7 customer.email@7 orderId@8', 'kafka subscribe paid reads total@7 customer@7 customer.email@7 orderId@8', 'kafka subscribe cancelled']);
    expect(
      payloads(`import { EventPattern, Payload, Ctx } from '@nestjs/microservices';
class H {
  @EventPattern('placed') a(@Payload() data: Placed, @Ctx() ctx: unknown) { return data.total + data.items[0].price; }
  @EventPattern('paid') b(@Ctx() ctx: unknown, @Payload('order') order: Order) { return order.id; }
  @EventPattern('shipped') c({ trackingId }: Shipped) { return trackingId; }
  go() { this.client.emit('placed', Buffer.from(JSON.stringify(placed))); }
}`),
    ).toEqual(['nestjs subscribe placed reads total@3 items.price@3', 'nestjs subscribe paid reads order@4 order.id@4', 'nestjs subscribe shipped reads trackingId@5', 'nestjs publish placed sends 6:64']);
    expect(
      payloads(`import amqp from 'amqplib';
import { Worker } from 'bullmq';
import { connect, JSONCodec } from 'nats';
ch.consume('q', (msg) => { const body = JSON.parse(msg.content.toString()); return body.total; });
new Worker('emails', async (job) => send(job.data.to));
nc.subscribe('s', { callback: (err, m) => codec.decode(m.data).total });
nc.publish('s', codec.encode(order));`),
    ).toEqual(['amqp subscribe q reads total@4', 'queue consume emails reads to@5', 'nats subscribe s reads total@6', 'nats publish s sends 7:30']);
    // Bull's add(data, options) and BullMQ's add(name, data) on a queue another module makes.
    expect(payloads(`import { expiry } from './queues';\nexpiry.add(payload, { delay: 5 });\nexpiry.add('expire', job);`)).toEqual(['queue produce  sends 2:12', 'queue produce  sends 3:22']);
  });

  it('ignores look-alike calls in files that import no messaging package', () => {
    expect(messages(`emitter.emit('x', 1); socket.send({ topic: 'a', messages: [] });`)).toBeUndefined();
  });

  const withBindings = (code: string) =>
    extractFileFacts('src/a.ts', code).messages?.map((m) => `${m.system} ${m.role} ${m.on ? `on <${m.on.name} from ${m.on.from}>` : show(m.topic)}${m.binding ? ` as ${m.binding}` : ''}${m.connection ? ` on ${m.connection.line}:${m.connection.column}` : ''}`);

  it('reads BullMQ, Bull and bee-queue queues and workers, with the variable holding each and the Redis client given to it', () => {
    expect(
      withBindings(`import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { EMAILS } from './names';
const redis = new IORedis(process.env.REDIS_URL);
export const emails = new Queue(EMAILS, { connection: redis });
new Worker(process.env.QUEUE_NAME ?? 'reports', async () => {}, { connection: { host: 'redis' } });
emails.add('welcome', { to: 'a' });`),
    ).toEqual(['queue produce <EMAILS from ./names> as emails on 4:15', 'queue consume ${QUEUE_NAME:-reports}']);
    expect(withBindings(`import Queue from 'bull'; const expiration = new Queue('order:expiration', { redis: { host: process.env.REDIS_HOST } }); expiration.process(async () => {});`)).toEqual([
      'queue produce order:expiration as expiration',
      'queue consume order:expiration',
    ]);
    expect(withBindings(`import BeeQueue from 'bee-queue'; const q = new BeeQueue('thumbnails'); q.createJob({}).save();`)).toEqual(['queue produce thumbnails as q']);
    expect(
      withBindings(`import { Queue, Worker } from 'bullmq'; import { QueuePro } from '@taskforcesh/bullmq-pro';
function make(pro: boolean) { const QueueClass = pro ? QueuePro : Queue; return new QueueClass('jobs'); }
function loop(a: boolean) { const Same = a ? Same : Other; return new Same('never'); }`),
    ).toEqual(['queue produce jobs']);
  });

  it('reads a queue named by a class member parameter as a template, and the values classes are given', () => {
    const facts = extractFileFacts(
      'src/a.ts',
      `import { Queue } from 'bullmq';
import { Logger } from '@nestjs/common';
import { Base, Topics } from './base';
import { Bull } from './bull';
export class Maker {
  constructor(private readonly bull: Bull, private readonly logger: Logger, readonly topic: string) {}
  make(name: string) { return new Queue(name); }
  start() { this.logger.log('starting the queue'); return this.bull.open(this.topic, Topics.Spare); }
}
export class Emails extends Base {
  constructor() { super(Topics.Emails, 'emails', 'not a name', 42); }
}
new Error('went wrong');`,
    );
    expect(facts.messages?.map((m) => `${m.system} ${m.role} ${show(m.topic)} ${JSON.stringify(m.parameter)}`)).toEqual(['queue produce {…} {"holder":"Maker","member":"make","index":0}']);
    expect(facts.classArguments?.map((a) => `${a.target.name}.${a.target.member}#${a.index} ${a.value ? show(a.value) : JSON.stringify(a.parameter)} in ${a.holder}`)).toEqual([
      'Queue.constructor#0 {"holder":"Maker","member":"make","index":0} in Maker',
      'Bull.open#0 {"holder":"Maker","member":"constructor","index":2} in Maker',
      'Bull.open#1 <Topics.Spare from ./base> in Maker',
      'Base.constructor#0 <Topics.Emails from ./base> in Emails',
      'Base.constructor#1 emails in Emails',
      'Base.constructor#3 42 in Emails',
    ]);
    expect(facts.classUses?.map((u) => `${u.name} from ${u.from} by ${u.by}`)).toEqual(['Bull from ./bull by Maker', 'Logger from @nestjs/common by Maker', 'Queue from bullmq by Maker', 'Base from ./base by Emails']);
  });

  it('reads Redis pub/sub with ioredis and node-redis, the client made for it being a broker', () => {
    expect(
      withBindings(`import Redis from 'ioredis';
const sub = new Redis(process.env.REDIS_URL);
sub.subscribe('orders', 'payments', (err) => {});
sub.psubscribe('audit.*');
redis.publish('orders', JSON.stringify({}));
redis.get('orders');`),
    ).toEqual(['redis subscribe orders on 2:13', 'redis subscribe payments on 2:13', 'redis subscribe audit.* on 2:13', 'redis publish orders']);
    expect(withBindings(`import { createClient } from 'redis'; const c = createClient(); c.subscribe(['a', 'b'], (m) => {}); c.pSubscribe('x*', listener);`)).toEqual([
      'redis subscribe a on 1:49',
      'redis subscribe b on 1:49',
      'redis subscribe x* on 1:49',
      'redis subscribe {…} on 1:49',
    ]);
  });

  it('reads calls on a queue or task another module makes, keeping the import', () => {
    expect(withBindings(`import { emails } from '../queues'; import { sendEmail } from './trigger/send'; emails.add('x', {}); emails.process(run); sendEmail.trigger({});`)).toEqual([
      'queue produce on <emails from ../queues>',
      'queue consume on <emails from ../queues>',
      'task produce on <sendEmail from ./trigger/send>',
    ]);
  });

  it('reads NestJS @Processor and @InjectQueue', () => {
    expect(
      messages(`import { Processor, InjectQueue } from '@nestjs/bullmq';
@Processor('audio') class AudioConsumer {}
@Processor({ name: 'video' }) class VideoConsumer {}
class Uploads { constructor(@InjectQueue('audio') private readonly audio: Queue) {} }`),
    ).toEqual(['queue consume audio', 'queue consume video', 'queue produce audio']);
  });

  it('reads trigger.dev task definitions and triggers', () => {
    expect(
      withBindings(`import { task, schemaTask, schedules, tasks } from '@trigger.dev/sdk/v3';
export const sendEmail = task({ id: 'send-email', run: async () => {} });
export const report = schedules.task({ id: 'daily-report', run: async () => {} });
const parse = schemaTask({ id: \`parse-\${'pdf'}\`, schema, run });
await tasks.trigger<typeof sendEmail>('send-email', {});
await client.tasks.batchTrigger('daily-report', []);
await parse.triggerAndWait({});`),
    ).toEqual([
      'task consume send-email as sendEmail',
      'task consume daily-report as report',
      'task consume parse-pdf as parse',
      'task produce send-email',
      'task produce daily-report',
      'task produce parse-pdf',
    ]);
  });

  it('reads Temporal task queues, Google Pub/Sub, EventBridge, QStash and Cloud Tasks', () => {
    expect(
      messages(`import { Worker } from '@temporalio/worker'; import { Client } from '@temporalio/client';
await Worker.create({ workflowsPath, activities, taskQueue: 'billing' });
await client.workflow.start(charge, { taskQueue: 'billing', workflowId: 'x' });`),
    ).toEqual(['temporal consume billing', 'temporal produce billing']);
    expect(
      messages(`import { PubSub } from '@google-cloud/pubsub';
const pubsub = new PubSub();
await pubsub.topic('orders').publishMessage({ json: {} });
const topic = pubsub.topic(process.env.TOPIC);
topic.subscription('orders-mailer').on('message', handle);
pubsub.subscription('invoices').on('message', handle);
pubsub.subscription('invoices').on('error', handle);`),
    ).toEqual(['pubsub publish orders', 'pubsub subscribe ${TOPIC}', 'pubsub subscribe invoices']);
    expect(
      messages(`import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
const input = { Entries: [{ EventBusName: process.env.BUS, DetailType: 'order.created', Detail: '{}' }, { EventBusName: 'audit', Detail: '{}' }] };
await client.send(new PutEventsCommand(input));`),
    ).toEqual(['eventbridge publish order.created', 'eventbridge publish audit']);
    expect(
      messages(`import { Client } from '@upstash/qstash'; import { CloudTasksClient } from '@google-cloud/tasks';
await qstash.publishJSON({ url: \`\${process.env.MAILER_URL}/send\`, body: {} });
await tasks.createTask({ parent, task: { httpRequest: { httpMethod: 'POST', url: 'https://billing/charge' } } });`),
    ).toEqual(['http-task produce ${MAILER_URL}/send', 'http-task produce https://billing/charge']);
  });

  it('ignores look-alikes: worker threads, sets, jQuery triggers, other packages\' task helpers', () => {
    // A trigger on an imported object stays a candidate: the graph drops it unless ./bus makes a task held by `bus`.
    expect(
      withBindings(`import { Worker } from 'node:worker_threads'; import { task } from 'gulp'; import { bus } from './bus';
new Worker('./thread.js'); const seen = new Set(); seen.add(1); task({ id: 'build' }); $(el).trigger('click'); bus.trigger('x');`),
    ).toEqual(['task produce on <bus from ./bus>']);
  });

  it('reads requests of a typed broker client and the methods a service registers, and no other property chains', () => {
    expect(
      messages(`import { Api } from '@rpc-kit/client'; import { client } from './client';
await Api.get().notification.email.send({ to }); await client()['payment-stripe'].charge({});
service.addEndpoint('email.send', send); service.addEndpoint(\`\${entity}.\${action}\`, handler); service.addMethod('ping', ping);`),
    ).toEqual([
      'broker request notification.email.send',
      'broker request payment-stripe.charge',
      'broker respond email.send',
      'broker respond {…}.{…}',
      'broker respond ping',
    ]);
  });

  it('reads tRPC clients of an imported router type and the router types a module exports', () => {
    expect(
      withBindings(`import { createTRPCProxyClient } from '@trpc/client'; import { createTRPCReact } from '@trpc/react-query';
import type { AppRouter } from '@acme/api'; import type { Admin } from './admin'; type Local = {};
createTRPCProxyClient<AppRouter>({ links: [] }); createTRPCReact<Admin>(); createTRPCProxyClient<Local>({ links: [] }); createRouter<AppRouter>();
export const appRouter = t.router({}); export type AppRouter2 = typeof appRouter; const merged = mergeRouters(a, b); export type Merged = typeof merged;
const store = createStore(); export type Store = typeof store; type Hidden = typeof appRouter;`),
    ).toEqual(['trpc request on <AppRouter from @acme/api>', 'trpc request on <Admin from ./admin>', 'trpc respond AppRouter2 as AppRouter2', 'trpc respond Merged as Merged']);
  });

  it('reads no broker requests from chains that start elsewhere', () => {
    // Chains that start at no call on an import, name no method after the service, or register nothing.
    expect(
      messages(`import { PrismaClient } from '@prisma/client'; import { Api } from '@rpc-kit/client';
const prisma = new PrismaClient(); await prisma.user.findMany(); await this.users.find(id); await getApi().users.user.list();
await Api.get(config).users.user.list(); await Api.get().users(); map.addEndpoint(name); router.addMethod(name, handler);`),
    ).toBeUndefined();
  });
});

describe('RPC facts', () => {
  const rpc = (code: string) =>
    (extractFileFacts('src/a.ts', code).rpc ?? []).map(
      (f) => `${f.transport} ${f.role}${f.package ? ` package ${show(f.package)}` : ''}${f.service ? ` service ${show(f.service)}` : ''}${f.address ? ` at ${show(f.address)}` : ''}${f.holder ? ` in ${f.holder}` : ''}`,
    );

  it('reads NestJS gRPC servers: method decorators (the class name when none is given) and microservice options', () => {
    expect(
      rpc(`import { GrpcMethod, GrpcStreamMethod, Transport } from '@nestjs/microservices';
import { HERO_SERVICE } from './names';
export class HeroesController {
  @GrpcMethod(HERO_SERVICE, 'FindOne') findOne() {}
  @GrpcStreamMethod('HeroesService') stream() {}
}
class Villains { @GrpcMethod() find() {} }
const app = await NestFactory.createMicroservice(AppModule, { transport: Transport.GRPC, options: { package: ['hero', 'villain'], protoPath } });
app.connectMicroservice({ transport: Transport.TCP, options: { port: 4000 } });`),
    ).toEqual([
      'grpc serve service <HERO_SERVICE from ./names> in HeroesController',
      'grpc serve service HeroesService in HeroesController',
      'grpc serve service Villains',
      'grpc serve package hero',
      'grpc serve package villain',
    ]);
  });

  it('reads NestJS clients: register, registerAsync factories, { clients }, ClientProxyFactory, @Client and getService; Redis transports as brokers', () => {
    expect(
      rpc(`import { Client, ClientProxyFactory, ClientsModule, Transport } from '@nestjs/microservices';
ClientsModule.register([{ name: 'HERO', transport: Transport.GRPC, options: { package: 'hero', url: process.env.HERO_URL } }]);
ClientsModule.registerAsync({ clients: [{ name: 'MATH', useFactory: (config) => { return { transport: Transport.TCP, options: { host: config.get('MATH_HOST') } }; } }] });
ClientsModule.register([{ name: 'AUDIT', transport: Transport.REDIS, options: { host: 'redis' } }, { name: 'LOCAL', transport: Transport.TCP, options: { port: 1 } }]);
const math = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: 'math', port: 3001 } });
export class Heroes {
  @Client({ transport: Transport.GRPC, options: { package: 'hero', url: 'hero:5000' } }) client;
  heroes = this.client.getService('HeroesService');
}`),
    ).toEqual([
      'grpc call package hero at ${HERO_URL}',
      'tcp call at ${MATH_HOST}',
      'redis call at redis',
      'tcp call at math',
      'grpc call package hero at hero:5000 in Heroes',
      'grpc call service HeroesService in Heroes',
    ]);
  });

  it('reads @grpc/grpc-js servers and clients, loaded from protos or generated, and @nestcloud/grpc clients', () => {
    expect(
      rpc(`import * as grpc from '@grpc/grpc-js';
import { GreeterService, GreeterClient } from './generated/greeter';
const proto = grpc.loadPackageDefinition(definition) as any;
server.addService(proto.shop.Catalog.service, impl);
server.addService(GreeterService, impl);
const catalog = new proto.shop.Catalog(process.env.CATALOG_ADDR, grpc.credentials.createInsecure());
const greeter = new GreeterClient('greeter:50051', grpc.credentials.createSsl());
const cache = new Map(entries, options);`),
    ).toEqual(['grpc serve service Catalog', 'grpc serve service Greeter', 'grpc call service Catalog at ${CATALOG_ADDR}', 'grpc call service Greeter at greeter:50051']);
    expect(
      rpc(`import { Service } from '@nestcloud/grpc';
export class CatalogRpc { @Service('CatalogService', { package: 'shop.catalog', protoPath }) svc; }`),
    ).toEqual(['grpc call package shop.catalog service CatalogService in CatalogRpc']);
  });

  it('reads Apollo federation subgraph URLs and Apollo client links as HTTP clients', () => {
    expect(
      calls(`import { ApolloGateway, IntrospectAndCompose } from '@apollo/gateway'; import { HttpLink } from '@apollo/client';
new ApolloGateway({ serviceList: [{ name: 'accounts', url: 'http://accounts:4001/graphql' }] });
new IntrospectAndCompose({ subgraphs: [{ name: 'reviews', url: process.env.REVIEWS_URL }] });
const link = new HttpLink({ uri: process.env.GATEWAY_URL });`),
    ).toEqual([
      { client: 'client-factory', method: undefined, url: '', base: 'http://accounts:4001/graphql', line: 2 },
      { client: 'client-factory', method: undefined, url: '', base: '${REVIEWS_URL}', line: 3 },
      { client: 'client-factory', method: undefined, url: '', base: '${GATEWAY_URL}', line: 4 },
    ]);
    expect(calls(`import { Gateway } from './gateway'; new Gateway({ serviceList: [{ url: 'http://accounts:4001' }] });`)).toEqual([]);
  });

  it('ignores look-alikes: getService, addService and constructors of files that import no RPC package', () => {
    expect(rpc(`container.getService('Mailer'); registry.addService(x.Mailer.service); new a.b.Mailer(url, credentials);`)).toEqual([]);
  });
});

describe('exported constants', () => {
  it('records string constants, object members and enum members', () => {
    const facts = extractFileFacts('src/topics.ts', `export const A = 'a'; export const T = { X: 'x', N: { Y: \`y-\${A}\` } }; export enum E { Z = 'z' } const hidden = 'h';`);
    expect(facts.constants?.map((c) => `${c.name}=${show(c.value)}`)).toEqual(['A=a', 'T.X=x', 'T.N.Y=y-a', 'E.Z=z']);
  });
});

describe('OpenAPI facts', () => {
  it('reads a Swagger 2.0 JSON document: operations, definitions, host and basePath, with lines', () => {
    const facts = extractFileFacts(
      'api/swagger.json',
      `{
  "swagger": "2.0",
  "host": "orders:8080",
  "basePath": "/v2",
  "paths": { "/orders/{id}": { "get": { "operationId": "getOrder" } } },
  "definitions": { "Order": { "$ref": "../shared/order.json#/Order" } }
}`,
    );
    expect(facts.openapi?.kind).toBe('spec');
    expect(facts.openapi?.servers.map((s) => s.url)).toEqual(['http://orders:8080/v2']);
    expect(facts.openapi?.operations.map((o) => `${o.method} ${o.path} ${o.operationId}@${o.location.line}`)).toEqual(['GET /orders/{id} getOrder@5']);
    expect(facts.openapi?.schemas.map((s) => `${s.pointer}@${s.location.line}`)).toEqual(['#/definitions/Order@6']);
    expect(facts.openapi?.refs.map((r) => `${r.file}${r.pointer}@${r.location.line}`)).toEqual(['shared/order.json#/Order@6']);
  });

  it('reports remote and escaping refs as diagnostics and records no file for them', () => {
    const facts = extractFileFacts(
      'openapi.yaml',
      `openapi: 3.1.0
paths: {}
components:
  schemas:
    A: { $ref: 'http://127.0.0.1:9/a.yaml' }
    B: { $ref: '../b.yaml' }
    C: { $ref: '/etc/hostname' }
    D: { $ref: '#/components/schemas/D' }`,
    );
    expect(facts.diagnostics.map((d) => `${d.code}@${d.line}`)).toEqual(['openapi-remote-ref@5', 'openapi-ref-outside-root@6', 'openapi-ref-outside-root@7']);
    expect(facts.openapi?.refs.every((r) => r.file === undefined)).toBe(true);
  });

  it('scans schema fragments for their refs in YAML block, YAML flow and JSON forms', () => {
    const yaml = extractFileFacts('schemas/order.yaml', `Order:\n  properties:\n    item: { $ref: './item.yaml#/Item' }\n    price:\n      $ref: "../money.yaml"\n    self: { $ref: '#/Order' }\n`);
    expect(yaml.openapi?.kind).toBe('fragment');
    expect(yaml.openapi?.refs.map((r) => `${r.file}${r.pointer}@${r.location.line}:${r.location.column}`)).toEqual(['schemas/item.yaml#/Item@3:13', 'money.yaml@5:7']);
    const json = extractFileFacts('schemas/order.json', `{\n  "a": { "$ref": "https://example.com/a.json" },\n  "b": { "$ref": "b.json#/B" }\n}`);
    expect(json.openapi?.refs.map((r) => `${r.file ?? r.ref}@${r.location.line}`)).toEqual(['https://example.com/a.json@2', 'schemas/b.json@3']);
    expect(json.diagnostics.map((d) => d.code)).toEqual(['openapi-remote-ref']);
  });

  it('reads a fragment $ref written as a YAML block scalar from the lines below it', () => {
    const text = 'x-codeSamples:\n  - lang: Shell\n    source:\n      $ref: >-\n        ../code_samples/Shell/run/post.sh\n  - lang: JS\n    source:\n      $ref: |\n        ./js.ts\n\nnext: 1\n';
    const facts = extractFileFacts('specs/paths/run.yaml', text);
    expect(facts.openapi?.refs.map((r) => `${r.ref} -> ${r.file}@${r.location.line}-${r.location.endLine}`)).toEqual([
      '../code_samples/Shell/run/post.sh -> specs/code_samples/Shell/run/post.sh@4-5',
      './js.ts -> specs/paths/js.ts@8-9',
    ]);
  });

  it('reads a plain block-mapping $ref to the end of its line, braces included, and a flow-mapping one to its brace', () => {
    const text = 'get:\n  source:\n    $ref: ../code_samples/admin_keys_{id}/get.sh # sample\n  schema: { $ref: ./key.yaml }\n';
    const facts = extractFileFacts('specs/paths/keys.yaml', text);
    expect(facts.openapi?.refs.map((r) => `${r.ref}@${r.location.line}:${r.location.column}-${r.location.endColumn}`)).toEqual([
      '../code_samples/admin_keys_{id}/get.sh@3:5-49',
      './key.yaml@4:13-29',
    ]);
  });

  it('leaves YAML and JSON files without an API marker or $ref alone', () => {
    expect(extractFileFacts('config.yaml', 'name: x\nlist: [1, 2]\n').openapi).toBeUndefined();
  });
});

describe('React server actions', () => {
  const directive = (code: string) => extractFileFacts('app/actions.ts', code).serverDirective?.line;

  it("finds 'use server' at the top of the module or of a function body, never in a string elsewhere", () => {
    expect(directive(`'use server';\nexport async function save() {}`)).toBe(1);
    expect(directive(`export default function Page() {\n  async function save() {\n    'use server';\n  }\n  return save;\n}`)).toBe(3);
    expect(directive(`'use strict';\n"use server";\nexport {};`)).toBe(2);
    expect(directive(`export const note = 'use server';\nfunction f() { const x = 1; 'use server'; }`)).toBeUndefined();
    expect(directive(`'use client';\nexport const a = 1;`)).toBeUndefined();
  });
});
