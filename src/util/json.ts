import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { SourceLocation } from '../model.js';
import { LineIndex } from './text.js';

/**
 * JSON (and JSONC: comments, trailing commas) parsed with jsonc-parser, the parser of VS Code's
 * settings files, so values keep their source positions for evidence locations.
 */
export interface JsonDocument {
  value: unknown;
  /** Parse errors, empty when the text is valid JSON(C). */
  errors: string[];
  /** Location of the property at `path` (its key), or of the document start. */
  locate(path: (string | number)[]): SourceLocation;
}

export function parseJsonWithLocations(file: string, text: string): JsonDocument {
  try {
    return parse(file, text);
  } catch (error) {
    // The parser recurses once per nesting level: a few thousand `[` exhaust the stack.
    if (!(error instanceof RangeError)) throw error;
    return { value: undefined, errors: ['1:1 nested too deeply to parse'], locate: () => ({ file, line: 1, column: 1 }) };
  }
}

function parse(file: string, text: string): JsonDocument {
  const parseErrors: ParseError[] = [];
  const root = parseTree(text, parseErrors, { allowTrailingComma: true });
  const lines = new LineIndex(text);
  const errors = parseErrors.map((e) => {
    const where = lines.position(e.offset);
    return `${where.line}:${where.column} ${describe(printParseErrorCode(e.error))}`;
  });
  return {
    value: root ? toValue(root) : undefined,
    errors,
    locate(path) {
      let node: Node | undefined = root;
      let located: Node | undefined = root;
      for (const key of path) {
        if (node?.type === 'object') {
          const property = node.children?.find((p) => p.children?.[0]?.value === String(key));
          located = property?.children?.[0] ?? located;
          node = property?.children?.[1];
        } else if (node?.type === 'array' && typeof key === 'number') {
          node = node.children?.[key];
          located = node ?? located;
        } else {
          break;
        }
      }
      return located ? lines.span(file, located.offset, located.offset + located.length) : { file, line: 1, column: 1 };
    },
  };
}

/** `CloseBraceExpected` → `close brace expected`. */
function describe(code: string): string {
  return code.replace(/(?<=[a-z])(?=[A-Z])/g, ' ').toLowerCase();
}

function toValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key === undefined || value === undefined) continue;
        // defineProperty, so that a "__proto__" key is data like any other and never a prototype.
        Object.defineProperty(result, String(key.value), { value: toValue(value), enumerable: true, writable: true, configurable: true });
      }
      return result;
    }
    case 'array':
      return (node.children ?? []).map(toValue);
    case 'property':
      return undefined;
    default:
      return node.value ?? null;
  }
}

/** A JSON/YAML object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
