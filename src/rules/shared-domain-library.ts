import { libraryUsers, serviceResolver } from '../graph/services.js';
import type { ComponentClass, Evidence, Graph, RuleFinding } from '../model.js';
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

/** Why a class is a domain type, or undefined when it is data, a client or a helper. */
export function domainRole(cls: ComponentClass): string | undefined {
  if (cls.decorators.some((d) => PERSISTENCE_DECORATORS.has(d))) return 'persistence entity';
  if (cls.decorators.some((d) => REPOSITORY_DECORATORS.has(d)) || /Repository$/.test(cls.name) || /Repository$/.test(cls.extends ?? '')) return 'repository';
  if (cls.extends && DOMAIN_BASE.test(cls.extends)) return cls.extends.startsWith('Aggregate') ? 'aggregate' : 'entity';
  const identity = cls.properties.some((p) => p === 'id' || p === '_id' || p === `${cls.name.charAt(0).toLowerCase()}${cls.name.slice(1)}Id`);
  const behaviour = cls.methods.some((m) => !DATA_METHODS.has(m));
  return identity && behaviour ? 'entity' : undefined;
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
    precision: 'medium',
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { minServices: { type: 'integer', minimum: 1 } },
    },
    defaultOptions: { minServices: 2 },
  },
  check(graph: Graph, options: SharedDomainLibraryOptions): RuleFinding[] {
    const serviceOf = serviceResolver(graph);
    const domainClasses = new Map<string, { cls: ComponentClass; role: string }[]>();
    for (const cls of graph.classes ?? []) {
      const role = domainRole(cls);
      if (!role || serviceOf(cls.component)) continue;
      domainClasses.set(cls.component, [...(domainClasses.get(cls.component) ?? []), { cls, role }]);
    }
    const users = new Map<string, Map<string, Evidence>>();
    for (const { service, library, evidence } of libraryUsers(graph)) {
      if (!domainClasses.has(library)) continue;
      users.set(library, (users.get(library) ?? new Map<string, Evidence>()).set(service, evidence));
    }
    const findings: RuleFinding[] = [];
    for (const [library, byService] of [...users].sort(([a], [b]) => compareStrings(a, b))) {
      if (byService.size < options.minServices) continue;
      const classes = domainClasses.get(library)!;
      const services = [...byService.keys()].sort(compareStrings);
      const names = classes.map((c) => c.cls.name);
      const shown = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
      findings.push({
        message: `Library "${library}" exports domain types (${shown}) used by ${services.length} services (${services.join(', ')}): every change to them forces those services to upgrade together; let each service own its model and share contracts instead.`,
        location: classes[0].cls.location,
        related: [
          ...classes.slice(1).map(({ cls, role }) => ({ location: cls.location, message: `${role} ${cls.name}` })),
          ...services.map((s) => ({ location: byService.get(s)!.location, message: `used by service "${s}": ${byService.get(s)!.detail}` })),
        ],
        services: [library, ...services],
        key: library,
      });
    }
    return findings;
  },
});
