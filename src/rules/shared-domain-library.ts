import { libraryImporters, serviceResolver } from '../graph/services.js';
import type { ComponentClass, Evidence, Graph, RuleFinding, SourceLocation } from '../model.js';
import { compareStrings } from '../util/text.js';
import { defineRule } from './types.js';

export interface SharedDomainLibraryOptions {
  /** Report a domain library once this many services import it. */
  minServices: number;
}

/** ORM decorators that make a class a persisted entity (TypeORM, MikroORM, sequelize-typescript, Mongoose, Typegoose). */
const PERSISTENCE_DECORATORS = new Set(['Entity', 'ViewEntity', 'Embeddable', 'Table', 'Schema', 'modelOptions']);
const REPOSITORY_DECORATORS = new Set(['Repository', 'EntityRepository']);
/** Base classes of aggregates, entities, active records and repositories. */
const DOMAIN_BASE = /^(AggregateRoot|Aggregate|Entity|DomainEntity|BaseEntity|Model|\w*Repository)$/;
/** Methods that only convert, compare or check data: they do not make a class behave. */
const DATA_METHODS = new Set(['toJSON', 'toString', 'toObject', 'toDto', 'toDTO', 'equals', 'clone', 'validate', 'serialize', 'serialise', 'hashCode']);

/** Base classes a library offers for entities and repositories to extend: infrastructure, not the model. */
const INFRASTRUCTURE_NAME = /^(Abstract|Base)[A-Z]/;

/** Why a class is a domain type, or undefined when it is data, a client, a helper or a generic base class. */
export function domainRole(cls: ComponentClass): string | undefined {
  if (cls.abstract || cls.generic || INFRASTRUCTURE_NAME.test(cls.name)) return undefined;
  if (cls.decorators.some((d) => PERSISTENCE_DECORATORS.has(d))) return 'persistence entity';
  if (cls.decorators.some((d) => REPOSITORY_DECORATORS.has(d)) || /Repository$/.test(cls.name) || /Repository$/.test(cls.extends ?? '')) return 'repository';
  if (cls.extends && DOMAIN_BASE.test(cls.extends)) return cls.extends.startsWith('Aggregate') ? 'aggregate' : 'entity';
  // An identity set to a literal (`readonly id = 'xero'`) names the class, not one of its instances.
  const constants = new Set(cls.constantProperties);
  const identity = cls.properties.some((p) => !constants.has(p) && (p === 'id' || p === '_id' || p === `${cls.name.charAt(0).toLowerCase()}${cls.name.slice(1)}Id`));
  const behaviour = cls.methods.some((m) => !DATA_METHODS.has(m));
  return identity && behaviour ? 'entity' : undefined;
}

interface DomainType {
  name: string;
  role: string;
  location: SourceLocation;
}

/**
 * The domain types each library defines: entity, aggregate and repository classes, and the tables its ORM
 * schema defines (Drizzle tables, Prisma models, Mongoose schemas, Sequelize and TypeORM models; SQL
 * migrations are not types).
 */
function libraryDomainTypes(graph: Graph, isLibrary: (component: string) => boolean): Map<string, DomainType[]> {
  const byLibrary = new Map<string, DomainType[]>();
  const add = (library: string, type: DomainType) => byLibrary.set(library, [...(byLibrary.get(library) ?? []), type]);
  const classSites = new Set<string>();
  const site = (location: SourceLocation) => `${location.file}:${location.line}:${location.column}`;
  for (const cls of graph.classes ?? []) {
    // A class decides for the table it declares: an entity is listed once, a generic base class not at all.
    const role = domainRole(cls);
    classSites.add(site(cls.location));
    if (role && isLibrary(cls.component)) add(cls.component, { name: cls.name, role, location: cls.location });
  }
  const tables = graph.resources
    .filter((t) => t.kind === 'table' && t.orm && t.orm !== 'sql' && t.owner && isLibrary(t.owner) && t.evidence.length > 0)
    .sort((a, b) => compareStrings(a.evidence[0].location.file, b.evidence[0].location.file) || a.evidence[0].location.line - b.evidence[0].location.line);
  for (const table of tables) {
    const { location } = table.evidence[0];
    if (!classSites.has(site(location))) add(table.owner!, { name: table.model ?? table.name, role: `${table.orm} table`, location });
  }
  return byLibrary;
}

/**
 * A library of domain entities shared by several services: every change to the model forces every
 * service that uses it to upgrade together, and the services stop owning their own view of the domain.
 */
export const sharedDomainLibrary = defineRule<SharedDomainLibraryOptions>({
  meta: {
    id: 'shared-domain-library',
    description: 'A shared library exports domain entities, aggregates or repositories and is used by several services.',
    defaultSeverity: 'warning',
    tags: ['architecture', 'coupling', 'distributed-monolith', 'domain-model'],
    precision: 'very-high',
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { minServices: { type: 'integer', minimum: 1 } },
    },
    defaultOptions: { minServices: 2 },
  },
  check(graph: Graph, options: SharedDomainLibraryOptions): RuleFinding[] {
    const serviceOf = serviceResolver(graph);
    const domainTypes = libraryDomainTypes(graph, (component) => !serviceOf(component));
    const users = new Map<string, Map<string, Evidence>>();
    for (const { service, library, evidence } of libraryImporters(graph)) {
      if (!domainTypes.has(library)) continue;
      users.set(library, (users.get(library) ?? new Map<string, Evidence>()).set(service, evidence));
    }
    const findings: RuleFinding[] = [];
    for (const [library, byService] of [...users].sort(([a], [b]) => compareStrings(a, b))) {
      if (byService.size < options.minServices) continue;
      const types = domainTypes.get(library)!;
      const services = [...byService.keys()].sort(compareStrings);
      const names = types.map((t) => t.name);
      const shown = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
      findings.push({
        message: `Library "${library}" exports domain types (${shown}) used by ${services.length} services (${services.join(', ')}): every change to them forces those services to upgrade together; let each service own its model and its tables, and share only contracts (DTOs, events) instead.`,
        location: types[0].location,
        related: [
          ...types.slice(1).map((t) => ({ location: t.location, message: `${t.role} ${t.name}` })),
          ...services.map((s) => ({ location: byService.get(s)!.location, message: `used by service "${s}": ${byService.get(s)!.detail}` })),
        ],
        services: [library, ...services],
        key: library,
      });
    }
    return findings;
  },
});
