import { ts } from '../util/typescript.cjs';
import type { CodePlatform, FileFacts, PlatformDeployable } from '../model.js';
import type { ParsedFile, TypeScriptCollector } from './typescript-walk.js';
import { dottedName, importBindings, unwrap } from './values.js';

/** Modules whose constructs deploy functions: AWS CDK (v1 and v2) and CDK for Terraform, SST (v2 and v1), and Pulumi's providers. */
const CDK_MODULE = /^(aws-cdk-lib|@aws-cdk\/|cdktf$|@cdktf\/)/;
const SST_MODULE = /^(sst(\/|$)|@serverless-stack\/)/;
const PULUMI_MODULE = /^@pulumi\//;
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
/** Pulumi's assets, `new pulumi.asset.FileArchive('../app/dist')`: what a resource uploads. An AssetArchive holds such assets. */
const PULUMI_ASSET = /(^|\.)(FileArchive|FileAsset|AssetArchive)$/;
/** Properties of a Pulumi resource whose value is the code it runs (a Cloudflare WorkerScript's `content`). */
const PULUMI_CODE_KEY = new Set(['content', 'code']);
/** A string that may name an image: no spaces, no path beginning with a dot or a slash. */
const IMAGE_NAME = /^[a-z0-9][\w.:@/${}-]*$/i;

type Framework = CodePlatform | undefined;
const frameworks = new WeakMap<ts.SourceFile, Framework>();

/**
 * Function entries of infrastructure code, as platform deployables: AWS CDK and CDKTF constructs whose props
 * point at code (`entry`, `Code.fromAsset(dir)`, a wrapper's `codePath`), SST handlers (`handler:`,
 * `routes: { 'GET /': 'src/api.handler' }`), and the code of Pulumi resources (an asset's path, a file read as
 * a resource's `content`). Paths written from `__dirname` are relative to the file; others to the app's root,
 * where the CDK, SST and Pulumi command-line tools run. Only files that use those libraries.
 * In a Pulumi program, also the strings that may name an image (`image:` values, call arguments).
 */
export const functionEntryCollector: TypeScriptCollector = {
  kinds: [ts.SyntaxKind.PropertyAssignment, ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression],
  visit(node, parsed, facts) {
    const framework = frameworkOf(parsed);
    if (!framework) return;
    if (framework === 'pulumi') collectImageNames(node, facts);
    const entry = framework === 'pulumi' ? pulumiEntry(node, parsed) : ts.isPropertyAssignment(node) ? propertyEntry(node, parsed, framework) : ts.isCallExpression(node) ? assetEntry(node) : undefined;
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
  const uses = (module: RegExp) => modules.some((m) => module.test(m));
  const framework = SST_CONFIG.test(parsed.file) || uses(SST_MODULE) ? 'sst' : uses(CDK_MODULE) ? 'cdk' : uses(PULUMI_MODULE) ? 'pulumi' : undefined;
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

/** A Pulumi resource's code: the path of an asset (`new FileArchive('./dist')`), or of a file read as its `content` or `code`. */
function pulumiEntry(node: ts.Node, parsed: ParsedFile): CodePath | undefined {
  if (ts.isNewExpression(node)) {
    return PULUMI_ASSET.test(dottedName(node.expression) ?? '') && node.arguments?.length ? codePath(node.arguments[0]) : undefined;
  }
  if (!ts.isPropertyAssignment(node) || !ts.isIdentifier(node.name) || !PULUMI_CODE_KEY.has(node.name.text) || !enclosingConstruct(parsed)) return undefined;
  const value = unwrap(node.initializer);
  return ts.isCallExpression(value) && /^(fs\.)?readFileSync$/.test(dottedName(value.expression) ?? '') && value.arguments.length > 0 ? codePath(value.arguments[0]) : undefined;
}

/** The strings a Pulumi program may name an image by: `image:` values and the arguments of calls (`getImageId('billing', tag)`). */
function collectImageNames(node: ts.Node, facts: FileFacts): void {
  const values = ts.isPropertyAssignment(node) ? (ts.isIdentifier(node.name) && node.name.text === 'image' ? [node.initializer] : []) : ts.isCallExpression(node) ? node.arguments : [];
  for (const value of values.map(unwrap)) {
    if ((ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) && IMAGE_NAME.test(value.text) && !facts.imageNames?.includes(value.text)) {
      (facts.imageNames ??= []).push(value.text);
    }
  }
}

/** A path written as a literal, from `__dirname` (`${__dirname}/../dist`, `path.join(__dirname, 'x')`, `__dirname + '/x'`), or joined from literals. */
function codePath(expression: ts.Expression): CodePath | undefined {
  const value = unwrap(expression);
  // `process.env.ARTIFACT || resolve(__dirname, '../dist')`: the path written in the code.
  if (ts.isBinaryExpression(value) && (value.operatorToken.kind === ts.SyntaxKind.BarBarToken || value.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    return codePath(value.right) ?? codePath(value.left);
  }
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

/** The nearest `new X(scope, 'id', { … })` around the node (past Pulumi's assets): its id and class name. */
function enclosingConstruct(parsed: ParsedFile): { id?: string; type: string } | undefined {
  for (let i = parsed.ancestors.length - 1; i >= 0; i--) {
    const node = parsed.ancestors[i];
    if (!ts.isNewExpression(node)) continue;
    const className = dottedName(node.expression);
    if (PULUMI_ASSET.test(className ?? '')) continue;
    const id = node.arguments?.find((argument) => ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument));
    return { ...(id ? { id: (id as ts.StringLiteral).text } : {}), type: className ? className.slice(className.lastIndexOf('.') + 1) : 'construct' };
  }
  return undefined;
}
