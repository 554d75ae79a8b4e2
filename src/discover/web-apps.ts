import type { FileFacts, PackageManifest, TableAccess } from '../model.js';
import { isContainerFile } from './classify.js';
import { folderLocator } from './component-locator.js';
import { isCodeFile } from '../util/source-files.js';

/** A folder that builds a user interface: what framework, how that shows, and whether it runs server code of its own. */
export interface WebApp {
  /** The framework and where that shows, as `arch-lint services` says it: `a Vite app (script "dev" runs "vite", index.html)`. */
  what: string;
  /** Whether the framework renders on a server (Next.js, Nuxt, Remix, SvelteKit, Astro) whose code may reach a database. */
  serverRendered: boolean;
  /** Files served as they are, with no package.json: the image of its container file (nginx, httpd) is all it deploys. */
  staticSite?: true;
}

/** What a component's own code does on a server, each with the first file that shows it. */
export interface ServerCode {
  /** Starts an HTTP server: `NestFactory`, `createServer` of node:http(s). */
  starts?: string;
  /** Registers HTTP routes with a server framework it imports (express, fastify, koa, hono, NestJS), other than catch-alls. */
  routes?: string;
  /** Connects to a database or reads or writes its tables. */
  database?: string;
  /** Next.js API routes and route handlers, Nuxt server routes, SvelteKit endpoints, React server actions. */
  handlers?: string;
}

const SERVER_RENDERED: [RegExp, string][] = [
  [/^next\.config\.[cm]?[jt]s$/, 'a Next.js app'],
  [/^nuxt\.config\.[cm]?[jt]s$/, 'a Nuxt app'],
  [/^remix\.config\.[cm]?js$/, 'a Remix app'],
  [/^svelte\.config\.[cm]?js$/, 'a SvelteKit app'],
  [/^astro\.config\.[cm]?[jt]s$/, 'an Astro site'],
];
const SERVER_RENDERED_SCRIPT: [RegExp, string][] = [
  [/\bnext (dev|build|start)\b/, 'a Next.js app'],
  [/\bnuxt (dev|build)\b/, 'a Nuxt app'],
  [/\b(remix|react-router) (dev|build|vite:)/, 'a Remix (React Router) app'],
];
/** Tools that build a browser app into static files: the app is its index.html and what it loads. */
const BUNDLER_SCRIPT: [RegExp, string][] = [
  [/\b(react-scripts|react-app-rewired|craco) (start|build)\b/, 'a Create React App SPA'],
  [/\bng (serve|build)\b/, 'an Angular app'],
  [/\bvue-cli-service (serve|build)\b/, 'a Vue CLI app'],
  [/(^|[\s;&|(])vite($|\s+(dev|serve|build|preview)\b|\s+--)/, 'a Vite app'],
  [/\b(webpack-dev-server|webpack serve)\b/, 'a webpack app'],
  [/(^|[\s;&|(])parcel\s+(serve\s+|build\s+)?\S*\.html\b/, 'a Parcel app'],
];
/**
 * A static file server serving the package's build output (`http-server -p 4701 dist`, `serve -s build`) from a script
 * that starts the package: it deploys the files its bundler built, a browser script or site.
 */
const STATIC_SERVER = /(?:^|[;&|(]\s*|\b(?:npx|dlx|exec)\s+)(http-server|serve|sirv|live-server)\s(?:[^;&|]*\s)?(?:\.\/)?(dist|build|out|www)\/?(?=$|[\s;&|)])/;
const START_SCRIPT = /^start($|:)/;
/** Tools that need no index.html: the app is the framework's own entry. */
const APP_SCRIPT: [RegExp, string][] = [
  [/\bexpo start\b/, 'an Expo app'],
  [/\breact-native (start|run-android|run-ios)\b/, 'a React Native app'],
];
const MOBILE_DEPENDENCY: [string, string][] = [
  ['expo', 'an Expo app'],
  ['react-native', 'a React Native app'],
];
/** Server code by file path, relative to the component: where frameworks put what answers HTTP requests. */
const HANDLER_PATH = [
  /^(src\/)?pages\/api\//, // Next.js API routes
  /^(src\/)?app\/(.+\/)?route\.[cm]?[jt]sx?$/, // Next.js route handlers
  /^server\/(api|routes)\//, // Nuxt server routes
  /^src\/routes\/(.+\/)?\+server\.[jt]s$/, // SvelteKit endpoints
];
/** A quick look at a whole path for HANDLER_PATH, before finding the component it is relative to. */
const HANDLER_HINT = /(^|\/)(pages\/api\/|app\/(.+\/)?route\.|server\/(api|routes)\/|routes\/(.+\/)?\+server\.)/;
const HTTP_MODULE = /^(node:)?(http|https|http2)$/;
/** Modules of the server frameworks routes are registered with: a file that imports none calls `api.post(path, body)` on a client. */
const SERVER_FRAMEWORK = /^(express|fastify|koa|koa-router|@koa\/router|hono(\/.*)?|@hono\/.+|@nestjs\/common)$/;

/** A folder of files served as they are: an index.html and the container file of the web server that serves them, no package.json. */
export function isStaticSite(fileNames: Set<string>): boolean {
  return fileNames.has('index.html') && !fileNames.has('package.json') && [...fileNames].some(isContainerFile);
}

/** Whether a component's own files and manifest say it builds a user interface, and with what. */
export function webAppOf(ownFiles: Set<string>, manifest: PackageManifest | undefined, hasIndexHtml: boolean): WebApp | undefined {
  const config = [...ownFiles].sort().flatMap((name) => SERVER_RENDERED.filter(([pattern]) => pattern.test(name)).map(([, what]) => `${what} (${name})`))[0];
  if (config) return { what: config, serverRendered: true };
  const scripts = Object.entries(manifest?.scripts ?? {});
  const byScript = (patterns: [RegExp, string][]) => {
    for (const [pattern, what] of patterns) {
      for (const [name, command] of scripts) {
        const match = pattern.exec(command);
        if (match) return `${what} (script "${name}" runs "${match[0].replace(/^[\s;&|(]+/, '').trim()}")`;
      }
    }
    return undefined;
  };
  const rendered = byScript(SERVER_RENDERED_SCRIPT);
  if (rendered) return { what: rendered, serverRendered: true };
  const bundled = hasIndexHtml ? byScript(BUNDLER_SCRIPT) : undefined;
  if (bundled) return { what: bundled.replace(/\)$/, ', index.html)'), serverRendered: false };
  const mobile = byScript(APP_SCRIPT) ?? MOBILE_DEPENDENCY.flatMap(([name, what]) => (manifest?.dependencies.some((d) => d.name === name && d.field === 'dependencies') ? [`${what} (depends on ${name})`] : []))[0];
  if (mobile) return { what: mobile, serverRendered: false };
  if (ownFiles.has('angular.json') && hasIndexHtml) return { what: 'an Angular app (angular.json, index.html)', serverRendered: false };
  for (const [name, command] of scripts.filter(([name]) => START_SCRIPT.test(name))) {
    const served = STATIC_SERVER.exec(command);
    if (served) return { what: `a static site (script "${name}" serves its build output "${served[2]}" with ${served[1]})`, serverRendered: false };
  }
  if (isStaticSite(ownFiles)) return { what: 'a static site (index.html served by its container image, no package.json)', serverRendered: false, staticSite: true };
  return undefined;
}

/**
 * What each component's own files (outside tests) do on a server, from their facts and paths. Files belong
 * to the nearest component folder above them.
 */
export function serverCodeByComponent(componentDirs: Iterable<string>, facts: FileFacts[], isTest: (file: string) => boolean): Map<string, ServerCode> {
  const ownerOf = folderLocator(new Map([...componentDirs].map((dir) => [dir, dir])));
  // `Order.find(…)` and `client.order.create(…)` are taken for a model's only when some file defines a model of that name
  // (`mongoose.model('Order', …)`, a Prisma `model Order`): an editor's `Selection.create(…)` is no database access.
  const models = new Set(facts.flatMap((f) => (f.tables ?? []).flatMap((table) => (table.model ? [table.model.toLowerCase()] : []))));
  const modelGuess = (access: TableAccess) => (access.orm === 'mongoose' || access.orm === 'prisma') && access.model !== undefined && !models.has(access.model.toLowerCase());
  const found = new Map<string, ServerCode>();
  for (const fileFacts of facts) {
    const { file } = fileFacts;
    const start = fileFacts.imports.find((i) => (i.specifier === '@nestjs/core' && i.names?.includes('NestFactory')) || (HTTP_MODULE.test(i.specifier) && i.names?.includes('createServer')));
    const access = fileFacts.connections?.[0]?.client ?? fileFacts.tables?.[0]?.orm ?? fileFacts.tableAccess?.find((a) => !modelGuess(a))?.detail;
    const handlerPath = isCodeFile(file) && HANDLER_HINT.test(file);
    // A catch-all (`app.get('*')`) hands over the app's own files and client-side routes: a static host, no API.
    const route = fileFacts.routes && fileFacts.imports.some((i) => SERVER_FRAMEWORK.test(i.specifier)) ? fileFacts.routes.find((r) => !r.path.endsWith('*')) : undefined;
    if (!start && !route && !access && !handlerPath && !fileFacts.serverDirective) continue;
    const dir = ownerOf(file);
    if (dir === undefined || isTest(file)) continue;
    const code = found.get(dir) ?? {};
    if (start) code.starts ??= `${start.names!.includes('NestFactory') ? 'NestFactory' : 'createServer'} in ${file}`;
    if (route) code.routes ??= `${route.framework} route ${route.method} ${route.path} in ${file}`;
    if (access) code.database ??= `${access} in ${file}`;
    const relative = dir === '' ? file : file.slice(dir.length + 1);
    if (handlerPath && HANDLER_PATH.some((pattern) => pattern.test(relative))) code.handlers ??= file;
    else if (fileFacts.serverDirective) code.handlers ??= `'use server' in ${file}`;
    if (Object.keys(code).length > 0) found.set(dir, code);
  }
  return found;
}
