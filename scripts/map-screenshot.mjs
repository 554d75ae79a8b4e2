#!/usr/bin/env node
/**
 * Draws a repository's service map with the built CLI, opens the page in headless Chromium (playwright-core,
 * Debian's /usr/bin/chromium), writes a PNG of it and prints how the layout measures: nodes, edges, node boxes
 * that overlap, edge crossings (edges sharing an end not counted) and edges passing through a node box.
 *
 *   npm run build && node scripts/map-screenshot.mjs <dir> <out.png> [--detail services|components]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/* global document -- the measuring function runs in the page */

const [dir, out, ...rest] = process.argv.slice(2);
if (!dir || !out) {
  console.error('usage: node scripts/map-screenshot.mjs <dir> <out.png> [--detail services|components]');
  process.exit(2);
}
const detail = rest[rest.indexOf('--detail') + 1] ?? 'services';
const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'arch-lint.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-shot-'));
const page = path.join(work, 'map.html');
execFileSync(process.execPath, [bin, 'graph', dir, '-f', 'html', '--detail', detail, '--no-progress', '-o', page], { stdio: 'ignore' });

const context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  viewport: { width: 1400, height: 900 },
});
try {
  const tab = await context.newPage();
  await tab.goto(pathToFileURL(page).href);
  await tab.locator('[data-node]').first().waitFor();
  const measured = await tab.evaluate(() => {
    const boxes = [...document.querySelectorAll('[data-node]')].map((g) => {
      const { x, y, width, height } = g.firstElementChild.getBBox();
      return { id: g.getAttribute('data-node'), x, y, width, height };
    });
    const edges = [...document.querySelectorAll('[data-edge]')].map((g) => ({
      ends: g.querySelector('title').textContent,
      points: g.querySelector('path').getAttribute('d').slice(1).split(' L').map((p) => p.split(',').map(Number)),
    }));
    const side = (a, b, c) => Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
    const cross = (p, q, r, s) => side(r, s, p) * side(r, s, q) < 0 && side(p, q, r) * side(p, q, s) < 0;
    const segments = (points) => points.slice(1).map((p, i) => [points[i], p]);
    const ends = (edge) => edge.ends.slice(0, edge.ends.lastIndexOf(' (')).split(' → ');
    let overlaps = 0;
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => (overlaps += a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height ? 1 : 0)));
    let crossings = 0;
    edges.forEach((e, i) => edges.slice(i + 1).forEach((f) => {
      if (ends(e).some((end) => ends(f).includes(end))) return;
      for (const [p, q] of segments(e.points)) for (const [r, s] of segments(f.points)) if (cross(p, q, r, s)) crossings++;
    }));
    let throughNodes = 0;
    for (const e of edges) {
      for (const b of boxes) {
        if (ends(e).includes(b.id)) continue;
        const corners = [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]];
        if (segments(e.points).some(([p, q]) => corners.some((c, k) => cross(p, q, c, corners[(k + 1) % 4])))) throughNodes++;
      }
    }
    return { nodes: boxes.length, edges: edges.length, overlaps, crossings, throughNodes };
  });
  await tab.screenshot({ path: out });
  console.log(JSON.stringify({ detail, page: fs.statSync(page).size, ...measured }));
} finally {
  await context.close();
  fs.rmSync(work, { recursive: true, force: true });
}
