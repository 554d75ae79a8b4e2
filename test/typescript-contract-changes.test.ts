import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { typeScriptContractChanges, type TypeScriptContractChange } from '../src/contracts/typescript-changes.js';
import { mayCarryTypes } from '../src/contracts/typescript.js';
import type { ModuleReference } from '../src/model.js';
import { REPO_ROOT, fixture, runCli } from './helpers.js';

const PACKAGE = 'packages/orders-contracts/';

/** Compares two versions of a small contract package (paths relative to the package). */
function changes(base: Record<string, string>, head: Record<string, string>, entries = ['src/index.ts']): TypeScriptContractChange[] {
  const inRepo = (files: Record<string, string>) => new Map(Object.entries(files).map(([file, text]) => [PACKAGE + file, text]));
  return typeScriptContractChanges({ base: inRepo(base), head: inRepo(head), entries: entries.map((entry) => PACKAGE + entry) });
}

/** One line per change: `kind export.member breaking|expansion file:line`, `(base)` for a base location. */
function summary(found: TypeScriptContractChange[]): string[] {
  return found.map(
    (change) =>
      `${change.kind} ${[change.exportName, change.member].filter(Boolean).join('.')} ${change.breaking ? 'breaking' : 'expansion'} ` +
      `${change.file.slice(PACKAGE.length)}:${change.line}${change.inBase ? ' (base)' : ''}`,
  );
}

function lines(...text: string[]): string {
  return text.join('\n') + '\n';
}

/** A type with no role evidence in the package (no function takes or returns it): both input and output. */
const ORDER = lines(
  'export interface Order {', //
  '  id: string;',
  '  total: number;',
  '  note?: string;',
  "  status: 'open' | 'paid';",
  '}',
);

describe('exports', () => {
  test('a removed export is breaking, located in the base version; an added one is an expansion', () => {
    const base = { 'src/index.ts': lines("export * from './orders';", "export * from './refunds';"), 'src/orders.ts': ORDER, 'src/refunds.ts': 'export interface Refund { id: string }\n' };
    const head = { 'src/index.ts': lines("export * from './orders';", "export * from './payments';"), 'src/orders.ts': ORDER, 'src/payments.ts': 'export interface Payment { id: string }\n' };
    expect(summary(changes(base, head))).toEqual(['added-export Payment expansion src/payments.ts:1', 'removed-export Refund breaking src/refunds.ts:1 (base)']);
  });

  test('an export reached through `export { X as Y } from` is compared under its exported name', () => {
    const base = { 'src/index.ts': "export { Order as OrderDto } from './orders';\n", 'src/orders.ts': ORDER };
    const head = { 'src/index.ts': "export { Order as OrderDto } from './orders';\n", 'src/orders.ts': ORDER.replace('  total: number;\n', '') };
    const found = changes(base, head);
    expect(summary(found)).toEqual(['removed-property OrderDto.total breaking src/orders.ts:3 (base)']);
    expect(found[0].description).toBe('`OrderDto.total` was removed');
  });

  test('exports of every entry count; one only in the head version is new', () => {
    const base = { 'src/index.ts': ORDER, 'src/client.ts': 'export const version = 1;\n' };
    const head = { 'src/index.ts': ORDER, 'src/client.ts': 'export const version = 1;\nexport const retries = 3;\n' };
    expect(summary(changes(base, head, ['src/index.ts', 'src/client.ts']))).toEqual(['added-export retries expansion src/client.ts:2']);
  });

  test('a namespace export is compared member by member, under the name an importer uses', () => {
    const base = { 'src/index.ts': "export * as orders from './orders';\n", 'src/orders.ts': ORDER };
    const head = { 'src/index.ts': "export * as orders from './orders';\n", 'src/orders.ts': lines(ORDER.replace('  note?: string;\n', ''), 'export type OrderId = string;') };
    expect(summary(changes(base, head))).toEqual(['removed-property orders.Order.note breaking src/orders.ts:4 (base)', 'added-export orders.OrderId expansion src/orders.ts:7']);
    expect(summary(changes(base, { 'src/index.ts': "export * from './orders';\n", 'src/orders.ts': ORDER }))).toEqual([
      'added-export Order expansion src/orders.ts:1',
      'removed-export orders breaking src/orders.ts:1 (base)',
    ]);
    const inNamespace = (type: string) => lines('export namespace Orders {', `  export interface Line { qty: ${type} }`, '}');
    const found = changes({ 'src/index.ts': inNamespace('number') }, { 'src/index.ts': inNamespace('string') });
    expect(found.map(({ exportName, member, kind }) => ({ exportName, member, kind }))).toEqual([{ exportName: 'Orders', member: 'Line.qty', kind: 'changed-type' }]);
  });

  test('a default export of an object is compared as a value', () => {
    const found = changes({ 'src/index.ts': "export default { retries: 3, region: 'eu' };\n" }, { 'src/index.ts': "export default { retries: '3', region: 'eu' };\n" });
    expect(summary(found)).toEqual(['changed-type default.retries breaking src/index.ts:1']);
  });

  test('a re-exported JSON file is compared as a value', () => {
    const base = { 'src/index.ts': "export { default as limits } from './limits.json';\n", 'src/limits.json': '{ "maxItems": 50 }\n' };
    const found = changes(base, { ...base, 'src/limits.json': '{ "maxItems": "50" }\n' });
    expect(summary(found)).toEqual(['changed-type limits.maxItems breaking src/limits.json:1']);
  });

  test('an export now re-exported from another package is still there (its shape is not known here)', () => {
    const base = { 'src/index.ts': lines(ORDER, 'export interface Money { amount: number }') };
    const head = { 'src/index.ts': lines(ORDER, "export type { Money } from '@shop/common';", "export type { Price } from '@shop/common';") };
    expect(summary(changes(base, head))).toEqual(['added-export Price expansion src/index.ts:1']);
    expect(summary(changes(head, base))).toEqual(['removed-export Price breaking src/index.ts:1 (base)']);
  });

  test('an entry missing at the base makes every export new', () => {
    expect(summary(changes({}, { 'src/index.ts': ORDER }))).toEqual(['added-export Order expansion src/index.ts:1']);
  });
});

describe('properties of a type with no known role', () => {
  test('a removed property is breaking at its base line; a renamed one is removed and added', () => {
    const head = { 'src/index.ts': ORDER.replace('total: number', 'amount: number') };
    expect(summary(changes({ 'src/index.ts': ORDER }, head))).toEqual([
      'property-now-required Order.amount breaking src/index.ts:3',
      'removed-property Order.total breaking src/index.ts:3 (base)',
    ]);
  });

  test('a changed property type is breaking, located at the head property', () => {
    const found = changes({ 'src/index.ts': ORDER }, { 'src/index.ts': lines('// totals are strings now', ORDER.replace('total: number', 'total: string')) });
    expect(summary(found)).toEqual(['changed-type Order.total breaking src/index.ts:4']);
    expect(found[0].description).toBe('`Order.total` changed type from `number` to `string`');
  });

  test('optional to required is breaking; a new optional property is an expansion', () => {
    const head = { 'src/index.ts': ORDER.replace('note?: string', 'note: string').replace('}', '  coupon?: string;\n}') };
    expect(summary(changes({ 'src/index.ts': ORDER }, head))).toEqual([
      'property-now-required Order.note breaking src/index.ts:4',
      'added-optional-property Order.coupon expansion src/index.ts:6',
    ]);
  });

  test('required to optional is breaking for a reader', () => {
    const head = { 'src/index.ts': ORDER.replace('total: number', 'total?: number') };
    expect(summary(changes({ 'src/index.ts': ORDER }, head))).toEqual(['changed-type Order.total breaking src/index.ts:3']);
  });

  test('a union that loses a member is narrowed (breaking), one that gains a member is widened (an expansion)', () => {
    const narrowed = changes({ 'src/index.ts': ORDER }, { 'src/index.ts': ORDER.replace("'open' | 'paid'", "'open'") });
    expect(summary(narrowed)).toEqual(['narrowed-union Order.status breaking src/index.ts:5']);
    expect(narrowed[0].description).toBe("`Order.status` no longer includes `'paid'`");
    const widened = changes({ 'src/index.ts': ORDER }, { 'src/index.ts': ORDER.replace("'open' | 'paid'", "'open' | 'paid' | 'refunded'") });
    expect(summary(widened)).toEqual(['widened-union Order.status expansion src/index.ts:5']);
    expect(widened[0].description).toBe("`Order.status` now also includes `'refunded'`");
  });

  test('an exported union type alias is compared as a union', () => {
    const base = { 'src/index.ts': "export type Currency = 'EUR' | 'USD' | 'GBP';\n" };
    expect(summary(changes(base, { 'src/index.ts': "export type Currency = 'EUR' | 'USD';\n" }))).toEqual(['narrowed-union Currency breaking src/index.ts:1']);
  });

  test('a type that is not exported is compared as part of the export that uses it, under its member path', () => {
    const base = lines('export interface Cart {', '  items: Item[];', '}', 'interface Item {', '  price: number;', '  sku: string;', '}');
    const found = changes({ 'src/index.ts': base }, { 'src/index.ts': base.replace('price: number', 'price: string').replace('  sku: string;\n', '') });
    expect(summary(found)).toEqual(['changed-type Cart.items.price breaking src/index.ts:5', 'removed-property Cart.items.sku breaking src/index.ts:6 (base)']);
  });

  test('a change to an exported type is reported once, on that export, not again on the exports that use it', () => {
    const base = lines('export interface Cart {', '  items: Item[];', '  lastItem?: Item;', '}', 'export interface Item {', '  price: number;', '}');
    const found = changes({ 'src/index.ts': base }, { 'src/index.ts': base.replace('price: number', 'price: string') });
    expect(summary(found)).toEqual(['changed-type Item.price breaking src/index.ts:6']);
  });

  test('a change to an exported type is not reported again where a union or a promise holds it', () => {
    const base = lines('export interface Order { total: number }', 'export declare function findOrder(id: string): Promise<Order | undefined>;');
    const found = changes({ 'src/index.ts': base }, { 'src/index.ts': base.replace('total: number', 'total: string') });
    expect(summary(found)).toEqual(['changed-type Order.total breaking src/index.ts:1']);
  });

  test('a changed type argument of a standard library type', () => {
    const base = lines('export interface Stock {', '  bySku: Map<string, number>;', '  reserved: Record<string, number>;', '}');
    const found = changes({ 'src/index.ts': base }, { 'src/index.ts': base.replace(/, number>/g, ', string>') });
    expect(summary(found)).toEqual(['changed-type Stock.bySku breaking src/index.ts:2', 'changed-type Stock.reserved breaking src/index.ts:3']);
    expect(found[0].description).toBe('`Stock.bySku` changed type from `Map<string, number>` to `Map<string, string>`');
  });

  test('the type arguments of an exported generic type are compared where it is used', () => {
    const base = lines('export interface Page<T> { items: T[] }', 'export interface Orders { page: Page<string> }');
    const found = changes({ 'src/index.ts': base }, { 'src/index.ts': base.replace('Page<string>', 'Page<number>') });
    expect(summary(found)).toEqual(['changed-type Orders.page breaking src/index.ts:2']);
  });

  test('index signatures are compared like properties', () => {
    const prices = (signature: string) => lines('export interface PriceList {', `  bySku: { ${signature} };`, '}');
    expect(summary(changes({ 'src/index.ts': prices('[sku: string]: number') }, { 'src/index.ts': prices('[sku: string]: string') }))).toEqual([
      'changed-type PriceList.bySku.[string] breaking src/index.ts:2',
    ]);
    expect(summary(changes({ 'src/index.ts': prices('[sku: string]: number') }, { 'src/index.ts': prices('default: number') }))).toEqual([
      'property-now-required PriceList.bySku.default breaking src/index.ts:2',
      'removed-property PriceList.bySku.[string] breaking src/index.ts:2 (base)',
    ]);
  });

  test('properties typed with types from outside the package are compared by their written text', () => {
    const base = lines("import type { Decimal } from 'decimal.js';", 'export interface Price {', '  amount: Decimal;', '  currency: string;', '}');
    expect(changes({ 'src/index.ts': base }, { 'src/index.ts': base.replace('currency: string', 'currency: string ') })).toEqual([]);
    const found = changes({ 'src/index.ts': base }, { 'src/index.ts': base.replace('amount: Decimal', 'amount: Big') });
    expect(summary(found)).toEqual(['changed-type Price.amount breaking src/index.ts:3']);
  });
});

describe('roles: inputs and outputs', () => {
  const api = (request: string, response: string) =>
    lines(
      `export interface CreateOrder { ${request} }`,
      `export interface OrderView { ${response} }`,
      'export declare function createOrder(order: CreateOrder): Promise<OrderView>;',
    );

  test('optional to required breaks a type the package takes (input), not one it returns (output)', () => {
    const found = changes({ 'src/index.ts': api('note?: string;', 'note?: string;') }, { 'src/index.ts': api('note: string;', 'note: string;') });
    expect(summary(found)).toEqual(['property-now-required CreateOrder.note breaking src/index.ts:1', 'property-now-required OrderView.note expansion src/index.ts:2']);
  });

  test('a new required property breaks an input, not an output', () => {
    const found = changes({ 'src/index.ts': api('sku: string;', 'id: string;') }, { 'src/index.ts': api('sku: string; qty: number;', 'id: string; total: number;') });
    expect(summary(found)).toEqual(['property-now-required CreateOrder.qty breaking src/index.ts:1', 'property-now-required OrderView.total expansion src/index.ts:2']);
  });

  test('a type changed the safe way round for its role is an expansion', () => {
    // An input that accepts more, an output that promises more.
    const found = changes({ 'src/index.ts': api('qty: number;', 'total: number | null;') }, { 'src/index.ts': api('qty: number | string;', 'total: number;') });
    expect(summary(found)).toEqual(['widened-union CreateOrder.qty expansion src/index.ts:1', 'narrowed-union OrderView.total expansion src/index.ts:2']);
  });

  test('an output union that gains a member is breaking (a consumer handles every case it knew)', () => {
    const found = changes({ 'src/index.ts': api('id: string;', "state: 'open' | 'paid';") }, { 'src/index.ts': api('id: string;', "state: 'open' | 'paid' | 'void';") });
    expect(summary(found)).toEqual(['widened-union OrderView.state breaking src/index.ts:2']);
  });

  test('a callback parameter flips the role: the event a handler receives is an output', () => {
    const subscribe = (event: string) => lines(`export interface OrderPlaced { ${event} }`, 'export declare function onOrderPlaced(handler: (event: OrderPlaced) => void): void;');
    const found = changes({ 'src/index.ts': subscribe('id: string;') }, { 'src/index.ts': subscribe('id: string; total: number;') });
    expect(summary(found)).toEqual(['property-now-required OrderPlaced.total expansion src/index.ts:1']);
  });

  test('a handler object a consumer passes in receives outputs; a client interface returns them', () => {
    const api = (event: string) =>
      lines(
        `export interface OrderPaid { ${event} }`,
        `export interface Invoice { ${event} }`,
        'export declare function register(handlers: { onOrderPaid(event: OrderPaid): void }): void;',
        'export interface BillingClient { invoice(id: string): Promise<Invoice> }',
      );
    const found = changes({ 'src/index.ts': api('id: string;') }, { 'src/index.ts': api('id: string; paidAt: string;') });
    expect(summary(found)).toEqual(['property-now-required OrderPaid.paidAt expansion src/index.ts:1', 'property-now-required Invoice.paidAt expansion src/index.ts:2']);
  });

  test('without evidence, the name decides: `…Request` is an input, `…Response` an output', () => {
    const types = (field: string) => lines(`export interface RefundRequest { ${field} }`, `export interface RefundResponse { ${field} }`);
    const found = changes({ 'src/index.ts': types('reason?: string;') }, { 'src/index.ts': types('reason: string;') });
    expect(summary(found)).toEqual(['property-now-required RefundRequest.reason breaking src/index.ts:1', 'property-now-required RefundResponse.reason expansion src/index.ts:2']);
  });
});

describe('functions', () => {
  const fn = (signature: string) => lines('export interface Order { id: string }', `export function getOrder(${signature} {`, '  return null!;', '}');

  test('a new required parameter is breaking, a new optional one is an expansion', () => {
    const found = changes({ 'src/index.ts': fn('id: string): Order') }, { 'src/index.ts': fn('id: string, tenant: string, trace?: boolean): Order') });
    expect(summary(found)).toEqual(['property-now-required getOrder.tenant breaking src/index.ts:2', 'added-optional-property getOrder.trace expansion src/index.ts:2']);
    expect(found[0].description).toBe('parameter `tenant` of `getOrder` was added and is required');
  });

  test('a destructured parameter is named by its position', () => {
    const found = changes({ 'src/index.ts': fn('{ id }: { id: string; tenant?: string }): Order') }, { 'src/index.ts': fn('{ id }: { id: string; tenant: string }): Order') });
    expect(summary(found)).toEqual(['property-now-required getOrder.[0].tenant breaking src/index.ts:2']);
  });

  test('a removed parameter is breaking', () => {
    expect(summary(changes({ 'src/index.ts': fn('id: string, tenant?: string): Order') }, { 'src/index.ts': fn('id: string): Order') }))).toEqual([
      'removed-property getOrder.tenant breaking src/index.ts:2 (base)',
    ]);
  });

  test('a changed parameter type is breaking', () => {
    expect(summary(changes({ 'src/index.ts': fn('id: string): Order') }, { 'src/index.ts': fn('id: number): Order') }))).toEqual([
      'changed-type getOrder.id breaking src/index.ts:2',
    ]);
  });

  test('a changed return type is breaking, under `return`', () => {
    const found = changes({ 'src/index.ts': fn('id: string): Order') }, { 'src/index.ts': fn('id: string): Order | undefined') });
    expect(summary(found)).toEqual(['widened-union getOrder.return breaking src/index.ts:2']);
    const changedObject = changes({ 'src/index.ts': fn('id: string): { total: number }') }, { 'src/index.ts': fn('id: string): { total: string }') });
    expect(summary(changedObject)).toEqual(['changed-type getOrder.return.total breaking src/index.ts:2']);
  });

  test('overloads and generic signatures are compared as written, type parameters by position', () => {
    const generic = (parameter: string, result: string) => `export declare function first<${parameter}>(items: ${parameter}[]): ${result};\n`;
    expect(changes({ 'src/index.ts': generic('T', 'T') }, { 'src/index.ts': generic('Item', 'Item') })).toEqual([]);
    const found = changes({ 'src/index.ts': generic('T', 'T') }, { 'src/index.ts': generic('T', 'T | undefined') });
    expect(summary(found)).toEqual(['changed-type first breaking src/index.ts:1']);
    expect(found[0].description).toBe('the signature of `first` changed from `<$0>(items: $0[]): $0` to `<$0>(items: $0[]): $0 | undefined`');
    const overloads = (...signatures: string[]) => signatures.map((signature) => `export declare function parse(${signature}): number;`).join('\n');
    expect(summary(changes({ 'src/index.ts': overloads('text: string', 'bytes: Uint8Array') }, { 'src/index.ts': overloads('text: string') }))).toEqual([
      'changed-type parse breaking src/index.ts:1',
    ]);
  });

  test('a renamed parameter is no change (arguments are positional)', () => {
    expect(changes({ 'src/index.ts': fn('id: string): Order') }, { 'src/index.ts': fn('orderId: string): Order') })).toEqual([]);
  });
});

describe('classes', () => {
  const client = (...members: string[]) => lines('export class OrdersClient {', ...members, '}');

  test('public members are compared as properties: a changed method and a removed property are breaking', () => {
    const base = client('  baseUrl = "";', '  get(id: string): number {', '    return 1;', '  }');
    const head = client('  get(id: number): number {', '    return 1;', '  }');
    expect(summary(changes({ 'src/index.ts': base }, { 'src/index.ts': head }))).toEqual([
      'changed-type OrdersClient.get.id breaking src/index.ts:2',
      'removed-property OrdersClient.baseUrl breaking src/index.ts:2 (base)',
    ]);
  });

  test('static members are compared too', () => {
    const base = client('  static fromEnv(prefix?: string): OrdersClient {', '    return new OrdersClient();', '  }');
    const found = changes({ 'src/index.ts': base }, { 'src/index.ts': base.replace('prefix?: string', 'prefix: string') });
    expect(summary(found)).toEqual(['property-now-required OrdersClient.fromEnv.prefix breaking src/index.ts:2']);
  });

  test('a new required constructor parameter is breaking', () => {
    const found = changes({ 'src/index.ts': client('  constructor(url: string) {}') }, { 'src/index.ts': client('  constructor(url: string, token: string) {}') });
    expect(summary(found)).toEqual(['property-now-required OrdersClient.constructor.token breaking src/index.ts:2']);
  });

  test('private and protected members are not compared', () => {
    const base = client('  private retries = 3;', '  protected timeout = 1;', '  #secret = "";');
    const head = client('  private retries = "3";', '  #other = 1;');
    expect(changes({ 'src/index.ts': base }, { 'src/index.ts': head })).toEqual([]);
  });
});

describe('enums', () => {
  const status = (...members: string[]) => lines('export enum OrderStatus {', ...members, '}');

  test('a removed member is breaking, a new member an expansion, a changed value breaking', () => {
    const base = status("  Open = 'open',", "  Paid = 'paid',", "  Void = 'void',");
    const head = status("  Open = 'open',", "  Paid = 'PAID',", "  Refunded = 'refunded',");
    expect(summary(changes({ 'src/index.ts': base }, { 'src/index.ts': head }))).toEqual([
      'changed-type OrderStatus.Paid breaking src/index.ts:3',
      'widened-union OrderStatus.Refunded expansion src/index.ts:4',
      'removed-property OrderStatus.Void breaking src/index.ts:4 (base)',
    ]);
  });

  test('reordered members keep their values', () => {
    expect(changes({ 'src/index.ts': status("  A = 'a',", "  B = 'b',") }, { 'src/index.ts': status("  B = 'b',", "  A = 'a',") })).toEqual([]);
  });
});

describe('not a contract change', () => {
  // Each case pairs with a real change to the same package, so that a comparison that sees nothing fails.
  const withInternal = (internal: string) => lines(ORDER, `interface AuditRecord { ${internal} }`, 'function audit(record: AuditRecord): void {}', 'export { audit as _ };');

  test('a type that is not exported and not used by an export', () => {
    const base = lines(ORDER, 'interface AuditRecord { at: Date }');
    expect(changes({ 'src/index.ts': base }, { 'src/index.ts': lines(ORDER, 'interface AuditRecord { at: string }') })).toEqual([]);
    expect(summary(changes({ 'src/index.ts': withInternal('at: Date') }, { 'src/index.ts': withInternal('at: string') }))).toEqual(['changed-type _.record.at breaking src/index.ts:8']);
  });

  test('a file the entries do not reach', () => {
    const base = { 'src/index.ts': ORDER, 'src/internal/db.ts': 'export interface Row { id: number }\n' };
    expect(changes(base, { ...base, 'src/internal/db.ts': 'export interface Row { id: string }\n' })).toEqual([]);
    expect(changes(base, { ...base, 'src/internal/db.ts': 'export interface Row { id: string }\n' }, ['src/index.ts', 'src/internal/db.ts'])).toHaveLength(1);
  });

  test('comments and JSDoc', () => {
    const head = lines('/** An order as the API returns it. */', ORDER.replace('  total: number;', '  /** In cents. @deprecated use amount */\n  total: number; // cents'));
    expect(changes({ 'src/index.ts': ORDER }, { 'src/index.ts': head })).toEqual([]);
  });

  test('reordered properties, union members and declarations', () => {
    const base = lines(ORDER, 'export interface Refund { id: string }');
    const head = lines('export interface Refund { id: string }', 'export interface Order {', "  status: 'paid' | 'open';", '  note?: string;', '  total: number;', '  id: string;', '}');
    expect(changes({ 'src/index.ts': base }, { 'src/index.ts': head })).toEqual([]);
    expect(changes({ 'src/index.ts': base }, { 'src/index.ts': head.replace("'paid' | 'open'", "'paid'") })).toHaveLength(1);
  });

  test('a type alias renamed behind an unchanged export name, with the same structure', () => {
    const base = { 'src/index.ts': "export type { Order } from './orders';\n", 'src/orders.ts': ORDER };
    const renamed = ORDER.replace('export interface Order', 'export interface OrderRecord');
    expect(changes(base, { 'src/index.ts': "export type { OrderRecord as Order } from './orders';\n", 'src/orders.ts': renamed })).toEqual([]);
    const asAlias = lines('type OrderShape = {', '  id: string;', '  total: number;', '  note?: string;', "  status: 'open' | 'paid';", '};', 'export type Order = OrderShape;');
    expect(changes(base, { 'src/index.ts': "export type { Order } from './orders';\n", 'src/orders.ts': asAlias })).toEqual([]);
    expect(summary(changes(base, { 'src/index.ts': "export type { Order } from './orders';\n", 'src/orders.ts': asAlias.replace('total: number', 'total: bigint') }))).toEqual([
      'changed-type Order.total breaking src/orders.ts:3',
    ]);
  });

  test('a generic type whose type parameter was renamed', () => {
    const page = (parameter: string) => `export interface Page<${parameter}> { items: ${parameter}[]; next?: string }\n`;
    expect(changes({ 'src/index.ts': page('T') }, { 'src/index.ts': page('Item') })).toEqual([]);
  });
});

/** A package's entry at the base and at head, and one consumer module importing it: each change with where the consumer uses it (`line:column`). */
function usesIn(baseEntry: string, headEntry: string, consumer: { file: string; text: string }, kinds = false): string[] {
  const entry = `${PACKAGE}src/index.ts`;
  const found = typeScriptContractChanges({
    base: new Map([[entry, baseEntry]]),
    head: new Map([[entry, headEntry]]),
    entries: [entry],
    consumers: () => ({ texts: new Map([[consumer.file, consumer.text]]), imports: new Map([[consumer.file, new Map([['@shop/orders-contracts', entry]])]]) }),
  });
  return found.map((change) => `${kinds ? `${change.kind} ` : ''}${change.exportName}.${change.member} ${(change.uses ?? []).map((use) => `${use.line}:${use.column}`).join(' ')}`);
}

describe('uses of a property now required', () => {
  const contract = (optional: string) =>
    lines(
      `export interface Line { sku: string; gift${optional}: boolean }`,
      `export interface Cart { lines: Line[]; coupon?: { code: string; stacked${optional}: boolean } }`,
      'export function checkout(cart: Cart): void {}',
    );

  test('are the literals the checker types by the type holding it, nested ones included, that lack it; a literal asserted `as` the type, or setting it, is none', () => {
    const text = lines(
      "import type { Cart } from '@shop/orders-contracts';",
      "export const a: Cart = { lines: [{ sku: 'x' }], coupon: { code: 'c' } };",
      "export const b = { lines: [{ sku: 'x' }], coupon: { code: 'c' } } as Cart;",
      "export const c: Cart = { lines: [{ sku: 'y', gift: true }], coupon: { code: 'd', stacked: false } };",
      "export const d = { lines: [], coupon: { code: 'e' } } satisfies Cart;",
    );
    expect(usesIn(contract('?'), contract(''), { file: 'services/web/src/cart.ts', text })).toEqual(['Line.gift 2:34', 'Cart.coupon.stacked 2:57 5:39']);
  });

  test('a literal is found in code without semicolons that follows an import: the import statements left out of the name search never swallow code', () => {
    const text = lines(
      "import { type Line } from '@shop/orders-contracts'",
      'export function buy(line: Line) { return checkout({ lines: [line, { sku: `y` }] }) }',
      "import { checkout } from '@shop/orders-contracts'",
    );
    expect(usesIn(contract('?'), contract(''), { file: 'services/web/src/buy.ts', text })).toEqual(['Line.gift 2:67', 'Cart.coupon.stacked ']);
  });
});

describe('consumers read through the standard library', () => {
  test('a removed property is found where it is read inside array callbacks, for…of over a Map, an awaited Promise.all and a then()', () => {
    const text = lines(
      "import { type Order, loadOrders, orderById } from '@shop/orders-contracts';",
      'export async function report(orders: Order[], byId: Map<string, Order>) {',
      '  const sum = orders.filter((order) => order.id !== "").reduce((total, order) => total + order.total, 0);',
      '  for (const [, order] of byId) console.log(order.total);',
      '  const [all, one] = await Promise.all([loadOrders(), orderById("a")]);',
      '  orderById("b").then((order) => order.total);',
      '  return sum + all.map((order) => order.total).length + one.total;',
      '}',
    );
    const contract = (total: string) =>
      lines(
        `export interface Order { id: string;${total} }`,
        'export declare function loadOrders(): Promise<Order[]>;',
        'export declare function orderById(id: string): Promise<Order>;',
      );
    expect(usesIn(contract(' total: number;'), contract(''), { file: 'services/web/src/report.ts', text }, true)).toEqual(['removed-property Order.total 3:96 4:51 6:40 7:41 7:61']);
  });
});

describe('files both versions share', () => {
  const money = (amount: string) => lines('export interface Money {', `  ${amount}: number;`, '  currency: string;', '}');
  const totals = lines("import type { Money } from './money.js';", 'export interface Totals { net: Money; gross: Money }');
  const order = (note: string) => lines("import type { Totals } from './totals.js';", `export interface Order { id: string; totals: Totals;${note} }`);
  const index = lines("export type { Order } from './order.js';", "export type { Totals } from './totals.js';");

  test('loaded once, they compare as if each version had its own copy', () => {
    const base = { 'src/index.ts': index, 'src/order.ts': order(' note: string;'), 'src/totals.ts': totals, 'src/money.ts': money('amount') };
    const head = { ...base, 'src/order.ts': order('') };
    const inRepo = (files: Record<string, string>) => new Map(Object.entries(files).map(([file, text]) => [PACKAGE + file, text]));
    const compare = (unchanged?: string[]) =>
      summary(typeScriptContractChanges({ base: inRepo(base), head: inRepo(head), entries: [`${PACKAGE}src/index.ts`], ...(unchanged ? { unchanged: new Set(unchanged.map((file) => PACKAGE + file)) } : {}) }));
    expect(compare(['src/totals.ts', 'src/money.ts'])).toEqual(['removed-property Order.note breaking src/order.ts:2 (base)']);
    expect(compare(['src/totals.ts', 'src/money.ts'])).toEqual(compare());
  });

  test('a file importing a changed one is shared unless its import may carry types: an import left unused does not', () => {
    const reference = (kind: ModuleReference['kind'], names?: string[], typeNames?: string[]): ModuleReference => ({
      specifier: './money.js',
      kind,
      typeOnly: false,
      ...(names ? { names } : {}),
      ...(typeNames ? { typeNames } : {}),
      location: { file: PACKAGE + 'src/totals.ts', line: 1, column: 1 },
    });
    const named = reference('import', ['Money']);
    const unused = lines("import { Money } from './money.js';", 'export interface Totals { net: number }');
    expect(mayCarryTypes(named, unused)).toBe(false);
    expect(mayCarryTypes(reference('import', [], ['Money']), lines("import { type Money } from './money.js';", 'export interface Totals { net: number }'))).toBe(false);
    // Used, renamed, taken whole, re-exported, named through import(): it may carry types.
    expect(mayCarryTypes(named, totals.replace('import type', 'import'))).toBe(true);
    expect(mayCarryTypes(reference('import', [], ['Money']), lines("import { type Money } from './money.js';", 'export type Net = Money;'))).toBe(true);
    expect(mayCarryTypes(named, lines("import { Money as Amount } from './money.js';", 'export interface Totals { net: Amount }'))).toBe(true);
    expect(mayCarryTypes(reference('import', ['default']), lines("import money from './money.js';", 'export const zero = money;'))).toBe(true);
    expect(mayCarryTypes(reference('import'), lines("import * as money from './money.js';", 'export type Net = money.Money;'))).toBe(true);
    expect(mayCarryTypes(reference('export-star'), lines("export * from './money.js';"))).toBe(true);
    expect(mayCarryTypes(named, `${unused}export type Gross = import('./money.js').Money;\n`)).toBe(true);
  });
});

describe('loading', () => {
  // Preloaded with --import: says at exit how many of ts-morph's modules the process loaded.
  const COUNT_TS_MORPH = `--import=data:text/javascript,${encodeURIComponent(
    "import { createRequire } from 'node:module';" +
      "const cache = createRequire('/').cache;" +
      "process.on('exit', () => process.stderr.write(`ts-morph modules: ${Object.keys(cache).filter((file) => /[\\\\/]@?ts-morph[\\\\/]/.test(file)).length}\\n`));",
  )}`;
  const MODULE = pathToFileURL(path.join(REPO_ROOT, 'dist/contracts/typescript-changes.js')).href;

  test('importing the module loads nothing of ts-morph; the first comparison does', () => {
    const run = (script: string) => spawnSync(process.execPath, [COUNT_TS_MORPH, '--input-type=module', '-e', script], { encoding: 'utf8' }).stderr;
    const files = "new Map([['p/index.ts', 'export const a = 1;']])";
    expect(run(`await import(${JSON.stringify(MODULE)});`)).toBe('ts-morph modules: 0\n');
    const compared = run(`const { typeScriptContractChanges } = await import(${JSON.stringify(MODULE)}); typeScriptContractChanges({ base: ${files}, head: ${files}, entries: ['p/index.ts'] });`);
    expect(compared).toMatch(/^ts-morph modules: [1-9]/);
  });

  test('a lint run does not load ts-morph', async () => {
    const plain = await runCli([fixture('shop-npm')]);
    const counted = await runCli([fixture('shop-npm')], { env: { NODE_OPTIONS: COUNT_TS_MORPH } });
    expect(counted.stderr).toBe(`${plain.stderr}ts-morph modules: 0\n`);
    expect([counted.code, counted.stdout]).toEqual([plain.code, plain.stdout]);
  });
});
