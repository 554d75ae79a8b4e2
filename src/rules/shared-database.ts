import picomatch from 'picomatch';
import type { ComponentEdge, Graph, RelatedLocation, Resource, RuleFinding } from '../model.js';
import { defineRule } from './types.js';

export interface SharedDatabaseOptions {
  /**
   * Databases shared on purpose (a read-only reporting database): `database` matches the database name
   * or its full `engine://host:port/name` form (globs allowed); with `access: 'read'` only the listed
   * `writers` may write, with `access: 'read-write'` anything goes.
   */
  allow: { database: string; access: 'read' | 'read-write'; writers?: string[] }[];
  /** A shared Redis is a cache or a broker rather than a database: report it as a warning (default), an error, or not at all. */
  redis: 'warn' | 'error' | 'off';
}

type ServiceAccess = 'write' | 'read' | 'unknown';

interface ServiceUse {
  service: string;
  access: ServiceAccess;
  edges: ComponentEdge[];
}

/**
 * Common coupling: several services use one database, so none of them can change its schema alone,
 * and one service's writes become another's surprises.
 */
export const sharedDatabase = defineRule<SharedDatabaseOptions>({
  meta: {
    id: 'shared-database',
    description: 'Two or more services connect to the same database (common coupling); an error when more than one of them writes.',
    defaultSeverity: 'error',
    tags: ['architecture', 'coupling', 'common-coupling', 'data-ownership'],
    precision: 'very-high',
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allow: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['database', 'access'],
            properties: {
              database: { type: 'string', minLength: 1 },
              access: { enum: ['read', 'read-write'] },
              writers: { type: 'array', items: { type: 'string' } },
            },
          },
        },
        redis: { enum: ['warn', 'error', 'off'] },
      },
    },
    defaultOptions: { allow: [], redis: 'warn' },
  },
  check(graph: Graph, options: SharedDatabaseOptions): RuleFinding[] {
    const components = new Map(graph.components.map((c) => [c.id, c]));
    const findings: RuleFinding[] = [];
    for (const database of graph.resources.filter((r) => r.kind === 'database')) {
      const isRedis = database.engine === 'redis';
      if (isRedis && options.redis === 'off') continue;
      const byService = new Map<string, ServiceUse>();
      for (const edge of graph.edges) {
        const component = components.get(edge.from);
        if (edge.kind !== 'database' || edge.to !== database.id || component?.kind !== 'service') continue;
        const use = byService.get(component.service) ?? { service: component.service, access: 'read', edges: [] };
        use.edges.push(edge);
        use.access = strongest(use.access, edge.access ?? 'unknown');
        byService.set(component.service, use);
      }
      if (byService.size < 2) continue;
      const services = [...byService.values()].sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
      const allowance = options.allow.find((a) => matchesDatabase(a.database, database));
      if (allowance?.access === 'read-write') continue;
      const writers = services.filter((s) => (allowance ? s.access === 'write' && !(allowance.writers ?? []).includes(s.service) : s.access !== 'read'));
      if (allowance && writers.length === 0) continue;
      findings.push(finding(database, services, writers, allowance !== undefined, isRedis && options.redis === 'warn'));
    }
    return findings;
  },
});

function strongest(a: ServiceAccess, b: ServiceAccess): ServiceAccess {
  return a === 'write' || b === 'write' ? 'write' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'read';
}

function matchesDatabase(pattern: string, database: Resource): boolean {
  const name = database.name.replace(/^[a-z0-9+]+:\/\/[^/]*\//, '');
  const isMatch = picomatch(pattern, { dot: true });
  return isMatch(database.name) || isMatch(name) || pattern === database.name;
}

/** How a service uses the database: without read or write evidence in its code it may write. */
const ACCESS_WORDS: Record<ServiceAccess, string> = { write: 'writes', read: 'reads', unknown: 'may write' };

/** The move that gives the database one owner, named for the case. */
function ownershipMove(services: ServiceUse[], writers: ServiceUse[]): string {
  const names = (uses: ServiceUse[]) => uses.map((u) => `"${u.service}"`).join(', ');
  if (writers.length === 1) {
    const others = services.filter((s) => s !== writers[0]);
    return `let ${names(writers)} own it and have ${names(others)} read through its API or from events it publishes (or declare the database read-only shared in \`allow\`)`;
  }
  if (writers.length === 0) return 'if it is a reporting database, declare it shared for reading in `allow`; otherwise let one service own it and the others ask that service';
  return `let one of ${names(writers)} own it: the others add an operation to its API or publish events it consumes instead of writing`;
}

function finding(database: Resource, services: ServiceUse[], writers: ServiceUse[], declared: boolean, redisWarning: boolean): RuleFinding {
  const isRedis = database.engine === 'redis';
  const how = (use: ServiceUse) => (isRedis ? 'uses it' : ACCESS_WORDS[use.access]);
  // A declared database is reported at the first writer that should not write; any other at the first service.
  // Evidence several services share (a library's connection) is listed once, naming them all.
  const ordered = declared ? [...writers, ...services.filter((s) => !writers.includes(s))] : services;
  const bySite = new Map<string, { location: RelatedLocation['location']; detail: string; users: string[] }>();
  for (const use of ordered) {
    for (const evidence of use.edges.flatMap((edge) => edge.evidence)) {
      const site = `${evidence.location.file}:${evidence.location.line}:${evidence.location.column}\0${evidence.detail}`;
      const entry = bySite.get(site) ?? { location: evidence.location, detail: evidence.detail, users: [] };
      entry.users.push(`"${use.service}" ${how(use)}`);
      bySite.set(site, entry);
    }
  }
  const related: RelatedLocation[] = [...bySite.values()].map((entry) => ({ location: entry.location, message: `${entry.users.length === 1 ? 'service' : 'services'} ${entry.users.join(', ')}: ${entry.detail}` }));
  const who = services.map((s) => (isRedis ? `"${s.service}"` : `"${s.service}" (${how(s)})`)).join(', ');
  let message: string;
  if (isRedis) {
    message = `Services ${who} share the Redis ${database.name}; give each service its own instance or key space, or make the sharing explicit.`;
  } else if (declared) {
    message = `Database ${database.name} is declared shared for reading, but ${writers.map((w) => `"${w.service}"`).join(', ')} ${writers.length === 1 ? 'writes' : 'write'} to it; only the declared writers may.`;
  } else {
    message = `Services ${who} share the database ${database.name}${writers.length > 1 ? ', and more than one may write' : ''}; ${ownershipMove(services, writers)}.`;
  }
  return {
    message,
    location: related[0].location,
    related: related.slice(1),
    services: services.map((s) => s.service),
    key: database.id,
    severity: redisWarning || (!declared && writers.length <= 1) ? 'warning' : undefined,
  };
}
