import type { Component, ComponentKind } from '../model.js';
import { escapeControlCharacters } from '../util/text.js';
import { INFORMATION_URI } from '../version.js';

/** The file `arch-lint init` writes at the root. */
export const INIT_CONFIG_FILE = '.archlintrc.yml';

const SECTIONS: { kind: ComponentKind; key: string; meaning: string }[] = [
  { kind: 'service', key: 'services', meaning: 'deployable units that own their state' },
  { kind: 'job', key: 'jobs', meaning: 'deployables that run to completion: migrators, seeders, cron tasks' },
  { kind: 'frontend', key: 'frontends', meaning: 'deployables that call services and that nobody calls: SPAs, static sites, mobile apps' },
  { kind: 'library', key: 'libraries', meaning: 'shared packages' },
  { kind: 'contract', key: 'contracts', meaning: "a service's public face: client, types or schemas packages" },
];

/**
 * The text of a first configuration: every discovered component under its kind, with the evidence as a
 * comment, so that the user corrects what discovery got wrong; the other keys commented out.
 */
export function initialConfig(components: Component[]): string {
  const lines = [
    '# arch-lint configuration, written by `arch-lint init` from what it discovered.',
    '# Check every entry: move a folder to the list of its real kind, and commit the file.',
    `# Every key is optional: ${INFORMATION_URI}#configuration`,
  ];
  for (const { kind, key, meaning } of SECTIONS) {
    const listed = components.filter((component) => component.kind === kind);
    lines.push('', `# ${meaning}`, listed.length > 0 ? `${key}:` : `${key}: []`);
    for (const component of listed) {
      const why = escapeControlCharacters(component.reasons.join('; ')).replace(/\s+/g, ' ');
      lines.push(`  - ${JSON.stringify(component.dir === '' ? component.id : component.dir)}${why ? `  # ${why}` : ''}`);
    }
  }
  lines.push(
    '',
    '# groups:                       # deployables of one bounded context form one service',
    '#   checkout: [apps/checkout-api, apps/checkout-worker]',
    '# hosts:                        # host names that reach a service, besides those deployment files give it',
    '#   checker: [checker.example.com]',
    "# ignore: ['legacy/**']",
    '# rules:',
    '#   service-fan-out: [warn, { max: 5 }]',
  );
  return `${lines.join('\n')}\n`;
}
