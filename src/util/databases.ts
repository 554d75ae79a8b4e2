import type { DatabaseEngine } from '../model.js';

/** Names engines go by in URL schemes, ORM `type`/`client`/`dialect` options and Prisma providers. */
const ENGINE_ALIASES: Record<string, DatabaseEngine> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  pg: 'postgres',
  cockroachdb: 'postgres',
  cockroach: 'postgres',
  'aurora-postgres': 'postgres',
  mysql: 'mysql',
  mysql2: 'mysql',
  mariadb: 'mysql',
  'aurora-mysql': 'mysql',
  mongodb: 'mongodb',
  'mongodb+srv': 'mongodb',
  mongo: 'mongodb',
  sqlserver: 'sqlserver',
  mssql: 'sqlserver',
  tedious: 'sqlserver',
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  'better-sqlite3': 'sqlite',
  libsql: 'libsql',
  turso: 'libsql',
  redis: 'redis',
  rediss: 'redis',
  dynamodb: 'dynamodb',
  clickhouse: 'clickhouse',
};

export const DEFAULT_PORTS: Record<DatabaseEngine, number | undefined> = {
  postgres: 5432,
  mysql: 3306,
  mongodb: 27017,
  sqlserver: 1433,
  redis: 6379,
  sqlite: undefined,
  libsql: undefined,
  dynamodb: undefined,
  // Its HTTP interface, which JavaScript clients speak (the native protocol is 9000).
  clickhouse: 8123,
};

/** Option keys of client configurations that give a connection's URL, host or database name. */
const OPTION_FIELDS = new Map<string, 'url' | 'host' | 'database'>([
  ...['url', 'uri', 'connectionString', 'connectionUri', 'clientUrl', 'datasourceUrl'].map((key) => [key, 'url'] as const),
  ...['host', 'hostname', 'server'].map((key) => [key, 'host'] as const),
  ...['database', 'db', 'dbName'].map((key) => [key, 'database'] as const),
]);

/** The connection field a client option key gives (`connectionString` → url, `server` → host), if any. */
export function optionField(key: string): 'url' | 'host' | 'database' | undefined {
  return OPTION_FIELDS.get(key);
}

export function engineOf(alias: string | undefined): DatabaseEngine | undefined {
  return alias === undefined ? undefined : ENGINE_ALIASES[alias.toLowerCase()];
}

export interface ConnectionTarget {
  engine: DatabaseEngine;
  host?: string;
  port?: number;
  database?: string;
}

/** A connection URL: `postgres://…`, `mongodb+srv://…`, `http://clickhouse:8123` (a scheme, then `//`). */
export const CONNECTION_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The target of a connection URL: `postgres://user:pw@host:5432/db?…`, `mongodb+srv://…/db`, `redis://host:6379/2`,
 * `sqlserver://host:1433;database=db`, `libsql://db-org.turso.io`, `file:./dev.db` and `sqlite:./dev.db` (a file
 * named like a database). An `http(s)://` or `ws(s)://` URL, and a `file:` of any name, only when `engine` says
 * the value is a database (a libSQL or Supabase client, a `TURSO_DATABASE_URL` key). Also the DSN of Go's MySQL
 * driver, which has no scheme: `user:pw@tcp(host:3306)/db?parseTime=true`. Undefined for anything else.
 */
export function parseConnectionUrl(url: string, engine?: DatabaseEngine): ConnectionTarget | undefined {
  const trimmed = url.trim();
  const goMysql = /^(?:[^@/]*@)?tcp6?\((\[[^\]]+\]|[^:)]*)(?::(\d+))?\)\/([^?/]*)/.exec(trimmed);
  if (goMysql && (engine === undefined || engine === 'mysql')) {
    return { engine: 'mysql', host: goMysql[1] || undefined, port: goMysql[2] ? Number(goMysql[2]) : undefined, database: goMysql[3] || undefined };
  }
  const file = /^(?:file|sqlite3?):(?:\/\/)?([^?#]+)(?:[?#].*)?$/i.exec(trimmed);
  if (file && (/\.(?:db|sqlite3?|s3db)$/i.test(file[1]) || engine === 'sqlite' || engine === 'libsql' || /^sqlite/i.test(trimmed))) {
    return { engine: 'sqlite', database: file[1] };
  }
  const match = /^([a-z][a-z0-9+.-]*):\/\/(?:[^/?#]*@)?([^/?#;]*)([^?#;]*)(?:[?;]([^#]*))?/i.exec(trimmed);
  if (!match) return undefined;
  const overHttp = /^(https?|wss?)$/i.test(match[1]);
  const found = overHttp ? (engine === 'sqlite' ? 'libsql' : engine) : engineOf(match[1]);
  if (!found || found === 'sqlite') return undefined;
  const firstHost = match[2].split(',')[0];
  const hostPort = /^(\[[^\]]+\]|[^:]*)(?::(\d+))?$/.exec(firstHost);
  const parameters = new URLSearchParams((match[4] ?? '').replace(/;/g, '&'));
  const path = overHttp ? '' : decodeURIComponent(match[3].replace(/^\//, '').split('/')[0] ?? '');
  return {
    engine: found,
    host: hostPort?.[1] || undefined,
    port: hostPort?.[2] ? Number(hostPort[2]) : undefined,
    database: path || parameters.get('database') || parameters.get('databaseName') || parameters.get('dbName') || undefined,
  };
}

/** Hosted database services known by their host names: PlanetScale, Neon, Supabase, CockroachDB Cloud, Turso, Azure SQL, Upstash. */
const HOSTED_ENGINES: [RegExp, DatabaseEngine][] = [
  [/\.psdb\.cloud$/, 'mysql'],
  [/\.(neon\.tech|supabase\.(co|com)|cockroachlabs\.cloud)$/, 'postgres'],
  [/\.turso\.io$/, 'libsql'],
  [/\.database\.windows\.net$/, 'sqlserver'],
  [/\.upstash\.io$/, 'redis'],
];

/** The engine a host name says it serves (`aws.connect.psdb.cloud` → mysql), for settings that name a host but no engine. */
export function hostedEngine(host: string): DatabaseEngine | undefined {
  const name = host.toLowerCase();
  return HOSTED_ENGINES.find(([pattern]) => pattern.test(name))?.[1];
}

/** Hosts that serve many customers' databases, told apart only by user or database name (PlanetScale, Supabase's pooler). */
const MULTI_TENANT_HOSTS = /\.(psdb\.cloud|pooler\.supabase\.com)$/i;

/** Whether a target names one database: on a multi-tenant host, only with its database name. */
export function identifiesDatabase(target: ConnectionTarget): boolean {
  return target.database !== undefined || target.host === undefined || !MULTI_TENANT_HOSTS.test(target.host);
}

/**
 * The engine an environment key names (`TURSO_DATABASE_URL`, `LIBSQL_URL`, `SUPABASE_URL`, `CLICKHOUSE_URL`, ClickHouse's
 * `CLICKHOUSE_HOST=http://clickhouse:8123`), for values whose scheme does not say it.
 */
export function keyEngine(name: string): DatabaseEngine | undefined {
  if (/(^|_)(LIBSQL|TURSO)(_|$)/i.test(name)) return 'libsql';
  if (/(^|_)CLICKHOUSE(_|$)/i.test(name)) return 'clickhouse';
  if (/(^|_)SUPABASE(_|$)/i.test(name) && /_(URL|URI)$/i.test(name)) return 'postgres';
  return undefined;
}
