import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../src/facts/dotenv.js';
import { extractFileFacts } from '../src/facts/index.js';
import { sqlTableReferences } from '../src/facts/sql.js';
import { parseConnectionUrl } from '../src/util/databases.js';
import { redactCredentials } from '../src/util/redact.js';
import { expandVariables } from '../src/util/variables.js';

const soup = (units: string[], maxLength = 300) => fc.string({ unit: fc.constantFrom(...units), maxLength });
const anyText = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), soup(['=', '"', "'", '`', '#', '\n', ' ', '$', '{', '}', ':', '-', 'A', 'b', '1', '\\', 'export ']));
const name = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,12}$/);
/** Values dotenv writes unquoted-safe inside double quotes: no quote, backslash or newline. */
const plainValue = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '/', ':', '@', '.', '-', '_', ' ', '#', '=', '?'), maxLength: 30 });
const secret = fc.stringMatching(/^[A-Za-z0-9_~!*()-]{6,20}$/);

describe('data parsers never throw and keep their promises', () => {
  it('dotenv: any text parses; written assignments read back with their lines', () => {
    fc.assert(fc.property(anyText, (text) => void parseDotenv('.env', text)), { numRuns: 300 });
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(name, plainValue), { selector: ([n]) => n, maxLength: 8 }), (pairs) => {
        const text = pairs.map(([n, v]) => `${n}="${v}"`).join('\n');
        expect(parseDotenv('.env', text).map((a) => [a.name, a.value, a.location.line])).toEqual(pairs.map(([n, v], i) => [n, v, i + 1]));
      }),
      { numRuns: 200 },
    );
  });

  it('variables: expansion never throws, and a text without `$` is unchanged', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const expanded = expandVariables(text, (n) => (n.length % 2 ? '${' + n + '}' : undefined));
        if (!text.includes('$')) expect(expanded).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('redaction: no password of a connection URL survives, whatever it contains', () => {
    fc.assert(
      fc.property(fc.constantFrom('postgres', 'mysql', 'mongodb+srv', 'redis'), fc.stringMatching(/^[a-z]{1,8}$/), secret, (scheme, user, password) => {
        const url = `${scheme}://${user}:${password}@db.internal:5432/app`;
        expect(redactCredentials(`URL=${url} # ${url}`)).not.toContain(password);
        expect(parseConnectionUrl(url)).toMatchObject({ host: 'db.internal', port: 5432, database: 'app' });
      }),
      { numRuns: 300 },
    );
  });

  it('SQL: any literal text gives table references inside the text', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, soup(['SELECT ', 'FROM ', 'JOIN ', 'UPDATE ', ' SET ', 'INSERT INTO ', '"', '.', '(', ')', 'orders', ' ', 'x'])), (text) => {
        for (const reference of sqlTableReferences(text)) {
          // The offset points at the start of the written name (maybe quoted or schema-qualified), which holds the table.
          expect(text[reference.index]).toMatch(/["`[A-Za-z_]/);
          expect(text.slice(reference.index)).toContain(reference.table);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('compose, Kubernetes, Prisma, SQL and configuration-file extractors turn any text into facts or diagnostics naming the file', () => {
    const yamlSoup = soup(['services:', 'kind: Secret', 'apiVersion: v1', '\n', '  ', '- ', 'data:', 'env:', '<<: *a', '&a ', '{', '}', ':', 'x', '"', 'volumes:', ' |', '[db]', 'url = ', 'a:b@tcp(h:1)/d', 'postgres://u:p@h/d']);
    fc.assert(
      fc.property(fc.constantFrom('docker-compose.yml', 'k8s/app.yaml', 'schema.prisma', 'db/001.sql', '.env', 'config/app.toml'), fc.oneof(anyText, yamlSoup), (file, text) => {
        const facts = extractFileFacts(file, text);
        for (const d of facts.diagnostics) expect(d.file).toBe(file);
        expect(facts.diagnostics.filter((d) => d.code === 'extract-failed')).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});
