/**
 * Small helpers shared by the browser journeys (not a test file: vitest only collects *.test.ts).
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { expect, onTestFailed } from "vitest";
import { accessibilityViolations, PHONE, type Watched } from "../support/browser";

/**
 * Waits until React has taken over the document (hydrateRoot has run and claimed <main>), so that a
 * click is handled by Remix rather than by a plain form post made before the scripts loaded.
 */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => {
    const main = document.getElementById("main");
    const rootReady = Object.keys(document).some((k) => k.startsWith("__reactContainer$"));
    return rootReady && !!main && Object.keys(main).some((k) => k.startsWith("__reactFiber$"));
  });
}

/** Navigates and waits for hydration. */
export async function visit(page: Page, url: string) {
  await page.goto(url);
  await hydrated(page);
}

/** Runs the axe scan once per kind of page (keyed by `kind`) within a test. */
export function scanner(page: Page) {
  const seen = new Set<string>();
  return async (kind: string) => {
    if (seen.has(kind)) return;
    seen.add(kind);
    expect(await accessibilityViolations(page), `accessibility of ${kind}`).toEqual([]);
  };
}

/**
 * A context with JavaScript switched off (a basic phone browser). Console errors (CSP refusals are
 * logged by the browser itself, scripts or not) are recorded in `problems`, as `openPage` does.
 */
export async function openPageWithoutJs(browser: Browser, options: { viewport?: { width: number; height: number }; name?: string; locale?: string } = {}): Promise<Watched> {
  const context = await browser.newContext({ viewport: options.viewport ?? PHONE, locale: options.locale ?? "en-GB", timezoneId: "Africa/Bamako", javaScriptEnabled: false });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  onTestFailed(async () => {
    fs.mkdirSync("test-results", { recursive: true });
    const file = path.join("test-results", `${(options.name ?? "page-nojs").replace(/\W+/g, "-")}-${Date.now()}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
  });
  return { page, context, problems };
}

/**
 * axe-core cannot run in a page whose scripts are switched off (its checks never settle). This loads
 * the same address, with the same cookies, in a scanning page that blocks the app's own scripts, so
 * that what axe sees is the server-rendered page a script-less browser gets.
 */
export async function accessibilityWithoutScripts(browser: Browser, page: Page): Promise<string[]> {
  const viewport = page.viewportSize() ?? PHONE;
  const context = await browser.newContext({ viewport, locale: "en-GB", timezoneId: "Africa/Bamako" });
  try {
    await context.addCookies(await page.context().cookies());
    await context.route(/\.(js|mjs)(\?.*)?$/, (route) => route.abort());
    const scanPage = await context.newPage();
    await scanPage.goto(page.url());
    return await accessibilityViolations(scanPage);
  } finally {
    await context.close();
  }
}

/** A unique suffix for names and emails, so that a file's tests never collide. */
export function unique() {
  return Math.random().toString(36).slice(2, 8);
}
