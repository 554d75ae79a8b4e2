/*
 * The changes to a TypeScript contract package between a base version and the working tree, decided
 * with the type checker (ts-morph). Pure: it sees only the files it is given, held in an in-memory file
 * system, and ts-morph (with the compiler it bundles) is loaded on the first call, never by the bulk pass.
 *
 * Both versions live in one project, under /base/… and /head/…, so that one checker can relate a base type
 * to a head type; the files the diff leaves as they were, with all they import, are loaded once, under
 * /unchanged/…, for both. A synthetic module imports every export present in both versions and instantiates
 * generic ones with the same marker arguments, so that `Page<T>` at the base and `Page<U>` at head compare.
 *
 * Roles. Whether a change breaks a consumer depends on which way the data flows:
 * - output (the consumer reads it: return types, exported values): breaking when a head value may not be
 *   a base value — a property removed or made optional, a type changed, a union member added;
 * - input (the consumer writes it: parameters): breaking when a base value may not be a head value — a
 *   property removed or now required (or new and required), a type changed, a union member removed;
 * - both, for types whose use the package does not show: breaking in either case, except that a union
 *   gaining a member counts as an expansion.
 * A type takes its role from the package's own functions (parameter types are inputs, return types
 * outputs, the other way round inside a callback), then from the exported types that contain it, then
 * from its name (`…Request`, `…Input`, `…Params`, `…Args`, `…Command`, `…Options` are inputs;
 * `…Response`, `…Result`, `…Reply`, `…Output` are outputs); otherwise both.
 *
 * Member paths. A change inside a type that is itself an export is reported once, on that export
 * (`Item.price`, not `Order.items.price` as well); a type that is not exported is part of the exports
 * that use it, under their member paths (`items.price`). A function's parameters are members named after
 * the parameter (`input.note`), its return type is `return` (`return.total`); a class's public instance
 * and static members are its members, its constructor's parameters `constructor.<name>` (private and
 * protected members are no contract); an enum's members are its members; a namespace export's members
 * are `<member>.<path>` under the namespace's name. When several entries export the same name, the
 * first entry's declaration counts.
 *
 * Types from outside the given files (a dependency's) cannot be resolved: where one is involved, the
 * written type text is compared instead, and a value whose whole type comes from one (a zod schema
 * without zod's declarations) shows no change.
 *
 * Uses. Given the consumers' files (the modules of other components that import the package), a change to
 * a member that was there at the base is looked up where they read or write that member: the checker's
 * references to its base declaration, under /consumers/…, with their imports of the package resolved to the
 * base files. That finds a member read through any export (`summarize(order).lines`) and leaves out a
 * consumer that imports the type but never touches the member. A property now required has no reference
 * where it is missing: its uses are the object literals the checker types by the type holding it that do
 * not set it (addBuilders).
 */
import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';
import { preloadWithCodeCache } from '../util/compile-cache.cjs';
import { compareStrings, escapeRegExp } from '../util/text.js';
import { STANDARD_LIBRARY, STANDARD_LIBRARY_FILE } from './standard-library.js';

export interface TypeScriptContractChange {
  /** The exported name whose shape changed ('' when the change is to the entry itself). */
  exportName: string;
  /** The member path inside it (`total`, `items.price`), absent for the export as a whole. */
  member?: string;
  kind: 'removed-export' | 'removed-property' | 'property-now-required' | 'changed-type' | 'narrowed-union' | 'added-export' | 'added-optional-property' | 'widened-union';
  breaking: boolean;
  /** Repo-relative file and 1-based line in the HEAD version (the BASE version for removals, with `inBase: true`). */
  file: string;
  line: number;
  inBase?: boolean;
  description: string;
  /** With consumers given, for a change to a member that exists at the base: where the consumers read or write it. */
  uses?: MemberUse[];
}

/** A consumer's reference to a changed member. */
export interface MemberUse {
  /** Repo-relative consumer file, 1-based line and column. */
  file: string;
  line: number;
  column: number;
  write: boolean;
}

/** The modules of other components that import the package: their text, and where each of their imports of it leads. */
export interface ContractConsumerFiles {
  texts: Map<string, string>;
  /** Consumer file → import specifier → the package file (repo-relative) it resolves to. */
  imports: Map<string, Map<string, string>>;
}

/**
 * Every change to the exports reachable from `entries` between `base` and `head`, sorted by file and line.
 * Synchronous: ts-morph is CommonJS and is required on the first call.
 */
export function typeScriptContractChanges(input: {
  /** Repo-relative path → file text, for the package at the base ref and at head (only that package's files and what they import inside it). */
  base: Map<string, string>;
  head: Map<string, string>;
  /** Files of both with the same text that import only such files: loaded once for both versions. */
  unchanged?: Set<string>;
  /** Repo-relative public entry files of the package (same paths at base and head when unchanged). */
  entries: string[];
  /** The consumers' files, for the uses of changed members: read only when a change has a member to look up. */
  consumers?: () => ContractConsumerFiles;
  /**
   * Event payload types: only these declarations of the entries are compared, exported or not (a publisher's own
   * `interface OrderPlaced`), each as an output (subscribers read a payload).
   */
  payloadTypes?: string[];
}): TypeScriptContractChange[] {
  const { morph, project } = freshProject();
  const unchanged = input.unchanged ?? new Set<string>();
  const pathOf = (side: Side, file: string) => (unchanged.has(file) ? `${UNCHANGED}${file}` : `/${side}/${file}`);
  for (const side of SIDES) {
    for (const [file, text] of input[side]) {
      if (side === 'base' && unchanged.has(file)) continue; // loaded with head's
      const source = project.createSourceFile(pathOf(side, file), text);
      if (input.payloadTypes && input.entries.includes(file)) exportLocalTypes(source, input.payloadTypes);
    }
  }
  const entriesOf = (side: Side) => input.entries.filter((entry) => input[side].has(entry)).map((entry) => pathOf(side, entry));
  const exports = {
    base: exportedDeclarations(morph, project, entriesOf('base'), input.payloadTypes),
    head: exportedDeclarations(morph, project, entriesOf('head'), input.payloadTypes),
  };
  const comparison = new Comparison(morph, project, exports, input.payloadTypes ? 'output' : undefined);
  const changes = comparison.changes();
  if (input.consumers) addUses(morph, project, comparison, changes, input.consumers, (file) => (input.base.has(file) ? pathOf('base', file) : undefined));
  return changes;
}

/** The run's project, emptied of the previous comparison's files. */
function freshProject(): { morph: Morph; project: TsMorph.Project } {
  const morph = loadTsMorph();
  if (!sharedProject) {
    sharedProject = new morph.Project({ useInMemoryFileSystem: true, compilerOptions: compilerOptions(morph.ts), resolutionHost: consumerResolution(morph) });
    sharedProject.createSourceFile(STANDARD_LIBRARY_FILE, STANDARD_LIBRARY);
  }
  const project = sharedProject;
  for (const file of project.getSourceFiles()) if (file.getFilePath() !== STANDARD_LIBRARY_FILE) project.removeSourceFile(file); // the previous comparison's
  consumerImports.clear();
  resolutions.clear();
  return { morph, project };
}

/** Makes the named top-level types of a module exports (in memory, on the same lines), so that the comparison can import them. */
function exportLocalTypes(source: TsMorph.SourceFile, names: string[]): void {
  for (const name of names) {
    const declaration = source.getInterface(name) ?? source.getTypeAlias(name) ?? source.getClass(name) ?? source.getEnum(name);
    if (declaration && !declaration.isExported()) declaration.setIsExported(true);
  }
}

/** Where a publication's value is: the file, and the start and end the walk located it at. */
export interface PayloadSite {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/**
 * The type each publication sends, when the checker finds it declared at the top level of one of `declaredIn`
 * (an interface, a type alias, a class or an enum): its file and name. `texts` holds the publishing modules and
 * the modules between them and those files; `imports` says where their imports lead (the graph's resolution).
 */
export function publishedTypes(input: { texts: Map<string, string>; imports: Map<string, Map<string, string>>; sites: PayloadSite[]; declaredIn: Set<string> }): ({ file: string; name: string } | undefined)[] {
  const { morph, project } = freshProject();
  for (const [file, imports] of input.imports) consumerImports.set(`/head/${file}`, new Map([...imports].map(([specifier, target]) => [specifier, `/head/${target}`])));
  for (const [file, text] of input.texts) project.createSourceFile(`/head/${file}`, text);
  return input.sites.map((site) => {
    const source = project.getSourceFile(`/head/${site.file}`);
    if (!source) return undefined;
    const lines = source.compilerNode.getLineStarts();
    if (site.line > lines.length || (site.endLine ?? site.line) > lines.length) return undefined;
    const start = lines[site.line - 1] + site.column - 1;
    const end = site.endLine !== undefined && site.endColumn !== undefined ? lines[site.endLine - 1] + site.endColumn - 1 : undefined;
    const node = end === undefined ? source.getDescendantAtPos(start) : source.getDescendantAtStartWithWidth(start, end - start);
    if (!node) return undefined;
    const type = node.getType();
    const declaration = (type.getAliasSymbol() ?? type.getSymbol())?.getDeclarations()[0];
    const path = declaration?.getSourceFile().getFilePath();
    const file = path?.startsWith('/head/') ? path.slice('/head/'.length) : undefined;
    const { Node } = morph;
    const named = Node.isInterfaceDeclaration(declaration) || Node.isTypeAliasDeclaration(declaration) || Node.isClassDeclaration(declaration) || Node.isEnumDeclaration(declaration);
    if (!file || !input.declaredIn.has(file) || !named || !Node.isSourceFile(declaration.getParent())) return undefined;
    const name = declaration.getName();
    return name ? { file, name } : undefined;
  });
}

/** Changes whose consumers are those touching the member: it was there at the base, and a reference shows a use of it. */
const MEMBER_USE_KINDS = new Set<TypeScriptContractChange['kind']>(['removed-property', 'changed-type', 'narrowed-union', 'widened-union']);

/**
 * Loads the consumers' files beside the base package and records, per breaking member change, the references to
 * the member in them; per property now required, the object literals that build its type without it.
 */
function addUses(
  morph: Morph,
  project: TsMorph.Project,
  comparison: Comparison,
  changes: TypeScriptContractChange[],
  readConsumers: () => ContractConsumerFiles,
  /** Where the project holds a package file's base version, if it has one. */
  basePath: (file: string) => string | undefined,
): void {
  const wanted = new Map<TypeScriptContractChange, Node>();
  for (const change of changes) {
    if (!change.breaking || change.member === undefined || !MEMBER_USE_KINDS.has(change.kind)) continue;
    const declaration = comparison.baseMember(change.exportName, change.member);
    if (declaration) wanted.set(change, declaration);
  }
  const required = changes.filter((change) => change.breaking && change.member !== undefined && change.kind === 'property-now-required');
  if (wanted.size === 0 && required.length === 0) return;
  const consumers = readConsumers();
  // Each consumer module is typed on its own (its other modules are not loaded), so only those that may hold a use
  // are loaded: far fewer than the importers in a large repository.
  const texts = new Map([...mayRead(morph, [...wanted.values()], consumers.texts), ...(required.length > 0 ? mayBuild(morph, project, comparison, required, consumers.texts) : [])]);
  const consumerFiles: TsMorph.SourceFile[] = [];
  for (const [file, text] of texts) {
    const imports = new Map<string, string>();
    for (const [specifier, target] of consumers.imports.get(file) ?? []) {
      const path = basePath(target);
      if (path) imports.set(specifier, path);
    }
    consumerImports.set(`/consumers/${file}`, imports);
    consumerFiles.push(project.createSourceFile(`/consumers/${file}`, text));
  }
  addBuilders(morph, project, comparison, required, consumerFiles);
  const languageService = project.getLanguageService();
  const found = new Map<Node, MemberUse[]>();
  for (const [change, declaration] of wanted) {
    let uses = found.get(declaration);
    if (!uses) {
      uses = [];
      for (const reference of languageService.findReferencesAsNodes(nameNodeOf(declaration))) {
        const path = reference.getSourceFile().getFilePath();
        if (!path.startsWith('/consumers/')) continue;
        const { line, column } = reference.getSourceFile().getLineAndColumnAtPos(reference.getStart());
        uses.push({ file: path.slice('/consumers/'.length), line, column, write: isWrite(morph, reference) });
      }
      found.set(declaration, uses);
    }
    change.uses = uses;
  }
}

/**
 * A property now required must be there wherever a consumer builds the type holding it: the object literals the
 * checker types by it (`const o: Order = {…}`, an argument for an `Order` parameter, a returned `Order`) that do
 * not set it, nor may set it through a spread. A literal asserted `as` the type is no build. A change whose holder
 * cannot be found (a function's new parameter) keeps no uses: its consumers stay the importers. Only the literals
 * that could build the holder at the base are asked for their contextual type, the checker's costly part (couldBuild).
 */
function addBuilders(morph: Morph, project: TsMorph.Project, comparison: Comparison, changes: TypeScriptContractChange[], files: TsMorph.SourceFile[]): void {
  if (changes.length === 0) return;
  const { ts } = morph;
  // Plain compiler nodes: ts-morph's wrappers cost more than the few checker questions asked here.
  const literals: { node: TsMorph.ts.ObjectLiteralExpression; file: TsMorph.ts.SourceFile; names: Set<string>; spreads: boolean }[] = [];
  for (const file of files.map((f) => f.compilerNode)) {
    const visit = (node: TsMorph.ts.Node): void => {
      if (ts.isObjectLiteralExpression(node)) literals.push({ node, file, ...namesOf(ts, node) });
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  const checker = project.getTypeChecker().compilerObject;
  const typedBy = new Map<TsMorph.ts.Node, Set<TsMorph.ts.Node>>();
  // The declarations of the types the checker expects the literal to be, none when it is asserted `as` one.
  const expected = (literal: TsMorph.ts.ObjectLiteralExpression): Set<TsMorph.ts.Node> => {
    let declarations = typedBy.get(literal);
    if (!declarations) {
      declarations = new Set();
      const contextual = cast(literal) ? undefined : checker.getContextualType(literal);
      for (const type of contextual ? (contextual.isUnionOrIntersection() ? contextual.types : [contextual]) : []) {
        for (const declaration of type.getSymbol()?.getDeclarations() ?? []) declarations.add(declaration);
      }
      typedBy.set(literal, declarations);
    }
    return declarations;
  };
  // The literal, or one it is nested in, asserted `as` a type: the checker lets it lack properties.
  const cast = (literal: TsMorph.ts.Node): boolean => {
    let node = literal.parent;
    while (ts.isParenthesizedExpression(node) || ts.isPropertyAssignment(node) || ts.isArrayLiteralExpression(node) || ts.isObjectLiteralExpression(node)) node = node.parent;
    return ts.isAsExpression(node) || ts.isTypeAssertionExpression(node);
  };
  for (const change of changes) {
    const holder = comparison.baseHolder(change.exportName, change.member!);
    if (!holder) continue;
    const name = change.member!.split('.').at(-1)!;
    const spreadsIt = (literal: TsMorph.ts.ObjectLiteralExpression) =>
      literal.properties.some((p) => ts.isSpreadAssignment(p) && checker.getTypeAtLocation(p.expression).getProperty(name) !== undefined);
    change.uses = literals
      .filter(({ names, spreads }) => !names.has(name) && !names.has('*') && couldBuild(holder, names, spreads))
      .filter(({ node }) => [...expected(node)].some((declaration) => holder.declarations.has(declaration)) && !spreadsIt(node))
      .map(({ node, file }) => {
        const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
        return { file: file.fileName.slice('/consumers/'.length), line: line + 1, column: character + 1, write: true };
      });
  }
}

/** The node naming a declaration (`total` in `total: number`), or the declaration itself when it has none. */
function nameNodeOf(declaration: Node): Node {
  return (declaration as Partial<TsMorph.NameableNode>).getNameNode?.() ?? declaration;
}

/**
 * The consumer files that may reference these members: a reference names the member (`order.total`, `{ total }`,
 * `order['total']`). Every file when a member has no name to look for. Names are matched as text: a file too many
 * may be kept, never one too few.
 */
function mayRead(morph: Morph, members: Node[], texts: Map<string, string>): Map<string, string> {
  if (members.length === 0) return new Map();
  const names = members.map((member) => {
    const name = nameNodeOf(member);
    if (morph.Node.isIdentifier(name)) return name.getText();
    return morph.Node.isStringLiteral(name) ? name.getLiteralText() : undefined;
  });
  if (names.some((name) => !name)) return texts;
  return new Map([...texts].filter(([, text]) => names.some((name) => text.includes(name!))));
}

/**
 * The consumer files that may build a holder of these changes: an object literal has a holder's type only where
 * the text names the holder, or a declaration of the base package whose type reaches it (a function taking it, a
 * type holding it, a class member), followed until nothing new is named; a consumer's own modules are not loaded,
 * so its other files give no type. A name counts outside the file's import and re-export statements only: a
 * binding the code never uses builds nothing. Names are matched as text: a file too many may be kept, never one
 * too few.
 */
function mayBuild(morph: Morph, project: TsMorph.Project, comparison: Comparison, changes: Change[], texts: Map<string, string>): Map<string, string> {
  const { ts } = morph;
  const names = new Set<string>();
  for (const change of changes) {
    names.add(change.exportName);
    for (const declaration of comparison.baseHolder(change.exportName, change.member!)?.declarations ?? []) {
      const name = (declaration as TsMorph.ts.NamedDeclaration).name;
      if (name && ts.isIdentifier(name)) names.add(name.text);
    }
  }
  const declarations: { name: string; text: string }[] = [];
  for (const source of project.getSourceFiles().filter((f) => inVersion(f.getFilePath(), 'base'))) {
    const file = source.compilerNode;
    const add = (node: TsMorph.ts.Node) => {
      const name = (node as TsMorph.ts.NamedDeclaration).name;
      if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name))) declarations.push({ name: name.text, text: node.getText(file) });
    };
    for (const statement of file.statements) {
      if (ts.isVariableStatement(statement)) statement.declarationList.declarations.forEach(add);
      else add(statement);
      // A class's methods and properties are named on its instances (`client.configure({…})`); an interface's
      // members type literals nested in one of it, which name the interface or what takes it.
      if (ts.isClassDeclaration(statement)) statement.members.forEach(add);
    }
  }
  const mentions = (text: string) => [...names].some((name) => text.includes(name));
  for (let grew = true; grew; ) {
    grew = false;
    for (const { name, text } of declarations) {
      if (names.has(name) || !mentions(text)) continue;
      names.add(name);
      grew = true;
    }
  }
  return new Map([...texts].filter(([, text]) => mentions(text.replace(MODULE_LINKS, ''))));
}

/**
 * `import … from '…'` and `export … from '…'` statements. The clause admits only what an import clause holds
 * (names, braces, commas, `*`, `as`, `type`), so the match never runs on into code.
 */
export const MODULE_LINKS = /^[ \t]*(?:import|export)\b[\w\s{},*$]*?\bfrom\s*(['"])[^'"\n]*\1;?/gm;

/**
 * Whether a literal writing these names could be of the holder at the base, as the checker would accept it: it
 * writes one of the holder's required properties (or spreads a value that may), and no property the holder lacks.
 */
function couldBuild(holder: Holder, names: Set<string>, spreads: boolean): boolean {
  if (holder.properties && [...names].some((name) => !holder.properties!.has(name))) return false;
  return spreads || holder.required.length === 0 || holder.required.some((required) => names.has(required));
}

/** The property names an object literal writes, `*` for a computed one (which may be any, the changed one too). */
function namesOf(ts: Morph['ts'], literal: TsMorph.ts.ObjectLiteralExpression): { names: Set<string>; spreads: boolean } {
  const names = new Set<string>();
  let spreads = false;
  for (const property of literal.properties) {
    if (ts.isSpreadAssignment(property)) spreads = true;
    else if (property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) || ts.isNumericLiteral(property.name))) names.add(property.name.text);
    else names.add('*');
  }
  return { names, spreads };
}

/** A property assigned (`order.total = 1`, `{ total: 1 }` where an Order is expected) rather than read. */
function isWrite(morph: Morph, reference: Node): boolean {
  const { Node } = morph;
  const parent = reference.getParent();
  if (Node.isPropertyAssignment(parent) || Node.isShorthandPropertyAssignment(parent)) return true;
  const assignment = parent?.getParent();
  return Node.isBinaryExpression(assignment) && assignment.getLeft() === parent && assignment.getOperatorToken().getKind() === morph.SyntaxKind.EqualsToken;
}

/** Consumer module → import specifier → the in-project module it resolves to; other imports resolve as the compiler would. */
const consumerImports = new Map<string, Map<string, string>>();

/**
 * A comparison's answers of module resolution (containing file, specifier → module). Each file added to the
 * project makes a new program, which resolves every import again; the package's files never change within a
 * comparison, and the files added later (the comparison module, consumers) are never the target of a package import.
 */
const resolutions = new Map<string, TsMorph.ts.ResolvedModuleFull | undefined>();

function consumerResolution(morph: Morph): TsMorph.ResolutionHostFactory {
  return (host, options) => ({
    resolveModuleNames: (names, containingFile) =>
      names.map((name) => {
        const mapped = consumerImports.get(containingFile)?.get(name);
        if (mapped) return { resolvedFileName: mapped, extension: extensionOf(morph, mapped), isExternalLibraryImport: false };
        if (containingFile.startsWith('/consumers/')) return undefined; // the consumer's own modules and dependencies are not loaded
        if (!RELATIVE.test(name)) return undefined; // a dependency, `node:fs`: the project holds no node_modules to find it in
        const key = `${containingFile}\0${name}`;
        if (resolutions.has(key)) return resolutions.get(key);
        const resolve = (from: string) => morph.ts.resolveModuleName(name, from, options(), host).resolvedModule;
        // A version's own file importing one both versions share: found where the shared files are.
        const resolved = resolve(containingFile) ?? (/^\/(?:base|head)\//.test(containingFile) ? resolve(containingFile.replace(/^\/\w+\//, UNCHANGED)) : undefined);
        resolutions.set(key, resolved);
        return resolved;
      }),
  });
}

/** `./x`, `../x`, `/x`, `.`: a specifier naming a path, not a package. */
const RELATIVE = /^\.{0,2}(\/|$)/;

function extensionOf(morph: Morph, file: string): TsMorph.ts.Extension {
  const { Extension } = morph.ts;
  if (file.endsWith('.d.ts')) return Extension.Dts;
  if (file.endsWith('.tsx')) return Extension.Tsx;
  if (file.endsWith('.mts')) return Extension.Mts;
  if (file.endsWith('.cts')) return Extension.Cts;
  return Extension.Ts;
}

/**
 * One project for every comparison of a run: the standard library's declarations are parsed once. A
 * comparison starts by removing the files of the one before (removing is not free: a run that compares
 * one package does not pay for it).
 */
let sharedProject: TsMorph.Project | undefined;

type Morph = typeof TsMorph;
type Node = TsMorph.Node;
type Type = TsMorph.Type;
type MorphSymbol = TsMorph.Symbol;
type Signature = TsMorph.Signature;
type Side = 'base' | 'head';
type Role = 'input' | 'output' | 'both';
type Change = TypeScriptContractChange;

const SIDES: readonly Side[] = ['base', 'head'];
/** Where the files both versions share are loaded. */
const UNCHANGED = '/unchanged/';

/** Whether a file of the project belongs to that version of the package: its own, or one both share. */
function inVersion(path: string, side: Side): boolean {
  return path.startsWith(`/${side}/`) || path.startsWith(UNCHANGED);
}
const COMPARISON_FILE = '/contract-comparison.ts';
/** Deep enough for DTOs nested in DTOs; a recursive type stops at the pairs already being compared. */
const MAX_DEPTH = 8;
/** `{ [key: string]: T }` and `{ [index: number]: T }`: read like optional properties of any name. */
const INDEX_SIGNATURES: [string, (type: Type) => Type | undefined][] = [
  ['string', (type) => type.getStringIndexType()],
  ['number', (type) => type.getNumberIndexType()],
];
const INPUT_NAME = /(Request|Input|Params|Args|Command|Options)$/;
const OUTPUT_NAME = /(Response|Result|Reply|Output)$/;

let loadedMorph: Morph | undefined;

/**
 * ts-morph is CommonJS, so it loads synchronously: the compiler it bundles (a second 9 MB TypeScript,
 * @ts-morph/common's own build, not the `typescript` package the bulk pass uses), @ts-morph/common (3 MB)
 * and ts-morph itself, each through the code cache, in the order they require each other.
 */
function loadTsMorph(): Morph {
  if (!loadedMorph) {
    const require = createRequire(import.meta.url);
    const tsMorph = require.resolve('ts-morph');
    preloadWithCodeCache('@ts-morph/common/dist/typescript.js', tsMorph);
    preloadWithCodeCache('@ts-morph/common', tsMorph);
    preloadWithCodeCache('ts-morph', import.meta.url);
    loadedMorph = require('ts-morph') as Morph;
  }
  return loadedMorph;
}

function compilerOptions(ts: Morph['ts']): TsMorph.CompilerOptions {
  return {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noLib: true, // STANDARD_LIBRARY instead
    jsx: ts.JsxEmit.Preserve,
    allowJs: true,
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
}

interface ExportedDeclaration {
  /** `Order`, or `orders.Order` for a member of an exported namespace (`export * as orders from`, `export namespace`). */
  name: string;
  /** The name an importer names: `Order`, `orders`. */
  exportName: string;
  /** The names inside that export's namespaces: [], ['Order']. */
  path: string[];
  /** The absolute (in-project) entry it is exported from. */
  entry: string;
  /** None when it is re-exported from outside the given files (another package): present, but of unknown shape. */
  declarations: Node[];
  /** Its first declaration, or the module that exports it. */
  at: Node;
}

/** How deep namespaces nest in an export (`export * as a` of a file with `export * as b`…) before the rest is left out. */
const MAX_NAMESPACE_DEPTH = 3;

/** The exports of these entries (paths in the project) of one version. */
function exportedDeclarations(morph: Morph, project: TsMorph.Project, entries: string[], only?: string[]): Map<string, ExportedDeclaration> {
  const found = new Map<string, ExportedDeclaration>();
  const collect = (module: TsMorph.SourceFile | TsMorph.ModuleDeclaration, entry: string, outer: string[]) => {
    for (const [name, declarations] of module.getExportedDeclarations()) {
      if (only && outer.length === 0 && !only.includes(name)) continue;
      const [exportName, ...path] = [...outer, name];
      const exported = { name: [exportName, ...path].join('.'), exportName, path, entry, declarations, at: declarations[0] ?? module };
      if (found.has(exported.name)) continue;
      found.set(exported.name, exported);
      const namespace = declarations.find((declaration) => isNamespace(morph, declaration));
      if (namespace && outer.length < MAX_NAMESPACE_DEPTH) collect(namespace as TsMorph.SourceFile | TsMorph.ModuleDeclaration, entry, [...outer, name]);
    }
  };
  for (const entry of entries) {
    const file = project.getSourceFile(entry);
    if (file) collect(file, entry, []);
  }
  return found;
}

/**
 * What an export is, by its declarations: a class and an enum are both a type and a value, a namespace
 * neither (its members are exports of their own), anything else a value (`export default { … }`).
 */
interface ExportShape {
  typeDeclaration?: Node;
  valueDeclaration?: Node;
  typeParameterCount: number;
}

function shapeOf(morph: Morph, exported: ExportedDeclaration): ExportShape {
  const { Node } = morph;
  const shape: ExportShape = { typeParameterCount: 0 };
  for (const declaration of exported.declarations) {
    if (isNamespace(morph, declaration)) continue;
    const isType = Node.isInterfaceDeclaration(declaration) || Node.isTypeAliasDeclaration(declaration) || Node.isClassDeclaration(declaration) || Node.isEnumDeclaration(declaration);
    if (isType) {
      shape.typeDeclaration ??= declaration;
      const parameters = (declaration as Partial<TsMorph.TypeParameteredNode>).getTypeParameters?.() ?? [];
      shape.typeParameterCount = Math.max(shape.typeParameterCount, parameters.length);
    }
    if (!isType || Node.isClassDeclaration(declaration) || Node.isEnumDeclaration(declaration)) shape.valueDeclaration ??= declaration;
  }
  return shape;
}

/** The exports of one version missing from the other, but not the members of a namespace missing as a whole. */
function onlyIn(exports: Map<string, ExportedDeclaration>, other: Map<string, ExportedDeclaration>): ExportedDeclaration[] {
  return [...exports.values()].filter((exported) => {
    const names = exported.path.map((_, i) => [exported.exportName, ...exported.path.slice(0, i)].join('.'));
    return !other.has(exported.name) && names.every((name) => other.has(name));
  });
}

/** A module (`export * as orders from`) or a `namespace`, but not a JSON file: that is one value. */
function isNamespace(morph: Morph, declaration: Node): boolean {
  const { Node } = morph;
  return (Node.isSourceFile(declaration) && !declaration.getFilePath().endsWith('.json')) || Node.isModuleDeclaration(declaration);
}

/** One export's type side and value side in both versions, read through the synthetic comparison module. */
interface ExportPair {
  name: string;
  base: ExportedDeclaration;
  head: ExportedDeclaration;
  baseShape: ExportShape;
  headShape: ExportShape;
  types?: { base: Type; head: Type };
  values?: { base: Type; head: Type };
}

class Comparison {
  private readonly found: Change[] = [];
  private readonly reported = new Set<string>();
  private readonly checker: TsMorph.ts.TypeChecker;
  /** Declaration node → the name it is exported under, per side: a type reached through another export is compared there. */
  private readonly exportNames: Record<Side, Map<TsMorph.ts.Node, string>> = { base: new Map(), head: new Map() };
  private readonly roles: Map<string, Role>;
  private readonly pairs: ExportPair[];
  private location!: Node;

  constructor(
    private readonly morph: Morph,
    private readonly project: TsMorph.Project,
    private readonly exports: Record<Side, Map<string, ExportedDeclaration>>,
    /** The role of every export, when the caller knows it (event payloads are read). */
    private readonly fixedRole?: Role,
  ) {
    for (const side of SIDES) {
      for (const exported of exports[side].values()) for (const declaration of exported.declarations) this.exportNames[side].set(declaration.compilerNode, exported.name);
    }
    // Adding the comparison module makes a new program: its checker is the one every type below comes from.
    this.pairs = this.exportPairs();
    this.checker = project.getTypeChecker().compilerObject;
    this.roles = new RoleFinder(morph, this.checker, this.exportNames).roles(project);
  }

  changes(): Change[] {
    const { base, head } = this.exports;
    for (const exported of onlyIn(base, head)) {
      this.add(exported.exportName, joinPath(exported.path), 'removed-export', true, exported.at, `export \`${exported.name}\` was removed`);
    }
    for (const exported of onlyIn(head, base)) {
      this.add(exported.exportName, joinPath(exported.path), 'added-export', false, exported.at, `export \`${exported.name}\` was added`);
    }
    for (const pair of this.pairs) this.compareExport(pair);
    return this.found.sort(
      (a, b) =>
        compareStrings(a.file, b.file) ||
        a.line - b.line ||
        Number(!!a.inBase) - Number(!!b.inBase) ||
        compareStrings(a.exportName, b.exportName) ||
        compareStrings(a.member ?? '', b.member ?? '') ||
        compareStrings(a.kind, b.kind),
    );
  }

  /** The exports present in both versions with a shape to compare, their types read through one synthetic module. */
  private exportPairs(): ExportPair[] {
    const pairs: ExportPair[] = [];
    for (const baseExport of this.exports.base.values()) {
      const headExport = this.exports.head.get(baseExport.name);
      if (!headExport || baseExport.declarations.length === 0 || headExport.declarations.length === 0) continue;
      // Declared in files both versions share: the very same declarations, nothing to compare.
      if (baseExport.declarations.length === headExport.declarations.length && baseExport.declarations.every((declaration, i) => declaration.compilerNode === headExport.declarations[i].compilerNode)) continue;
      pairs.push({ name: baseExport.name, base: baseExport, head: headExport, baseShape: shapeOf(this.morph, baseExport), headShape: shapeOf(this.morph, headExport) });
    }
    const markerCount = Math.max(0, ...pairs.map((pair) => Math.max(pair.baseShape.typeParameterCount, pair.headShape.typeParameterCount)));
    const markers = Array.from({ length: markerCount }, (_, i) => `TypeArgument${i}`);
    const lines = markers.map((marker) => `interface ${marker} { readonly typeArgument${marker}: unique symbol }`);
    pairs.forEach((pair, i) => {
      for (const side of SIDES) {
        const shape = side === 'base' ? pair.baseShape : pair.headShape;
        const local = `${side}${i}`;
        const { exportName, path, entry } = pair[side];
        lines.push(`import type { ${quoteName(exportName)} as ${local} } from ${JSON.stringify(entry)};`);
        const reference = [local, ...path].join('.');
        const typeArguments = shape.typeParameterCount > 0 ? `<${markers.slice(0, shape.typeParameterCount).join(', ')}>` : '';
        if (shape.typeDeclaration) lines.push(`type ${local}Type = ${reference}${typeArguments};`);
        if (shape.valueDeclaration) lines.push(`declare const ${local}Value: typeof ${reference};`);
      }
    });
    const file = this.project.createSourceFile(COMPARISON_FILE, lines.join('\n'));
    this.location = file;
    const declared = new Map<string, Type>();
    for (const alias of file.getTypeAliases()) declared.set(alias.getName(), alias.getType());
    for (const variable of file.getVariableDeclarations()) declared.set(variable.getName(), variable.getType());
    pairs.forEach((pair, i) => {
      if (pair.baseShape.typeDeclaration && pair.headShape.typeDeclaration) pair.types = { base: declared.get(`base${i}Type`)!, head: declared.get(`head${i}Type`)! };
      if (pair.baseShape.valueDeclaration && pair.headShape.valueDeclaration) pair.values = { base: declared.get(`base${i}Value`)!, head: declared.get(`head${i}Value`)! };
    });
    return pairs;
  }

  private compareExport(pair: ExportPair): void {
    const { Node } = this.morph;
    const { exportName, path } = pair.head;
    const baseDeclaration = pair.baseShape.typeDeclaration ?? pair.baseShape.valueDeclaration ?? pair.base.at;
    const headDeclaration = pair.headShape.typeDeclaration ?? pair.headShape.valueDeclaration ?? pair.head.at;
    const wasType = !!pair.baseShape.typeDeclaration;
    const wasValue = !!pair.baseShape.valueDeclaration;
    if (wasType !== !!pair.headShape.typeDeclaration || wasValue !== !!pair.headShape.valueDeclaration) {
      const what = (shape: ExportShape) =>
        shape.typeDeclaration ? (shape.valueDeclaration ? 'a type and a value' : 'a type') : shape.valueDeclaration ? 'a value' : 'a namespace';
      this.add(exportName, joinPath(path), 'changed-type', true, headDeclaration, `\`${pair.name}\` was ${what(pair.baseShape)} and is now ${what(pair.headShape)}`);
      return;
    }
    const context: Context = { exportName, nested: false, depth: 0, visited: new Set<string>() };
    const role = this.roleOf(pair.name);
    if (Node.isEnumDeclaration(baseDeclaration) && Node.isEnumDeclaration(headDeclaration)) {
      this.compareEnums(context, path, baseDeclaration, headDeclaration);
      return;
    }
    if (Node.isClassDeclaration(baseDeclaration) && Node.isClassDeclaration(headDeclaration)) {
      if (pair.types) this.compareMembers(context, pair.types.base, pair.types.head, path, role, baseDeclaration, headDeclaration);
      if (pair.values) {
        // The static side: what a consumer calls on the class itself, and its constructor.
        this.compareMembers(context, pair.values.base, pair.values.head, path, 'output', baseDeclaration, headDeclaration);
        const [base, head] = [pair.values.base.getConstructSignatures(), pair.values.head.getConstructSignatures()];
        this.compareSignatures(context, base, head, [...path, 'constructor'], 'output', baseDeclaration, headDeclaration);
      }
      return;
    }
    if (pair.types) this.compareTypes(context, pair.types.base, pair.types.head, path, role, false, false, baseDeclaration, headDeclaration);
    if (pair.values) {
      const [baseValue, headValue] = [pair.baseShape.valueDeclaration!, pair.headShape.valueDeclaration!];
      this.compareTypes(context, pair.values.base, pair.values.head, path, 'output', false, false, baseValue, headValue);
    }
  }

  private compareEnums(context: Context, path: string[], base: TsMorph.EnumDeclaration, head: TsMorph.EnumDeclaration): void {
    const { exportName } = context;
    const headMembers = new Map(head.getMembers().map((member) => [member.getName(), member]));
    const baseNames = new Set<string>();
    for (const member of base.getMembers()) {
      const memberPath = [...path, member.getName()];
      baseNames.add(member.getName());
      const now = headMembers.get(member.getName());
      if (!now) {
        this.add(exportName, joinPath(memberPath), 'removed-property', true, member, `enum member ${describe(exportName, memberPath)} was removed`);
      } else if (member.getValue() !== now.getValue()) {
        const values = `from ${JSON.stringify(member.getValue())} to ${JSON.stringify(now.getValue())}`;
        this.add(exportName, joinPath(memberPath), 'changed-type', true, now, `enum member ${describe(exportName, memberPath)} changed value ${values}`);
      }
    }
    for (const member of head.getMembers()) {
      if (baseNames.has(member.getName())) continue;
      const memberPath = [...path, member.getName()];
      this.add(exportName, joinPath(memberPath), 'widened-union', false, member, `enum ${describe(exportName, path)} has a new member \`${member.getName()}\``);
    }
  }

  /**
   * Compares a base type with its head version at `path` (a property, parameter or the export itself);
   * `optional` says whether each side may be absent (its `undefined` is then not part of the union).
   */
  private compareTypes(context: Context, base: Type, head: Type, path: string[], role: Role, baseOptional: boolean, headOptional: boolean, baseAt: Node, headAt: Node): void {
    const nested = context.nested;
    context = { ...context, nested: true };
    if (nested && this.comparedAsExport(context, base, head, path, role, baseAt, headAt)) return;
    const [baseAwaited, headAwaited] = [promised(base), promised(head)];
    if (baseAwaited && headAwaited) return this.compareTypes(context, baseAwaited, headAwaited, path, role, false, false, baseAt, headAt);

    const baseMembers = unionMembers(base, baseOptional);
    const headMembers = unionMembers(head, headOptional);
    if (baseMembers.length === 1 && headMembers.length === 1) {
      const [baseOne, headOne] = [baseMembers[0], headMembers[0]];
      if (nested && this.comparedAsExport(context, baseOne, headOne, path, role, baseAt, headAt)) return;
      const baseElement = baseOne.getArrayElementType();
      const headElement = headOne.getArrayElementType();
      if (baseElement && headElement) return this.compareTypes(context, baseElement, headElement, path, role, false, false, baseAt, headAt);
      if (this.structuredInPackage(baseOne, 'base') && this.structuredInPackage(headOne, 'head')) {
        return this.compareMembers(context, baseOne, headOne, path, role, baseAt, headAt);
      }
      if (isFunctionLike(baseOne) && isFunctionLike(headOne)) return this.compareMembers(context, baseOne, headOne, path, role, baseAt, headAt);
    } else if (!this.hasUnresolved(base, head)) {
      // A member that is the same export on both sides stays; its own changes are reported on it.
      const [pairedBase, pairedHead] = [new Set<Type>(), new Set<Type>()];
      for (const baseMember of baseMembers) {
        const headMember = headMembers.find((member) => !pairedHead.has(member) && this.comparedAsExport(context, baseMember, member, path, role, baseAt, headAt));
        if (!headMember) continue;
        pairedBase.add(baseMember);
        pairedHead.add(headMember);
      }
      const removed = baseMembers.filter((member) => !pairedBase.has(member) && !this.assignable(member, head));
      const added = headMembers.filter((member) => !pairedHead.has(member) && !this.assignable(member, base));
      if (removed.length < baseMembers.length) {
        const where = describe(context.exportName, path);
        if (removed.length > 0) {
          this.add(context.exportName, joinPath(path), 'narrowed-union', role !== 'output', headAt, `${where} no longer includes ${this.listTypes(removed)}`);
        }
        if (added.length > 0) {
          this.add(context.exportName, joinPath(path), 'widened-union', role === 'output', headAt, `${where} now also includes ${this.listTypes(added)}`);
        }
        return;
      }
    }
    this.compareWhole(context, baseMembers, headMembers, base, head, path, role, headAt);
  }

  /** The last resort: the checker's assignability in the direction(s) the role needs, or the written text where types are unresolved. */
  private compareWhole(context: Context, baseMembers: Type[], headMembers: Type[], base: Type, head: Type, path: string[], role: Role, headAt: Node): void {
    let readable: boolean; // a consumer reading a head value as a base value still compiles
    let writable: boolean; // a consumer passing a base value where a head value is expected still compiles
    if (this.hasUnresolved(base, head)) {
      readable = writable = this.text(base) === this.text(head);
    } else {
      readable = headMembers.every((member) => this.assignable(member, base));
      writable = baseMembers.every((member) => this.assignable(member, head));
    }
    if (readable && writable) return;
    const breaking = (role !== 'input' && !readable) || (role !== 'output' && !writable);
    this.add(context.exportName, joinPath(path), 'changed-type', breaking, headAt, `${describe(context.exportName, path)} changed type from \`${this.text(base)}\` to \`${this.text(head)}\``);
  }

  /** Properties (an object, a class's public instance side) and call signatures (a function, a method). */
  private compareMembers(context: Context, base: Type, head: Type, path: string[], role: Role, baseAt: Node, headAt: Node): void {
    const pairKey = `${typeId(base)}:${typeId(head)}`;
    if (context.depth >= MAX_DEPTH || context.visited.has(pairKey)) return;
    const inner: Context = { ...context, nested: true, depth: context.depth + 1, visited: new Set([...context.visited, pairKey]) };

    const headProperties = new Map(this.publicProperties(head).map((property) => [property.getName(), property]));
    const baseNames = new Set<string>();
    for (const property of this.publicProperties(base)) {
      const name = property.getName();
      baseNames.add(name);
      const memberPath = [...path, name];
      const where = describe(context.exportName, memberPath);
      const baseDeclaration = property.getDeclarations()[0] ?? baseAt;
      const now = headProperties.get(name);
      if (!now) {
        this.add(context.exportName, joinPath(memberPath), 'removed-property', true, baseDeclaration, `${where} was removed`);
        continue;
      }
      const headDeclaration = now.getDeclarations()[0] ?? headAt;
      const [wasOptional, isOptional] = [property.isOptional(), now.isOptional()];
      if (wasOptional && !isOptional) {
        this.add(context.exportName, joinPath(memberPath), 'property-now-required', role !== 'output', headDeclaration, `${where} is now required`);
      } else if (!wasOptional && isOptional) {
        this.add(context.exportName, joinPath(memberPath), 'changed-type', role !== 'input', headDeclaration, `${where} is now optional`);
      }
      const [baseType, headType] = [property.getTypeAtLocation(this.location), now.getTypeAtLocation(this.location)];
      this.compareTypes(inner, baseType, headType, memberPath, role, wasOptional, isOptional, baseDeclaration, headDeclaration);
    }
    for (const [name, property] of headProperties) {
      if (baseNames.has(name)) continue;
      const memberPath = [...path, name];
      const declaration = property.getDeclarations()[0] ?? headAt;
      if (property.isOptional()) {
        this.add(context.exportName, joinPath(memberPath), 'added-optional-property', false, declaration, `${describe(context.exportName, memberPath)} was added (optional)`);
      } else {
        this.add(context.exportName, joinPath(memberPath), 'property-now-required', role !== 'output', declaration, `${describe(context.exportName, memberPath)} was added and is required`);
      }
    }
    for (const [key, indexType] of INDEX_SIGNATURES) {
      const [was, now] = [indexType(base), indexType(head)];
      const memberPath = [...path, `[${key}]`];
      const where = `the ${key} index of ${describe(context.exportName, path)}`;
      if (was && now) this.compareTypes(inner, was, now, memberPath, role, false, false, baseAt, headAt);
      else if (was) this.add(context.exportName, joinPath(memberPath), 'removed-property', true, baseAt, `${where} was removed`);
      else if (now) this.add(context.exportName, joinPath(memberPath), 'added-optional-property', false, headAt, `${where} was added`);
    }
    this.compareSignatures(inner, base.getCallSignatures(), head.getCallSignatures(), path, role, baseAt, headAt);
  }

  /**
   * A function's parameters by position (a consumer calling it writes them: the opposite role) and its
   * return type (the role itself). Overloads and generic signatures are compared as text.
   */
  private compareSignatures(context: Context, base: Signature[], head: Signature[], path: string[], role: Role, baseAt: Node, headAt: Node): void {
    if (base.length === 0 && head.length === 0) return;
    const simple = (signatures: Signature[]) => signatures.length === 1 && signatures[0].getTypeParameters().length === 0;
    if (!simple(base) || !simple(head)) {
      const [was, now] = [this.signaturesText(base), this.signaturesText(head)];
      if (was !== now) this.add(context.exportName, joinPath(path), 'changed-type', true, headAt, `the signature of ${describe(context.exportName, path)} changed from \`${was}\` to \`${now}\``);
      return;
    }
    context = { ...context, nested: true };
    const [baseSignature, headSignature] = [base[0], head[0]];
    const parameterRole = flip(role);
    const baseParameters = baseSignature.getParameters();
    const headParameters = headSignature.getParameters();
    for (let i = 0; i < Math.max(baseParameters.length, headParameters.length); i++) {
      const [was, now] = [baseParameters[i], headParameters[i]];
      const name = parameterName(now ?? was, i);
      const memberPath = [...path, name];
      const where = describeParameter(context.exportName, path, name);
      if (!now) {
        this.add(context.exportName, joinPath(memberPath), 'removed-property', true, was.getDeclarations()[0] ?? baseAt, `${where} was removed`);
        continue;
      }
      const headDeclaration = now.getDeclarations()[0] ?? headAt;
      const isOptional = this.isOptionalParameter(now);
      if (!was) {
        if (isOptional) this.add(context.exportName, joinPath(memberPath), 'added-optional-property', false, headDeclaration, `${where} was added (optional)`);
        else this.add(context.exportName, joinPath(memberPath), 'property-now-required', parameterRole !== 'output', headDeclaration, `${where} was added and is required`);
        continue;
      }
      const wasOptional = this.isOptionalParameter(was);
      if (wasOptional && !isOptional) this.add(context.exportName, joinPath(memberPath), 'property-now-required', parameterRole !== 'output', headDeclaration, `${where} is now required`);
      else if (!wasOptional && isOptional) this.add(context.exportName, joinPath(memberPath), 'changed-type', parameterRole !== 'input', headDeclaration, `${where} is now optional`);
      const baseDeclaration = was.getDeclarations()[0] ?? baseAt;
      this.compareTypes(context, was.getTypeAtLocation(this.location), now.getTypeAtLocation(this.location), memberPath, parameterRole, wasOptional, isOptional, baseDeclaration, headDeclaration);
    }
    const [baseReturnAt, headReturnAt] = [declarationOf(baseSignature) ?? baseAt, declarationOf(headSignature) ?? headAt];
    this.compareTypes(context, baseSignature.getReturnType(), headSignature.getReturnType(), [...path, 'return'], role, false, false, baseReturnAt, headReturnAt);
  }

  /**
   * Overloads and generic signatures as text (the type parameters of two versions never relate), with
   * type parameters named by position so that renaming `T` to `Item` is no change.
   */
  private signaturesText(signatures: Signature[]): string {
    const { ts } = this.morph;
    return signatures
      .map((signature) =>
        signature
          .getTypeParameters()
          .reduce(
            (text, parameter, i) => text.replace(new RegExp(`(?<![\\w$])${escapeRegExp(parameter.getText())}(?![\\w$])`, 'g'), () => `$${i}`),
            withoutModulePaths(this.checker.signatureToString(signature.compilerSignature, undefined, ts.TypeFormatFlags.NoTruncation)),
          ),
      )
      .join('; ');
  }

  private isOptionalParameter(parameter: MorphSymbol): boolean {
    const { Node } = this.morph;
    const declaration = parameter.getDeclarations()[0];
    return !!declaration && Node.isParameterDeclaration(declaration) && declaration.isOptional();
  }

  /** A class's private, protected and `#private` members are not part of its contract. */
  private publicProperties(type: Type): MorphSymbol[] {
    const { Node, ts } = this.morph;
    return type.getProperties().filter((property) => {
      if (property.getName() === 'prototype' && type.getConstructSignatures().length > 0) return false; // the instance side, compared as the class's type
      const declaration = property.getDeclarations()[0];
      if (!declaration) return true;
      if (Node.isPrivateIdentifier((declaration as Partial<TsMorph.PropertyNamedNode>).getNameNode?.())) return false;
      if (Node.isModifierable(declaration) && (declaration.hasModifier(ts.SyntaxKind.PrivateKeyword) || declaration.hasModifier(ts.SyntaxKind.ProtectedKeyword))) return false;
      return true;
    });
  }

  /**
   * A type declared as the same export at base and head is compared as that export, not again here;
   * only its type arguments (`Page<Item>` → `Page<Product>`) are this place's own.
   */
  private comparedAsExport(context: Context, base: Type, head: Type, path: string[], role: Role, baseAt: Node, headAt: Node): boolean {
    const name = (side: Side, type: Type) => {
      const declaration = (type.compilerType.aliasSymbol ?? type.compilerType.getSymbol())?.declarations?.[0];
      return declaration ? this.exportNames[side].get(declaration) : undefined;
    };
    const baseName = name('base', base);
    if (baseName === undefined || baseName !== name('head', head)) return false;
    const [baseArguments, headArguments] = [typeArguments(base), typeArguments(head)];
    if (baseArguments.length === headArguments.length) {
      baseArguments.forEach((argument, i) => this.compareTypes(context, argument, headArguments[i], path, role, false, false, baseAt, headAt));
    }
    return true;
  }

  /** An object type whose shape the package declares (an interface, a type literal, `Pick<>` of one), not the standard library's `Date`. */
  private structuredInPackage(type: Type, side: Side): boolean {
    if (!(type.isObject() || type.isIntersection()) || type.getArrayElementType() || isFunctionLike(type)) return false;
    const inPackage = (declaration: Node | undefined) => !!declaration && inVersion(declaration.getSourceFile().getFilePath(), side);
    return inPackage(type.getSymbol()?.getDeclarations()[0]) || type.getProperties().some((property) => inPackage(property.getDeclarations()[0]));
  }

  private assignable(source: Type, target: Type): boolean {
    return this.checker.isTypeAssignableTo(source.compilerType, target.compilerType);
  }

  /** An import the given files do not resolve makes the checker see `any`: assignable to anything, so not evidence. */
  private hasUnresolved(...types: Type[]): boolean {
    const seen = new Set<Type>();
    const visit = (type: Type, depth: number): boolean => {
      if (seen.has(type) || depth > MAX_DEPTH) return false;
      seen.add(type);
      if ((type.compilerType as { intrinsicName?: string }).intrinsicName === 'error') return true;
      const parts = [...type.getUnionTypes(), ...type.getIntersectionTypes(), ...type.getTypeArguments(), ...type.getAliasTypeArguments()];
      return parts.some((part) => visit(part, depth + 1));
    };
    return types.some((type) => visit(type, 0));
  }

  private text(type: Type): string {
    const { ts } = this.morph;
    const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType;
    return withoutModulePaths(type.getText(undefined, flags));
  }

  private listTypes(types: Type[]): string {
    return types.map((type) => `\`${this.text(type)}\``).join(', ');
  }

  /** The base declaration of a member path (`items.price`) of an export, through its properties; undefined for parameters, returns and index signatures. */
  baseMember(exportName: string, member: string): Node | undefined {
    return this.baseWalk(exportName, member)?.declaration;
  }

  /** The base type that holds a member path's last property (`Order` for `total`, the item type for `items.price`): its declarations and required properties. */
  baseHolder(exportName: string, member: string): Holder | undefined {
    const holder = this.baseWalk(exportName, member)?.holder;
    const declarations = holder?.getSymbol()?.getDeclarations() ?? [];
    if (!holder || declarations.length === 0) return undefined;
    const properties = holder.getProperties();
    return {
      declarations: new Set(declarations.map((declaration) => declaration.compilerNode)),
      properties: holder.getStringIndexType() ? undefined : new Set(properties.map((property) => property.getName())),
      required: properties.filter((property) => !property.isOptional()).map((property) => property.getName()),
    };
  }

  /** Walks a member path through the base type of an export, property by property: the last property's declaration and the type holding it. */
  private baseWalk(exportName: string, member: string): { declaration: Node; holder: Type } | undefined {
    for (const pair of this.pairs) {
      const prefix = pair.base.path;
      const segments = member.split('.');
      if (pair.base.exportName !== exportName || prefix.some((name, i) => segments[i] !== name)) continue;
      for (let type of [pair.types?.base, pair.values?.base]) {
        let found: { declaration: Node; holder: Type } | undefined;
        for (const segment of segments.slice(prefix.length)) {
          if (!type) break;
          const unwrapped: Type = promised(type.getNonNullableType()) ?? type.getNonNullableType();
          const holder = unwrapped.getArrayElementType() ?? unwrapped;
          const property = holder.getProperty(segment);
          const declaration = property?.getDeclarations()[0];
          type = property?.getTypeAtLocation(this.location);
          found = declaration && { declaration, holder };
          if (!found) break;
        }
        if (found && segments.length > prefix.length) return found;
      }
    }
    return undefined;
  }

  private roleOf(exportName: string): Role {
    return this.fixedRole ?? this.roles.get(exportName) ?? 'both';
  }

  private add(exportName: string, member: string | undefined, kind: Change['kind'], breaking: boolean, at: Node, description: string): void {
    const file = at.getSourceFile().getFilePath();
    const inBase = file.startsWith('/base/');
    const change: Change = {
      exportName,
      ...(member ? { member } : {}),
      kind,
      breaking,
      file: file.replace(/^\/(?:base|head|unchanged)\//, ''),
      line: at.getStartLineNumber(),
      ...(inBase ? { inBase } : {}),
      description,
    };
    const key = JSON.stringify(change);
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.found.push(change);
  }
}

/** A type whose property is now required, as literals building it at the base must look. */
interface Holder {
  declarations: Set<TsMorph.ts.Node>;
  /** Every property it has; undefined when it takes any (a string index signature). */
  properties?: Set<string>;
  required: string[];
}

interface Context {
  exportName: string;
  /** Below the export itself: a type that is another export is left to that export's comparison. */
  nested: boolean;
  depth: number;
  visited: Set<string>;
}

/**
 * Roles from the package's own code: a type named in a function's parameters is an input, in its return
 * type an output (inside a callback parameter the other way round); a type named in a property of a type
 * with a role takes that role. Evidence from base and head counts alike.
 */
class RoleFinder {
  private readonly found = new Map<string, Set<'input' | 'output'>>();
  private readonly ts: Morph['ts'];

  /** On the compiler's own nodes: wrapping every node of the package in ts-morph's would cost more than the rest of the comparison. */
  constructor(
    morph: Morph,
    private readonly checker: TsMorph.ts.TypeChecker,
    private readonly exportNames: Record<Side, Map<TsMorph.ts.Node, string>>,
  ) {
    this.ts = morph.ts;
  }

  roles(project: TsMorph.Project): Map<string, Role> {
    const { ts } = this;
    // Functions, methods and interface methods a consumer calls; a function type inside another type takes
    // its role from that type (below), and a function's body says nothing of its signature.
    const visit = (node: TsMorph.ts.Node): void => {
      if (ts.isBlock(node)) return;
      if (ts.isFunctionLike(node) && !ts.isFunctionTypeNode(node) && !ts.isConstructorTypeNode(node) && !ts.isIndexSignatureDeclaration(node)) {
        for (const parameter of node.parameters) this.collect(parameter.type, 'input');
        this.collect(node.type, 'output');
        return;
      }
      ts.forEachChild(node, visit);
    };
    for (const file of project.getSourceFiles()) visit(file.compilerNode);

    const typeDeclarations: { name: string; node: TsMorph.ts.Node }[] = [];
    for (const side of SIDES) {
      for (const [node, name] of this.exportNames[side]) {
        if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isClassDeclaration(node)) typeDeclarations.push({ name, node });
      }
    }
    // Containment spreads a role one level per round; exports nest only so deep.
    for (let round = 0; round < MAX_DEPTH; round++) {
      const before = this.size();
      for (const { name, node } of typeDeclarations) {
        for (const role of this.found.get(name) ?? []) ts.forEachChild(node, (child) => this.collectBody(child, role));
      }
      if (this.size() === before) break;
    }
    const roles = new Map<string, Role>();
    for (const side of SIDES) {
      for (const name of this.exportNames[side].values()) roles.set(name, this.roleByEvidenceOrName(name));
    }
    return roles;
  }

  private roleByEvidenceOrName(name: string): Role {
    const evidence = this.found.get(name);
    if (evidence?.size === 1) return [...evidence][0];
    if (evidence?.size === 2) return 'both';
    if (INPUT_NAME.test(name)) return 'input';
    if (OUTPUT_NAME.test(name)) return 'output';
    return 'both';
  }

  /** The type parts of a declaration's body (not its name or type parameters). */
  private collectBody(node: TsMorph.ts.Node, role: 'input' | 'output'): void {
    const { ts } = this;
    if (ts.isPropertySignature(node) || ts.isPropertyDeclaration(node)) this.collect(node.type, role);
    else if (ts.isTypeNode(node)) this.collect(node, role);
  }

  private collect(typeNode: TsMorph.ts.Node | undefined, role: 'input' | 'output'): void {
    const { ts } = this;
    if (!typeNode) return;
    if (ts.isFunctionTypeNode(typeNode) || ts.isMethodSignature(typeNode)) {
      for (const parameter of typeNode.parameters) this.collect(parameter.type, role === 'input' ? 'output' : 'input');
      this.collect(typeNode.type, role);
      return;
    }
    if (ts.isTypeReferenceNode(typeNode)) {
      const symbol = this.checker.getSymbolAtLocation(typeNode.typeName);
      const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
      for (const declaration of target?.declarations ?? []) {
        const name = this.exportNames.base.get(declaration) ?? this.exportNames.head.get(declaration);
        if (name) this.record(name, role);
      }
    }
    ts.forEachChild(typeNode, (child) => this.collect(child, role));
  }

  private record(name: string, role: 'input' | 'output'): void {
    const roles = this.found.get(name) ?? new Set();
    roles.add(role);
    this.found.set(name, roles);
  }

  private size(): number {
    let size = 0;
    for (const roles of this.found.values()) size += roles.size;
    return size;
  }
}

/** A type's union members, without the `undefined` an optional property or parameter adds. */
function unionMembers(type: Type, optional: boolean): Type[] {
  const members = type.isUnion() && !type.isBoolean() ? type.getUnionTypes() : [type];
  return optional ? members.filter((member) => !member.isUndefined()) : members;
}

/** What a `Promise` resolves to: an async function's contract is its resolved value. */
function promised(type: Type): Type | undefined {
  return type.getSymbol()?.getName() === 'Promise' && type.getTypeArguments().length === 1 ? type.getTypeArguments()[0] : undefined;
}

/** A class without a constructor has a construct signature with no declaration (where ts-morph's getDeclaration() throws). */
function declarationOf(signature: Signature): Node | undefined {
  return signature.compilerSignature.getDeclaration() ? signature.getDeclaration() : undefined;
}

function typeArguments(type: Type): Type[] {
  return type.getAliasSymbol() ? type.getAliasTypeArguments() : type.getTypeArguments();
}

function isFunctionLike(type: Type): boolean {
  return type.getCallSignatures().length > 0;
}

function typeId(type: Type): number {
  return (type.compilerType as unknown as { id: number }).id;
}

function flip(role: Role): Role {
  return role === 'input' ? 'output' : role === 'output' ? 'input' : 'both';
}

function joinPath(path: string[]): string | undefined {
  return path.length > 0 ? path.join('.') : undefined;
}

function describe(exportName: string, path: string[]): string {
  return `\`${[exportName, ...path].join('.')}\``;
}

/** A destructured parameter (`{ id, note }: Input`) has no name: the checker calls it `__0`; here it is `[0]`. */
function parameterName(parameter: MorphSymbol, position: number): string {
  return /^__\d+$/.test(parameter.getName()) ? `[${position}]` : parameter.getName();
}

function describeParameter(exportName: string, path: string[], parameter: string): string {
  const owner = path.length > 0 ? `${exportName}.${path.join('.')}` : exportName;
  return `parameter \`${parameter}\` of \`${owner}\``;
}

/** The checker names a type from another module `import("/base/src/orders").Order`: the reader knows it as `Order`. */
function withoutModulePaths(text: string): string {
  return text.replace(/import\("\/(?:base|head|unchanged)\/[^"]*"\)\./g, '');
}

function quoteName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}
