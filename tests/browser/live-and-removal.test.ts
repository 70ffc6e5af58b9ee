/**
 * Journey: a guest's open session page is live: it says "Connected", follows the organiser's status
 * changes without a reload, and loses the session at once when the organiser removes the guest.
 */
import type { Browser, Page } from "playwright-core";
import { DESKTOP, launchBrowser, openPage, PHONE, signIn } from "../support/browser";
import { createSessionFixture, startTestServer, type TestServer } from "../support/server";
import { hydrated, scanner, unique, visit } from "./helpers";

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

/** The live-connection indicator's text ("Live room: Connected"), or null when there is none. */
async function liveState(page: Page): Promise<string | null> {
  const indicator = page.getByRole("status").filter({ hasText: "Live room:" });
  if ((await indicator.count()) === 0) return null;
  return ((await indicator.first().textContent()) ?? "").replace(/\s+/g, " ").trim();
}

/** Marks the document, so that a later check can tell that the page was not reloaded. */
async function markDocument(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { __sameDocument?: boolean }).__sameDocument = true;
  });
}
async function sameDocument(page: Page) {
  return page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);
}

describe("live session page", () => {
  it("follows status changes without a reload and drops a removed guest", async () => {
    const { email, title, sessionId, organiser: organiserActor } = await createSessionFixture(server, { title: `Regional consultation ${unique()}` });
    const code = server.domain.sessions.rotateJoinCode(organiserActor, sessionId);
    const guestName = `Kadiatou ${unique()}`;
    const sessionUrl = `${server.url}/sessions/${sessionId}`;

    // The guest joins from their phone and keeps the session page open.
    const guest = await openPage(browser, { viewport: PHONE, name: "live-guest" });
    const g = guest.page;
    const guestScan = scanner(g);
    await visit(g, `${server.url}/join?code=${code}`);
    expect(await g.getByLabel("Join code").inputValue()).toBe(code);
    await g.getByLabel("Your name").fill(guestName);
    await Promise.all([g.waitForURL(sessionUrl), g.getByRole("button", { name: "Join", exact: true }).click()]);
    await g.getByRole("heading", { level: 1, name: title }).waitFor();
    await expect.poll(() => liveState(g), { timeout: 10_000 }).toBe("Live room: Connected");
    await g.getByText("Draft: only the organisers see it being prepared.").waitFor();
    await guestScan("session (guest, connected)");
    await markDocument(g);

    // The organiser, signed in on another device, changes the status from the session page.
    const organiser = await openPage(browser, { viewport: DESKTOP, name: "live-organiser" });
    const o = organiser.page;
    const organiserScan = scanner(o);
    await signIn(o, server.url, email, "correct horse battery");
    await visit(o, sessionUrl);
    await expect.poll(() => liveState(o), { timeout: 10_000 }).toBe("Live room: Connected");
    await organiserScan("session (organiser)");
    await o.getByRole("button", { name: "Mark as scheduled" }).click();
    await o.getByText("Status updated.").waitFor();
    await o.getByText("Scheduled: people can join ahead of the start.").waitFor();

    // The guest's open page follows, without a reload.
    await g.getByText("Scheduled: people can join ahead of the start.").waitFor({ timeout: 10_000 });
    await g.getByText("Scheduled", { exact: true }).waitFor();
    expect(await g.getByText("Draft", { exact: true }).count()).toBe(0);
    expect(await sameDocument(g)).toBe(true);
    // A guest is not offered the organiser's controls.
    expect(await g.getByRole("button", { name: "Go live" }).count()).toBe(0);

    await o.getByRole("button", { name: "Go live" }).click();
    await o.getByText("Live: the room is open.").waitFor();
    await g.getByText("Live: the room is open.").waitFor({ timeout: 10_000 });
    await g.getByText("Live", { exact: true }).waitFor();
    expect(await sameDocument(g)).toBe(true);
    expect(await liveState(g)).toBe("Live room: Connected");

    // The organiser removes the guest from the People page.
    await Promise.all([o.waitForURL(/\/people$/), o.getByRole("link", { name: "People and invitations" }).click()]);
    await o.getByRole("heading", { level: 1, name: "People and invitations" }).waitFor();
    await hydrated(o);
    await organiserScan("people");
    const members = o.getByRole("region", { name: "Members" });
    await members.getByText(guestName, { exact: true }).waitFor();
    await members.getByRole("button", { name: `Remove ${guestName} from the session` }).click();
    await members.getByText("Removed from the session.").waitFor();
    await members.getByText("Nobody has joined yet.").waitFor();

    // The guest's open page stops saying "Connected" at once, without anyone reloading it.
    await expect.poll(() => liveState(g), { timeout: 10_000 }).not.toBe("Live room: Connected");
    // The page now tells the truth: either the live indicator shows it is cut off, or the page
    // itself has been replaced by the sign-in page or an error page (the session is gone for them).
    await expect
      .poll(
        async () => {
          const state = await liveState(g);
          if (state && /Offline|not available/.test(state)) return "indicator";
          if ((await g.getByRole("heading", { level: 1, name: "Sign in" }).count()) > 0) return "sign-in";
          if ((await g.getByRole("heading", { level: 1, name: "Something went wrong" }).count()) > 0) return "error";
          return `still showing: ${state ?? "(no indicator)"} at ${g.url()}`;
        },
        { timeout: 10_000 },
      )
      .toMatch(/^(indicator|sign-in|error)$/);
    expect(await g.getByText("Live: the room is open.").count()).toBe(0);
    await guestScan("guest after removal");

    // On reload, the guest no longer reaches the session.
    await g.goto(sessionUrl);
    await hydrated(g);
    const reached = await g.getByRole("heading", { level: 1, name: title }).count();
    expect(reached).toBe(0);
    expect(new URL(g.url()).pathname === "/sign-in" || (await g.getByRole("heading", { level: 1, name: "Something went wrong" }).count()) === 1).toBe(true);
    await guestScan("guest reload after removal");

    expect(guest.problems).toEqual([]);
    expect(organiser.problems).toEqual([]);
    await guest.context.close();
    await organiser.context.close();
  });
});
