import type { DatabaseEngine } from '../model.js';

/** Names engines go by in URL schemes, ORM `type`/`client`/`dialect` options and Prisma providers. */
const ENGINE_ALIASES: Record<string, DatabaseEngine> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  pg: 'postgres',
  cockroachdb: 'postgres',
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
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  'better-sqlite3': 'sqlite',
  redis: 'redis',
  rediss: 'redis',
};

export const DEFAULT_PORTS: Record<DatabaseEngine, number | undefined> = {
  postgres: 5432,
  mysql: 3306,
  mongodb: 27017,
  sqlserver: 1433,
  redis: 6379,
  sqlite: undefined,
};

export function engineOf(alias: string | undefined): DatabaseEngine | undefined {
  return alias === undefined ? undefined : ENGINE_ALIASES[alias.toLowerCase()];
}

export interface ConnectionTarget {
  engine: DatabaseEngine;
  host?: string;
  port?: number;
  database?: string;
}

/**
 * The target of a connection URL: `postgres://user:pw@host:5432/db?…`, `mongodb+srv://…/db`,
 * `redis://host:6379/2`, `sqlserver://host:1433;database=db`, `file:./dev.db` (a file named like a database). Undefined for anything else.
 */
export function parseConnectionUrl(url: string): ConnectionTarget | undefined {
  const trimmed = url.trim();
  const sqlite = /^file:(?:\/\/)?([^?#]+\.(?:db|sqlite3?|s3db))(?:[?#].*)?$/i.exec(trimmed);
  if (sqlite) return { engine: 'sqlite', database: sqlite[1] };
  const match = /^([a-z][a-z0-9+.-]*):\/\/(?:[^/?#]*@)?([^/?#;]*)([^?#;]*)(?:[?;]([^#]*))?/i.exec(trimmed);
  const engine = match ? engineOf(match[1]) : undefined;
  if (!match || !engine || engine === 'sqlite') return undefined;
  const firstHost = match[2].split(',')[0];
  const hostPort = /^(\[[^\]]+\]|[^:]*)(?::(\d+))?$/.exec(firstHost);
  const parameters = new URLSearchParams((match[4] ?? '').replace(/;/g, '&'));
  const path = decodeURIComponent(match[3].replace(/^\//, '').split('/')[0] ?? '');
  return {
    engine,
    host: hostPort?.[1] || undefined,
    port: hostPort?.[2] ? Number(hostPort[2]) : undefined,
    database: path || parameters.get('database') || parameters.get('databaseName') || parameters.get('dbName') || undefined,
  };
}
