import type { DataAccess, DatabaseEngine, TableDefinition } from '../model.js';
import { LineIndex } from '../util/text.js';
import type { FileExtractor } from './index.js';

/** A table name as SQL writes it: bare, "quoted", `backticked` or [bracketed], optionally schema-qualified. */
const NAME = String.raw`((?:(?:"[^"]+"|\x60[^\x60]+\x60|\[[^\]]+\]|[A-Za-z_][\w$]*)\.)?(?:"[^"]+"|\x60[^\x60]+\x60|\[[^\]]+\]|[A-Za-z_][\w$]*))(?![\w$.])`;
const CREATE_TABLE = new RegExp(String.raw`\bCREATE\s+(?:(?:GLOBAL\s+|LOCAL\s+)?(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${NAME}`, 'gi');

/** Words before a FROM that is a function's argument, not a table: `EXTRACT(YEAR FROM created_at)`, `TRIM(BOTH ' ' FROM name)`. */
const FUNCTION_ARGUMENTS = 'YEAR|MONTH|DAY|HOUR|MINUTE|SECOND|EPOCH|DOW|DOY|WEEK|QUARTER|CENTURY|DECADE|ISODOW|ISOYEAR|MILLISECONDS?|MICROSECONDS?|TIMEZONE\\w*|BOTH|LEADING|TRAILING';

const STATEMENTS: { pattern: RegExp; access: DataAccess }[] = [
  { pattern: new RegExp(String.raw`\bINSERT\s+(?:IGNORE\s+)?INTO\s+${NAME}`, 'gi'), access: 'write' },
  { pattern: new RegExp(String.raw`\bUPDATE\s+(?:ONLY\s+)?${NAME}(?:\s+(?:AS\s+)?\w+)?\s+SET\b`, 'gi'), access: 'write' },
  { pattern: new RegExp(String.raw`\bDELETE\s+FROM\s+(?:ONLY\s+)?${NAME}`, 'gi'), access: 'write' },
  { pattern: new RegExp(String.raw`\bMERGE\s+INTO\s+${NAME}`, 'gi'), access: 'write' },
  { pattern: new RegExp(String.raw`(?<!\b(?:DELETE|DISTINCT|${FUNCTION_ARGUMENTS})\s+|'\s*)\bFROM\s+(?:ONLY\s+)?${NAME}(?!\s*[(.])`, 'gi'), access: 'read' },
  { pattern: new RegExp(String.raw`\bJOIN\s+${NAME}(?!\s*[(.])`, 'gi'), access: 'read' },
];

/** Text that reads as an SQL statement rather than prose: it starts with a statement keyword. */
const LOOKS_LIKE_SQL = /^\s*(?:\(\s*)?(SELECT|INSERT|UPDATE|DELETE|WITH|MERGE)\s/i;

/** The unquoted table name without its schema (`"public"."Order"` → `Order`). */
export function tableName(written: string): string {
  const last = written.match(/(?:"[^"]+"|`[^`]+`|\[[^\]]+\]|[^.]+)$/)?.[0] ?? written;
  return last.replace(/^["`[]|["`\]]$/g, '');
}

export interface SqlTableReference {
  table: string;
  access: DataAccess;
  /** Offset of the table name in the text, and its length as written (quotes and schema included). */
  index: number;
  length: number;
  /** The statement keyword and table, e.g. `UPDATE orders`. */
  detail: string;
}

/** The tables an SQL statement (a string or template literal) reads and writes. */
export function sqlTableReferences(text: string): SqlTableReference[] {
  if (!LOOKS_LIKE_SQL.test(text)) return [];
  const references: SqlTableReference[] = [];
  for (const { pattern, access } of STATEMENTS) {
    pattern.lastIndex = 0;
    for (const match of text.matchAll(pattern)) {
      const keyword = match[0].slice(0, match[0].indexOf(match[1])).trim().split(/\s+/)[0].toUpperCase();
      references.push({ table: tableName(match[1]), access, index: match.index + match[0].indexOf(match[1]), length: match[1].length, detail: `${keyword} ${tableName(match[1])}` });
    }
  }
  return references.sort((a, b) => a.index - b.index);
}

/** The engine a `CREATE TABLE` statement's table engine clause names: ClickHouse's MergeTree and Log families, MySQL's InnoDB and MyISAM. */
function tableEngine(statement: string): DatabaseEngine | undefined {
  if (/\bENGINE\s*=\s*(\w*MergeTree|TinyLog|StripeLog|Log|Distributed|Kafka)\b/i.test(statement)) return 'clickhouse';
  if (/\bENGINE\s*=\s*(InnoDB|MyISAM)\b/i.test(statement)) return 'mysql';
  return undefined;
}

/** `CREATE TABLE` statements of SQL migrations and schema files: the component that holds them owns the tables. */
export const sqlExtractor: FileExtractor = {
  name: 'sql',
  matches: (file) => /\.sql$/i.test(file),
  extract: ({ file, text }, facts) => {
    const lines = new LineIndex(text);
    const tables: TableDefinition[] = [];
    for (const match of text.matchAll(CREATE_TABLE)) {
      const start = match.index + match[0].lastIndexOf(match[1]);
      const end = text.indexOf(';', start);
      const engine = tableEngine(text.slice(start, end < 0 ? undefined : end));
      tables.push({ name: tableName(match[1]), orm: 'sql', ...(engine ? { engine } : {}), location: lines.span(file, start, start + match[1].length) });
    }
    if (tables.length > 0) facts.tables = tables;
  },
};
