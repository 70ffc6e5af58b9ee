import type { Browser } from "playwright-core";
import { accessibilityViolations, launchBrowser, openPage, PHONE } from "../support/browser";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("language and security in the browser", () => {
  it("follows the browser's language by default", async () => {
    const { page, context, problems } = await openPage(browser, { locale: "fr-FR", name: "default-fr" });
    await page.goto(server.url + "/");
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("fr");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Bienvenue sur Parley");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("switches to French with the picker and stays French after reload, without CSP violations", async () => {
    const { page, context, problems } = await openPage(browser, { viewport: PHONE, locale: "en-GB", name: "switch-fr" });
    await page.goto(server.url + "/join");
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
    await page.getByRole("heading", { name: "Join a session" }).waitFor();
    await Promise.all([page.waitForURL(/\/join$/), page.getByRole("button", { name: "Français" }).click()]);
    await page.getByRole("heading", { name: "Rejoindre une séance" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "Rejoindre une séance" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    expect(await page.getByLabel("Code de participation").count()).toBe(1);
    // Back to English, from the same picker.
    await Promise.all([page.waitForURL(/\/join$/), page.getByRole("button", { name: "English" }).click()]);
    await page.getByRole("heading", { name: "Join a session" }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows field errors in French and keeps what was typed", async () => {
    const { page, context, problems } = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "join-error-fr" });
    await page.goto(server.url + "/join");
    await page.getByLabel("Code de participation").fill("ABC");
    await page.getByLabel("Votre nom").fill("Aïssata");
    await page.getByRole("button", { name: "Rejoindre" }).click();
    await page.getByText("Un code de participation compte 8 lettres et chiffres.").waitFor();
    expect(await page.getByLabel("Votre nom").inputValue()).toBe("Aïssata");
    expect(await page.getByLabel("Code de participation").getAttribute("aria-invalid")).toBe("true");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("has no serious accessibility violations on the public pages", async () => {
    const { page, context } = await openPage(browser, { viewport: PHONE, name: "a11y-public" });
    for (const path of ["/", "/join", "/sign-in"]) {
      await page.goto(server.url + path);
      expect(await accessibilityViolations(page), path).toEqual([]);
    }
    await context.close();
  });
});
