import type { Document, Node } from 'yaml';
import { yamlPackage } from '../util/yaml.js';
import type { SourceLocation } from '../model.js';
import { LineIndex } from '../util/text.js';

/**
 * Reading YAML documents node by node, so every value keeps its position: aliases are followed and
 * merge keys (`<<: *defaults`) are applied, with the merged entries located where they are written.
 */
export class YamlReader {
  private readonly lines: LineIndex;
  /** Merged maps left to expand: nested merge keys over aliases could otherwise grow exponentially. */
  private mergeBudget = 10_000;

  constructor(
    readonly file: string,
    text: string,
    private readonly document: Document,
  ) {
    this.lines = new LineIndex(text);
  }

  get root(): Node | null {
    return this.resolve(this.document.contents as Node | null);
  }

  resolve(node: unknown): Node | null {
    let current = node;
    for (let hops = 0; yamlPackage().isAlias(current) && hops < 100; hops++) current = current.resolve(this.document);
    return (current as Node | null | undefined) ?? null;
  }

  /** The entries of a map (later keys win, merge keys give defaults); empty for anything else. */
  entries(node: unknown, depth = 0): Map<string, { key: Node; value: Node | null }> {
    const map = this.resolve(node);
    const result = new Map<string, { key: Node; value: Node | null }>();
    if (!yamlPackage().isMap(map) || depth > 20) return result;
    for (const pair of map.items) {
      if (!yamlPackage().isScalar(pair.key) || String(pair.key.value) !== '<<') continue;
      const sources = this.resolve(pair.value);
      for (const source of yamlPackage().isSeq(sources) ? sources.items : [sources]) {
        if (--this.mergeBudget < 0) break;
        for (const [key, entry] of this.entries(source, depth + 1)) if (!result.has(key)) result.set(key, entry);
      }
    }
    for (const pair of map.items) {
      if (!yamlPackage().isScalar(pair.key) || String(pair.key.value) === '<<') continue;
      result.set(String(pair.key.value), { key: pair.key, value: this.resolve(pair.value) });
    }
    return result;
  }

  get(node: unknown, ...path: string[]): Node | null {
    let current = this.resolve(node);
    for (const key of path) current = this.entries(current).get(key)?.value ?? null;
    return current;
  }

  items(node: unknown): Node[] {
    const seq = this.resolve(node);
    return yamlPackage().isSeq(seq) ? seq.items.map((item) => this.resolve(item)).filter((item): item is Node => item !== null) : [];
  }

  /** A scalar as text (numbers and booleans as written by `String`), undefined for maps, lists and null. */
  text(node: unknown): string | undefined {
    const scalar = this.resolve(node);
    if (!yamlPackage().isScalar(scalar) || scalar.value === null || scalar.value === undefined) return undefined;
    return String(scalar.value);
  }

  locate(node: Node | null | undefined): SourceLocation {
    const range = node?.range;
    if (!range) return { file: this.file, line: 1, column: 1 };
    return this.lines.span(this.file, range[0], range[1]);
  }
}
