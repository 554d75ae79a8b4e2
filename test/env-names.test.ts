import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../src/facts/index.js';

/** The URL each collector reads from `expression`: an HTTP call's (values.ts) and a database client's (data-access.ts). */
function readBoth(setup: string, expression: string): { call: string | undefined; connection: string | undefined } {
  const code = `import { Pool } from 'pg';\n${setup}\nfetch(${expression});\nnew Pool({ connectionString: ${expression} });`;
  const facts = extractFileFacts('src/a.ts', code);
  const [part] = facts.httpCalls?.[0]?.url ?? [];
  return { call: part?.kind === 'env' ? part.name : undefined, connection: facts.connections?.[0]?.url };
}

describe('environment names: one reader for every collector', () => {
  it.each([
    ['process.env.X', '', 'process.env.ORDERS_URL'],
    ["process.env['X']", '', "process.env['ORDERS_URL']"],
    ['destructured from process.env', 'const { ORDERS_URL } = process.env;', 'ORDERS_URL'],
    ['renamed while destructured', 'const { ORDERS_URL: ordersUrl } = process.env;', 'ordersUrl'],
    ['an alias of process.env', 'const vars = process.env;', 'vars.ORDERS_URL'],
    ['t3-env createEnv', "import { createEnv } from '@t3-oss/env-core';\nconst config = createEnv({ server: {}, runtimeEnv: process.env });", 'config.ORDERS_URL'],
    ['envalid cleanEnv', "import { cleanEnv, url } from 'envalid';\nconst settings = cleanEnv(process.env, { ORDERS_URL: url() });", 'settings.ORDERS_URL'],
    ['a zod schema parsing process.env', 'const parsed = schema.safeParse(process.env).data;', 'parsed.ORDERS_URL'],
    ['env exported by a config module', "import { env as serverEnv } from './env';", 'serverEnv.ORDERS_URL'],
    ['destructured from a call of the env module', "import { serverEnv } from '@/lib/env';\nconst { ORDERS_URL } = serverEnv();", 'ORDERS_URL'],
    ['destructured from a call of env()', "import { env } from '../config';\nconst { ORDERS_URL } = env();", 'ORDERS_URL'],
    ['NestJS ConfigService.get', '', "this.configService.get<string>('ORDERS_URL')"],
    ['NestJS ConfigService.getOrThrow', '', "config.getOrThrow('ORDERS_URL')"],
    ['import.meta.env', '', 'import.meta.env.ORDERS_URL'],
    ['Bun.env', '', 'Bun.env.ORDERS_URL'],
    ['Deno.env.get', '', "Deno.env.get('ORDERS_URL')"],
  ])('%s', (_, setup, expression) => {
    expect(readBoth(setup, expression)).toEqual({ call: 'ORDERS_URL', connection: '${ORDERS_URL}' });
  });

  it.each([
    ['a nested configuration key', '', "config.get('orders.url')"],
    ['a getter of something else', '', "cache.get('ORDERS_URL')"],
    ['an object built from process.env by other code', 'const app = createApp(process.env);', 'app.ORDERS_URL'],
    ['destructured from a call of another module', "import { settings } from './settings';\nconst { ORDERS_URL } = settings();", 'ORDERS_URL'],
    ['destructured from a call of a package named env', "import { load } from 'env';\nconst { ORDERS_URL } = load();", 'ORDERS_URL'],
  ])('not an environment variable: %s', (_, setup, expression) => {
    expect(readBoth(setup, expression).call).toBeUndefined();
  });

  it('not an environment variable: a destructured name shadowed by a parameter', () => {
    const facts = extractFileFacts('src/a.ts', 'const { ORDERS_URL } = process.env;\nexport function call(ORDERS_URL: string) {\n  return fetch(ORDERS_URL);\n}');
    expect(facts.httpCalls?.[0]?.url).toEqual([{ kind: 'unknown', text: 'ORDERS_URL' }]);
  });

  it('reads a host cut from a host:port address as the address, whose port the graph splits off', () => {
    const facts = extractFileFacts(
      'src/db.ts',
      "import mysql from 'mysql2';\nimport { createPool } from '@acme/db';\nconst { DB_ADDRESS } = process.env;\nmysql.createPool({ host: DB_ADDRESS.split(':')[0], database: 'shop' });\ncreatePool({ host: DB_ADDRESS.split(':')[0] });\nmysql.createPool({ host: DB_ADDRESS.split('.')[0] });",
    );
    expect(facts.connections?.map(({ host }) => host)).toEqual(['${DB_ADDRESS}']);
    expect(facts.databaseFactoryCalls?.[0].arguments.map(({ property, value }) => ({ property, value }))).toEqual([{ property: 'host', value: '${DB_ADDRESS}' }]);
  });

  it('keeps a default as ${X:-default} and reads Number(...) through', () => {
    const facts = extractFileFacts(
      'src/db.ts',
      "import mysql from 'mysql2';\nconst { DB_HOST } = process.env;\nmysql.createPool({ host: DB_HOST ?? 'localhost', port: Number(Bun.env.DB_PORT), database: Deno.env.get('DB_NAME') });",
    );
    expect(facts.connections?.map(({ host, port, database }) => ({ host, port, database }))).toEqual([{ host: '${DB_HOST:-localhost}', port: '${DB_PORT}', database: '${DB_NAME}' }]);
  });
});
