import type { FileFacts, ModuleEdge } from '../model.js';

/** What modules export, found through the imports that lead to them and the re-exports on the way. */
export class ExportFinder {
  private readonly factsByFile: Map<string, FileFacts>;
  private readonly edgesByFile = new Map<string, ModuleEdge[]>();

  constructor(facts: readonly FileFacts[], moduleEdges: readonly ModuleEdge[]) {
    this.factsByFile = new Map(facts.map((f) => [f.file, f]));
    for (const edge of moduleEdges) {
      const list = this.edgesByFile.get(edge.from) ?? [];
      list.push(edge);
      this.edgesByFile.set(edge.from, list);
    }
  }

  /** What `pick` finds in the module a specifier of `file` resolves to, or in the modules it re-exports. */
  find<T>(file: string, specifier: string, pick: (facts: FileFacts) => T | undefined): { value: T; file: string } | undefined {
    const target = this.edgesByFile.get(file)?.find((e) => e.reference.specifier === specifier)?.to;
    const seen = new Set<string>();
    const visit = (current: string): { value: T; file: string } | undefined => {
      if (seen.has(current) || seen.size > 8) return undefined;
      seen.add(current);
      const facts = this.factsByFile.get(current);
      const value = facts && pick(facts);
      if (value !== undefined) return { value, file: current };
      for (const edge of this.edgesByFile.get(current) ?? []) {
        if (edge.reference.kind !== 'export' && edge.reference.kind !== 'export-star') continue;
        const found = visit(edge.to);
        if (found) return found;
      }
      return undefined;
    };
    return target ? visit(target) : undefined;
  }
}
