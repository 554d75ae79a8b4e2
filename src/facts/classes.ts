import { ts } from '../util/typescript.cjs';
import type { ClassFact } from '../model.js';
import type { TypeScriptCollector } from './typescript-walk.js';
import { hasModifier } from './values.js';

/**
 * Exported top-level classes and their shape: decorators, base class, instance properties and methods.
 * Plain facts; the shared-domain-library rule decides which of them are domain entities.
 */
export const classCollector: TypeScriptCollector = {
  kinds: [ts.SyntaxKind.ClassDeclaration],
  visit(node, parsed, facts) {
    if (!ts.isClassDeclaration(node) || !node.name || !parsed.source.statements.includes(node)) return;
    if (!isExported(node, parsed.source)) return;
    const heritage = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    const fact: ClassFact = {
      name: node.name.text,
      location: parsed.locate(node.name),
      decorators: decoratorNames(node),
      extends: heritage ? rightmostName(heritage.expression) : undefined,
      properties: [],
      methods: [],
      ...(hasModifier(node, ts.SyntaxKind.AbstractKeyword) ? { abstract: true as const } : {}),
      ...(node.typeParameters?.length ? { generic: true as const } : {}),
    };
    for (const member of node.members) {
      if (isStatic(member)) continue;
      if (ts.isPropertyDeclaration(member) && member.name && !ts.isComputedPropertyName(member.name)) {
        const name = member.name.getText(parsed.source);
        fact.properties.push(name);
        if (hasModifier(member, ts.SyntaxKind.ReadonlyKeyword) && member.initializer && isConstant(member.initializer)) (fact.constantProperties ??= []).push(name);
      } else if (ts.isMethodDeclaration(member) && !ts.isComputedPropertyName(member.name)) fact.methods.push(member.name.getText(parsed.source));
      else if (ts.isConstructorDeclaration(member)) {
        for (const parameter of member.parameters) {
          if (ts.isIdentifier(parameter.name) && ts.getModifiers(parameter)?.length) fact.properties.push(parameter.name.text);
        }
      }
    }
    (facts.classes ??= []).push(fact);
  },
};

function isExported(node: ts.ClassDeclaration, source: ts.SourceFile): boolean {
  if (hasModifier(node, ts.SyntaxKind.ExportKeyword)) return true;
  const name = node.name!.text;
  return source.statements.some(
    (s) =>
      (ts.isExportDeclaration(s) && !s.moduleSpecifier && !!s.exportClause && ts.isNamedExports(s.exportClause) && s.exportClause.elements.some((e) => (e.propertyName ?? e.name).text === name)) ||
      (ts.isExportAssignment(s) && ts.isIdentifier(s.expression) && s.expression.text === name),
  );
}

/** A value fixed where it is written: a literal, `'xero' as const`, or an enum member (`Provider.Xero`, not `process.env.X`). */
function isConstant(expression: ts.Expression): boolean {
  if (ts.isAsExpression(expression) || ts.isSatisfiesExpression(expression) || ts.isParenthesizedExpression(expression)) return isConstant(expression.expression);
  if (ts.isPropertyAccessExpression(expression)) return ts.isIdentifier(expression.expression);
  return ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression) || ts.isNumericLiteral(expression);
}

function isStatic(member: ts.ClassElement): boolean {
  return hasModifier(member, ts.SyntaxKind.StaticKeyword);
}

function decoratorNames(node: ts.ClassDeclaration): string[] {
  return (ts.getDecorators(node) ?? []).map((d) => rightmostName(ts.isCallExpression(d.expression) ? d.expression.expression : d.expression)).filter((n): n is string => !!n);
}

/** `Entity`, `typeorm.Entity` and `Base<T>` all name their last identifier. */
function rightmostName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  if (ts.isCallExpression(expression)) return rightmostName(expression.expression);
  return undefined;
}
