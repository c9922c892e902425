// Debian's Chromium driven by playwright-core (no browser is ever downloaded). Names that
// are not 127.0.0.1 resolve nowhere, so a test can tell that nothing left the machine.
// Every page is watched for script errors and Content-Security-Policy violations, and
// its API answers are checked against their OpenAPI schemas.
import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { watchResponses } from './openapi.mjs';
import { repoRoot } from './server.mjs';

export const screenshotDir = process.env.RUBRICA_SCREENSHOTS ?? path.join(repoRoot, 'build/screenshots/web');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1', '--lang=es-419'],
  });
}

/** A person's browser: its own cookies, every request and problem recorded. */
export class Person {
  static async open(browser, name, mismatches) {
    const context = await browser.newContext({ locale: 'es-MX', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    return new Person(name, context, page, mismatches);
  }

  constructor(name, context, page, mismatches) {
    this.name = name;
    this.context = context;
    this.page = page;
    this.requests = []; // { url, method, body: Buffer | null }
    this.problems = []; // script errors and CSP violations
    context.on('request', (r) => this.requests.push({ url: r.url(), method: r.method(), body: r.postDataBuffer() }));
    page.on('pageerror', (e) => this.problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to (load|execute|apply|create|connect)/i.test(m.text())) {
        this.problems.push(`CSP: ${m.text()}`);
      }
    });
    watchResponses(page, mismatches);
  }

  async close() {
    await this.context.close();
  }
}

/** Full-page screenshots at 1280 px and 390 px wide: <dir>/<name>-1280.png, -390.png. */
export async function screenshots(page, name) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const before = page.viewportSize();
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(screenshotDir, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(before);
}

/**
 * Serious and critical WCAG 2.x A/AA violations axe finds on the page. axe runs in the page
 * itself ("legacy mode": the pages have no frames, so the default's extra blank page, where
 * axe is injected a second time to merge the frames' results, only costs time) and details
 * only the violations, every node of them (the rules that pass are still run).
 */
export async function accessibilityViolations(page) {
  const result = await new AxeBuilder({ page })
    .setLegacyMode()
    .options({ resultTypes: ['violations'] })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
