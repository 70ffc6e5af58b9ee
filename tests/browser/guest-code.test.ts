/**
 * Journey: guests join with the session's join code on a shared phone, typed as people type it (lower
 * case, with a dash); a second person takes part as themselves through "Switch participant"; and the
 * code works as a plain form post on a browser without JavaScript.
 */
import type { Browser } from "playwright-core";
import { launchBrowser, openPage, PHONE } from "../support/browser";
import { createSessionFixture, startTestServer, type TestServer } from "../support/server";
import { accessibilityWithoutScripts, hydrated, openPageWithoutJs, scanner, unique, visit } from "./helpers";

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

/** A session with a fresh join code; the code as a person would type it: lower case, "abcd-efgh". */
async function sessionWithCode() {
  const fixture = await createSessionFixture(server, { title: `Commune dialogue ${unique()}` });
  const code = server.domain.sessions.rotateJoinCode(fixture.organiser, fixture.sessionId);
  expect(code).toMatch(/^[A-Z0-9]{8}$/);
  const typed = `${code.slice(0, 4)}-${code.slice(4)}`.toLowerCase();
  return { ...fixture, code, typed };
}

describe("joining with the join code", () => {
  it("lets two people share one phone and switch between them", async () => {
    const { title, sessionId, typed, organiser } = await sessionWithCode();
    const first = `Fatoumata ${unique()}`;
    const second = `Ousmane ${unique()}`;
    const { page, context, problems } = await openPage(browser, { viewport: PHONE, name: "shared-phone" });
    const scan = scanner(page);

    // The first person joins from the home page.
    await visit(page, `${server.url}/`);
    await Promise.all([page.waitForURL(/\/join$/), page.getByRole("main").getByRole("link", { name: "Join a session" }).click()]);
    await page.getByRole("heading", { level: 1, name: "Join a session" }).waitFor();
    await hydrated(page);
    await scan("join");
    await page.getByLabel("Join code").fill(typed);
    await page.getByLabel("Your name").fill(first);
    await Promise.all([page.waitForURL(`${server.url}/sessions/${sessionId}`), page.getByRole("button", { name: "Join", exact: true }).click()]);
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await page.getByText(/^Your role:\s*Participant$/).waitFor();
    await page.getByText(`Signed in as ${first}`).waitFor();
    await hydrated(page);
    await scan("session (guest)");

    // The phone is handed over: "Switch participant" -> "Add another participant".
    await page.getByText("Sharing this phone? Let the next person take part as themselves.").waitFor();
    const menu = page.getByRole("navigation", { name: "Main menu" });
    await Promise.all([page.waitForURL(/\/switch$/), menu.getByRole("link", { name: "Switch participant" }).click()]);
    await page.getByRole("heading", { level: 1, name: "Who is using this device?" }).waitFor();
    await hydrated(page);
    await scan("switch");
    await Promise.all([page.waitForURL(/\/join\?another=1$/), page.getByRole("link", { name: "Add another participant" }).click()]);
    await page.getByRole("heading", { level: 1, name: "Join a session" }).waitFor();
    await hydrated(page);
    // Joining as another person is already ticked; the first person's name is not carried over.
    expect(await page.getByRole("checkbox", { name: "Add another participant" }).isChecked()).toBe(true);
    expect(await page.getByLabel("Your name").inputValue()).toBe("");
    await scan("join as another");
    await page.getByLabel("Join code").fill(typed);
    await page.getByLabel("Your name").fill(second);
    await Promise.all([page.waitForURL(`${server.url}/sessions/${sessionId}`), page.getByRole("button", { name: "Join", exact: true }).click()]);
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await page.getByText(`Signed in as ${second}`).waitFor();
    await hydrated(page);

    // Two identities on this device, two members in the session.
    const memberNames = server.domain.sessions.listMembers(organiser, sessionId).map((m) => m.displayName);
    expect(memberNames.sort()).toEqual([first, second].sort());

    // The switch page lists both; the current one is marked, the other can be picked.
    await Promise.all([page.waitForURL(/\/switch$/), page.getByRole("main").getByRole("link", { name: "Switch participant" }).click()]);
    await page.getByRole("heading", { level: 1, name: "Who is using this device?" }).waitFor();
    await hydrated(page);
    const identities = page.getByRole("main").getByRole("listitem");
    expect(await identities.count()).toBe(2);
    const current = identities.filter({ hasText: second });
    const other = identities.filter({ hasText: first });
    await current.getByText("(now)").waitFor();
    await current.getByText(`Sessions: ${title}`).waitFor();
    await other.getByText(`Sessions: ${title}`).waitFor();
    expect(await current.getByRole("button", { name: "Switch to this participant" }).count()).toBe(0);
    expect(await other.getByText("(now)").count()).toBe(0);

    // Switching back to the first person.
    await Promise.all([page.waitForURL(`${server.url}/`), other.getByRole("button", { name: "Switch to this participant" }).click()]);
    await page.getByText(`Signed in as ${first}`).waitFor();
    await page.getByText("You joined as a guest on this device. Your sessions are listed below.").waitFor();
    await hydrated(page);
    await scan("home (guest)");
    const sessions = page.getByRole("region", { name: "Your sessions" });
    await Promise.all([page.waitForURL(`${server.url}/sessions/${sessionId}`), sessions.getByRole("link", { name: title }).click()]);
    await page.getByText(`Signed in as ${first}`).waitFor();
    // And the switch page now marks the first person as current.
    await Promise.all([page.waitForURL(/\/switch$/), page.getByRole("main").getByRole("link", { name: "Switch participant" }).click()]);
    await page.getByRole("heading", { level: 1, name: "Who is using this device?" }).waitFor();
    await identities.filter({ hasText: first }).getByText("(now)").waitFor();
    await identities.filter({ hasText: second }).getByRole("button", { name: "Switch to this participant" }).waitFor();

    expect(problems).toEqual([]);
    await context.close();
  });

  it("works without JavaScript, as a plain form post", async () => {
    const { title, sessionId, typed } = await sessionWithCode();
    const name = `Mariam ${unique()}`;
    const { page, context, problems } = await openPageWithoutJs(browser, { viewport: PHONE, name: "join-no-js" });
    const scan = async (kind: string) => expect(await accessibilityWithoutScripts(browser, page), `accessibility of ${kind}`).toEqual([]);
    await page.goto(`${server.url}/join`);
    await page.getByRole("heading", { level: 1, name: "Join a session" }).waitFor();
    await scan("join (no JavaScript)");
    expect(await page.evaluate(() => typeof (window as unknown as { __remixRouter?: unknown }).__remixRouter)).toBe("undefined");
    await page.getByLabel("Join code").fill(typed);
    await page.getByLabel("Your name").fill(name);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/join"),
      page.getByRole("button", { name: "Join", exact: true }).click(),
    ]);
    // A real document post answered by a redirect, not a fetch by Remix.
    expect(response.status()).toBe(302);
    expect(response.request().resourceType()).toBe("document");
    await page.waitForURL(`${server.url}/sessions/${sessionId}`);
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await page.getByText(/^Your role:\s*Participant$/).waitFor();
    await page.getByText(`Signed in as ${name}`).waitFor();
    // Without scripts there is no live indicator, and nothing claims to be connected.
    expect(await page.getByText("Connected", { exact: true }).count()).toBe(0);
    await scan("session (no JavaScript)");

    // A wrong code comes back with the field error and what was typed, still without scripts.
    await page.goto(`${server.url}/join`);
    await page.getByLabel("Join code").fill("zzzz-zzzz");
    await page.getByLabel("Your name").fill(name);
    await page.getByRole("button", { name: "Join", exact: true }).click();
    await page.getByText("No open session has this join code. Check it with the organiser.").waitFor();
    expect(await page.getByLabel("Join code").inputValue()).toBe("zzzz-zzzz");
    expect(await page.getByLabel("Your name").inputValue()).toBe(name);

    expect(problems).toEqual([]);
    await context.close();
  });
});

