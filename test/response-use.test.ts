import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../src/facts/index.js';

function uses(code: string) {
  return (extractFileFacts('src/a.ts', code).httpCalls ?? []).map((c) => ({ line: c.location.line, reads: c.reads, sends: c.sends }));
}

describe('what a caller reads from a response and sends in a request', () => {
  it('reads properties off axios responses: through .data, destructured, chained, in .then', () => {
    expect(
      uses(`import axios from 'axios';
export async function a(id: string) {
  const res = await axios.get(\`http://orders/orders/\${id}\`);
  const status = res.status;
  return res.data.total + res.data.items[0].price;
}
export async function b() {
  const { data } = await axios.get('http://orders/orders');
  const { count, customer: { name } } = data;
  return [count, name, data.page];
}
export const c = async () => (await axios.get('http://orders/summary')).data.total;
export const d = () => axios.get('http://orders/stats').then((r) => r.data.sum);
export async function e() {
  await axios.get('http://orders/ping');
  const res = 1;
  return res;
}`),
    ).toEqual([
      { line: 3, reads: ['total', 'items.price'], sends: undefined },
      { line: 8, reads: ['count', 'customer', 'customer.name', 'page'], sends: undefined },
      { line: 12, reads: ['total'], sends: undefined },
      { line: 13, reads: ['sum'], sends: undefined },
      { line: 15, reads: undefined, sends: undefined },
    ]);
  });

  it('follows fetch through res.json(), and tells a shadowing name from the response', () => {
    expect(
      uses(`export async function a() {
  const res = await fetch('http://orders/orders/1');
  const body = await res.json();
  return body.total;
}
export async function b() {
  const order = await (await fetch('http://orders/orders/2')).json();
  function inner(order: { other: number }) { return order.other; }
  return [order.id, inner];
}`),
    ).toEqual([
      { line: 2, reads: ['total'], sends: undefined },
      { line: 7, reads: ['id'], sends: undefined },
    ]);
  });

  it('records the properties of an object-literal request body, and none when it cannot see them all', () => {
    expect(
      uses(`import axios from 'axios';
export async function a(input: { sku: string }) {
  await axios.post('http://orders/orders', { sku: input.sku, quantity: 1 });
  const payload = { sku: 'x' };
  await fetch('http://orders/orders', { method: 'POST', body: JSON.stringify(payload) });
  await axios.post('http://orders/orders', { ...input });
  await axios.post('http://orders/orders', input);
}`),
    ).toEqual([
      { line: 3, reads: undefined, sends: ['sku', 'quantity'] },
      { line: 5, reads: undefined, sends: ['sku'] },
      { line: 6, reads: undefined, sends: undefined },
      { line: 7, reads: undefined, sends: undefined },
    ]);
  });
});

describe('what a response or payload handed to a named function meets there', () => {
  it('records the functions a response is handed to, and the parameter reads of the functions exported or handed a value', () => {
    const facts = extractFileFacts(
      'src/a.ts',
      `import axios from 'axios';
import { summarize } from './summary';
import * as format from './format';
export async function a(id: string) {
  const res = await axios.get(\`http://orders/orders/\${id}\`);
  return [summarize(res.data), label(res), format.money(res.data.total), String(res.data)];
}
function label(response: { data: { status: string } }) { return response.data.status; }
function unused(order: { id: string }) { return order.id; }
export const pick = ({ id }: { id: string }, lines: { qty: number }[]) => [id, lines.length, label(lines)];
`,
    );
    const passes = (list?: { callee: string; from?: string; index: number; path: string; response?: true }[]) =>
      list?.map((p) => `${p.from ?? ''}#${p.callee}(${p.index}) ${p.response ? 'response' : 'body'} "${p.path}"`);
    // String() is declared nowhere here: no pass.
    expect(passes(facts.httpCalls?.[0].passes)).toEqual(['./summary#summarize(0) body ""', '#label(0) response ""', './format#money(0) body "total"']);
    // unused() is neither exported nor handed anything: not kept.
    expect(facts.parameterUses?.map((u) => ({ at: `${u.function}(${u.index})`, exported: u.exported, reads: u.reads?.map((r) => r.path), passes: passes(u.passes) }))).toEqual([
      { at: 'label(0)', exported: undefined, reads: ['data.status'], passes: undefined },
      { at: 'pick(0)', exported: 'pick', reads: ['id'], passes: undefined },
      { at: 'pick(1)', exported: 'pick', reads: ['length'], passes: ['#label(0) body ""'] },
    ]);
  });
});
