/**
 * Reading corpus label files (corpus/<name>.yaml, format in corpus/README.md): parsed with the yaml
 * package and checked against a JSON schema, so that a typo in a label is an error with its path
 * instead of a label that silently matches nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parseDocument } from 'yaml';

const labelEntry = {
  type: 'object',
  additionalProperties: false,
  properties: {
    rule: { type: 'string', minLength: 1 },
    services: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
    includes: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
    file: { type: 'string', minLength: 1 },
    database: { type: 'string', minLength: 1 },
    line: { type: 'integer', minimum: 1 },
    why: { type: 'string', minLength: 1 },
    source: { enum: ['review'] },
  },
  required: ['why'],
  anyOf: [{ required: ['rule'] }, { required: ['services'] }, { required: ['includes'] }, { required: ['file'] }],
  dependencies: { line: ['file'] },
};

const labelFileSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    repo: { type: 'string', pattern: '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$' },
    commit: { type: 'string', pattern: '^[0-9a-f]{40}$' },
    labelled: { type: 'string' },
    shape: { type: 'string' },
    shapes: { type: 'array', items: { type: 'string' } },
    deployables: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          dir: { type: 'string', minLength: 1 },
          kind: { enum: ['service', 'job', 'frontend'] },
          language: { type: 'string' },
          why: { type: 'string' },
        },
        required: ['dir', 'kind'],
      },
    },
    expect: { type: 'array', items: labelEntry },
    debatable: { type: 'array', items: labelEntry },
    forbid: { type: 'array', items: labelEntry },
  },
  required: ['repo', 'commit', 'shape'],
};

const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(labelFileSchema);

/**
 * @typedef {{ rule?: string, services?: string[], includes?: string[], database?: string, file?: string, line?: number, why: string, source?: 'review' }} Label
 * @typedef {{ dir: string, kind: 'service' | 'job' | 'frontend', language?: string, why?: string }} Deployable
 * @typedef {{ repo: string, commit: string, labelled?: string, shape: string, shapes?: string[], deployables: Deployable[], expect: Label[], debatable: Label[], forbid: Label[] }} LabelFile
 */

/**
 * Parses one label file's text; throws an Error naming the file and every problem.
 * @param {string} text
 * @param {string} fileName
 * @returns {LabelFile}
 */
export function parseLabels(text, fileName) {
  const document = parseDocument(text, { uniqueKeys: true, maxAliasCount: 100 });
  if (document.errors.length > 0) throw new Error(`${fileName}: ${document.errors.map((e) => e.message).join('; ')}`);
  const labels = document.toJS() ?? {};
  // An unquoted commit made of digits (or digits and one e) reads as a number: keep its source text.
  const commit = document.get('commit', true);
  if (commit && typeof commit.source === 'string') labels.commit = commit.source;
  if (!validate(labels)) {
    const problems = validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`);
    throw new Error(`${fileName}: ${problems.join('; ')}`);
  }
  return {
    ...labels,
    deployables: labels.deployables ?? [],
    expect: labels.expect ?? [],
    debatable: labels.debatable ?? [],
    forbid: labels.forbid ?? [],
  };
}

/** Every label file in `corpusDir`, by name (the file name without `.yaml`), sorted. */
export function readLabelFiles(corpusDir) {
  return fs
    .readdirSync(corpusDir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => ({ name: file.slice(0, -'.yaml'.length), labels: parseLabels(fs.readFileSync(path.join(corpusDir, file), 'utf8'), file) }));
}
