import type { Document, Node } from 'yaml';
import { yamlPackage } from '../util/yaml.js';
import type { FileFacts, OpenApiFacts, OpenApiRef, SourceLocation } from '../model.js';
import { isRecord } from '../util/json.js';
import { dirOf, joinPosix } from '../util/paths.js';
import { LineIndex } from '../util/text.js';
import type { ExtractInput, FileExtractor } from './index.js';

/** A top-level `openapi:`/`swagger:` key, in YAML or JSON. */
const SPEC_MARKER = /^(?:openapi|swagger)\s*:|^\s*\{?\s*"(?:openapi|swagger)"\s*:/m;
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
/** Files named as an API document: one without the marker is reported, not silently skipped. */
const NAMED_AS_SPEC = /(^|\/)(openapi|swagger)\.(ya?ml|json)$/i;
/** JSON and YAML files that are never API documents. */
const NOT_API = /(^|\/)(package(-lock)?\.json|tsconfig[\w.-]*\.json|pnpm-lock\.yaml|composer\.json|\.eslintrc\.json|nx\.json|project\.json|turbo\.json|lerna\.json)$/;

/**
 * OpenAPI 3.x and Swagger 2.0 documents (YAML or JSON, found by content whatever their name), and other
 * YAML/JSON files that hold `$ref`s (schema fragments a spec splits into). Records operations, schemas,
 * servers and cross-file `$ref`s with line numbers. Nothing is fetched or read: a `$ref` to a URL or outside the
 * repository is a diagnostic; refs to repository files are resolved by the graph from those files' own facts.
 */
export const openApiExtractor: FileExtractor = {
  name: 'openapi',
  matches: (file) => /\.(ya?ml|json)$/i.test(file) && !NOT_API.test(file),
  extract(input, facts) {
    const isSpec = isApiDocumentText(input.text);
    if (!isSpec && NAMED_AS_SPEC.test(input.file)) {
      facts.diagnostics.push({ file: input.file, code: 'not-openapi', message: 'named like an API document but has no top-level openapi or swagger field; not read as one' });
    }
    if (!isSpec) {
      const pathItem = isPathItemText(input.file, input.text);
      if (pathItem || input.text.includes('$ref')) facts.openapi = scanFragment(input, facts, pathItem);
      return;
    }
    const [document] = input.yamlDocuments();
    if (!document) return;
    if (document.errors.length > 0) {
      facts.diagnostics.push({ file: input.file, code: 'invalid-openapi', message: `cannot parse the API document: ${document.errors[0].message.split('\n')[0]}` });
      return;
    }
    facts.openapi = describeDocument(input, document, facts);
  },
};

/** True for the text of an OpenAPI or Swagger document (a top-level `openapi`/`swagger` key). */
export function isApiDocumentText(text: string): boolean {
  return SPEC_MARKER.test(text);
}

type Json = Record<string, unknown>;

/** A parsed API document or fragment: its plain value, and the location of the key at any path (the nearest existing one for a path it lacks). */
export interface ApiDocument {
  file: string;
  value: unknown;
  locate(path: (string | number)[]): SourceLocation;
}

/** How many aliases a document may expand: a few are normal, a billion laughs is not. */
const MAX_ALIAS_COUNT = 100;

function apiDocument(file: string, text: string, document: Document): ApiDocument | { error: string } {
  const lines = new LineIndex(text);
  const locate = (path: (string | number)[]): SourceLocation => {
    const range = keyRange(document.contents as Node | null, path);
    const start = lines.position(range?.[0] ?? 0);
    const end = lines.position(range?.[1] ?? 0);
    return { file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  };
  try {
    return { file, value: document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), locate };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * An API document or `$ref`ed fragment read for the contract comparison (a base version from git, or a fragment
 * the bulk pass only scans), parsed as the extractor parses documents: the first YAML document, aliases limited.
 */
export function parseApiDocument(file: string, text: string): ApiDocument | { error: string } {
  const [document] = yamlPackage().parseAllDocuments(text, { uniqueKeys: false }) as Document[];
  if (!document) return { error: 'empty document' };
  if (document.errors.length > 0) return { error: `cannot parse the API document: ${document.errors[0].message.split('\n')[0]}` };
  return apiDocument(file, text, document);
}

function describeDocument(input: ExtractInput, document: Document, facts: FileFacts): OpenApiFacts {
  const parsed = apiDocument(input.file, input.text, document);
  if ('error' in parsed) facts.diagnostics.push({ file: input.file, code: 'invalid-openapi', message: parsed.error });
  const value = 'error' in parsed ? undefined : parsed.value;
  const locate = 'error' in parsed ? () => ({ file: input.file, line: 1, column: 1 }) : parsed.locate;
  const root = isRecord(value) ? value : {};
  const version = typeof root.openapi === 'string' || typeof root.openapi === 'number' ? String(root.openapi) : typeof root.swagger === 'string' || typeof root.swagger === 'number' ? String(root.swagger) : undefined;
  const api: OpenApiFacts = { kind: version !== undefined ? 'spec' : 'fragment', servers: [], operations: [], schemas: [], refs: [] };
  if (api.kind === 'spec') {
    api.version = version;
    const info = root.info;
    if (isRecord(info) && typeof info.title === 'string') api.title = info.title;
    api.servers = servers(root, locate);
    for (const [path, item] of Object.entries(isRecord(root.paths) ? root.paths : {})) {
      if (!isRecord(item)) continue;
      const itemFile = typeof item.$ref === 'string' ? refTarget(item.$ref, input.file) : undefined;
      if (itemFile?.file !== undefined && itemFile.pointer === '') (api.pathRefs ??= []).push({ path, file: itemFile.file });
      for (const [method, operation] of Object.entries(item)) {
        if (!METHODS.has(method)) continue;
        const operationId = isRecord(operation) && typeof operation.operationId === 'string' ? operation.operationId : undefined;
        api.operations.push({ method: method.toUpperCase(), path, ...(operationId ? { operationId } : {}), location: locate(['paths', path, method]) });
      }
    }
    const components = isRecord(root.components) ? root.components : {};
    const [schemaPath, schemas] = isRecord(components.schemas) ? [['components', 'schemas'], components.schemas] : [['definitions'], isRecord(root.definitions) ? root.definitions : {}];
    for (const name of Object.keys(schemas)) {
      api.schemas.push({ name, pointer: `#/${[...schemaPath, name].join('/')}`, location: locate([...schemaPath, name]) });
    }
  }
  collectRefs(value, [], locate, api.refs, facts);
  return api;
}

/** A top-level HTTP method key of a YAML path item (`get:` at the start of a line). */
const PATH_ITEM_METHOD = /^(get|put|post|delete|options|head|patch|trace):[ \t]*(?:#.*)?$/m;
const PATH_ITEM_METHODS = new RegExp(PATH_ITEM_METHOD.source, 'gm');

/**
 * A YAML file holding one path item of a split spec (`paths: { /orders: { $ref: ./paths/orders.yaml } }`): HTTP
 * methods as top-level keys, and the `responses` every operation has. Read by lines, as fragments are.
 */
function isPathItemText(file: string, text: string): boolean {
  return /\.ya?ml$/i.test(file) && PATH_ITEM_METHOD.test(text) && /^\s+responses:/m.test(text);
}

/** `$ref: value` in YAML (block or flow) or `"$ref": "value"` in JSON. */
const REF_ENTRY = /["']?\$ref["']?\s*:\s*(?:"([^"]*)"|'([^']*)'|([^\s,}\]#][^\s,}\]]*|#[^\s,}\]]*))/g;

/**
 * A schema fragment (a YAML/JSON file with `$ref`s but no `openapi`/`swagger` key) is only scanned for its
 * refs: such files come by the hundred in split specs, and a full parse of each costs seconds for nothing.
 */
function scanFragment(input: ExtractInput, facts: FileFacts, pathItem: boolean): OpenApiFacts {
  const lines = new LineIndex(input.text);
  const api: OpenApiFacts = { kind: 'fragment', servers: [], operations: [], schemas: [], refs: [] };
  if (pathItem) {
    for (const match of input.text.matchAll(PATH_ITEM_METHODS)) {
      const { line, column } = lines.position(match.index);
      (api.pathItemMethods ??= []).push({ method: match[1].toUpperCase(), location: { file: input.file, line, column } });
    }
  }
  const isJson = /\.json$/i.test(input.file);
  for (const match of input.text.matchAll(REF_ENTRY)) {
    const matchEnd = match.index + match[0].length;
    const plain = match[3] === undefined || isJson ? undefined : plainScalar(input.text, match.index, matchEnd - match[3].length, matchEnd);
    recordRef(plain?.value ?? match[1] ?? match[2] ?? match[3], () => {
      const start = lines.position(match.index);
      const end = lines.position(plain?.end ?? matchEnd);
      return { file: input.file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
    }, api.refs, facts);
  }
  return api;
}

/**
 * An unquoted `$ref` value in YAML. In a flow mapping (`{ $ref: x }`) it ends at `,`, `}` or `]`, as REF_ENTRY
 * matched it; in a block mapping it is the rest of the line (`{id}` in a path is part of it) without a
 * comment; a block scalar indicator (`>-`, `|`) puts it on the lines below.
 */
function plainScalar(text: string, keyAt: number, valueAt: number, matchEnd: number): { value: string; end: number } {
  const beforeKey = text.slice(text.lastIndexOf('\n', keyAt) + 1, keyAt);
  if (/[{[]/.test(beforeKey)) return { value: text.slice(valueAt, matchEnd), end: matchEnd };
  const newline = text.indexOf('\n', valueAt);
  const rest = text.slice(valueAt, newline < 0 ? text.length : newline).replace(/\s+#.*$/, '').trimEnd();
  return BLOCK_SCALAR.test(rest) ? blockScalar(text, indentOf(beforeKey), valueAt + rest.length, rest) : { value: rest, end: valueAt + rest.length };
}

const indentOf = (line: string) => line.length - line.trimStart().length;

/** `>-`, `|`, `>2+`…: a YAML block scalar, its value on the lines below (`$ref: >-` and a long path, as Redocly writes them). */
const BLOCK_SCALAR = /^[|>](?:[1-9][+-]?|[+-][1-9]?)?$/;

/** The value of the block scalar whose indicator ends at `from`: the lines below, indented deeper than the line of its key. */
function blockScalar(text: string, keyIndent: number, from: number, indicator: string): { value: string; end: number } {
  const content: string[] = [];
  let end = from;
  let lineEnd = text.indexOf('\n', from);
  while (lineEnd >= 0 && lineEnd < text.length) {
    const start = lineEnd + 1;
    const found = text.indexOf('\n', start);
    lineEnd = found < 0 ? text.length : found;
    const line = text.slice(start, lineEnd).trimEnd();
    if (line === '') continue;
    if (indentOf(line) <= keyIndent) break;
    content.push(line.trim());
    end = start + line.length;
  }
  return { value: content.join(indicator.startsWith('>') ? ' ' : '\n'), end };
}

function servers(root: Json, locate: (path: (string | number)[]) => SourceLocation): OpenApiFacts['servers'] {
  if (Array.isArray(root.servers)) {
    return root.servers.flatMap((server, i) => (isRecord(server) && typeof server.url === 'string' ? [{ url: server.url, location: locate(['servers', i, 'url']) }] : []));
  }
  if (typeof root.host === 'string' || typeof root.basePath === 'string') {
    const scheme = Array.isArray(root.schemes) && typeof root.schemes[0] === 'string' ? root.schemes[0] : 'http';
    const url = `${typeof root.host === 'string' ? `${scheme}://${root.host}` : ''}${typeof root.basePath === 'string' ? root.basePath : ''}`;
    return [{ url, location: locate([typeof root.host === 'string' ? 'host' : 'basePath']) }];
  }
  return [];
}

/** Every `$ref` into another file; remote refs and refs leaving the repository become diagnostics. */
function collectRefs(value: unknown, path: (string | number)[], locate: (path: (string | number)[]) => SourceLocation, refs: OpenApiRef[], facts: FileFacts): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => collectRefs(item, [...path, i], locate, refs, facts));
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string') {
      recordRef(child, () => locate([...path, key]), refs, facts);
    } else {
      collectRefs(child, [...path, key], locate, refs, facts);
    }
  }
}

/** Records a `$ref` into another file; a refused one (remote, outside the root) also becomes a diagnostic. */
function recordRef(value: string, locate: () => SourceLocation, refs: OpenApiRef[], facts: FileFacts): void {
  const ref = refTarget(value, facts.file);
  if (!ref) return;
  const location = locate();
  if (ref.refused) facts.diagnostics.push({ file: facts.file, line: location.line, column: location.column, ...ref.refused });
  refs.push({ ref: value, ...(ref.file !== undefined ? { file: ref.file } : {}), pointer: ref.pointer, location });
}

interface RefTarget {
  file?: string;
  pointer: string;
  refused?: { code: string; message: string };
}

/** Where a `$ref` points: undefined for a local `#/…` ref; refused for URLs and paths outside the repository. */
export function refTarget(ref: string, file: string): RefTarget | undefined {
  if (ref.startsWith('#')) return undefined;
  const hash = ref.indexOf('#');
  const target = hash < 0 ? ref : ref.slice(0, hash);
  const pointer = hash < 0 ? '' : ref.slice(hash);
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) {
    return { pointer, refused: { code: 'openapi-remote-ref', message: `$ref "${ref}" points to a URL; arch-lint never fetches remote references` } };
  }
  let decoded = target;
  try {
    decoded = decodeURI(target);
  } catch {
    // keep the ref as written
  }
  const resolved = joinPosix(dirOf(file), decoded);
  if (decoded.startsWith('/') || resolved === '..' || resolved.startsWith('../')) {
    return { pointer, refused: { code: 'openapi-ref-outside-root', message: `$ref "${ref}" points outside the repository; not read` } };
  }
  return { file: resolved, pointer };
}

/** The source range of the key at `path` (or of the node itself for array items and the root). */
function keyRange(root: Node | null, path: (string | number)[]): [number, number] | undefined {
  let node: Node | null | undefined = root;
  let range: [number, number] | undefined = root?.range ? [root.range[0], root.range[1]] : undefined;
  for (const key of path) {
    if (yamlPackage().isMap(node)) {
      const pair = node.items.find((item) => yamlPackage().isScalar(item.key) && String(item.key.value) === String(key));
      if (!pair) break;
      const keyNode = pair.key as Node;
      if (keyNode.range) range = [keyNode.range[0], keyNode.range[1]];
      node = pair.value as Node | null;
    } else if (yamlPackage().isSeq(node) && typeof key === 'number') {
      node = node.items[key] as Node | null;
      if (node?.range) range = [node.range[0], node.range[1]];
    } else {
      break;
    }
  }
  return range;
}
