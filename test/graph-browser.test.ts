import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`graph-browser.test: skipped, no Chromium at ${CHROMIUM} (install Debian's chromium package; .ci/run does)`);

describe.skipIf(!hasChromium)('arch-lint graph --format html in a real browser', () => {
  it('draws the services offline and shows a service evidence when clicked', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-map-'));
    const page = path.join(dir, 'map.html');
    const run = await runCli(['graph', fixture('monolith-cycle'), '--format', 'html', '-o', page]);
    expect(run.code).toBe(0);

    const context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
      viewport: { width: 1280, height: 800 },
    });
    try {
      const tab = await context.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      tab.on('request', (request) => requests.push(request.url()));
      tab.on('pageerror', (error) => errors.push(error.message));
      tab.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
      await tab.goto(pathToFileURL(page).href);

      for (const service of ['@acme/billing', '@acme/orders', '@acme/shipping', 'catalog']) {
        await expect.poll(() => tab.locator(`[data-node="${service}"]`).isVisible()).toBe(true);
      }
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

      await tab.screenshot({ path: path.join(dir, 'map.png'), fullPage: true });
      expect(fs.statSync(path.join(dir, 'map.png')).size).toBeGreaterThan(10_000);
      expect(errors).toEqual([]);
      expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
      if (process.env.ARCH_LINT_KEEP_SCREENSHOT) fs.copyFileSync(path.join(dir, 'map.png'), process.env.ARCH_LINT_KEEP_SCREENSHOT);
    } finally {
      await context.close();
    }
  });
});
