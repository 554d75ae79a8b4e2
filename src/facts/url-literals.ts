import { ts } from '../util/typescript.cjs';
import type { UrlLiteralFact } from '../model.js';
import type { ParsedFile, TypeScriptCollector } from './typescript-walk.js';
import { dottedName, envName, unwrap } from './values.js';

/**
 * The schemes services are reached by: HTTP, WebSocket, gRPC and the brokers' own protocols. Database schemes
 * (`postgres://`, `redis://`, `mongodb://`, `libsql://`, …) are connection identities, which data access records.
 */
const SERVICE_URL = /^(?:https?|wss?|grpcs?|amqps?|nats|mqtts?|tcp):\/\/[^/:?#\s$]+(?:[/:?#]|$)/i;

/** Calls that only write text somewhere: a URL in a log line is no address the code uses. */
const LOG_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace', 'fatal', 'verbose']);

/** Calls whose string argument is no address: a module name, or text a string is checked or cut against (`href.startsWith('http://…')`). */
const NOT_ADDRESSED = new Set(['require', 'import', 'startsWith', 'endsWith', 'includes', 'indexOf', 'replace', 'replaceAll', 'split', 'match', 'test']);

const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** Methods giving a default to a configuration value: zod/yup `.default(…)`, `.catch(…)`; envalid's `default`/`devDefault` keys. */
const DEFAULT_METHODS = new Set(['default', 'catch']);
const DEFAULT_KEYS = new Set(['default', 'devDefault', 'fallback', 'defaultValue']);

/**
 * Every string (or the literal start of a template) in code that is a URL with a host: `'http://payments:4000'`,
 * `` `grpc://catalog:50051/${path}` ``, wherever it is written or passed. Whether a configuration value stands in
 * front of it (`process.env.X ?? 'http://…'`, a default parameter) and what it is handed to are recorded;
 * the graph decides which service its host names.
 */
export const urlLiteralCollector: TypeScriptCollector = {
  kinds: [ts.SyntaxKind.StringLiteral, ts.SyntaxKind.NoSubstitutionTemplateLiteral, ts.SyntaxKind.TemplateExpression],
  visit(node, parsed, facts) {
    const text = ts.isTemplateExpression(node) ? node.head.text : ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : '';
    if (!text.includes('://') || !SERVICE_URL.test(text)) return;
    const use = literalUse(node as ts.Expression, parsed);
    if (!use) return;
    const fact: UrlLiteralFact = { url: ts.isTemplateExpression(node) ? `${text}{…}` : text, location: parsed.locate(node), ...use };
    (facts.urlLiterals ??= []).push(fact);
  },
};

/**
 * How a literal is used, read from its ancestors: a default behind configuration, the call and property it is
 * handed to; undefined for literals that are no address (a module specifier, a type, a key, a log message).
 */
function literalUse(literal: ts.Expression, parsed: ParsedFile): Omit<UrlLiteralFact, 'url' | 'location'> | undefined {
  const { ancestors } = parsed;
  const use: Omit<UrlLiteralFact, 'url' | 'location'> = {};
  let child: ts.Node = literal;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const parent = ancestors[i];
    if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isExternalModuleReference(parent) || ts.isLiteralTypeNode(parent)) return undefined;
    if (ts.isPropertyAssignment(parent)) {
      if (parent.name === child) return undefined;
      const key = ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name) ? parent.name.text : undefined;
      if (key && DEFAULT_KEYS.has(key) && use.property === undefined) use.fallback = true;
      use.property ??= key;
    } else if (ts.isBinaryExpression(parent)) {
      const operator = parent.operatorToken.kind;
      const defaulting = operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.BarBarToken ||
        operator === ts.SyntaxKind.QuestionQuestionEqualsToken || operator === ts.SyntaxKind.BarBarEqualsToken;
      if (defaulting && parent.right === child) use.fallback = true;
      else if (EQUALITY.has(operator)) return undefined; // text a value is compared with
      else if (!defaulting && operator !== ts.SyntaxKind.PlusToken) return use; // an assignment: its use ends here
    } else if ((ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.initializer === child) {
      return { ...use, fallback: true };
    } else if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
      if (parent.expression === child) return use;
      const callee = unwrap(parent.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (callee.kind === ts.SyntaxKind.ImportKeyword || NOT_ADDRESSED.has(name)) return undefined;
      if (LOG_METHODS.has(name) && ts.isPropertyAccessExpression(callee) && /log|console/i.test(callee.expression.getText(parsed.source))) return undefined;
      if (DEFAULT_METHODS.has(name) && ts.isPropertyAccessExpression(callee)) return { ...use, fallback: true };
      // `config.get('PAYMENTS_URL', 'http://…')`: the default of a configuration lookup.
      if (ts.isCallExpression(parent) && parent.arguments[1] === child && envName(parent, ancestors.slice(0, i)) !== undefined) return { ...use, fallback: true };
      const described = dottedName(callee) ?? name;
      if (described) use.passedTo = ts.isNewExpression(parent) ? `new ${described}` : described;
      return use;
    } else if (!passesValueThrough(parent)) {
      return use;
    }
    child = parent;
  }
  return use;
}

/** Nodes a value travels through on its way to where it is used: objects, arrays, parentheses, casts, conditionals, templates. */
function passesValueThrough(node: ts.Node): boolean {
  return (
    ts.isObjectLiteralExpression(node) ||
    ts.isArrayLiteralExpression(node) ||
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isNonNullExpression(node) ||
    ts.isConditionalExpression(node) ||
    ts.isTemplateSpan(node) ||
    ts.isTemplateExpression(node) ||
    ts.isSpreadElement(node)
  );
}
