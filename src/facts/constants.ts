import { ts } from '../util/typescript.cjs';
import type { ConstantFact } from '../model.js';
import type { TypeScriptCollector } from './typescript-walk.js';
import { hasModifier, unwrap, valueParts } from './values.js';

/**
 * Exported string constants, so the graph can resolve URLs and topics that other files import:
 * `export const ORDERS_URL = …`, members of exported object literals (`Topics.OrderCreated`, two levels deep)
 * and of exported enums (`Topics.OrderCreated`).
 */
export const constantCollector: TypeScriptCollector = {
  kinds: [ts.SyntaxKind.SourceFile],
  visit(node, parsed, facts) {
    if (!ts.isSourceFile(node)) return;
    const constants: ConstantFact[] = [];
    const add = (name: string, expression: ts.Expression, depth: number): void => {
      const value = unwrap(expression);
      if (ts.isObjectLiteralExpression(value)) {
        if (depth >= 2) return;
        for (const property of value.properties) {
          if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) {
            add(`${name}.${property.name.text}`, property.initializer, depth + 1);
          }
        }
        return;
      }
      const parts = valueParts(value, [node], node);
      if (parts.some((p) => p.kind !== 'unknown')) constants.push({ name, value: parts, location: parsed.locate(expression) });
    };
    for (const statement of node.statements) {
      const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
      if (!exported) continue;
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name) && declaration.initializer) add(declaration.name.text, declaration.initializer, 0);
        }
      } else if (ts.isEnumDeclaration(statement)) {
        for (const member of statement.members) {
          if (member.initializer && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name))) add(`${statement.name.text}.${member.name.text}`, member.initializer, 1);
        }
      }
    }
    if (constants.length > 0) facts.constants = constants;
  },
};
