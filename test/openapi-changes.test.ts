import { describe, expect, it } from 'vitest';
import { asyncApiChanges, openApiChanges } from '../src/contracts/openapi-changes.js';
import { parseApiDocument, type ApiDocument } from '../src/facts/openapi.js';

/** The changes between two versions of `api.yaml` (other files given by name), as `change breaking line description`. */
function changes(base: Record<string, string>, head: Record<string, string>, compare = openApiChanges): string[] {
  const loader = (files: Record<string, string>) => (file: string) => {
    const text = files[file];
    const parsed = text === undefined ? undefined : parseApiDocument(file, text);
    return parsed && !('error' in parsed) ? (parsed as ApiDocument) : undefined;
  };
  return compare('api.yaml', loader(base), loader(head)).map((c) => `${c.change} ${c.breaking ? 'breaking' : 'expansion'} ${c.location.file}:${c.location.line} ${c.description}`);
}

const swagger = (parameters: string, schema: string) => `swagger: '2.0'
info: { title: Stock, version: '1' }
paths:
  /stock/{sku}:
    put:
      parameters:
${parameters}
      responses:
        '200':
          description: ok
          schema:
${schema}
`;

describe('OpenAPI contract changes', () => {
  it('compares nullability by the way the value flows: now null in a response breaks a reader, no longer null in a request breaks a writer', () => {
    const spec = (total: string, note: string, tags: string) => `openapi: 3.0.3
info: { title: Orders, version: '1' }
paths:
  /orders/{id}:
    put:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                note: ${note}
                tags: ${tags}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  total: ${total}
`;
    const base = spec('{ type: number }', '{ type: string, nullable: true }', '{ type: array, items: { type: string } }');
    const head = spec('{ type: [number, "null"] }', '{ type: string }', '{ type: array, nullable: true, items: { type: string } }');
    expect(changes({ 'api.yaml': base }, { 'api.yaml': head })).toEqual([
      'no-longer-nullable breaking api.yaml:12 PUT /orders/{id}: request property "note" may no longer be null',
      'now-nullable expansion api.yaml:13 PUT /orders/{id}: request property "tags" may now be null',
      'now-nullable breaking api.yaml:22 PUT /orders/{id}: response property "total" may now be null',
    ]);
    // A description-only edit, and the same nullability written the 3.0 and the 3.1 way, are no change.
    expect(changes({ 'api.yaml': base }, { 'api.yaml': spec('{ type: number }', '{ type: [string, "null"] }', '{ type: array, items: { type: string } }') })).toEqual([]);
  });

  it('reads Swagger 2.0: a body parameter is the request body, a parameter carries its own type and enum', () => {
    const base = swagger(
      `        - { name: sku, in: path, required: true, type: string }
        - { name: warehouse, in: query, type: string, enum: [north, south] }
        - { name: body, in: body, schema: { type: object, properties: { count: { type: integer } } } }`,
      `            type: object
            properties: { count: { type: integer }, sku: { type: string } }`,
    );
    const head = swagger(
      `        - { name: sku, in: path, required: true, type: string }
        - { name: warehouse, in: query, type: string, enum: [north] }
        - { name: dryRun, in: query, required: true, type: boolean }
        - { name: body, in: body, schema: { type: object, required: [reason], properties: { count: { type: number }, reason: { type: string } } } }`,
      `            type: object
            properties: { count: { type: integer, format: int64 }, sku: { type: string } }`,
    );
    expect(changes({ 'api.yaml': base }, { 'api.yaml': head })).toEqual([
      'narrowed-enum breaking api.yaml:8 PUT /stock/{sku}: parameter "query:warehouse" no longer accepts "south"',
      'added-required-parameter breaking api.yaml:9 PUT /stock/{sku}: required parameter "query:dryRun" was added',
      'changed-type breaking api.yaml:10 PUT /stock/{sku}: request property "count" changed type from integer to number',
      'added-required-request-property breaking api.yaml:10 PUT /stock/{sku}: required request property "reason" was added',
    ]);
  });

  it('follows refs into other files on each side, and counts a removed success status and a stricter security requirement', () => {
    const spec = (status: string, security: string) => `openapi: 3.1.0
info: { title: Orders, version: '1' }
security:
${security}
paths:
  /orders/{orderId}:
    get:
      responses:
        '${status}':
          description: ok
          content:
            application/json:
              schema: { $ref: 'schemas.yaml#/Order' }
`;
    const schemas = (total: string) => `Order:
  type: object
  properties:
    id: { type: string }
    total: ${total}
`;
    const base = { 'api.yaml': spec('200', '  - {}\n  - apiKey: []'), 'schemas.yaml': schemas('{ type: [number, "null"] }') };
    expect(changes(base, { 'api.yaml': spec('200', '  - apiKey: []'), 'schemas.yaml': schemas('{ type: number }') })).toEqual([
      'no-longer-nullable expansion schemas.yaml:5 GET /orders/{orderId}: response property "total" may no longer be null',
      'added-security-requirement breaking api.yaml:3 GET /orders/{orderId}: now requires apiKey, where no credentials sufficed',
    ]);
    expect(changes(base, { 'api.yaml': spec('202', '  - {}'), 'schemas.yaml': schemas('{ type: string }') })).toEqual([
      'removed-success-status breaking api.yaml:8 GET /orders/{orderId}: success response 200 was removed',
    ]);
    expect(changes(base, { 'api.yaml': spec('200', '  - {}'), 'schemas.yaml': schemas('{ type: string }') })).toEqual([
      'changed-type breaking schemas.yaml:5 GET /orders/{orderId}: response property "total" changed type from number to string',
    ]);
  });

  it('names a removed operation at the nearest line left, and an added one as an expansion', () => {
    const base = `openapi: 3.0.0
info: { title: A, version: '1' }
paths:
  /a:
    get: { responses: { '200': { description: ok } } }
    delete: { responses: { '204': { description: gone } } }
`;
    const head = `openapi: 3.0.0
info: { title: A, version: '1' }
paths:
  /a:
    get: { responses: { '200': { description: ok } } }
  /b:
    post: { responses: { '201': { description: made } } }
`;
    expect(changes({ 'api.yaml': base }, { 'api.yaml': head })).toEqual([
      'removed-operation breaking api.yaml:4 DELETE /a was removed',
      'added-operation expansion api.yaml:7 POST /b was added',
    ]);
  });

  it('reads AsyncAPI 2.x messages (oneOf, refs to components) as payloads subscribers read', () => {
    const doc = (shipped: string, messages: string) => `asyncapi: 2.6.0
info: { title: Orders, version: '1' }
channels:
  order.events:
    publish:
      message:
        oneOf:
${messages}
components:
  messages:
    OrderShipped:
      name: OrderShipped
      payload:
        type: object
        properties:
${shipped}
`;
    const base = doc('          carrier: { type: string }\n          status: { type: string, enum: [sent, lost] }', "          - $ref: '#/components/messages/OrderShipped'\n          - { name: OrderCancelled, payload: { type: object } }");
    const head = doc('          status: { type: string, enum: [sent] }\n          eta: { type: string }', "          - $ref: '#/components/messages/OrderShipped'");
    expect(changes({ 'api.yaml': base }, { 'api.yaml': head }, asyncApiChanges)).toEqual([
      'removed-payload-property breaking api.yaml:15 messages on "order.events": payload property "carrier" was removed',
      'narrowed-enum expansion api.yaml:16 messages on "order.events": payload property "status" no longer carries "lost"',
      'added-payload-property expansion api.yaml:17 messages on "order.events": payload property "eta" was added',
      'removed-message breaking api.yaml:7 messages on "order.events": message OrderCancelled is no longer published',
    ]);
  });

  it('follows path items split into their own files', () => {
    const spec = `openapi: 3.1.0
info: { title: Keys, version: '1' }
paths:
  /v2/keys.get:
    $ref: './paths/keys-get.yaml'
`;
    const item = (meta: string) => `post:
  responses:
    '200':
      description: ok
      content:
        application/json:
          schema:
            type: object
            properties:
${meta}
`;
    expect(changes({ 'api.yaml': spec, 'paths/keys-get.yaml': item('              requestId: { type: string }') }, { 'api.yaml': spec, 'paths/keys-get.yaml': item('              id: { type: string }') })).toEqual([
      'removed-response-property breaking paths/keys-get.yaml:9 POST /v2/keys.get: response property "requestId" was removed',
      'added-response-property expansion paths/keys-get.yaml:10 POST /v2/keys.get: response property "id" was added',
    ]);
  });

  it('survives recursive schemas and refs that lead nowhere', () => {
    const doc = (extra: string) => `openapi: 3.0.0
info: { title: T, version: '1' }
paths:
  /tree:
    get:
      responses:
        '200':
          description: ok
          content: { application/json: { schema: { $ref: '#/components/schemas/Node' } } }
components:
  schemas:
    Node:
      type: object
      properties:
        children: { type: array, items: { $ref: '#/components/schemas/Node' } }
        gone: { $ref: 'missing.yaml#/X' }
        away: { $ref: '../../../etc/passwd' }
${extra}`;
    expect(changes({ 'api.yaml': doc('        name: { type: string }') }, { 'api.yaml': doc('') })).toEqual([
      'removed-response-property breaking api.yaml:14 GET /tree: response property "name" was removed',
    ]);
  });
});

describe('OpenAPI oneOf/anyOf variants', () => {
  const spec = (requestVariants: string, responseVariants: string, schemas: string) => `openapi: 3.1.0
info: { title: Payments, version: '1' }
paths:
  /payments:
    post:
      requestBody:
        content:
          application/json:
            schema:
              oneOf:
${requestVariants}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                discriminator:
                  propertyName: method
                  mapping:
                    card: '#/components/schemas/Card'
                    bank: '#/components/schemas/Bank'
                anyOf:
${responseVariants}
components:
  schemas:
${schemas}
`;
  const card = (extra = '') => `    Card:
      type: object
      description: Paid by card
      properties:
        method: { type: string, enum: [card] }
        amount: { type: number }
        cardToken: { type: string }${extra}
`;
  const bank = `    Bank:
      type: object
      properties:
        method: { type: string, enum: [bank] }
        amount: { type: number }
        iban: { type: string }
`;
  const both = `                - $ref: '#/components/schemas/Card'
                - $ref: '#/components/schemas/Bank'`;
  const base = spec(both, both, card() + bank);

  it('classifies a removed or added variant by direction, and names the properties that tell its use', () => {
    const onlyBankRequest = `                - $ref: '#/components/schemas/Bank'`;
    const onlyCardResponse = `                - $ref: '#/components/schemas/Card'`;
    expect(changes({ 'api.yaml': base }, { 'api.yaml': spec(onlyBankRequest, onlyCardResponse, card() + bank) })).toEqual([
      'removed-request-variant breaking api.yaml:10 POST /payments: request body no longer accepts the oneOf variant Card',
      'removed-response-variant breaking api.yaml:23 POST /payments: response body no longer carries the anyOf variant Bank (only it had "iban")',
    ]);
    const withCash = (indent: string) => `${both}\n${indent}- type: object\n${indent}  title: Cash\n${indent}  properties:\n${indent}    method: { type: string, enum: [cash] }`;
    expect(changes({ 'api.yaml': base }, { 'api.yaml': spec(withCash('                '), withCash('                '), card() + bank) })).toEqual([
      'added-request-variant expansion api.yaml:13 POST /payments: request body accepts the oneOf variant Cash too',
      'added-response-variant breaking api.yaml:31 POST /payments: response body may carry the anyOf variant Cash too (without "amount")',
    ]);
  });

  it('compares a paired variant like any schema, a mapping changed to another schema included', () => {
    const renamed = `                - $ref: '#/components/schemas/CardV2'
                - $ref: '#/components/schemas/Bank'`;
    const head = spec(both, renamed, card() + card().replace('Card:', 'CardV2:').replace('cardToken: { type: string }', 'cardToken: { type: integer }') + bank).replace("card: '#/components/schemas/Card'", "card: '#/components/schemas/CardV2'");
    expect(changes({ 'api.yaml': base }, { 'api.yaml': head })).toEqual([
      'changed-type breaking api.yaml:42 POST /payments: response property "cardToken" changed type from string to integer',
    ]);
  });

  it('does not see reordered variants, descriptions inside them, or the same refs spelled another way as changes', () => {
    const reordered = `                - $ref: "#/components/schemas/Bank"
                - { $ref: '#/components/schemas/Card' }`;
    const head = spec(reordered, reordered, card().replace('Paid by card', 'Paid by debit or credit card') + bank);
    expect(changes({ 'api.yaml': base }, { 'api.yaml': head })).toEqual([]);
  });
});

describe('OpenAPI parameters', () => {
  it('compares a parameter encoded as content (a JSON query filter) by its media schema', () => {
    const spec = (order: string) => `openapi: 3.0.3
info: { title: Orders, version: '1' }
paths:
  /orders:
    get:
      parameters:
        - name: filter
          in: query
          content:
            application/json:
              schema:
                type: object
                properties:
                  order:
                    oneOf:
${order}
      responses:
        '200': { description: ok }
`;
    const both = `                      - type: string\n                      - type: array\n                        items: { type: string }`;
    const arrays = `                      - type: array\n                        items: { type: string }`;
    expect(changes({ 'api.yaml': spec(both) }, { 'api.yaml': spec(arrays) })).toEqual([
      'removed-request-variant breaking api.yaml:15 GET /orders: request property "order" no longer accepts the oneOf variant #1 (string)',
    ]);
  });
});
