import { ts } from 'ts-morph';
import type { SourceLocation } from '../model.js';
import { LineIndex } from './text.js';

/**
 * JSON (and JSONC: comments, trailing commas) parsed with TypeScript's own JSON parser,
 * so values keep their source positions for evidence locations.
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
    // TypeScript's parser recurses once per nesting level: a few thousand `[` exhaust the stack.
    if (!(error instanceof RangeError)) throw error;
    return { value: undefined, errors: ['1:1 nested too deeply to parse'], locate: () => ({ file, line: 1, column: 1 }) };
  }
}

function parse(file: string, text: string): JsonDocument {
  const source = ts.parseJsonText(file, text);
  const lines = new LineIndex(text);
  const parseDiagnostics = (source as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  const errors = parseDiagnostics.map((d) => {
    const where = d.start !== undefined ? lines.position(d.start) : { line: 1, column: 1 };
    return `${where.line}:${where.column} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
  const root = source.statements[0]?.expression;
  const value = root ? toValue(root) : undefined;

  const at = (node: ts.Node): SourceLocation => {
    const start = lines.position(node.getStart(source));
    const end = lines.position(node.getEnd());
    return { file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  };

  return {
    value,
    errors,
    locate(path) {
      let node: ts.Node | undefined = root;
      let located: ts.Node | undefined = root;
      for (const key of path) {
        if (node && ts.isObjectLiteralExpression(node)) {
          const property: ts.PropertyAssignment | undefined = node.properties.find(
            (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p) === String(key),
          );
          located = property?.name ?? located;
          node = property?.initializer;
        } else if (node && ts.isArrayLiteralExpression(node) && typeof key === 'number') {
          node = node.elements[key];
          located = node ?? located;
        } else {
          break;
        }
      }
      return located ? at(located) : { file, line: 1, column: 1 };
    },
  };
}

function propertyName(p: ts.PropertyAssignment): string | undefined {
  const name = p.name;
  if (ts.isStringLiteral(name) || ts.isIdentifier(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

function toValue(node: ts.Node): unknown {
  if (ts.isObjectLiteralExpression(node)) {
    const result: Record<string, unknown> = {};
    for (const p of node.properties) {
      if (!ts.isPropertyAssignment(p)) continue;
      const key = propertyName(p);
      // defineProperty, so that a "__proto__" key is data like any other and never a prototype.
      if (key !== undefined) Object.defineProperty(result, key, { value: toValue(p.initializer), enumerable: true, writable: true, configurable: true });
    }
    return result;
  }
  if (ts.isArrayLiteralExpression(node)) return node.elements.map(toValue);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) {
    return -Number(node.operand.text);
  }
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  return null;
}

/** A JSON/YAML object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
