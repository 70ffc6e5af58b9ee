/**
 * Browser tests drive Debian's Chromium through playwright-core (no browser download). Each test
 * gets fresh contexts; console errors, CSP violations and page errors are collected and asserted on;
 * a screenshot is kept under test-results/ when a test fails.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { onTestFailed } from "vitest";

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };

/** `extraArgs`: e.g. `--host-resolver-rules=MAP field.test 127.0.0.1` to reach the app without a secure context. */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      ...extraArgs,
    ],
  });
}

export type Watched = { page: Page; context: BrowserContext; problems: string[] };

/** A new context and page that records console errors, CSP violations and uncaught errors. */
export async function openPage(browser: Browser, options: { viewport?: { width: number; height: number }; locale?: string; name?: string } = {}): Promise<Watched> {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP, locale: options.locale ?? "en-GB", timezoneId: "Africa/Bamako" });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (msg) => {
    // A 4xx answer to a form submission is how validation errors arrive; Chromium logs it as a
    // failed resource. Everything else logged as an error (CSP violations included) is a problem.
    if (msg.type() === "error" && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  onTestFailed(async () => {
    fs.mkdirSync("test-results", { recursive: true });
    const file = path.join("test-results", `${(options.name ?? "page").replace(/\W+/g, "-")}-${Date.now()}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
  });
  return { page, context, problems };
}

/** Runs axe-core on the page and returns serious and critical violations (WCAG 2.1 A/AA rules). */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Signs in through the real form. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel(/^(Email|Adresse électronique)$/).fill(email);
  await page.getByLabel(/^(Password|Mot de passe)$/).fill(password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/sign-in")), page.getByRole("button", { name: /^(Sign in|Se connecter)$/ }).click()]);
}
