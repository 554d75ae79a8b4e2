import type { Component, ComponentEdge, Evidence, Graph, ModuleEdge, ModuleReference } from '../model.js';
import { isCodeFile } from '../util/source-files.js';
import { compareStrings } from '../util/text.js';
import { isDeployable, sharesCode } from './services.js';

/** A deployable that runs a library's code, with its import (or dependency) that brings the library in. */
export interface LibraryUser {
  service: Component;
  /** The service's first import of, or dependency on, the library or a library leading to it. */
  evidence: Evidence;
}


/** The library modules a deployable loads, the names it takes from each, and the libraries they belong to. */
interface Reached {
  files: Set<string>;
  names: Map<string, Set<string> | 'all'>;
  libraries: Set<string>;
}

/** The names an import takes from its target, or the whole module. */
function namesTaken(reference: ModuleReference): Set<string> | 'all' {
  return reference.names && reference.kind !== 'export-star' ? new Set(reference.names) : 'all';
}

/**
 * Who runs the code written in a library's module (or a job's, sharesCode): the deployables that reach that module
 * through their value imports (directly or through other libraries). A library's database use, calls and topics count only for the
 * services that load the module holding them: a site that imports a logo from a package does not open the
 * package's database. Where a service declares a library in its own
 * manifest but no import of it resolves, every module of the library counts for that service.
 */
export class LibraryUsers {
  private readonly byId: Map<string, Component>;
  private readonly edgesFrom = new Map<string, ModuleEdge[]>();
  private readonly edgesFromComponent = new Map<string, ModuleEdge[]>();
  private readonly componentUsers = new Map<string, LibraryUser[]>();
  private readonly reachedBy = new Map<string, Reached>();
  private readonly importedFiles = new Set<string>();
  /** `component\0library` for each runtime dependency a package.json declares. */
  private readonly declaredDependencies: Set<string>;

  /** `importsErased`: files whose imports compile away (they only declare types), so load nothing. */
  constructor(
    private readonly graph: Graph,
    private readonly ownerOf: (file: string) => Component | undefined,
    isTest: (file: string) => boolean,
    importsErased: (file: string) => boolean = () => false,
  ) {
    this.byId = new Map(graph.components.map((c) => [c.id, c]));
    for (const edge of graph.moduleEdges) {
      if (edge.reference.typeOnly || isTest(edge.from)) continue;
      if (edge.reference.kind === 'import' && importsErased(edge.from)) continue;
      const list = this.edgesFrom.get(edge.from) ?? [];
      list.push(edge);
      this.edgesFrom.set(edge.from, list);
      this.importedFiles.add(edge.to);
      if (!edge.fromComponent) continue;
      const ofComponent = this.edgesFromComponent.get(edge.fromComponent) ?? [];
      ofComponent.push(edge);
      this.edgesFromComponent.set(edge.fromComponent, ofComponent);
    }
    const runtimeDependencies = graph.edges.filter((e) => e.kind === 'manifest' && e.sync);
    this.declaredDependencies = new Set(runtimeDependencies.map((e) => `${e.from}\0${e.to}`));
    this.collectComponentUsers(runtimeDependencies);
  }

  /** The deployables that run a module of a library, or of a job's package their imports reach (none for a service's or frontend's own files). */
  ofModule(file: string): LibraryUser[] {
    const owner = this.ownerOf(file);
    if (!owner || !sharesCode(owner)) return [];
    return this.ofComponent(owner.id).filter(({ service }) => {
      const reached = this.reached(service);
      return reached.files.has(file) || (this.declared(service, owner.id) && !reached.libraries.has(owner.id));
    });
  }

  /** Whether a deployable's value imports reach a library module (declaring the library alone is not enough). */
  loads(service: Component, file: string): boolean {
    return this.reached(service).files.has(file);
  }

  /**
   * The deployables that take any of these names from a library module (the functions whose calls run a query, a class
   * holding a client), or the whole module (a namespace import, `require`, a library declared but not imported): those
   * count at the module's grain. A star re-export loads the module for every service reaching the barrel, but only a
   * service importing the name uses it.
   */
  ofExports(file: string, names: readonly string[]): LibraryUser[] {
    return this.ofModule(file).filter(({ service }) => {
      const taken = this.reached(service).names.get(file);
      return taken === undefined || taken === 'all' || names.some((name) => taken.has(name));
    });
  }

  /**
   * The deployables a library's configuration is for: a module nothing imports (drizzle.config.ts, a knexfile) or a
   * file that is not code (a Prisma schema) describes the library's database as a whole, so it counts for every user.
   */
  ofConfiguration(file: string): LibraryUser[] {
    const owner = this.ownerOf(file);
    if (!owner || !sharesCode(owner)) return [];
    return this.importedFiles.has(file) && isCodeFile(file) ? this.ofModule(file) : this.ofComponent(owner.id);
  }

  /** A code module nothing imports (drizzle.config.ts, a knexfile): read by tools, never by the services that run the library. */
  isToolConfiguration(file: string): boolean {
    return isCodeFile(file) && !this.importedFiles.has(file);
  }

  /** The deployables that reach any module of a library. */
  ofComponent(id: string): LibraryUser[] {
    return this.componentUsers.get(id) ?? [];
  }

  /** Library id → deployables depending on it at run time: value imports outside tests, else a runtime dependency. */
  private collectComponentUsers(runtimeDependencies: ComponentEdge[]): void {
    const direct = new Map<string, Map<string, Evidence>>();
    const depend = (from: string, to: string, evidence: Evidence) => {
      const targets = direct.get(from) ?? new Map<string, Evidence>();
      if (!targets.has(to)) targets.set(to, evidence);
      direct.set(from, targets);
    };
    for (const edges of this.edgesFromComponent.values()) {
      for (const edge of edges) {
        if (!edge.toComponent || edge.fromComponent === edge.toComponent) continue;
        depend(edge.fromComponent!, edge.toComponent, { location: edge.reference.location, detail: `${edge.reference.kind} "${edge.reference.specifier}"` });
      }
    }
    for (const edge of runtimeDependencies) depend(edge.from, edge.to, edge.evidence[0]);

    for (const service of this.graph.components.filter(isDeployable)) {
      const seen = new Set<string>();
      const queue = [...(direct.get(service.id) ?? [])].map(([to, evidence]) => ({ to, evidence }));
      while (queue.length > 0) {
        const { to, evidence } = queue.shift()!;
        const library = this.byId.get(to);
        if (!library || !sharesCode(library) || library === service || seen.has(library.id)) continue;
        seen.add(library.id);
        this.componentUsers.set(library.id, [...(this.componentUsers.get(library.id) ?? []), { service, evidence }]);
        for (const next of direct.get(library.id)?.keys() ?? []) queue.push({ to: next, evidence });
      }
    }
    for (const users of this.componentUsers.values()) users.sort((a, b) => compareStrings(a.service.id, b.service.id));
  }

  /**
   * The library modules a deployable's own modules load, following value imports through libraries only. A
   * module entered for some names follows its own imports (its code runs) but only the re-exports of those
   * names: a barrel's `export { connect } from './db'` is not loaded for a service that imports its `logo`.
   */
  private reached(service: Component): Reached {
    const known = this.reachedBy.get(service.id);
    if (known) return known;
    const taken = new Map<string, Set<string> | 'all'>();
    const reached: Reached = { files: new Set(), names: taken, libraries: new Set() };
    const queue: { file: string; names: Set<string> | 'all' }[] = [];
    const enter = (edge: ModuleEdge, names: Set<string> | 'all') => {
      if (this.entersLibrary(edge)) queue.push({ file: edge.to, names });
    };
    for (const edge of this.edgesFromComponent.get(service.id) ?? []) if (edge.toComponent !== service.id) enter(edge, namesTaken(edge.reference));
    while (queue.length > 0) {
      const { file, names } = queue.pop()!;
      const before = taken.get(file);
      if (before === 'all') continue;
      // Only the names not followed before: a module entered again for new names re-exports just those.
      const asked = names === 'all' ? 'all' : new Set([...names].filter((n) => !before?.has(n)));
      if (before && asked !== 'all' && asked.size === 0) continue;
      taken.set(file, asked === 'all' ? 'all' : new Set([...(before ?? []), ...asked]));
      reached.files.add(file);
      const owner = this.ownerOf(file);
      if (owner) reached.libraries.add(owner.id);
      for (const edge of this.edgesFrom.get(file) ?? []) {
        const { kind, names: imported, exportedAs } = edge.reference;
        if (kind !== 'export' && kind !== 'export-star') {
          if (!before) enter(edge, namesTaken(edge.reference));
        } else if (kind === 'export-star' && !exportedAs) enter(edge, asked);
        else if (asked === 'all') enter(edge, namesTaken(edge.reference));
        else if (kind === 'export-star') {
          if (exportedAs!.some((n) => asked.has(n))) enter(edge, 'all');
        } else {
          const wanted = (imported ?? []).filter((_, i) => asked.has(exportedAs?.[i] ?? imported![i]));
          if (wanted.length > 0) enter(edge, new Set(wanted));
        }
      }
    }
    this.reachedBy.set(service.id, reached);
    return reached;
  }

  /** The service's own package.json declares the library as a runtime dependency. */
  private declared(service: Component, library: string): boolean {
    return this.declaredDependencies.has(`${service.id}\0${library}`);
  }

  private entersLibrary(edge: ModuleEdge): boolean {
    const target = edge.toComponent === undefined ? undefined : this.byId.get(edge.toComponent);
    return target !== undefined && sharesCode(target);
  }
}
