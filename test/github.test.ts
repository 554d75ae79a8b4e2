import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import type { Finding } from '../src/model.js';
import { ANNOTATIONS_SHOWN_PER_STEP, escapeData, escapeProperty, github } from '../src/report/github.js';
import { expectedFindingLines, fixture, runCli } from './helpers.js';

/** How the runner reads a workflow command back (the inverse of @actions/core's escaping). */
function parseCommand(line: string): { command: string; properties: Record<string, string>; message: string } | undefined {
  const match = /^::(\w+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!match) return undefined;
  const unescape = (text: string) => text.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  const properties = Object.fromEntries((match[2] ?? '').split(',').filter(Boolean).map((p) => {
    const [key, ...value] = p.split('=');
    return [key, unescape(value.join('='))];
  }));
  return { command: match[1], properties, message: unescape(match[3]) };
}

describe('--format github', () => {
  it("escapes like @actions/core: %, CR and LF in messages; also ':' and ',' in properties", () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('C:\\a,b%\n')).toBe('C%3A\\a%2Cb%25%0A');
  });

  it('annotates every finding with file, line, col, end position and title, which the runner reads back intact', async () => {
    const base = await analyze({ root: fixture('shop-npm') });
    const finding: Finding = {
      ...base.findings.find((f) => f.ruleId === 'content-coupling')!,
      message: 'Odd: 50% of "a,b"\nsecond line',
      location: { file: 'apps/we,ird:name/x.ts', line: 4, column: 2, endLine: 5, endColumn: 7 },
    };
    const [line] = github({ ...base, findings: [finding] }, { chalk: undefined as never }).trimEnd().split('\n');
    expect(line.split('::')).toHaveLength(3);
    const parsed = parseCommand(line)!;
    expect(parsed.command).toBe('error');
    expect(parsed.properties).toEqual({ file: 'apps/we,ird:name/x.ts', line: '4', col: '2', endLine: '5', endColumn: '7', title: 'arch-lint content-coupling' });
    expect(parsed.message).toBe(`Odd: 50% of "a,b"\nsecond line\n↳ apps/payments/src/internal/fees.ts:1:1 internal module of service "@shop/payments"`);
  });

  it('keeps control characters from repository text out of the log, line breaks escaped', async () => {
    const base = await analyze({ root: fixture('shop-npm') });
    const esc = String.fromCharCode(27);
    const finding: Finding = { ...base.findings[0], message: `a${esc}[2Jb\n::error::forged` };
    const output = github({ ...base, findings: [finding] }, { chalk: undefined as never });
    expect(output).not.toContain(esc);
    expect(output.trimEnd().split('\n')).toHaveLength(1);
    expect(parseCommand(output.trimEnd())!.message).toMatch(/^a\\u001b\[2Jb\n::error::forged\n↳ /);
  });

  it(`adds a summary only when a step has more than ${ANNOTATIONS_SHOWN_PER_STEP} errors or warnings`, async () => {
    const base = await analyze({ root: fixture('shop-npm') });
    const many = (n: number, severity: Finding['severity']) => Array.from({ length: n }, () => ({ ...base.findings[0], severity }));
    const format = (findings: Finding[]) => github({ ...base, findings }, { chalk: undefined as never }).trimEnd().split('\n');
    const within = format([...many(10, 'error'), ...many(10, 'warning')]);
    expect(within).toHaveLength(20);
    expect(within.every((l) => l.startsWith('::'))).toBe(true);
    const beyond = format([...many(12, 'error'), ...many(3, 'warning')]);
    expect(beyond).toHaveLength(16);
    expect(beyond.at(-1)).toMatch(/^arch-lint: 12 errors and 3 warnings; GitHub shows only the first 10 of each per step/);
  });

  it('prints real annotations from the CLI and exits 1 on errors', async () => {
    const run = await runCli(['-f', 'github', '--no-cache'], { cwd: fixture('shop-npm') });
    expect(run.code).toBe(1);
    const commands = run.stdout.trimEnd().split('\n').map(parseCommand);
    expect(commands.map((c) => `${c!.command} ${c!.properties.file}:${c!.properties.line}`)).toEqual(expectedFindingLines('shop-npm').map((at) => `error ${at}`));
  });
});
