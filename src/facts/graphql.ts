import { ts } from '../util/typescript.cjs';
import type { HttpCallFact } from '../model.js';
import type { TypeScriptCollector } from './typescript-walk.js';
import { findDeclaration, importBindings, propertyValue, unwrap, valueParts } from './values.js';

/** The Apollo Gateway classes that take subgraph URLs: `serviceList` (older gateways) or `subgraphs` (IntrospectAndCompose). */
const SUBGRAPH_LISTS: Record<string, string> = { ApolloGateway: 'serviceList', IntrospectAndCompose: 'subgraphs' };

/**
 * Apollo federation: a gateway built with `new IntrospectAndCompose({ subgraphs: [{ name, url }] })` (or
 * `new ApolloGateway({ serviceList })`) queries each subgraph on every request, so each URL is an HTTP client
 * of that subgraph's service. (GraphQL clients given an endpoint, `new HttpLink({ uri })`, are HTTP clients built
 * with a base URL, read with the other HTTP calls.)
 */
export const graphqlGatewayCollector: TypeScriptCollector = {
  kinds: [ts.SyntaxKind.NewExpression],
  visit(node, parsed, facts) {
    if (!ts.isNewExpression(node) || !ts.isIdentifier(node.expression) || !node.arguments?.[0]) return;
    const imported = importBindings(parsed.source).get(node.expression.text);
    const key = imported?.from === '@apollo/gateway' && Object.hasOwn(SUBGRAPH_LISTS, imported.name) ? SUBGRAPH_LISTS[imported.name] : undefined;
    const options = unwrap(node.arguments[0]);
    const list = key && ts.isObjectLiteralExpression(options) ? propertyValue(options, key) : undefined;
    const subgraphs = list && listElements(list, parsed.ancestors);
    for (const subgraph of subgraphs ?? []) {
      const entry = unwrap(subgraph);
      const url = ts.isObjectLiteralExpression(entry) ? propertyValue(entry, 'url') : undefined;
      if (!url) continue;
      const fact: HttpCallFact = {
        client: 'client-factory',
        url: [],
        baseUrl: valueParts(url, parsed.ancestors, parsed.source),
        via: { name: imported!.name, from: imported!.from },
        location: parsed.locate(entry),
      };
      (facts.httpCalls ??= []).push(fact);
    }
  },
};

/** The elements of an array literal, written in place or held by a local constant. */
function listElements(expression: ts.Expression, scopes: readonly ts.Node[]): readonly ts.Expression[] | undefined {
  let node = unwrap(expression);
  if (ts.isIdentifier(node)) {
    const initializer = findDeclaration(node.text, scopes)?.initializer;
    if (initializer) node = unwrap(initializer);
  }
  return ts.isArrayLiteralExpression(node) ? node.elements : undefined;
}
