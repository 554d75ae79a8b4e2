import type { BakeTarget, SourceLocation } from '../model.js';
import { HclSyntaxError, parseHcl, possibleStrings, type HclBlock, type HclValue } from '../util/hcl.js';
import { parseJsonWithLocations, isRecord } from '../util/json.js';
import { joinPosix } from '../util/paths.js';
import { LineIndex } from '../util/text.js';
import type { FileExtractor } from './index.js';
import { namesImage } from './workflows.js';

/** The files `docker buildx bake` reads by default, in the folder it runs in. */
export const DEFAULT_BAKE_FILE = /(^|\/)docker-bake(\.override)?\.(hcl|json)$/;
const HCL_FILE = /\.hcl$/i;
/** An HCL file with a `target` block: other HCL (Terraform, Packer, Nomad) is not a Bake file and is not read. */
const HAS_TARGET = /^\s*target\s+"/m;
/** `${PWD}` (also `$PWD`): where bake runs, which relative paths start from anyway. */
const PWD = /^\$(\{PWD\}|PWD\b)\/?/;
/** Named contexts that are no folder: an image, another target, a URL, a Git repository. */
const NOT_A_FOLDER = /^([a-z][\w+.-]*:\/\/|target:|git@)|\.git(#.*)?$/i;

/**
 * Docker Buildx Bake files (HCL, or the JSON form) with their targets: per target, the images it tags and the
 * folders it builds from (context, Dockerfile, named `contexts`), `inherits` followed within the file. A variable's
 * literal `default` fills `${NAME}`; a tag written as a call of one of the file's functions (`image_tag("api", SHA)`)
 * gives the strings the function's result may be, its parameters filled. Paths stay relative to where bake runs,
 * which only the command running it knows (discovery reads that from the workflows).
 */
export const bakeExtractor: FileExtractor = {
  name: 'bake',
  matches: (file) => DEFAULT_BAKE_FILE.test(file) || HCL_FILE.test(file),
  extract(input, facts) {
    const { file, text } = input;
    let definition: BakeDefinition;
    if (file.endsWith('.json')) {
      const doc = parseJsonWithLocations(file, text);
      if (doc.errors.length > 0) {
        facts.diagnostics.push({ file, code: 'invalid-json', message: `malformed Bake file: ${doc.errors[0]}` });
        return;
      }
      definition = jsonDefinition(doc.value, (name) => doc.locate(['target', name]));
    } else {
      if (!HAS_TARGET.test(text)) return;
      const lines = new LineIndex(text);
      try {
        definition = hclDefinition(parseHcl(text), (offset) => ({ file, ...lines.position(offset) }));
      } catch (error) {
        if (!(error instanceof HclSyntaxError)) throw error;
        facts.diagnostics.push({ file, ...lines.position(error.offset), code: 'invalid-hcl', message: `cannot read the Bake file: ${error.message}` });
        return;
      }
    }
    const targets = bakeTargets(definition);
    if (targets.length > 0) facts.bakeTargets = targets;
  },
};

/** A Bake file's blocks by name: its targets (attributes as written), variables' defaults and functions. */
interface BakeDefinition {
  targets: Map<string, { attributes: Map<string, HclValue>; location: SourceLocation }>;
  variables: Map<string, string>;
  functions: Map<string, { params: string[]; result: HclValue }>;
}

function hclDefinition(body: HclBlock, locate: (offset: number) => SourceLocation): BakeDefinition {
  const definition: BakeDefinition = { targets: new Map(), variables: new Map(), functions: new Map() };
  for (const block of body.blocks) {
    const [name] = block.labels;
    if (name === undefined) continue;
    if (block.type === 'target' && !definition.targets.has(name)) definition.targets.set(name, { attributes: block.attributes, location: locate(block.offset) });
    const fallback = block.attributes.get('default');
    if (block.type === 'variable' && fallback?.kind === 'string') definition.variables.set(name, fallback.text);
    const params = block.attributes.get('params');
    const result = block.attributes.get('result');
    if (block.type === 'function' && params?.kind === 'tuple' && result) {
      definition.functions.set(name, { params: params.items.flatMap((p) => (p.kind === 'reference' ? [p.name] : [])), result });
    }
  }
  return definition;
}

function jsonDefinition(value: unknown, locate: (target: string) => SourceLocation): BakeDefinition {
  const definition: BakeDefinition = { targets: new Map(), variables: new Map(), functions: new Map() };
  if (!isRecord(value)) return definition;
  for (const [name, target] of Object.entries(isRecord(value.target) ? value.target : {})) {
    if (isRecord(target)) definition.targets.set(name, { attributes: new Map(Object.entries(target).map(([key, v]) => [key, jsonValue(v)])), location: locate(name) });
  }
  for (const [name, variable] of Object.entries(isRecord(value.variable) ? value.variable : {})) {
    if (isRecord(variable) && typeof variable.default === 'string') definition.variables.set(name, variable.default);
  }
  return definition;
}

function jsonValue(value: unknown): HclValue {
  if (typeof value === 'string') return { kind: 'string', text: value };
  if (Array.isArray(value)) return { kind: 'tuple', items: value.map(jsonValue) };
  if (isRecord(value)) return { kind: 'object', entries: Object.entries(value).map(([key, v]) => [key, jsonValue(v)]) };
  return { kind: 'expression', parts: [], operators: [] };
}

/** The attributes a target has once what it inherits from the file's other targets is under its own. */
function inheritedAttributes(definition: BakeDefinition, name: string, seen = new Set<string>()): Map<string, HclValue> {
  const target = definition.targets.get(name);
  if (!target || seen.has(name)) return new Map();
  seen.add(name);
  const inherits = target.attributes.get('inherits');
  const parents = inherits?.kind === 'tuple' ? inherits.items.flatMap((item) => (item.kind === 'string' ? [item.text] : [])) : [];
  const attributes = new Map<string, HclValue>();
  for (const parent of parents) for (const [key, value] of inheritedAttributes(definition, parent, seen)) attributes.set(key, value);
  for (const [key, value] of target.attributes) attributes.set(key, key === 'contexts' ? mergedObjects(attributes.get(key), value) : value);
  return attributes;
}

function mergedObjects(parent: HclValue | undefined, child: HclValue): HclValue {
  if (parent?.kind !== 'object' || child.kind !== 'object') return child;
  return { kind: 'object', entries: [...parent.entries.filter(([key]) => !child.entries.some(([own]) => own === key)), ...child.entries] };
}

function bakeTargets(definition: BakeDefinition): BakeTarget[] {
  const resolve = (text: string) => filled(text, definition.variables);
  /** A path from where bake runs: `${PWD}` is that folder, whatever default the file gives it. */
  const path = (text: string) => {
    const resolved = resolve(text.replace(PWD, './'));
    return resolved.includes('$') ? undefined : resolved;
  };
  const targets: BakeTarget[] = [];
  for (const [name, { location }] of definition.targets) {
    const attributes = inheritedAttributes(definition, name);
    const text = (key: string) => {
      const value = attributes.get(key);
      return value?.kind === 'string' ? value.text : undefined;
    };
    const context = path(text('context') ?? '.');
    if (context === undefined) continue;
    const written = text('dockerfile');
    // A Dockerfile path is relative to the context, unless it starts from where bake runs (`${PWD}/docker/api.Dockerfile`).
    const dockerfile = written === undefined ? undefined : PWD.test(written) ? path(written) : path(joinPosix(context, written) || '.');
    const contexts = attributes.get('contexts');
    const named = contexts?.kind === 'object' ? contexts.entries.flatMap(([, value]) => (value.kind === 'string' && !NOT_A_FOLDER.test(value.text) ? [path(value.text)] : [])) : [];
    const stage = text('target');
    targets.push({
      name,
      images: [...new Set(imagesOf(attributes.get('tags'), definition).map(resolve))],
      context: joinPosix(context),
      ...(dockerfile !== undefined ? { dockerfile: joinPosix(dockerfile) } : {}),
      contexts: named.filter((dir): dir is string => dir !== undefined).map((dir) => joinPosix(dir)),
      ...(stage ? { target: stage } : {}),
      location,
    });
  }
  return targets;
}

/** The image names a `tags` list gives: its strings, and the strings the file's functions it calls return. */
function imagesOf(tags: HclValue | undefined, definition: BakeDefinition): string[] {
  if (tags?.kind !== 'tuple') return [];
  return tags.items.flatMap((tag) => {
    if (tag.kind === 'string') return [tag.text];
    if (tag.kind !== 'call') return [];
    const fn = definition.functions.get(tag.name);
    if (!fn) return [];
    const args = new Map(
      fn.params.map((param, index) => {
        const arg = tag.args[index];
        return [param, arg?.kind === 'string' ? arg.text : undefined];
      }),
    );
    return possibleStrings(fn.result).map((text) => filled(text, args));
  }).filter(namesImage);
}

/** `${name}` replaced by its value where one is known (a variable's default, a function's argument), kept as written otherwise. */
function filled(text: string, values: ReadonlyMap<string, string | undefined>): string {
  return text.replace(/\$\{(\w+)\}/g, (whole, name: string) => values.get(name) ?? whole);
}
