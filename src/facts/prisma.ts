import type { DatabaseConnection, DatabaseEngine, TableDefinition } from '../model.js';
import { LineIndex } from '../util/text.js';
import type { FileExtractor } from './index.js';

const PROVIDERS: Record<string, DatabaseEngine> = {
  postgresql: 'postgres',
  postgres: 'postgres',
  cockroachdb: 'postgres',
  mysql: 'mysql',
  sqlite: 'sqlite',
  sqlserver: 'sqlserver',
  mongodb: 'mongodb',
};

const BLOCK = /^[ \t]*(datasource|model)\s+(\w+)\s*\{([^}]*)\}/gm;

/**
 * Prisma schemas: the `datasource` (`url = env("X")` or a literal) is a connection; every `model` is a
 * table (its `@@map` name, else the model name) owned by the component that holds the schema.
 */
export const prismaExtractor: FileExtractor = {
  name: 'prisma',
  matches: (file) => /\.prisma$/.test(file),
  extract: ({ file, text }, facts) => {
    const source = text.replace(/\/\/[^\n]*/g, (comment) => ' '.repeat(comment.length));
    const lines = new LineIndex(text);
    const at = (offset: number, length: number) => lines.span(file, offset, offset + length);
    const connections: DatabaseConnection[] = [];
    const tables: TableDefinition[] = [];
    for (const block of source.matchAll(BLOCK)) {
      const [whole, type, name, body] = block;
      const bodyStart = block.index + whole.indexOf('{') + 1;
      if (type === 'datasource') {
        const provider = body.match(/\bprovider\s*=\s*"([^"]*)"/)?.[1];
        const url = body.match(/\burl\s*=\s*(?:env\(\s*"([^"]+)"\s*\)|"([^"]*)")/);
        connections.push({
          client: 'prisma',
          engine: provider ? PROVIDERS[provider] : undefined,
          url: url ? (url[1] !== undefined ? `\${${url[1]}}` : url[2]) : undefined,
          location: url ? at(bodyStart + url.index!, url[0].length) : at(block.index + whole.indexOf(name), name.length),
        });
      } else {
        const mapped = body.match(/@@map\(\s*(?:name:\s*)?"([^"]+)"\s*\)/)?.[1];
        tables.push({ name: mapped ?? name, model: name, orm: 'prisma', location: at(block.index + whole.indexOf(name, whole.indexOf('model') + 5), name.length) });
      }
    }
    if (connections.length > 0) facts.connections = connections;
    // The schema's datasource says the engine of its models (a schema split over files may hold none).
    const engine = connections.length === 1 ? connections[0].engine : undefined;
    if (tables.length > 0) facts.tables = engine ? tables.map((table) => ({ ...table, engine })) : tables;
  },
};
