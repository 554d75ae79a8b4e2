import { ts } from '../util/typescript.cjs';
import type { DataAccess, DatabaseConnection, DatabaseEngine, DatabaseFactoryCallFact, DatabaseFactoryFact, FileFacts, TableAccess, TableDefinition, TableOrm, ValuePart } from '../model.js';
import { CONNECTION_URL, engineOf, keyEngine, optionField } from '../util/databases.js';
import { sqlTableReferences } from './sql.js';
import type { ParsedFile, TypeScriptCollector } from './typescript-walk.js';
import { exportsRunning } from './exported-callers.js';
import { findClassMember, findDeclaration, hasModifier, valueParts, type Declaration } from './values.js';

/**
 * Data facts from TypeScript code, gathered during the one shared walk: database clients and their
 * configuration (with an environment variable kept as `${X}`), also when a NestJS options class or a typed options
 * object gives it; schema definitions (TypeORM and MikroORM entities, Mongoose models, Sequelize models,
 * Drizzle tables, Knex and Kysely migrations) and table reads and writes (SQL in literals, Prisma client
 * calls, repositories, models and entity managers, Drizzle, Knex and Kysely query builders, MongoDB collections).
 * An exported function that opens a client with its parameter is a factory (`createDb(url)`), and calls of imported
 * functions given an env read or a connection URL are recorded for the graph to match with the factories they call.
 */

/** A client library export that opens a connection. */
interface ClientSpec {
  module: RegExp;
  names: string[];
  client: string;
  engine?: DatabaseEngine;
  /** Its `host` option is a whole URL (`http://clickhouse:8123`), not a host name. */
  hostIsUrl?: boolean;
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
  { module: /^@mikro-orm\//, names: ['MikroORM.init', 'defineConfig', 'MikroOrmModule.forRoot', 'MikroOrmModule.forRootAsync'], client: 'mikro-orm' },
  { module: /^drizzle-kit$/, names: ['defineConfig'], client: 'drizzle' },
  { module: /^ioredis$/, names: ['default', 'Redis', 'Cluster'], client: 'redis', engine: 'redis' },
  { module: /^(redis|@redis\/client)$/, names: ['createClient', 'createCluster'], client: 'redis', engine: 'redis' },
  { module: /^@libsql\/client(\/.*)?$/, names: ['createClient'], client: 'libsql', engine: 'libsql' },
  { module: /^@neondatabase\/serverless$/, names: ['neon', 'Pool', 'Client'], client: 'neon', engine: 'postgres' },
  { module: /^@planetscale\/database$/, names: ['connect', 'Client'], client: 'planetscale', engine: 'mysql' },
  { module: /^mssql$/, names: ['connect', 'ConnectionPool'], client: 'mssql', engine: 'sqlserver' },
  { module: /^@clickhouse\/client(-web)?$/, names: ['createClient'], client: 'clickhouse', engine: 'clickhouse', hostIsUrl: true },
  // A Prisma client given its URL in code (`datasourceUrl`, `datasources: { db: { url } }`), or a driver adapter's.
  { module: /^@prisma\/client(\/.*)?$|\/(\.?prisma\/client|generated\/prisma)$/, names: ['PrismaClient'], client: 'prisma' },
  { module: /^@prisma\/adapter-/, names: ['PrismaPg', 'PrismaNeon', 'PrismaNeonHttp', 'PrismaLibSQL', 'PrismaPlanetScale', 'PrismaMariaDb', 'PrismaMssql', 'PrismaBetterSQLite3', 'PrismaBetterSqlite3'], client: 'prisma' },
  // A Supabase project URL names the project's Postgres, which its REST and realtime APIs serve.
  { module: /^@supabase\/(supabase-js|ssr)$/, names: ['createClient', 'createServerClient', 'createBrowserClient'], client: 'supabase', engine: 'postgres' },
];

/** Whether a module is one of the database clients above: its factories open connections, not HTTP clients. */
export function isDatabaseClientModule(module: string): boolean {
  return CLIENTS.some((spec) => spec.module.test(module));
}

/** Modules whose clients, query tags (slonik's `sql`) and client types (`DatabasePool`) say the engine of the SQL sent through them. */
const SQL_CLIENT_MODULES: [RegExp, DatabaseEngine][] = [
  [/^slonik$/, 'postgres'],
  [/^@vercel\/postgres$/, 'postgres'],
  ...CLIENTS.flatMap((spec): [RegExp, DatabaseEngine][] => (spec.engine ? [[spec.module, spec.engine]] : [])),
];

/** The engine a driver-specific module names: `drizzle-orm/node-postgres`, `@mikro-orm/mysql`, … */
const MODULE_ENGINES: [RegExp, DatabaseEngine][] = [
  [/postgres|pg|neon|supabase/, 'postgres'],
  [/mysql|mariadb|planetscale|tidb/, 'mysql'],
  [/libsql|turso/, 'libsql'],
  [/sqlite|d1|expo/, 'sqlite'],
  [/mongo/, 'mongodb'],
  [/mssql/, 'sqlserver'],
];

function driverEngine(module: string): DatabaseEngine | undefined {
  return MODULE_ENGINES.find(([pattern]) => pattern.test(module))?.[1];
}

/** Options a NestJS options class builds (`useClass` of `TypeOrmModule.forRootAsync`), by its factory method. */
const OPTIONS_FACTORY_METHODS = new Map<string, Pick<ClientSpec, 'client' | 'engine'>>([
  ['createTypeOrmOptions', { client: 'typeorm' }],
  ['createMongooseOptions', { client: 'mongoose', engine: 'mongodb' }],
  ['createMikroOrmOptions', { client: 'mikro-orm' }],
  ['createSequelizeOptions', { client: 'sequelize' }],
]);

/** Option types that say an object configures a client, wherever it is built (a config module, a factory). */
const OPTIONS_TYPES: { module: RegExp; names: RegExp; client: string; engine?: DatabaseEngine }[] = [
  { module: /^(@nestjs\/)?typeorm(\/.*)?$/, names: /^(TypeOrmModuleOptions|DataSourceOptions|\w+ConnectionOptions)$/, client: 'typeorm' },
  { module: /^@nestjs\/mongoose$/, names: /^MongooseModuleOptions$/, client: 'mongoose', engine: 'mongodb' },
  { module: /^@mikro-orm\//, names: /^(MikroOrmModuleOptions|Options)$/, client: 'mikro-orm' },
  { module: /^@nestjs\/sequelize$/, names: /^SequelizeModuleOptions$/, client: 'sequelize' },
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
  'bulkWrite', 'bulkCreate', 'destroy', 'clear', 'persist', 'persistAndFlush', 'removeAndFlush', 'nativeInsert', 'nativeUpdate', 'nativeDelete',
  'upsertMany',
]);
/** Query-builder methods that name a table by a string (Kysely, Knex). */
const BUILDER_TABLES = new Map<string, DataAccess>([
  ['selectFrom', 'read'],
  ['insertInto', 'write'],
  ['replaceInto', 'write'],
  ['updateTable', 'write'],
  ['deleteFrom', 'write'],
]);
/** Join methods of the query builders that name a table by a string (`innerJoin('pets as p', …)`): reads. */
const BUILDER_JOINS = new Set(['innerJoin', 'leftJoin', 'rightJoin', 'fullJoin', 'crossJoin', 'leftOuterJoin', 'rightOuterJoin', 'fullOuterJoin']);
/** Methods of a Knex query that write (`knex('orders').where(…).update(…)`); any other query reads. */
const KNEX_WRITES = new Set(['insert', 'update', 'del', 'delete', 'upsert', 'merge', 'increment', 'decrement', 'truncate']);
/** Knex methods that name the table of a query started on the instance: `knex.select('id').from('orders')`. */
const KNEX_TABLE_METHODS = new Set(['from', 'into', 'table']);
/** What Knex instances are called when not built in the file: `knex`, `this.knex`, `db`, `trx`. */
const KNEX_NAMES = /knex|^(db|trx)$/i;
/** Drizzle's write builders and the methods that must follow each (`db.update(t).set(…)`), which tell them from `map.delete(key)`. */
const DRIZZLE_WRITES = new Map<string, Set<string>>([
  ['insert', new Set(['values', 'select'])],
  ['update', new Set(['set'])],
  ['delete', new Set(['where', 'returning'])],
]);
/** Drizzle's select builders, and the methods of a select that name the tables it reads (`.from(orders)`, `.innerJoin(customers, …)`). */
const DRIZZLE_SELECTS = new Set(['select', 'selectDistinct', 'selectDistinctOn']);
const DRIZZLE_READ_METHODS = new Set(['from', ...BUILDER_JOINS]);
/** A literal that may hold an SQL statement (checked precisely by sqlTableReferences). */
const STATEMENT_START = /^\s*\(?\s*(select|insert|update|delete|with|merge)\s/i;
/** A model class name: PascalCase, not a SCREAMING_CASE constant (`LIMITS.find(…)` searches an array). */
const MODEL_NAME = /^[A-Z](?![A-Z0-9_]*$)/;
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
  /** Variables and properties holding a MongoDB collection (`db.collection('events')`): name → collection. */
  collections: Map<string, string>;
}

/** The state of the file being walked (files are walked one at a time), found without a lookup per node. */
let current: { source: ts.SourceFile; state: FileState } | undefined;

function stateOf(source: ts.SourceFile): FileState {
  if (current?.source !== source) current = { source, state: { imports: new Map(), repositories: new Map(), collections: new Map() } };
  return current.state;
}

/** The only node kinds the collector looks at; every other node is passed over at the cost of one lookup. */
const INTERESTING = new Set([
  ts.SyntaxKind.ImportDeclaration,
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.PropertyDeclaration,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.ArrowFunction,
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
    else if (ts.isMethodDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isArrowFunction(node)) recordOptionsFactory(node, state, parsed, facts);
    else if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
      if (!recordConnection(node, state, parsed, facts) && !recordDynamoDbTable(node, state, parsed, facts)) recordFactoryCall(node, state, parsed, facts);
      if (ts.isCallExpression(node)) {
        recordModelDefinition(node, state, parsed, facts);
        recordAccess(node, state, parsed, facts);
      }
    } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
      recordSql(node, state, parsed, facts);
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
  const collection = collectionName(init);
  if (collection) state.collections.set(node.name.text, collection);
  const options = node.type && optionsClient(node.type, state);
  if (options && ts.isObjectLiteralExpression(init)) addConnection(facts, options, init, { scopes: parsed.ancestors, source: parsed.source }, parsed.locate(node.name));
  const drizzleTable = ts.isCallExpression(init) ? resolveCallee(init.expression, state) : undefined;
  if (ts.isCallExpression(init) && drizzleTable && /^drizzle-orm\//.test(drizzleTable.module) && /Table$/.test(drizzleTable.name)) {
    const name = stringValue(init.arguments[0]);
    const engine = driverEngine(drizzleTable.module);
    if (name) addTable(facts, { name, model: node.name.text, orm: 'drizzle', ...(engine ? { engine } : {}), location: parsed.locate(init.arguments[0]) });
  }
}

/**
 * `@InjectRepository(Order) repo`, `@InjectModel(Order.name) model`: the property then stands for the entity;
 * `events = this.db.collection('events')`: for the collection.
 */
function recordInjected(node: ts.ParameterDeclaration | ts.PropertyDeclaration, state: FileState): void {
  if (!ts.isIdentifier(node.name)) return;
  const collection = node.initializer && collectionName(unwrap(node.initializer));
  if (collection) state.collections.set(node.name.text, collection);
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

/** `db.collection('events')`, `client.db('audit').collection<Event>('events')`: the collection's name. */
function collectionName(expression: ts.Expression): string | undefined {
  return ts.isCallExpression(expression) && lastName(expression.expression) === 'collection' ? stringValue(expression.arguments[0]) : undefined;
}

/** `Order`, `'Order'`, `Order.name`. */
function entityName(expression: ts.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression) && expression.name.text === 'name' && ts.isIdentifier(expression.expression)) return expression.expression.text;
  return stringValue(expression);
}

// ------------------------------------------------------------ schema definitions

/** Entity decorators (`@Entity()`, `@Entity({ tableName })`) by module; both default to the snake_case class name. */
const ENTITY_MODULES: [RegExp, TableOrm][] = [
  [/^typeorm$/, 'typeorm'],
  [/^@mikro-orm\//, 'mikro-orm'],
];

function recordEntity(node: ts.ClassDeclaration, state: FileState, parsed: ParsedFile, facts: FileFacts): void {
  if (!node.name) return;
  for (const decorator of ts.getDecorators(node) ?? []) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call)) continue;
    const callee = resolveCallee(call.expression, state);
    const className = node.name.text;
    const entityOrm = callee && (callee.name === 'Entity' || callee.name === 'ViewEntity') ? ENTITY_MODULES.find(([module]) => module.test(callee.module))?.[1] : undefined;
    if (entityOrm) {
      const argument = call.arguments[0];
      const options = argument && ts.isObjectLiteralExpression(argument) ? argument : undefined;
      const explicit = stringValue(argument) ?? ['name', 'tableName', 'collection'].map((key) => stringValue(property(options, key))).find((name) => name !== undefined);
      addTable(facts, { name: explicit ?? snakeCase(className), model: className, orm: entityOrm, location: parsed.locate(node.name) });
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
  // knex.schema.createTable('orders', …), db.schema.createTable('orders') (Kysely): a migration defines the table
  if ((method === 'createTable' || method === 'createTableIfNotExists') && receiver && lastName(receiver) === 'schema') {
    const name = stringValue(first);
    if (name) addTable(facts, { name, orm: 'sql', location: parsed.locate(first) });
    return;
  }
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

/** Records the client a call opens, or the factory it is part of; false when the call opens no database client. */
function recordConnection(node: ts.NewExpression | ts.CallExpression, state: FileState, parsed: ParsedFile, facts: FileFacts): boolean {
  const callee = resolveCallee(node.expression, state);
  if (!callee) return false;
  const spec = CLIENTS.find((c) => c.module.test(callee.module) && c.names.includes(callee.name));
  if (!spec) return false;
  const given = [...(node.arguments ?? [])];
  const at: Scope = { scopes: parsed.ancestors, source: parsed.source };
  const wrapped = spec.client === 'drizzle' ? wrappedClientArguments(given, state, at) : undefined;
  const args = wrapped?.args ?? given;
  const argumentsAt = wrapped?.at ?? at;
  const connection: DatabaseConnection = { client: spec.client, engine: spec.engine ?? driverEngine(callee.module), location: parsed.locate(node) };
  const objects = args.map((a) => objectLiteral(a, argumentsAt));
  const unevaluated: Unevaluated = {};
  if (spec.client === 'sequelize' && args.length >= 3) setField(connection, 'database', args[0], argumentsAt, unevaluated);
  else if (args[0] && !objects[0]) setField(connection, 'url', args[0], argumentsAt, unevaluated);
  for (const options of objects) if (options) readOptions(options.object, connection, options.at, unevaluated);
  if (spec.hostIsUrl) {
    connection.url ??= connection.host;
    unevaluated.url ??= unevaluated.host;
    delete connection.host;
    delete unevaluated.host;
  }
  const factory = factoryOf(connection, unevaluated);
  if (factory) {
    (facts.databaseFactories ??= []).push(factory);
    return true;
  }
  if (spec.client === 'pg' && !connection.url && !connection.host) {
    // node-postgres falls back to the libpq variables.
    Object.assign(connection, { host: '${PGHOST}', port: connection.port ?? '${PGPORT}', database: connection.database ?? '${PGDATABASE}' });
  }
  pushConnection(facts, connection);
  return true;
}

/** DynamoDB operations by method (`documentClient.put(params)`, SDK v2) and by command (`new PutCommand(params)`, v3), and what they do. */
const DYNAMODB_OPERATIONS = new Map<string, DataAccess>([
  ...['get', 'query', 'scan', 'batchGet', 'getItem', 'batchGetItem'].map((name) => [name, 'read'] as const),
  ...['put', 'update', 'delete', 'batchWrite', 'putItem', 'updateItem', 'deleteItem', 'batchWriteItem'].map((name) => [name, 'write'] as const),
]);
const DYNAMODB_COMMAND_MODULES = /^@aws-sdk\/(client-dynamodb|lib-dynamodb)$/;

/**
 * DynamoDB tables, each a database of its own named by its table name: an operation's `TableName` (or the tables its
 * `RequestItems` are keyed by), ElectroDB's `new Entity(schema, { table })` and `new Service(…, { table })`, dynamoose's
 * `model('Order', schema)` (its table unless given one) and `new Table('orders', …)`. False when the node names none.
 */
function recordDynamoDbTable(node: ts.NewExpression | ts.CallExpression, state: FileState, parsed: ParsedFile, facts: FileFacts): boolean {
  const callee = resolveCallee(node.expression, state);
  const args = node.arguments ?? [];
  const at: Scope = { scopes: parsed.ancestors, source: parsed.source };
  const add = (table: ts.Expression, tableAt: Scope, access?: DataAccess) => {
    const name = value(table, tableAt);
    if (!name) return false;
    pushConnection(facts, { client: callee?.module === 'electrodb' || callee?.module === 'dynamoose' ? callee.module : 'dynamodb', engine: 'dynamodb', database: name, ...(access ? { access } : {}), location: parsed.locate(node) });
    return true;
  };
  if (callee?.module === 'electrodb' && ts.isNewExpression(node) && (callee.name === 'Entity' || callee.name === 'Service')) {
    const table = args[1] && objectLiteral(args[1], at);
    const written = table && property(table.object, 'table');
    return !!written && add(written, table.at);
  }
  if (callee?.module === 'dynamoose' && ((callee.name === 'model' && args.length >= 2) || (callee.name === 'Table' && ts.isNewExpression(node)))) {
    return !!args[0] && add(args[0], at);
  }
  const operation = ts.isNewExpression(node)
    ? callee && DYNAMODB_COMMAND_MODULES.test(callee.module) && callee.name.endsWith('Command') ? callee.name[0].toLowerCase() + callee.name.slice(1, -'Command'.length) : undefined
    : ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : undefined;
  const access = operation === undefined ? undefined : DYNAMODB_OPERATIONS.get(operation);
  const params = access && args[0] && objectLiteral(args[0], at);
  if (!params) return false;
  const named = property(params.object, 'TableName');
  const requests = property(params.object, 'RequestItems');
  const byTable = requests && unwrap(requests);
  const requested = byTable && ts.isObjectLiteralExpression(byTable) ? byTable.properties : [];
  let found = named !== undefined && add(named, params.at, access);
  for (const request of requested) {
    const key = request.name && ts.isComputedPropertyName(request.name) ? request.name.expression : request.name && ts.isStringLiteral(request.name) ? request.name : undefined;
    if (key && add(key, params.at, access)) found = true;
  }
  return found;
}

type FactoryField = DatabaseFactoryFact['inputs'][number]['field'];

/** Connection fields whose expression the file cannot evaluate (a parameter, a call), where they are written. */
type Unevaluated = Partial<Record<FactoryField, { expression: ts.Expression; at: Scope }>>;

/** Sets a connection field from an expression, the first one written winning; one the file cannot evaluate is kept aside. */
function setField(connection: DatabaseConnection, field: FactoryField, expression: ts.Expression, at: Scope, unevaluated?: Unevaluated): void {
  if (connection[field] !== undefined) return;
  const text = value(field === 'host' ? hostOfAddress(expression) : expression, at);
  if (text !== undefined) connection[field] = text;
  else if (unevaluated) unevaluated[field] ??= { expression, at };
}

/**
 * The factory a client is opened in: an exported function (or exported class's constructor) whose parameters give
 * the URL, the host or the database name, each field the file does not write itself.
 */
function factoryOf(connection: DatabaseConnection, unevaluated: Unevaluated): DatabaseFactoryFact | undefined {
  let factory: { name: string; fn: ts.Node } | undefined;
  const inputs: DatabaseFactoryFact['inputs'] = [];
  for (const field of ['url', 'host', 'database'] as const) {
    const written = connection[field] === undefined ? unevaluated[field] : undefined;
    const parameter = written && parameterOf(written.expression, written.at.scopes, 0);
    if (!parameter) continue;
    const fn = parameter.declaration.scopes[parameter.declaration.scopes.length - 1];
    const name = factory ? (factory.fn === fn ? factory.name : undefined) : exportedName(parameter.declaration.scopes);
    if (name === undefined) continue;
    factory ??= { name, fn };
    inputs.push({ parameter: parameter.index, ...(parameter.property ? { property: parameter.property } : {}), field });
  }
  return factory && { name: factory.name, inputs, connection };
}

/**
 * The parameter an expression passes on: `url`, `options.url`, `const { url } = options`, `({ url }) => …`, a local constant holding
 * one, the left side of `url ?? fallback`, or the first argument of a helper that normalises it (`normalize(url)`).
 */
function parameterOf(expression: ts.Expression, scopes: readonly ts.Node[], depth: number): { declaration: Declaration; index: number; property?: string } | undefined {
  const node = unwrap(expression);
  if (depth > 4) return undefined;
  if (ts.isCallExpression(node) && node.arguments[0]) return parameterOf(node.arguments[0], scopes, depth + 1);
  if (ts.isBinaryExpression(node) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(node.operatorToken.kind)) return parameterOf(node.left, scopes, depth + 1);
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
    // `this.url`: a constructor's parameter property, or a property the constructor sets from a parameter.
    const member = findClassMember(node.name.text, scopes);
    if (member?.parameter) return parameterIndex(member);
    return member?.initializer && parameterOf(member.initializer, member.scopes, depth + 1);
  }
  if (ts.isPropertyAccessExpression(node)) {
    const owner = parameterOf(node.expression, scopes, depth + 1);
    return owner && !owner.property ? { ...owner, property: node.name.text } : undefined;
  }
  if (!ts.isIdentifier(node)) return undefined;
  const declaration = findDeclaration(node.text, scopes);
  if (!declaration) return undefined;
  if (declaration.parameter) {
    const found = parameterIndex(declaration);
    return found && declaration.parameterProperty !== undefined ? { ...found, property: declaration.parameterProperty } : found;
  }
  if (declaration.destructured) {
    const owner = parameterOf(declaration.destructured.from, declaration.scopes, depth + 1);
    return owner && !owner.property ? { ...owner, property: declaration.destructured.property } : undefined;
  }
  return declaration.initializer && parameterOf(declaration.initializer, declaration.scopes, depth + 1);
}

function parameterIndex(declaration: Declaration): { declaration: Declaration; index: number } | undefined {
  const fn = declaration.scopes[declaration.scopes.length - 1];
  return ts.isFunctionLike(fn) && declaration.parameter ? { declaration, index: fn.parameters.indexOf(declaration.parameter) } : undefined;
}

/**
 * The name a module exports a function under, from the scopes ending at the function: `export function f`,
 * `export default function`, `export const f = (…) => …`, `export class C { constructor(…) }` (C). Undefined for a nested or unexported function.
 */
function exportedName(scopes: readonly ts.Node[]): string | undefined {
  const fn = scopes[scopes.length - 1];
  if (ts.isConstructorDeclaration(fn)) {
    const owner = scopes[scopes.length - 2];
    const exported = ts.isClassDeclaration(owner) && ts.isSourceFile(scopes[scopes.length - 3]) && hasModifier(owner, ts.SyntaxKind.ExportKeyword);
    return !exported ? undefined : hasModifier(owner, ts.SyntaxKind.DefaultKeyword) ? 'default' : owner.name?.text;
  }
  if (ts.isFunctionDeclaration(fn) && ts.isSourceFile(scopes[scopes.length - 2]) && hasModifier(fn, ts.SyntaxKind.ExportKeyword)) {
    return hasModifier(fn, ts.SyntaxKind.DefaultKeyword) ? 'default' : fn.name?.text;
  }
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const [statement, , declaration] = scopes.slice(-4, -1);
  const atTop = ts.isSourceFile(scopes[scopes.length - 5]);
  return atTop && ts.isVariableStatement(statement) && hasModifier(statement, ts.SyntaxKind.ExportKeyword) && ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name)
    ? declaration.name.text
    : undefined;
}

/** Option names a factory's options object may take a connection by: `url`, `connectionString`, `databaseUrl`, `host`, … */
const CONNECTION_KEY = /^(url|uri|dsn|host|hostname|server|db|dbName)$|connection|[Dd]atabase|Url$|Uri$/;

/**
 * What a connection string is passed as: an env read or config lookup, a literal URL, `a ?? b`, a template starting
 * with a scheme, or a name declared as one of these. Anything else (a call, a concatenation, a number) is not evaluated.
 */
function mayHoldConnection(expression: ts.Expression, scopes: readonly ts.Node[], depth = 0): boolean {
  const node = unwrap(expression);
  if (ts.isIdentifier(node)) {
    const declaration = findDeclaration(node.text, scopes);
    return !declaration?.initializer || declaration.parameter !== undefined || (depth < 4 && mayHoldConnection(declaration.initializer, declaration.scopes, depth + 1));
  }
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) return true;
  if (ts.isStringLiteralLike(node)) return CONNECTION_URL.test(node.text);
  if (ts.isTemplateExpression(node)) return CONNECTION_URL.test(node.head.text);
  if (ts.isBinaryExpression(node)) return [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(node.operatorToken.kind);
  return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ['get', 'getOrThrow'].includes(node.expression.name.text);
}

/**
 * `createDb(process.env.DATABASE_URL)`, `connect({ url: DB_URL })`, `new Database(DB_URL)` with the function or class
 * imported: the arguments (and object-literal properties) whose whole value is an env read or a connection URL, or a
 * literal host or database name under its option key (`{ host: 'db', database: 'orders' }`), for the graph to match
 * with the factory the module exports. Other arguments (a message, a key, a URL path built on an env read) are not recorded.
 */
function recordFactoryCall(node: ts.CallExpression | ts.NewExpression, state: FileState, parsed: ParsedFile, facts: FileFacts): void {
  const callee = resolveCallee(node.expression, state);
  if (!callee || !node.arguments?.length) return;
  const found: DatabaseFactoryCallFact['arguments'] = [];
  const add = (index: number, option: ts.Expression, property?: string) => {
    const field = property === undefined ? undefined : optionField(property);
    const expression = field === 'host' ? hostOfAddress(option) : option;
    const named = (field === 'host' || field === 'database') && stringValue(expression) !== undefined;
    if (!named && !mayHoldConnection(expression, parsed.ancestors)) return;
    const parts = valueParts(expression, parsed.ancestors, parsed.source);
    const [first] = parts;
    const whole = named || (first?.kind === 'env' && parts.length === 1) || (first?.kind === 'text' && CONNECTION_URL.test(first.text));
    const text = whole ? configText(parts) : undefined;
    if (text === undefined) return;
    const written = unwrap(expression);
    const declaration = ts.isIdentifier(written) ? findDeclaration(written.text, parsed.ancestors) : undefined;
    found.push({ index, ...(property ? { property } : {}), value: text, location: parsed.locate(builtBy(declaration) ?? written) });
  };
  node.arguments.forEach((argument, index) => {
    const given = unwrap(argument);
    if (ts.isFunctionLike(given)) return;
    if (!ts.isObjectLiteralExpression(given)) {
      add(index, given);
      return;
    }
    for (const element of given.properties) {
      const key = element.name && propertyKey(element.name);
      if (!key || !CONNECTION_KEY.test(key)) continue;
      if (ts.isPropertyAssignment(element)) add(index, element.initializer, key);
      else if (ts.isShorthandPropertyAssignment(element)) add(index, element.name, key);
    }
  });
  if (found.length > 0) (facts.databaseFactoryCalls ??= []).push({ via: { name: callee.name, from: callee.module }, arguments: found, location: parsed.locate(node) });
}

/**
 * A host option cut from a `host:port` address (`DATABASE_HOST.split(':')[0]`): the address itself, whose port the
 * graph reads off the host when it resolves it. Any other expression as it is.
 */
function hostOfAddress(expression: ts.Expression): ts.Expression {
  const node = unwrap(expression);
  if (!ts.isElementAccessExpression(node) || !ts.isNumericLiteral(node.argumentExpression) || node.argumentExpression.text !== '0') return expression;
  const split = unwrap(node.expression);
  if (!ts.isCallExpression(split) || !ts.isPropertyAccessExpression(split.expression) || split.expression.name.text !== 'split') return expression;
  const [separator] = split.arguments;
  return separator && ts.isStringLiteralLike(separator) && separator.text === ':' ? split.expression.expression : expression;
}

function pushConnection(facts: FileFacts, connection: DatabaseConnection): void {
  if (connection.url || connection.host || connection.database) (facts.connections ??= []).push(connection);
}

/** Client options built away from the client: the options object of a typed variable, or what an options factory returns. */
function addConnection(facts: FileFacts, spec: Pick<ClientSpec, 'client' | 'engine'>, options: ts.ObjectLiteralExpression, at: Scope, location: DatabaseConnection['location']): void {
  const connection: DatabaseConnection = { client: spec.client, engine: spec.engine, location };
  readOptions(options, connection, at);
  pushConnection(facts, connection);
}

/**
 * `createTypeOrmOptions()` of a NestJS options class (given as `useClass` elsewhere), or a function typed to
 * return client options (`(): DataSourceOptions => ({ … })`); a `useFactory` in place is read with its module call.
 */
function recordOptionsFactory(node: ts.MethodDeclaration | ts.FunctionDeclaration | ts.ArrowFunction, state: FileState, parsed: ParsedFile, facts: FileFacts): void {
  const byMethod = ts.isMethodDeclaration(node) && ts.isIdentifier(node.name) ? OPTIONS_FACTORY_METHODS.get(node.name.text) : undefined;
  const spec = byMethod ?? (node.type && optionsClient(node.type, state));
  if (!spec) return;
  const parent = parsed.ancestors[parsed.ancestors.length - 1];
  if (ts.isArrowFunction(node) && parent && ts.isPropertyAssignment(parent) && propertyKey(parent.name) === 'useFactory') return;
  const result = factoryResult(node);
  if (result) addConnection(facts, spec, result.object, { scopes: [...parsed.ancestors, ...result.scopes], source: parsed.source }, parsed.locate(node.name ?? node));
}

/** The client a type annotation says an object configures: `DataSourceOptions`, `Promise<MongooseModuleOptions>`. */
function optionsClient(type: ts.TypeNode, state: FileState): Pick<ClientSpec, 'client' | 'engine'> | undefined {
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
  if (type.typeName.text === 'Promise' && type.typeArguments?.length === 1) return optionsClient(type.typeArguments[0], state);
  const imported = state.imports.get(type.typeName.text);
  return imported && OPTIONS_TYPES.find((t) => t.module.test(imported.module) && t.names.test(imported.name));
}

/** `drizzle(sql)` with `const sql = neon(process.env.DATABASE_URL)`: the arguments a driver client no other entry reads was built with, where they were written. */
function wrappedClientArguments(args: ts.Expression[], state: FileState, at: Scope): { args: ts.Expression[]; at: Scope } | undefined {
  const first = args[0] && unwrap(args[0]);
  const client = first && ts.isObjectLiteralExpression(first) ? property(first, 'client') : first;
  const declaration = client && ts.isIdentifier(client) ? findDeclaration(client.text, at.scopes) : undefined;
  const built = builtBy(declaration);
  if (!built || !(ts.isCallExpression(built) || ts.isNewExpression(built))) return undefined;
  const callee = resolveCallee(built.expression, state);
  if (callee && CLIENTS.some((c) => c.module.test(callee.module) && c.names.includes(callee.name))) return undefined;
  return { args: [...(built.arguments ?? [])], at: { scopes: declaration!.scopes, source: at.source } };
}

/** What a variable was built with (`const sql = neon(url)` → the call), found by scope. */
function builtBy(declaration: Declaration | undefined): ts.Expression | undefined {
  return declaration?.initializer && !declaration.parameter && !declaration.destructured ? unwrap(declaration.initializer) : undefined;
}

/** Where an expression is evaluated: its enclosing scopes (outermost first) in its file. */
interface Scope {
  scopes: readonly ts.Node[];
  source: ts.SourceFile;
}

function readOptions(options: ts.ObjectLiteralExpression, connection: DatabaseConnection, at: Scope, unevaluated?: Unevaluated, depth = 0): void {
  for (const element of options.properties) {
    const key = element.name && propertyKey(element.name);
    if (!key || depth > 3) continue;
    if (ts.isShorthandPropertyAssignment(element)) {
      // `{ connectionString }` passes a variable on: followed only to the parameter of a factory.
      const field = optionField(key);
      if (field && unevaluated && connection[field] === undefined) unevaluated[field] ??= { expression: element.name, at };
      continue;
    }
    if (!ts.isPropertyAssignment(element)) continue;
    const initializer = unwrap(element.initializer);
    const field = optionField(key);
    if (key === 'connection' || key === 'dbCredentials' || key === 'options') {
      if (ts.isObjectLiteralExpression(initializer)) readOptions(initializer, connection, at, unevaluated, depth + 1);
      else setField(connection, 'url', initializer, at, unevaluated);
    } else if (key === 'datasources' && ts.isObjectLiteralExpression(initializer)) {
      // Prisma's `datasources: { db: { url } }`, keyed by the schema's datasource name.
      for (const source of initializer.properties) {
        const settings = ts.isPropertyAssignment(source) ? unwrap(source.initializer) : undefined;
        if (settings && ts.isObjectLiteralExpression(settings)) readOptions(settings, connection, at, unevaluated, depth + 1);
      }
    } else if (field) {
      setField(connection, field, initializer, at, unevaluated);
    } else if (key === 'port') {
      connection.port ??= value(initializer, at);
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
  if (recordKnexQuery(node, state, parsed, facts) || !ts.isPropertyAccessExpression(node.expression)) return;
  const method = node.expression.name.text;
  const receiver = unwrap(node.expression.expression);
  if (recordBuilderTable(node, method, receiver, state, parsed, facts) || recordDrizzleQuery(node, method, receiver, state, parsed, facts)) return;
  const access = READS.has(method) ? 'read' : WRITES.has(method) ? 'write' : undefined;
  if (!access) return;
  const location = parsed.locate(node.expression);
  // prisma.order.update(…), this.prisma.order.update(…), tx.order.update(…)
  if (ts.isPropertyAccessExpression(receiver) && !receiver.name.text.startsWith('$')) {
    const client = lastName(receiver.expression);
    if (client && /prisma|^(db|tx|client|trx)$/i.test(client)) {
      addAccess(facts, parsed, { model: receiver.name.text, orm: 'prisma', access, detail: `${client}.${receiver.name.text}.${method}`, location });
      return;
    }
  }
  // db.collection('orders').insertOne(…), orders.insertOne(…) where orders holds a collection
  const receiverName = lastName(receiver);
  const collection = collectionName(receiver) ?? (receiverName ? state.collections.get(receiverName) : undefined);
  if (collection) {
    addAccess(facts, parsed, { table: collection, orm: 'mongodb', access, detail: `${ts.isCallExpression(receiver) ? `collection('${collection}')` : receiverName}.${method}`, location });
    return;
  }
  if (ts.isCallExpression(receiver) && lastName(receiver.expression) === 'collection') return;
  // manager.save(Order, …), em.find(Order), em.persist(order) where order = new Order()
  const entity = receiverName && /manager$|^em$/i.test(receiverName) && node.arguments[0] ? entityOfArgument(node.arguments[0], state, parsed.ancestors) : undefined;
  if (entity) {
    const orm = /^em$/i.test(receiverName!) ? 'mikro-orm' : 'typeorm';
    addAccess(facts, parsed, { model: entity.name, ...(entity.from ? { from: entity.from } : {}), orm, access, detail: `${receiverName}.${method}(${entity.name})`, location });
    return;
  }
  // getRepository(Order).find(…), this.orders.save(…) where orders holds a repository, Order.find(…) on a model class
  const reference =
    repositoryEntity(receiver) ??
    (receiverName ? state.repositories.get(receiverName) : undefined) ??
    (ts.isIdentifier(receiver) && MODEL_NAME.test(receiver.text) && !NOT_MODELS.has(receiver.text) ? { model: receiver.text, orm: 'mongoose' as const } : undefined);
  if (reference) addAccess(facts, parsed, { ...reference, access, detail: `${receiverName ?? reference.model}.${method}`, location });
}

/**
 * Query builders that name a table by a string: Kysely's `selectFrom('orders as o')`, `insertInto`, … and
 * joins of its queries; Knex's `knex.select('id').from('orders')`, `.into('orders')`, `.table('orders')` and joins.
 */
function recordBuilderTable(node: ts.CallExpression, method: string, receiver: ts.Expression, state: FileState, parsed: ParsedFile, facts: FileFacts): boolean {
  let access = BUILDER_TABLES.get(method);
  if (!access && !BUILDER_JOINS.has(method) && !KNEX_TABLE_METHODS.has(method)) return false;
  const written = stringValue(node.arguments[0]);
  const table = written === undefined ? undefined : builderTableName(written);
  if (!table) return false;
  if (!access) {
    const chain = callChain(receiver);
    if (isKnexInstance(chain.root, state, parsed.ancestors)) access = [...chain.methods, ...methodsChainedOnto(node, parsed.ancestors)].some((m) => KNEX_WRITES.has(m)) ? 'write' : 'read';
    else if (BUILDER_JOINS.has(method) && chain.methods.some((m) => BUILDER_TABLES.has(m))) access = 'read';
  }
  if (!access) return false;
  addAccess(facts, parsed, { table, orm: 'sql', access, detail: `${method}('${written}')`, location: parsed.locate(node.arguments[0]) });
  return true;
}

/** `knex('orders').where(…).update(…)`, `this.knex('orders')`, `trx('orders').insert(…)`: a write when a write method follows, else a read. */
function recordKnexQuery(node: ts.CallExpression, state: FileState, parsed: ParsedFile, facts: FileFacts): boolean {
  if (node.arguments.length !== 1 || !isKnexInstance(unwrap(node.expression), state, parsed.ancestors)) return false;
  const written = stringValue(node.arguments[0]);
  const table = written === undefined ? undefined : builderTableName(written);
  if (!table) return false;
  const chained = methodsChainedOnto(node, parsed.ancestors);
  const write = chained.find((m) => KNEX_WRITES.has(m));
  addAccess(facts, parsed, { table, orm: 'sql', access: write ? 'write' : 'read', detail: `${lastName(node.expression)}('${written}')${write ? `.${write}` : ''}`, location: parsed.locate(node.arguments[0]) });
  return true;
}

/** A Knex instance: a constant built by the knex export, or a variable or `this` property named like one. */
function isKnexInstance(expression: ts.Expression, state: FileState, scopes: readonly ts.Node[]): boolean {
  const isThisProperty = ts.isPropertyAccessExpression(expression) && expression.expression.kind === ts.SyntaxKind.ThisKeyword;
  if (!ts.isIdentifier(expression) && !isThisProperty) return false;
  const name = lastName(expression)!;
  const built = ts.isIdentifier(expression) ? builtBy(findDeclaration(name, scopes)) : undefined;
  return KNEX_NAMES.test(name) || (built !== undefined && ts.isCallExpression(built) && resolveCallee(built.expression, state)?.module === 'knex');
}

/**
 * Drizzle: `db.insert(orders).values(…)`, `db.update(orders).set(…)`, `db.delete(orders).where(…)` write;
 * `db.select().from(orders)`, its joins and `db.query.orders.findMany()` read. Tables are named by their variables.
 */
function recordDrizzleQuery(node: ts.CallExpression, method: string, receiver: ts.Expression, state: FileState, parsed: ParsedFile, facts: FileFacts): boolean {
  if (READS.has(method) && ts.isPropertyAccessExpression(receiver) && ts.isPropertyAccessExpression(receiver.expression) && receiver.expression.name.text === 'query') {
    addAccess(facts, parsed, { model: receiver.name.text, orm: 'drizzle', access: 'read', detail: `query.${receiver.name.text}.${method}`, location: parsed.locate(node.expression) });
    return true;
  }
  const followers = DRIZZLE_WRITES.get(method);
  if (!followers && !DRIZZLE_READ_METHODS.has(method)) return false;
  const table = node.arguments[0] && importedName(node.arguments[0], state);
  if (!table) return false;
  let access: DataAccess;
  if (followers && node.arguments.length === 1 && methodsChainedOnto(node, parsed.ancestors).some((m) => followers.has(m))) access = 'write';
  else if (DRIZZLE_READ_METHODS.has(method) && callChain(receiver).methods.some((m) => DRIZZLE_SELECTS.has(m))) access = 'read';
  else return false;
  addAccess(facts, parsed, { model: table.name, ...(table.from ? { from: table.from } : {}), orm: 'drizzle', access, detail: `${method}(${table.name})`, location: parsed.locate(node.arguments[0]) });
  return true;
}

/** The entity an entity manager call names: `Order`, `new Order()`, or a variable holding `new Order()` or `em.create(Order, …)`. */
function entityOfArgument(argument: ts.Expression, state: FileState, scopes: readonly ts.Node[]): { name: string; from?: string } | undefined {
  const node = unwrap(argument);
  const built = ts.isIdentifier(node) ? builtBy(findDeclaration(node.text, scopes)) : undefined;
  const created = built ?? node;
  if (ts.isNewExpression(created)) return importedName(created.expression, state);
  if (built && ts.isCallExpression(built) && lastName(built.expression) === 'create' && built.arguments[0]) return importedName(built.arguments[0], state);
  return ts.isIdentifier(node) ? importedName(node, state) : undefined;
}

/** An identifier (or `schema.orders`) by the name its module exports it under, with that module when imported. */
function importedName(expression: ts.Expression, state: FileState): { name: string; from?: string } | undefined {
  const node = unwrap(expression);
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
    const namespace = state.imports.get(node.expression.text);
    return { name: node.name.text, ...(namespace ? { from: namespace.module } : {}) };
  }
  if (!ts.isIdentifier(node)) return undefined;
  const imported = state.imports.get(node.text);
  if (!imported) return { name: node.text };
  return { name: imported.name === 'default' || imported.name === '*' ? node.text : imported.name, from: imported.module };
}

/** `orders`, `orders as o`, `shop.orders` → `orders`; undefined for what is not a table name (a raw expression). */
function builderTableName(written: string): string | undefined {
  return /^\s*(?:[A-Za-z_][\w$]*\.)?([A-Za-z_][\w$]*)(?:\s+as\s+[A-Za-z_][\w$]*)?\s*$/i.exec(written)?.[1];
}

/** The methods called on the way down a call chain (`db.select().from(t)` from `.from`'s receiver: select) and where it starts. */
function callChain(expression: ts.Expression): { methods: string[]; root: ts.Expression } {
  const methods: string[] = [];
  let current = unwrap(expression);
  for (;;) {
    if (ts.isCallExpression(current)) current = unwrap(current.expression);
    else if (ts.isPropertyAccessExpression(current) && current.expression.kind !== ts.SyntaxKind.ThisKeyword) {
      methods.push(current.name.text);
      current = unwrap(current.expression);
    } else return { methods, root: current };
  }
}

/** The methods chained onto a call, outwards: `knex('orders').where(…).update(…)` from `knex('orders')`: where, update. */
function methodsChainedOnto(node: ts.CallExpression, ancestors: readonly ts.Node[]): string[] {
  const methods: string[] = [];
  let current: ts.Node = node;
  for (let i = ancestors.length - 1; i > 0; i -= 2) {
    const access = ancestors[i];
    const call = ancestors[i - 1];
    if (!ts.isPropertyAccessExpression(access) || access.expression !== current || !ts.isCallExpression(call) || call.expression !== access) break;
    methods.push(access.name.text);
    current = call;
  }
  return methods;
}

function recordSql(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression, state: FileState, parsed: ParsedFile, facts: FileFacts): void {
  if (!STATEMENT_START.test(ts.isTemplateExpression(node) ? node.head.text : node.text)) return;
  const text = node.getText(parsed.source);
  const references = sqlTableReferences(text.slice(1));
  if (references.length === 0) return;
  const start = node.getStart(parsed.source) + 1;
  const engine = statementEngine(node, state, parsed);
  for (const reference of references) {
    const from = parsed.source.getLineAndCharacterOfPosition(start + reference.index);
    const to = parsed.source.getLineAndCharacterOfPosition(start + reference.index + reference.length);
    const location = { file: parsed.file, line: from.line + 1, column: from.character + 1, endLine: to.line + 1, endColumn: to.character + 1 };
    addAccess(facts, parsed, { table: reference.table, orm: 'sql', access: reference.access, ...(engine ? { engine } : {}), detail: reference.detail, location });
  }
}

/**
 * The engine of the client an SQL statement goes through, when the code says: its tag (slonik's `sql`, postgres.js's
 * `sql` client), the receiver of the call it is passed to, in place or as an option (`pool.query('…')`,
 * `this.pool.one(sql`…`)`, `clickhouse.query({ query: '…' })`) when that receiver is a client built or typed by a
 * database module, or else an address that call is given from settings named for an engine (`fetch(CLICKHOUSE_URL, { body: 'INSERT …' })`).
 */
function statementEngine(node: ts.Expression, state: FileState, parsed: ParsedFile): DatabaseEngine | undefined {
  const { ancestors } = parsed;
  let i = ancestors.length - 1;
  let passed: ts.Node = node;
  const tagged = ancestors[i];
  if (tagged && ts.isTaggedTemplateExpression(tagged)) {
    const engine = clientEngine(tagged.tag, state, ancestors);
    if (engine) return engine;
    passed = tagged;
    i--;
  }
  while (i > 0 && (ts.isPropertyAssignment(ancestors[i]) || ts.isObjectLiteralExpression(ancestors[i]) || ts.isParenthesizedExpression(ancestors[i]) || ts.isAsExpression(ancestors[i]))) passed = ancestors[i--];
  const call = ancestors[i];
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(passed as ts.Expression)) return undefined;
  const receiver = ts.isPropertyAccessExpression(call.expression) ? clientEngine(call.expression.expression, state, ancestors) : undefined;
  return receiver ?? call.arguments.filter((a) => a !== passed && !ts.isObjectLiteralExpression(a)).map((a) => addressEngine(a, parsed)).find((e) => e !== undefined);
}

/**
 * The engine of a database client an expression stands for: a name imported from a client module, a variable or
 * `this` property built by one of the CLIENTS, or a parameter or property typed with a client module's type (`pool: DatabasePool`).
 */
function clientEngine(expression: ts.Expression, state: FileState, scopes: readonly ts.Node[]): DatabaseEngine | undefined {
  const node = unwrap(expression);
  const isThisProperty = ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword;
  if (!ts.isIdentifier(node) && !isThisProperty) return undefined;
  const name = lastName(node)!;
  if (ts.isIdentifier(node) && state.imports.has(name)) return moduleEngine(state.imports.get(name)!.module);
  const declaration = ts.isIdentifier(node) ? findDeclaration(name, scopes) : findClassMember(name, scopes);
  const built = builtBy(declaration);
  const callee = built && (ts.isCallExpression(built) || ts.isNewExpression(built)) ? resolveCallee(built.expression, state) : undefined;
  const spec = callee && CLIENTS.find((c) => c.module.test(callee.module) && c.names.includes(callee.name));
  if (spec) return spec.engine ?? driverEngine(callee.module);
  const type = declaration?.parameter?.type ?? (isThisProperty ? propertyType(name, scopes) : undefined);
  const typeName = type && ts.isTypeReferenceNode(type) ? (ts.isIdentifier(type.typeName) ? type.typeName : type.typeName.left) : undefined;
  const imported = typeName && ts.isIdentifier(typeName) ? state.imports.get(typeName.text) : undefined;
  return imported && moduleEngine(imported.module);
}

function moduleEngine(module: string): DatabaseEngine | undefined {
  return SQL_CLIENT_MODULES.find(([pattern]) => pattern.test(module))?.[1];
}

/** The declared type of a property of the enclosing class (`private pool: DatabasePool;`). */
function propertyType(name: string, scopes: readonly ts.Node[]): ts.TypeNode | undefined {
  const owner = [...scopes].reverse().find((node): node is ts.ClassLikeDeclaration => ts.isClassLike(node));
  const member = owner?.members.find((m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === name);
  return member?.type;
}

/** The engine an address is named for, when it is built from settings such as CLICKHOUSE_HOST (see keyEngine). */
function addressEngine(address: ts.Expression, parsed: ParsedFile): DatabaseEngine | undefined {
  for (const part of valueParts(address, parsed.ancestors, parsed.source)) {
    const engine = part.kind === 'env' ? keyEngine(part.name) : undefined;
    if (engine) return engine;
  }
  return undefined;
}

// ------------------------------------------------------------ helpers

function addTable(facts: FileFacts, table: TableDefinition): void {
  (facts.tables ??= []).push(table);
}

function addAccess(facts: FileFacts, parsed: ParsedFile, access: TableAccess): void {
  const within = exportsRunning(parsed);
  (facts.tableAccess ??= []).push(within ? { ...access, within } : access);
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

/** `() => ({ … })`, `function () { return { … }; }`, a method returning `{ … }`: the object and the scopes of the factory's own names. */
function factoryResult(factory: ts.Node): { object: ts.ObjectLiteralExpression; scopes: ts.Node[] } | undefined {
  if (!ts.isArrowFunction(factory) && !ts.isFunctionExpression(factory) && !ts.isFunctionDeclaration(factory) && !ts.isMethodDeclaration(factory)) return undefined;
  const body = factory.body;
  if (!body) return undefined;
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
