/** A picomatch glob: an empty one matches nothing and picomatch refuses it. */
const glob = { type: 'string', minLength: 1 } as const;

/** JSON schema of the arch-lint configuration (`.archlintrc.yml`, `package.json#archlint`, …). */
export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    services: { type: 'array', items: glob, description: 'Folder globs whose components are services; a matching folder discovery did not find becomes one.' },
    jobs: { type: 'array', items: glob, description: 'Folder globs whose components are jobs: deployables that run to completion (migrators, seeders, cron tasks); a matching folder discovery did not find becomes one.' },
    frontends: { type: 'array', items: glob, description: 'Folder globs whose components are frontends: deployables that call services and that no service calls (SPAs, static sites, mobile apps); a matching folder discovery did not find becomes one.' },
    libraries: { type: 'array', items: glob, description: 'Folder globs whose components are libraries.' },
    contracts: { type: 'array', items: glob, description: 'Folder globs whose components are contracts.' },
    groups: {
      type: 'object',
      description: 'Service name → the components (ids or folder globs) deployed as that one service.',
      additionalProperties: { type: 'array', items: glob, minItems: 1 },
    },
    hosts: {
      type: 'object',
      description: 'Service id or folder → host names that reach it (a public domain, a gateway route), besides those deployment files give it.',
      additionalProperties: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
    },
    public: {
      type: 'object',
      description: 'Component id or folder → globs (relative to the component folder) of files that are public.',
      additionalProperties: { type: 'array', items: glob },
    },
    ignore: { type: 'array', items: glob, description: 'Globs of files and folders not to analyse.' },
    testFiles: {
      type: 'array',
      items: glob,
      description: 'Globs of test files (rules may be told to skip them).',
    },
    maxFileSize: { type: 'integer', minimum: 1, description: 'Files larger than this many bytes are skipped.' },
    rules: {
      type: 'object',
      additionalProperties: {
        oneOf: [
          { enum: ['off', 'warn', 'error'] },
          {
            type: 'array',
            minItems: 1,
            maxItems: 2,
            items: [{ enum: ['off', 'warn', 'error'] }, { type: 'object' }],
          },
        ],
      },
    },
  },
} as const;
