import { extractFileFacts } from './dist/facts/index.js';
const code = `
import axios from 'axios';
import got from 'got';
import { HttpService } from '@nestjs/axios';
import { createHttpClient } from '@shop/http';
import { OrdersApi, Configuration } from '@shop/orders-client';
import { Controller, Post, Body } from '@nestjs/common';
import { ClientProxy, EventPattern, MessagePattern } from '@nestjs/microservices';
const BASE = process.env.CATALOG_URL ?? 'http://localhost:3001';
const api = axios.create({ baseURL: process.env.PAYMENTS_URL });
const client = createHttpClient({ baseURL: process.env.SHIPPING_URL });
const orders = new OrdersApi(new Configuration({ basePath: process.env.ORDERS_URL }));
export const Topics = { OrderCreated: 'order.created' };
export async function f(id: string) {
  await fetch(\`\${BASE}/products/\${id}/variants\`, { method: 'POST' });
  await api.post('/payments', {});
  await client.get('/shipments/' + id);
  await got.post('http://shipping:3000/x');
  await orders.getOrder(id);
  const u = 'http://inventory:8080/stock';
  await axios({ method: 'put', url: u });
}
@Controller('orders')
export class C {
  constructor(private readonly http: HttpService, private client: ClientProxy) {}
  @Post(':id/pay')
  pay(@Body() dto: PayDto) {
    this.client.emit(Topics.OrderCreated, {});
    this.client.send({ cmd: 'reserve' }, {});
    return this.http.post(\`\${process.env.PAYMENTS_URL}/charge\`, { card: dto.card, amount: dto.amount + 1, orderId: dto.orderId });
  }
  @EventPattern('payment.done') done() {}
}
`;
console.log(JSON.stringify(extractFileFacts('a.ts', code), (k,v)=> k==='location'||k==='call' ? `${v.line}:${v.column}` : v, 1));
const ex = `import express from 'express'; import { Router } from 'express'; const r = Router();
r.get('/orders/:id', async (req, res) => { await axios.post('x', {s: req.body.shipping}); res.json(req.body.total.x) });
app.use('/api', r);`;
console.log(JSON.stringify(extractFileFacts('b.ts', ex), (k,v)=> k==='location'||k==='call' ? `${v.line}:${v.column}` : v));
