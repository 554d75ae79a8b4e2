import { ts } from '../util/typescript.cjs';
import type { PlatformDeployable } from '../model.js';
import type { ParsedFile, TypeScriptCollector } from './typescript-walk.js';
import { dottedName, importBindings, unwrap } from './values.js';

/** Modules whose constructs deploy functions: AWS CDK (v1 and v2) and CDK for Terraform, and SST (v2 and v1). */
const CDK_MODULE = /^(aws-cdk-lib|@aws-cdk\/|cdktf$|@cdktf\/)/;
const SST_MODULE = /^(sst(\/|$)|@serverless-stack\/)/;
/** SST v3 configures its app with a global `sst`, importing nothing. */
const SST_CONFIG = /(^|\/)sst\.config\.[cm]?[jt]s$/;
/** Properties that hold a function's code location: `entry` (NodejsFunction, GoFunction), and wrappers' `codePath`, `handlerDir`, `entryFile`, … */
const CODE_LOCATION_KEY = /^entry$|(code|entry|handler)(Path|Dir|Directory|File)$/i;
/** Properties whose string names an SST handler (`packages/functions/src/api.handler`): a module and its export. */
const HANDLER_KEY = new Set(['handler', 'function', 'job', 'consumer']);
/** A handler as SST writes it: a path with at least one folder, then `.export`. */
const HANDLER = /^(?:\.\/)?((?:[\w@.-]+\/)+[\w.-]+)\.[A-Za-z_$][\w$]*$/;
/** `lambda.Code.fromAsset('dir')`, `DockerImageCode.fromImageAsset('dir')`. */
const ASSET_CALL = new Set(['fromAsset', 'fromImageAsset']);

type Framework = 'cdk' | 'sst' | undefined;
const frameworks = new WeakMap<ts.SourceFile, Framework>();

/**
 * Function entries of infrastructure code, as platform deployables: AWS CDK and CDKTF constructs whose props
 * point at code (`entry`, `Code.fromAsset(dir)`, a wrapper's `codePath`) and SST handlers (`handler:`,
 * `routes: { 'GET /': 'src/api.handler' }`). Paths written from `__dirname` are relative to the file; others
 * to the app's root, where the CDK and SST command-line tools run. Only files that use those libraries.
 */
export const functionEntryCollector: TypeScriptCollector = {
  kinds: [ts.SyntaxKind.PropertyAssignment, ts.SyntaxKind.CallExpression],
  visit(node, parsed, facts) {
    const framework = frameworkOf(parsed);
    if (!framework) return;
    const entry = ts.isPropertyAssignment(node) ? propertyEntry(node, parsed, framework) : ts.isCallExpression(node) ? assetEntry(node) : undefined;
    if (!entry) return;
    const construct = enclosingConstruct(parsed);
    const deployable: PlatformDeployable = {
      platform: framework,
      name: entry.route ?? construct?.id ?? entry.path.slice(entry.path.lastIndexOf('/') + 1),
      ...(construct ? { type: construct.type } : {}),
      folder: '',
      entry: entry.path,
      ...(entry.fromFile ? {} : { fromAppRoot: true }),
      location: parsed.locate(node),
    };
    (facts.platformDeployables ??= []).push(deployable);
  },
};

interface CodePath {
  path: string;
  /** Written from `__dirname`: relative to the file's folder, not to the app's root. */
  fromFile: boolean;
  /** The SST route it serves (`GET /products`). */
  route?: string;
}

/** Which infrastructure library the file uses, if any (SST builds on CDK: its handler strings are what set it apart). */
function frameworkOf(parsed: ParsedFile): Framework {
  if (frameworks.has(parsed.source)) return frameworks.get(parsed.source);
  const modules = [...importBindings(parsed.source).values()].map((binding) => binding.from);
  const framework = SST_CONFIG.test(parsed.file) || modules.some((m) => SST_MODULE.test(m)) ? 'sst' : modules.some((m) => CDK_MODULE.test(m)) ? 'cdk' : undefined;
  frameworks.set(parsed.source, framework);
  return framework;
}

function propertyEntry(property: ts.PropertyAssignment, parsed: ParsedFile, framework: Framework): CodePath | undefined {
  const key = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : undefined;
  if (key === undefined) return undefined;
  if (CODE_LOCATION_KEY.test(key)) return codePath(property.initializer);
  // A CDK `handler: 'index.handler'` names an export inside the code's folder, not a path.
  if (framework !== 'sst') return undefined;
  const value = unwrap(property.initializer);
  if (!ts.isStringLiteral(value) && !ts.isNoSubstitutionTemplateLiteral(value)) return undefined;
  const route = inRoutes(parsed);
  if (!HANDLER_KEY.has(key) && !route) return undefined;
  const module = HANDLER.exec(value.text)?.[1];
  return module ? { path: module, fromFile: false, ...(route ? { route: key } : {}) } : undefined;
}

/** Whether the property being visited is a route of an SST `routes: { … }` object. */
function inRoutes(parsed: ParsedFile): boolean {
  const owner = parsed.ancestors[parsed.ancestors.length - 2];
  return owner !== undefined && ts.isPropertyAssignment(owner) && ts.isIdentifier(owner.name) && owner.name.text === 'routes';
}

function assetEntry(call: ts.CallExpression): CodePath | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ASSET_CALL.has(callee.name.text) || !/Code$/.test(dottedName(callee.expression) ?? '')) return undefined;
  return call.arguments.length > 0 ? codePath(call.arguments[0]) : undefined;
}

/** A path written as a literal, from `__dirname` (`${__dirname}/../dist`, `path.join(__dirname, 'x')`, `__dirname + '/x'`), or joined from literals. */
function codePath(expression: ts.Expression): CodePath | undefined {
  const value = unwrap(expression);
  if (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) return relativePath(value.text, false);
  if (isDirname(value)) return { path: '.', fromFile: true };
  if (ts.isTemplateExpression(value) && value.head.text === '' && value.templateSpans.length === 1 && isDirname(value.templateSpans[0].expression)) {
    return relativePath(`.${value.templateSpans[0].literal.text}`, true);
  }
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.PlusToken && isDirname(value.left) && ts.isStringLiteral(value.right)) {
    return relativePath(`.${value.right.text}`, true);
  }
  if (ts.isCallExpression(value) && /^(path\.)?(join|resolve)$/.test(dottedName(value.expression) ?? '') && value.arguments.length > 0) {
    const [first, ...rest] = value.arguments;
    const fromFile = isDirname(first);
    const parts = (fromFile ? rest : value.arguments).map((argument) => (ts.isStringLiteral(argument) ? argument.text : undefined));
    if (parts.some((part) => part === undefined)) return undefined;
    return relativePath(parts.join('/'), fromFile);
  }
  return undefined;
}

/** A relative path into the repository; absolute paths, URLs and empty strings are none. */
function relativePath(path: string, fromFile: boolean): CodePath | undefined {
  if (path === '' || path.startsWith('/') || /^[a-z]+:/i.test(path) || /\s/.test(path)) return undefined;
  return { path: path.replace(/^\.\//, '') || '.', fromFile };
}

function isDirname(expression: ts.Expression): boolean {
  return ts.isIdentifier(expression) && expression.text === '__dirname';
}

/** The nearest `new X(scope, 'id', { … })` around the node: its id and class name. */
function enclosingConstruct(parsed: ParsedFile): { id?: string; type: string } | undefined {
  for (let i = parsed.ancestors.length - 1; i >= 0; i--) {
    const node = parsed.ancestors[i];
    if (!ts.isNewExpression(node)) continue;
    const className = dottedName(node.expression);
    const id = node.arguments?.find((argument) => ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument));
    return { ...(id ? { id: (id as ts.StringLiteral).text } : {}), type: className ? className.slice(className.lastIndexOf('.') + 1) : 'construct' };
  }
  return undefined;
}
