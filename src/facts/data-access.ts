import { ts } from '../util/typescript.cjs';
import type { DatabaseConnection, DatabaseEngine, FileFacts, TableAccess, TableDefinition, TableOrm, ValuePart } from '../model.js';
import { engineOf } from '../util/databases.js';
import { sqlTableReferences } from './sql.js';
import type { ParsedFile, TypeScriptCollector } from './typescript-walk.js';
import { findDeclaration, valueParts } from './values.js';

/**
 * Data facts from TypeScript code, gathered during the one shared walk: database clients and their
 * configuration (with an environment variable kept as `${X}`), schema definitions (TypeORM entities, Mongoose
 * models, Sequelize models, Drizzle tables) and table reads and writes (SQL in literals, Prisma
 * client calls, repositories and models).
 */

/** A client library export that opens a connection. */
interface ClientSpec {
  module: RegExp;
  names: string[];
  client: string;
  engine?: DatabaseEngine;
}

const CLIENTS: ClientSpec[] = [
  { module: /^pg$/, names: ['Pool', 'Client'], client: 'pg', engine: 'postgres' },
  { module: /^postgres$/, names: ['default'], client: 'postgres', engine: 'postgres' },
  { module: /^mysql2?(\/promise)?$/, names: ['createConnection', 'createPool', 'createPoolCluster'], client: 'mysql2', engine: 'mysql' },
  { module: /^mongoose$/, names: ['connect', 'createConnection'], client: 'mongoose', engine: 'mongodb' },
  { module: /^mongodb$/, names: ['MongoClient', 'MongoClient.connect'], client: 'mongodb', engine: 'mongodb' },
  { module: /^typeorm$/, names: ['DataSource', 'createConnection'], client: 'typeorm' },
  { module: /^@nestjs\/typeorm$/, names: ['TypeOrmModule.forRoot', 'TypeOrmModule.forRootAsync'], client: 'typeorm' },
  { module: /^@nestjs\/mongoose$/, names: ['MongooseModule.forRoot', 'MongooseModule.forRootAsync'], client: 'mongoose', engine: 'mongodb' },
  { module: /^knex$/, names: ['default', 'knex', 'Knex'], client: 'knex' },
  { module: /^sequelize(-typescript)?$/, names: ['Sequelize'], client: 'sequelize' },
  { module: /^drizzle-orm\//, names: ['drizzle'], client: 'drizzle' },
  { module: /^drizzle-kit$/, names: ['defineConfig'], client: 'drizzle' },
  { module: /^ioredis$/, names: ['default', 'Redis', 'Cluster'], client: 'redis', engine: 'redis' },
  { module: /^(redis|@redis\/client)$/, names: ['createClient', 'createCluster'], client: 'redis', engine: 'redis' },
  { module: /^@libsql\/client(\/.*)?$/, names: ['createClient'], client: 'libsql', engine: 'libsql' },
  { module: /^@neondatabase\/serverless$/, names: ['neon', 'Pool', 'Client'], client: 'neon', engine: 'postgres' },
  { module: /^@planetscale\/database$/, names: ['connect', 'Client'], client: 'planetscale', engine: 'mysql' },
  { module: /^mssql$/, names: ['connect', 'ConnectionPool'], client: 'mssql', engine: 'sqlserver' },
  // A Supabase project URL names the project's Postgres, which its REST and realtime APIs serve.
  { module: /^@supabase\/(supabase-js|ssr)$/, names: ['createClient', 'createServerClient', 'createBrowserClient'], client: 'supabase', engine: 'postgres' },
];

/** Whether a module is one of the database clients above: its factories open connections, not HTTP clients. */
export function isDatabaseClientModule(module: string): boolean {
  return CLIENTS.some((spec) => spec.module.test(module));
}

const DRIZZLE_ENGINES: [RegExp, DatabaseEngine][] = [
  [/postgres|pg|neon|supabase/, 'postgres'],
  [/mysql|planetscale|tidb/, 'mysql'],
  [/libsql|turso/, 'libsql'],
  [/sqlite|d1|expo/, 'sqlite'],
];

const READS = new Set([
  'find', 'findOne', 'findMany', 'findFirst', 'findUnique', 'findUniqueOrThrow', 'findFirstOrThrow', 'findById', 'findBy', 'findOneBy',
  'findAndCount', 'findOneOrFail', 'findOneByOrFail', 'findByIds', 'findAll', 'findByPk', 'findAndCountAll', 'count', 'countBy',
  'countDocuments', 'estimatedDocumentCount', 'aggregate', 'groupBy', 'distinct', 'exists', 'existsBy', 'sum', 'average', 'minimum', 'maximum',
]);
const WRITES = new Set([
  'create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany', 'save',
  'insert', 'insertMany', 'insertOne', 'updateOne', 'replaceOne', 'deleteOne', 'remove', 'softDelete', 'softRemove', 'restore', 'increment',
  'decrement', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndReplace', 'findByIdAndUpdate', 'findByIdAndDelete', 'findByIdAndRemove',
  'bulkWrite', 'bulkCreate', 'destroy', 'clear',
]);
/** Query-builder methods that name a table by a string (Kysely, Knex). */
const BUILDER_TABLES: Record<string, 'read' | 'write'> = {
  selectFrom: 'read',
  insertInto: 'write',
  replaceInto: 'write',
  updateTable: 'write',
  deleteFrom: 'write',
};
/** A literal that may hold an SQL statement (checked precisely by sqlTableReferences). */
const STATEMENT_START = /^\s*\(?\s*(select|insert|update|delete|with|merge)\s/i;
/** Globals whose static methods share names with model methods (`Object.create`). */
const NOT_MODELS = new Set(['Object', 'Array', 'Promise', 'Math', 'JSON', 'Reflect', 'Date', 'Number', 'String', 'Buffer', 'Map', 'Set', 'Symbol', 'Error', 'URL']);

interface ModelReference {
  model: string;
  orm: TableOrm;
}

interface FileState {
  /** Local name → the module and export it was imported from ('default', '*' or the export name). */
  imports: Map<string, { module: string; name: string }>;
  /** Variables and properties holding a repository or model: name → entity/model name and its ORM. */
  repositories: Map<string, ModelReference>;
}

/** The state of the file being walked (files are walked one at a time), found without a lookup per node. */
let current: { source: ts.SourceFile; state: FileState } | undefined;

function stateOf(source: ts.SourceFile): FileState {
  if (current?.source !== source) current = { source, state: { imports: new Map(), repositories: new Map() } };
  return current.state;
}

/** The only node kinds the collector looks at; every other node is passed over at the cost of one lookup. */
const INTERESTING = new Set([
  ts.SyntaxKind.ImportDeclaration,
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.PropertyDeclaration,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.NewExpression,
  ts.SyntaxKind.CallExpression,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateExpression,
]);

export const dataAccessCollector: TypeScriptCollector = {
  kinds: [...INTERESTING],
  visit(node, parsed, facts) {
    if (!INTERESTING.has(node.kind)) return;
    const state = stateOf(parsed.source);
    if (ts.isImportDeclaration(node)) recordImport(node, state);
    else if (ts.isVariableDeclaration(node)) recordVariable(node, state, parsed, facts);
    else if (ts.isParameter(node) || ts.isPropertyDeclaration(node)) recordInjected(node, state);
    else if (ts.isClassDeclaration(node)) recordEntity(node, state, parsed, facts);
    else if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
      recordConnection(node, state, parsed, facts);
      if (ts.isCallExpression(node)) {
        recordModelDefinition(node, state, parsed, facts);
        recordAccess(node, state, parsed, facts);
      }
    } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
      recordSql(node, parsed, facts);
    }
  },
};

// ------------------------------------------------------------ bindings

function recordImport(node: ts.ImportDeclaration, state: FileState): void {
  if (!ts.isStringLiteral(node.moduleSpecifier)) return;
  const module = node.moduleSpecifier.text;
  const clause = node.importClause;
  if (clause?.name) state.imports.set(clause.name.text, { module, name: 'default' });
  const bindings = clause?.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) state.imports.set(bindings.name.text, { module, name: '*' });
  if (bindings && ts.isNamedImports(bindings)) {
    for (const element of bindings.elements) state.imports.set(element.name.text, { module, name: (element.propertyName ?? element.name).text });
  }
}

function recordVariable(node: ts.VariableDeclaration, state: FileState, parsed: ParsedFile, facts: FileFacts): void {
  const init = node.initializer && unwrap(node.initializer);
  if (!init) return;
  const required = ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require' && init.arguments.length === 1 && ts.isStringLiteral(init.arguments[0]) ? init.arguments[0].text : undefined;
  if (required !== undefined) {
    if (ts.isIdentifier(node.name)) state.imports.set(node.name.text, { module: required, name: 'default' });
    else if (ts.isObjectBindingPattern(node.name)) {
      for (const element of node.name.elements) {
        if (!ts.isIdentifier(element.name)) continue;
        const imported = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
        state.imports.set(element.name.text, { module: required, name: imported });
      }
    }
    return;
  }
  if (!ts.isIdentifier(node.name)) return;
  const repository = repositoryEntity(init);
  if (repository) state.repositories.set(node.name.text, repository);
  const drizzleTable = ts.isCallExpression(init) ? resolveCallee(init.expression, state) : undefined;
  if (ts.isCallExpression(init) && drizzleTable && /^drizzle-orm\//.test(drizzleTable.module) && /Table$/.test(drizzleTable.name)) {
    const name = stringValue(init.arguments[0]);
    if (name) addTable(facts, { name, model: node.name.text, orm: 'drizzle', location: parsed.locate(init.arguments[0]) });
  }
}

/** `@InjectRepository(Order) repo`, `@InjectModel(Order.name) model`: the property then stands for the entity. */
function recordInjected(node: ts.ParameterDeclaration | ts.PropertyDeclaration, state: FileState): void {
  if (!ts.isIdentifier(node.name)) return;
  for (const decorator of ts.getDecorators(node) ?? []) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) continue;
    const orm = call.expression.text === 'InjectRepository' ? 'typeorm' : call.expression.text === 'InjectModel' ? 'mongoose' : undefined;
    const model = entityName(call.arguments[0]);
    if (orm && model) state.repositories.set(node.name.text, { model, orm });
  }
}

/** `getRepository(Order)`, `dataSource.getRepository(Order)`, `mongoose.model('Order')`: the entity it stands for. */
function repositoryEntity(expression: ts.Expression): ModelReference | undefined {
  if (!ts.isCallExpression(expression)) return undefined;
  const name = lastName(expression.expression);
  const argument = expression.arguments[0];
  const model = name === 'getRepository' || name === 'getMongoRepository' ? entityName(argument) : name === 'model' && expression.arguments.length === 1 ? stringValue(argument) : undefined;
  return model ? { model, orm: name === 'model' ? 'mongoose' : 'typeorm' } : undefined;
}

/** `Order`, `'Order'`, `Order.name`. */
function entityName(expression: ts.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression) && expression.name.text === 'name' && ts.isIdentifier(expression.expression)) return expression.expression.text;
  return stringValue(expression);
}

// ------------------------------------------------------------ schema definitions

function recordEntity(node: ts.ClassDeclaration, state: FileState, parsed: ParsedFile, facts: FileFacts): void {
  if (!node.name) return;
  for (const decorator of ts.getDecorators(node) ?? []) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call)) continue;
    const callee = resolveCallee(call.expression, state);
    const className = node.name.text;
    if (callee?.module === 'typeorm' && (callee.name === 'Entity' || callee.name === 'ViewEntity')) {
      const argument = call.arguments[0];
      const explicit = stringValue(argument) ?? (argument && ts.isObjectLiteralExpression(argument) ? stringValue(property(argument, 'name')) : undefined);
      addTable(facts, { name: explicit ?? snakeCase(className), model: className, orm: 'typeorm', location: parsed.locate(node.name) });
    } else if (callee?.module === '@nestjs/mongoose' && callee.name === 'Schema') {
      const argument = call.arguments[0];
      const collection = argument && ts.isObjectLiteralExpression(argument) ? stringValue(property(argument, 'collection')) : undefined;
      addTable(facts, { name: collection ?? pluralize(className.toLowerCase()), model: className, orm: 'mongoose', location: parsed.locate(node.name) });
    }
  }
}

function recordModelDefinition(node: ts.CallExpression, state: FileState, parsed: ParsedFile, facts: FileFacts): void {
  const callee = resolveCallee(node.expression, state);
  const [first, second, third] = node.arguments;
  if (callee?.module === 'mongoose' && callee.name === 'model' && second) {
    const name = stringValue(first);
    if (name) addTable(facts, { name: stringValue(third) ?? pluralize(name.toLowerCase()), model: name, orm: 'mongoose', location: parsed.locate(first) });
    return;
  }
  const method = lastName(node.expression);
  const receiver = ts.isPropertyAccessExpression(node.expression) ? node.expression.expression : undefined;
  if (method === 'define' && receiver && /sequelize/i.test(receiver.getText(parsed.source)) && second) {
    const name = stringValue(first);
    const options = third && ts.isObjectLiteralExpression(third) ? third : undefined;
    if (name) addTable(facts, { name: stringValue(property(options, 'tableName')) ?? pluralize(name), model: name, orm: 'sequelize', location: parsed.locate(first) });
  } else if (method === 'init' && receiver && ts.isIdentifier(receiver) && second && ts.isObjectLiteralExpression(second) && property(second, 'sequelize')) {
    const model = stringValue(property(second, 'modelName')) ?? receiver.text;
    addTable(facts, { name: stringValue(property(second, 'tableName')) ?? pluralize(model), model: receiver.text, orm: 'sequelize', location: parsed.locate(receiver) });
  }
}

// ------------------------------------------------------------ connections

function recordConnection(node: ts.NewExpression | ts.CallExpression, state: FileState, parsed: ParsedFile, facts: FileFacts): void {
  const callee = resolveCallee(node.expression, state);
  if (!callee) return;
  const spec = CLIENTS.find((c) => c.module.test(callee.module) && c.names.includes(callee.name));
  if (!spec) return;
  const args = [...(node.arguments ?? [])];
  const connection: DatabaseConnection = { client: spec.client, engine: spec.engine, location: parsed.locate(node) };
  if (spec.client === 'drizzle' && callee.module !== 'drizzle-kit') {
    connection.engine = DRIZZLE_ENGINES.find(([pattern]) => pattern.test(callee.module))?.[1];
  }
  const at: Scope = { scopes: parsed.ancestors, source: parsed.source };
  const objects = args.map((a) => objectLiteral(a, at));
  if (spec.client === 'sequelize' && args.length >= 3) connection.database = value(args[0], at);
  else if (args[0] && !objects[0]) connection.url = value(args[0], at);
  for (const options of objects) if (options) readOptions(options.object, connection, options.at);
  if (spec.client === 'pg' && !connection.url && !connection.host) {
    // node-postgres falls back to the libpq variables.
    Object.assign(connection, { host: '${PGHOST}', port: connection.port ?? '${PGPORT}', database: connection.database ?? '${PGDATABASE}' });
  }
  if (!connection.url && !connection.host && !connection.database) return;
  (facts.connections ??= []).push(connection);
}

/** Where an expression is evaluated: its enclosing scopes (outermost first) in its file. */
interface Scope {
  scopes: readonly ts.Node[];
  source: ts.SourceFile;
}

function readOptions(options: ts.ObjectLiteralExpression, connection: DatabaseConnection, at: Scope, depth = 0): void {
  for (const element of options.properties) {
    if (!ts.isPropertyAssignment(element) || depth > 3) continue;
    const key = propertyKey(element.name);
    const initializer = unwrap(element.initializer);
    if (key === 'connection' || key === 'dbCredentials' || key === 'options') {
      if (ts.isObjectLiteralExpression(initializer)) readOptions(initializer, connection, at, depth + 1);
      else connection.url ??= value(initializer, at);
    } else if (key === 'url' || key === 'uri' || key === 'connectionString' || key === 'connectionUri') {
      connection.url ??= value(initializer, at);
    } else if (key === 'host' || key === 'hostname' || key === 'server') {
      connection.host ??= value(initializer, at);
    } else if (key === 'port') {
      connection.port ??= value(initializer, at);
    } else if (key === 'database' || key === 'db' || key === 'dbName') {
      connection.database ??= value(initializer, at);
    } else if (key === 'type' || key === 'client' || key === 'dialect') {
      connection.engine ??= engineOf(value(initializer, at));
    }
  }
}

/**
 * A configuration value as text: literals, templates and constants as written, an environment variable
 * (read however the code reads it, see envName) as `${X}`, `process.env.X ?? 'd'` as `${X:-d}`.
 * Undefined when some part is not knowable from the file.
 */
function value(expression: ts.Expression | undefined, at: Scope): string | undefined {
  return expression && configText(valueParts(expression, at.scopes, at.source));
}

function configText(parts: ValuePart[]): string | undefined {
  let text = '';
  for (const part of parts) {
    if (part.kind === 'text') text += part.text;
    else if (part.kind === 'env') {
      const fallback = part.fallback && configText(part.fallback);
      text += fallback === undefined ? `\${${part.name}}` : `\${${part.name}:-${fallback}}`;
    } else return undefined;
  }
  return text;
}

// ------------------------------------------------------------ table access

function recordAccess(node: ts.CallExpression, state: FileState, parsed: ParsedFile, facts: FileFacts): void {
  if (!ts.isPropertyAccessExpression(node.expression)) return;
  const method = node.expression.name.text;
  const receiver = unwrap(node.expression.expression);
  const builder = BUILDER_TABLES[method];
  const builderTable = builder ? stringValue(node.arguments[0]) : undefined;
  if (builder && builderTable) {
    addAccess(facts, { table: builderTable, orm: 'sql', access: builder, detail: `${method}('${builderTable}')`, location: parsed.locate(node.arguments[0]) });
    return;
  }
  const access = READS.has(method) ? 'read' : WRITES.has(method) ? 'write' : undefined;
  if (!access) return;
  const location = parsed.locate(node.expression);
  // prisma.order.update(…), this.prisma.order.update(…), tx.order.update(…)
  if (ts.isPropertyAccessExpression(receiver) && !receiver.name.text.startsWith('$')) {
    const client = lastName(receiver.expression);
    if (client && /prisma|^(db|tx|client|trx)$/i.test(client)) {
      addAccess(facts, { model: receiver.name.text, orm: 'prisma', access, detail: `${client}.${receiver.name.text}.${method}`, location });
      return;
    }
  }
  // db.collection('orders').insertOne(…)
  if (ts.isCallExpression(receiver) && lastName(receiver.expression) === 'collection') {
    const collection = stringValue(receiver.arguments[0]);
    if (collection) addAccess(facts, { table: collection, orm: 'mongodb', access, detail: `collection('${collection}').${method}`, location });
    return;
  }
  // manager.save(Order, …)
  const receiverName = lastName(receiver);
  if (receiverName && /manager$|^em$/i.test(receiverName) && node.arguments[0] && ts.isIdentifier(node.arguments[0])) {
    addAccess(facts, { model: node.arguments[0].text, orm: 'typeorm', access, detail: `${receiverName}.${method}(${node.arguments[0].text})`, location });
    return;
  }
  // getRepository(Order).find(…), this.orders.save(…) where orders holds a repository, Order.find(…) on a model class
  const reference =
    repositoryEntity(receiver) ??
    (receiverName ? state.repositories.get(receiverName) : undefined) ??
    (ts.isIdentifier(receiver) && /^[A-Z]/.test(receiver.text) && !NOT_MODELS.has(receiver.text) ? { model: receiver.text, orm: 'mongoose' as const } : undefined);
  if (reference) addAccess(facts, { ...reference, access, detail: `${receiverName ?? reference.model}.${method}`, location });
}

function recordSql(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression, parsed: ParsedFile, facts: FileFacts): void {
  if (!STATEMENT_START.test(ts.isTemplateExpression(node) ? node.head.text : node.text)) return;
  const text = node.getText(parsed.source);
  const references = sqlTableReferences(text.slice(1));
  if (references.length === 0) return;
  const start = node.getStart(parsed.source) + 1;
  for (const reference of references) {
    const from = parsed.source.getLineAndCharacterOfPosition(start + reference.index);
    const to = parsed.source.getLineAndCharacterOfPosition(start + reference.index + reference.length);
    const location = { file: parsed.file, line: from.line + 1, column: from.character + 1, endLine: to.line + 1, endColumn: to.character + 1 };
    addAccess(facts, { table: reference.table, orm: 'sql', access: reference.access, detail: reference.detail, location });
  }
}

// ------------------------------------------------------------ helpers

function addTable(facts: FileFacts, table: TableDefinition): void {
  (facts.tables ??= []).push(table);
}

function addAccess(facts: FileFacts, access: TableAccess & { orm: TableOrm }): void {
  (facts.tableAccess ??= []).push(access);
}

/** What a callee refers to through the file's imports: `Pool` → pg.Pool, `mongoose.connect` → mongoose.connect. */
function resolveCallee(expression: ts.Expression, state: FileState): { module: string; name: string } | undefined {
  if (ts.isIdentifier(expression)) return state.imports.get(expression.text);
  if (!ts.isPropertyAccessExpression(expression)) return undefined;
  const target = unwrap(expression.expression);
  if (!ts.isIdentifier(target)) return undefined;
  const imported = state.imports.get(target.text);
  if (!imported) return undefined;
  const name = imported.name === '*' || imported.name === 'default' ? expression.name.text : `${imported.name}.${expression.name.text}`;
  return { module: imported.module, name };
}

/**
 * An object literal written in place or held by a constant of the file, with the scope its values are read in;
 * for NestJS `forRootAsync`, the object its `useFactory` returns.
 */
function objectLiteral(expression: ts.Expression, at: Scope): { object: ts.ObjectLiteralExpression; at: Scope } | undefined {
  const node = unwrap(expression);
  if (ts.isObjectLiteralExpression(node)) {
    const factory = property(node, 'useFactory');
    const result = factory && factoryResult(unwrap(factory));
    return result ? { object: result.object, at: { ...at, scopes: [...at.scopes, ...result.scopes] } } : { object: node, at };
  }
  const declaration = ts.isIdentifier(node) ? findDeclaration(node.text, at.scopes) : undefined;
  const constant = declaration?.initializer && unwrap(declaration.initializer);
  return constant && ts.isObjectLiteralExpression(constant) ? { object: constant, at: { ...at, scopes: declaration.scopes } } : undefined;
}

/** `() => ({ … })`, `function () { return { … }; }`: the object and the scopes of the factory's own names. */
function factoryResult(factory: ts.Expression): { object: ts.ObjectLiteralExpression; scopes: ts.Node[] } | undefined {
  if (!ts.isArrowFunction(factory) && !ts.isFunctionExpression(factory)) return undefined;
  const body = factory.body;
  const returned = ts.isBlock(body) ? body.statements.find(ts.isReturnStatement)?.expression : body;
  const result = returned && unwrap(returned);
  return result && ts.isObjectLiteralExpression(result) ? { object: result, scopes: ts.isBlock(body) ? [factory, body] : [factory] } : undefined;
}

function unwrap(expression: ts.Expression): ts.Expression {
  let node = expression;
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node) || ts.isAwaitExpression(node)) {
    node = node.expression;
  }
  return node;
}

function lastName(expression: ts.Expression): string | undefined {
  const node = unwrap(expression);
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  return undefined;
}

function stringValue(expression: ts.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  const node = unwrap(expression);
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined;
}

function propertyKey(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

function property(object: ts.ObjectLiteralExpression | undefined, key: string): ts.Expression | undefined {
  const found = object?.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyKey(p.name) === key);
  return found?.initializer;
}

/** TypeORM's default table name: `OrderItem` → `order_item`. */
function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

/** Mongoose's and Sequelize's default collection/table name from a model name (`Order` → `orders`). */
function pluralize(word: string): string {
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}
