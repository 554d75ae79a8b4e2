import { createRequire } from 'node:module';

const manifest = createRequire(import.meta.url)('../package.json') as { version: string; homepage?: string };

export const TOOL_NAME = 'arch-lint';
export const TOOL_VERSION: string = manifest.version;
export const INFORMATION_URI = 'https://github.com/arch-lint/arch-lint';

/** Where a rule's documentation page lives. */
export function ruleDocsUrl(ruleId: string): string {
  return `${INFORMATION_URI}/blob/main/docs/rules/${ruleId}.md`;
}
