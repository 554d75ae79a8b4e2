import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceMap } from '../src/report/graph/model.js';
import { fixture, REPO_ROOT, runCli } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`graph-browser.test: skipped, no Chromium at ${CHROMIUM} (install Debian's chromium package; .ci/run does)`);

describe.skipIf(!hasChromium)('arch-lint graph --format html in a real browser', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-map-'));
  let context: BrowserContext;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
      viewport: { width: 1280, height: 800 },
    });
  });
  afterAll(async () => {
    await context?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The page `arch-lint graph` writes for root, opened from file:, every request and error recorded. */
  async function open(root: string, name: string): Promise<Page> {
    const page = path.join(dir, `${name}.html`);
    const run = await runCli(['graph', root, '--format', 'html', '-o', page]);
    expect(run.code).toBe(0);
    const tab = await context.newPage();
    tab.on('request', (request) => requests.push(request.url()));
    tab.on('pageerror', (error) => errors.push(error.message));
    tab.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await tab.goto(pathToFileURL(page).href);
    await tab.locator('[data-node]').first().waitFor();
    return tab;
  }

  async function mapOf(root: string, detail: string): Promise<ServiceMap> {
    return JSON.parse((await runCli(['graph', root, '--format', 'json', '--detail', detail])).stdout) as ServiceMap;
  }

  /** Pairs of node boxes that overlap, as drawn on the screen. */
  async function overlapping(tab: Page): Promise<string[]> {
    const boxes: { id: string; x: number; y: number; width: number; height: number }[] = [];
    for (const node of await tab.locator('[data-node]').all()) boxes.push({ id: (await node.getAttribute('data-node'))!, ...(await node.locator(':scope > :first-child').boundingBox())! });
    return boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height).map((b) => `${a.id} / ${b.id}`));
  }

  /** How many of the matched elements are displayed. */
  async function displayed(tab: Page, selector: string): Promise<number> {
    let count = 0;
    for (const element of await tab.locator(selector).all()) if (await element.isVisible()) count++;
    return count;
  }

  it('draws the services offline and shows a service evidence when clicked', async () => {
    const tab = await open(fixture('monolith-cycle'), 'monolith-cycle');
    for (const service of ['@acme/billing', '@acme/orders', '@acme/shipping', 'catalog']) {
      await expect.poll(() => tab.locator(`[data-node="${service}"]`).isVisible()).toBe(true);
    }
    expect(await tab.locator('[data-node]').count()).toBe(4);
    expect(await tab.locator('.group').count()).toBe(1);
    expect(await tab.locator('.edge.violating').count()).toBe(4);

    await tab.locator('[data-node="@acme/orders"]').click();
    const details = tab.locator('#details');
    await expect.poll(() => details.textContent()).toContain('Depends on');
    const text = (await details.textContent()) ?? '';
    expect(text).toContain('@acme/orders');
    expect(text).toContain('apps/orders/src/index.ts:3:28');
    expect(text).toContain('apps/orders/package.json:8:5');
    expect(text).toContain('service-cycle');
    expect(text).toContain('Why the group deploys together');

    await tab.screenshot({ path: path.join(dir, 'map.png') });
    expect(fs.statSync(path.join(dir, 'map.png')).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
  });

  it('on a generated repository: no two boxes overlap at either level, focus dims all but the neighbours, filters remove their edges, the level switch redraws', async () => {
    const root = path.join(dir, 'generated');
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'generate-monorepo.mjs'), '--files', '2500', '--out', root], { stdio: 'ignore' });
    const [services, components] = [await mapOf(root, 'services'), await mapOf(root, 'components')];
    expect(components.nodes.length).toBeGreaterThan(services.nodes.length);
    const tab = await open(root, 'generated');

    expect(await tab.locator('[data-node]').count()).toBe(services.nodes.length);
    expect(await tab.locator('[data-edge]').count()).toBe(services.edges.length);
    expect(await overlapping(tab)).toEqual([]);

    // Focus: the node and its neighbours one hop away stay; every other node and edge is dimmed.
    const hub = services.nodes.map((n) => n.id).sort((a, b) => degree(services, b) - degree(services, a))[0];
    const near = new Set([hub, ...services.edges.flatMap((e) => (e.from === hub ? [e.to] : e.to === hub ? [e.from] : []))]);
    expect(near.size).toBeLessThan(services.nodes.length);
    await tab.locator(`[data-node="${hub}"]`).click();
    const dimmed = await Promise.all((await tab.locator('[data-node].dimmed').all()).map((node) => node.getAttribute('data-node')));
    expect(dimmed.sort()).toEqual(services.nodes.map((n) => n.id).filter((id) => !near.has(id)).sort());
    expect(Number(await tab.evaluate(`getComputedStyle(document.querySelector('[data-node].dimmed')).opacity`))).toBeLessThan(0.2);
    expect(await tab.locator('[data-edge]:not(.dimmed)').count()).toBe(services.edges.filter((e) => near.has(e.from) && near.has(e.to)).length);
    await tab.locator('#canvas').click({ position: { x: 5, y: 5 } });
    expect(await tab.locator('.dimmed').count()).toBe(0);

    // Filters: an unchecked kind removes its edges; the finding filter keeps only edges a finding points at.
    const imports = services.edges.filter((e) => e.kind === 'import').length;
    expect(imports).toBeGreaterThan(0);
    await tab.locator('#kinds input[value="import"]').uncheck();
    expect(await displayed(tab, '.edge.import')).toBe(0);
    expect(await displayed(tab, '[data-edge]')).toBe(services.edges.length - imports);
    await tab.locator('#kinds input[value="import"]').check();
    await tab.locator('#finding').selectOption('*');
    expect(await displayed(tab, '[data-edge]')).toBe(services.edges.filter((e) => e.violations.length > 0).length);
    await tab.locator('#finding').selectOption('');

    // Search marks the matching nodes.
    await tab.locator('#search').fill(hub);
    expect(await tab.locator('.node.match').count()).toBeGreaterThanOrEqual(1);
    await tab.locator('#search').fill('');

    // The level switch draws every component, still without overlaps.
    await tab.locator('#level').selectOption('components');
    await expect.poll(() => tab.locator('[data-node]').count()).toBe(components.nodes.length);
    expect(await tab.locator('[data-edge]').count()).toBe(components.edges.length);
    expect(await tab.locator('#summary').textContent()).toContain(`${components.edges.length} edges`);
    expect(await overlapping(tab)).toEqual([]);
    await tab.locator('#level').selectOption('services');
    await expect.poll(() => tab.locator('[data-node]').count()).toBe(services.nodes.length);

    expect(errors).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
  });

  it('draws a hostile name as text, never as markup', async () => {
    const root = path.join(dir, 'hostile');
    const name = '<img src=x onerror="document.title=1">';
    fs.mkdirSync(path.join(root, 'apps', 'evil'), { recursive: true });
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'root', private: true, workspaces: ['apps/*'] }));
    fs.writeFileSync(path.join(root, 'apps', 'evil', 'package.json'), JSON.stringify({ name, scripts: { start: 'node index.js' } }));
    fs.writeFileSync(path.join(root, 'apps', 'evil', 'Dockerfile'), 'FROM node:20\nCOPY . .\nCMD ["node", "index.js"]\n');
    fs.writeFileSync(path.join(root, 'apps', 'evil', 'index.js'), 'console.log(1);\n');
    const tab = await open(root, 'hostile');
    expect(await tab.locator('[data-node] text').allTextContents()).toEqual([name]);
    expect(await tab.locator('img').count()).toBe(0);
    expect(await tab.title()).toBe('Service map · arch-lint');
    expect(errors).toEqual([]);
  });
});

function degree(map: ServiceMap, id: string): number {
  return map.edges.filter((e) => e.from === id || e.to === id).length;
}
