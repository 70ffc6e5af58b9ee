/**
 * Journey: keyboard only. The skip link is the first stop and moves focus to the main content; from
 * there a person signs in with Tab, typing and Enter, and reaches the home page.
 */
import type { Browser, Locator, Page } from "playwright-core";
import { DESKTOP, launchBrowser, openPage, PHONE } from "../support/browser";
import { startTestServer, type TestServer } from "../support/server";
import { scanner, unique, visit } from "./helpers";

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

function isFocused(locator: Locator) {
  return locator.evaluate((el) => el === document.activeElement);
}
function focusedId(page: Page) {
  return page.evaluate(() => document.activeElement?.id ?? null);
}
function focusedText(page: Page) {
  return page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? null);
}

/** Tab to the skip link (the first stop), check it shows, and follow it: focus lands on <main>. */
async function useSkipLink(page: Page) {
  await page.keyboard.press("Tab");
  expect(await focusedText(page)).toBe("Skip to content");
  const skip = page.getByRole("link", { name: "Skip to content" });
  expect(await isFocused(skip)).toBe(true);
  // Visually hidden until focused; then it is on screen for sighted keyboard users.
  const box = await skip.boundingBox();
  expect(box && box.width > 20 && box.height > 10).toBe(true);
  await page.keyboard.press("Enter");
  await expect.poll(() => focusedId(page)).toBe("main");
  expect(new URL(page.url()).hash).toBe("#main");
}

describe("keyboard only", () => {
  it("signs in with Tab, typing and Enter, starting from the skip link", async () => {
    const email = `keyboard-${unique()}@example.org`;
    await server.createAccount(email, "correct horse battery", "Keyboard user");
    const { page, context, problems } = await openPage(browser, { viewport: DESKTOP, name: "keyboard-sign-in" });
    const scan = scanner(page);
    await visit(page, `${server.url}/sign-in`);
    await scan("sign-in");

    await useSkipLink(page);
    // The next stop after the main content's start is the email field.
    await page.keyboard.press("Tab");
    const emailField = page.getByLabel("Email");
    expect(await isFocused(emailField)).toBe(true);
    await page.keyboard.type(email);
    await page.keyboard.press("Tab");
    const passwordField = page.getByLabel("Password");
    expect(await isFocused(passwordField)).toBe(true);
    await page.keyboard.type("correct horse battery");
    await Promise.all([page.waitForURL(`${server.url}/`), page.keyboard.press("Enter")]);
    await page.getByRole("heading", { name: "Your programmes" }).waitFor();
    await page.getByText("Signed in as Keyboard user").waitFor();
    await scan("home");

    expect(problems).toEqual([]);
    await context.close();
  });

  it("reaches the email field by tabbing from the page start, and a wrong password is announced", async () => {
    const email = `keyboard-${unique()}@example.org`;
    await server.createAccount(email, "correct horse battery", "Keyboard phone user");
    const { page, context, problems } = await openPage(browser, { viewport: PHONE, name: "keyboard-tab-order" });
    const scan = scanner(page);
    await visit(page, `${server.url}/sign-in`);
    await scan("sign-in");

    // Tab through the header (skip link, home link, menu, language buttons) to the email field.
    const emailField = page.getByLabel("Email");
    const stops: string[] = [];
    for (let i = 0; i < 12 && !(await isFocused(emailField)); i++) {
      await page.keyboard.press("Tab");
      stops.push((await focusedText(page)) ?? "");
    }
    expect(await isFocused(emailField)).toBe(true);
    expect(stops.slice(0, -1)).toEqual(["Skip to content", "Parley", "Join a session", "Sign in", "English", "Français"]);

    // A wrong password first: the error is announced, the email is kept.
    await page.keyboard.type(email);
    await page.keyboard.press("Tab");
    await page.keyboard.type("not the password");
    await page.keyboard.press("Enter");
    await page.getByRole("alert").filter({ hasText: "That email and password do not match an account." }).waitFor();
    expect(await emailField.inputValue()).toBe(email);
    await scan("sign-in with error");

    // Then the right one, still by keyboard only.
    await emailField.focus();
    await page.keyboard.press("Tab");
    const passwordField = page.getByLabel("Password");
    expect(await isFocused(passwordField)).toBe(true);
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("correct horse battery");
    await Promise.all([page.waitForURL(`${server.url}/`), page.keyboard.press("Enter")]);
    await page.getByText("Signed in as Keyboard phone user").waitFor();

    // On the home page too (loaded afresh), the skip link takes focus past the header to the content.
    await visit(page, `${server.url}/`);
    await useSkipLink(page);
    await page.keyboard.press("Tab");
    expect(await focusedText(page)).toBe("New programme");
    await scan("home");

    expect(problems).toEqual([]);
    await context.close();
  });

  it("does not leave keyboard focus behind on the page it left after signing in", async () => {
    // After a navigation inside the app (here: signing in), a keyboard or screen-reader user must
    // start from the new page: either focus is moved to its main content or heading, or the next Tab
    // starts from the top of the page (the skip link), as after a full page load. Focus left on
    // <body> with the browser's starting point where the old form was fails both.
    const email = `keyboard-${unique()}@example.org`;
    await server.createAccount(email, "correct horse battery", "Keyboard focus user");
    const { page, context, problems } = await openPage(browser, { viewport: DESKTOP, name: "keyboard-focus-after-navigation" });
    const scan = scanner(page);
    await visit(page, `${server.url}/sign-in`);
    await scan("sign-in");
    await page.getByLabel("Email").focus();
    await page.keyboard.type(email);
    await page.keyboard.press("Tab");
    await page.keyboard.type("correct horse battery");
    await Promise.all([page.waitForURL(`${server.url}/`), page.keyboard.press("Enter")]);
    await page.getByText("Signed in as Keyboard focus user").waitFor();
    const focusedOnNewContent = await page.evaluate(() => {
      const el = document.activeElement;
      return !!el && el !== document.body && (el.id === "main" || el.tagName === "H1" || !!el.closest("#main"));
    });
    let firstTabStop: string | null = null;
    if (!focusedOnNewContent) {
      await page.keyboard.press("Tab");
      firstTabStop = await focusedText(page);
    }
    await scan("home");
    expect(focusedOnNewContent || firstTabStop === "Skip to content", `focus after signing in: first Tab went to "${firstTabStop}"`).toBe(true);

    expect(problems).toEqual([]);
    await context.close();
  });
});
