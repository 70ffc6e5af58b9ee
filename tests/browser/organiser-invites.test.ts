/**
 * Journey: an organiser signs in, creates a programme and a session through the forms, makes one
 * invitation link; a guest opens it on their phone (the GET does not consume it), joins, and finds the
 * session again on the same device; the organiser sees the invitation used and the guest as a member.
 */
import type { Browser } from "playwright-core";
import { DESKTOP, launchBrowser, openPage, PHONE, signIn } from "../support/browser";
import { startTestServer, type TestServer } from "../support/server";
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

async function organiserInvitesAGuest(viewport: { width: number; height: number }, label: string) {
  const id = unique();
  const email = `organiser-${id}@example.org`;
  await server.createAccount(email, "correct horse battery", `Organiser ${id}`);
  const programmeName = `Sahel roundtables ${id}`;
  const title = `Roundtable on local governance ${id}`;
  const guestName = `Awa ${id}`;

  // --- The organiser, on their own device.
  const organiser = await openPage(browser, { viewport, name: `organiser-${label}` });
  const { page } = organiser;
  const scan = scanner(page);
  await visit(page, `${server.url}/sign-in`);
  await scan("sign-in");
  await signIn(page, server.url, email, "correct horse battery");
  await page.getByRole("heading", { name: "Your programmes" }).waitFor();
  await hydrated(page);
  await scan("home (organiser)");

  // A programme, through the form.
  await Promise.all([page.waitForURL(/\/programmes\/new$/), page.getByRole("link", { name: "New programme" }).click()]);
  await page.getByRole("heading", { name: "New programme" }).waitFor();
  await hydrated(page);
  await scan("new programme");
  await page.getByLabel("Name").fill(programmeName);
  await Promise.all([page.waitForURL(/\/programmes\/[^/]+$/), page.getByRole("button", { name: "Create programme" }).click()]);
  await page.getByRole("heading", { level: 1, name: programmeName }).waitFor();
  await hydrated(page);
  await scan("programme overview");

  // A session, through the form.
  await Promise.all([page.waitForURL(/\/sessions\/new$/), page.getByRole("link", { name: "New session" }).click()]);
  await page.getByRole("heading", { name: "New session" }).waitFor();
  await hydrated(page);
  await scan("new session");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Level").selectOption({ label: "Region" });
  await page.getByLabel("Time zone").selectOption("Africa/Niamey");
  await page.getByLabel("Starts").fill("2026-12-04T09:00");
  await page.getByLabel("Ends").fill("2026-12-04T12:30");
  await page.getByRole("radio", { name: "Anonymous (stricter)" }).check();
  await Promise.all([page.waitForURL(/\/sessions\/[^/]+$/), page.getByRole("button", { name: "Create the session" }).click()]);
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
  const sessionUrl = page.url();
  await hydrated(page);
  // What was chosen is what the session page shows.
  const details = page.getByRole("region", { name: "Details" });
  await details.getByText("Region", { exact: true }).waitFor();
  await details.getByText(/4 December 2026.*09:00.*\(Africa\/Niamey\)/).first().waitFor();
  await page.getByRole("region", { name: "How what is said here may be used" }).getByText(/stricter than the Chatham House Rule/).waitFor();
  await scan("session (organiser)");

  // People: one invitation link for a participant.
  await Promise.all([page.waitForURL(/\/people$/), page.getByRole("link", { name: "People and invitations" }).click()]);
  await page.getByRole("heading", { level: 1, name: "People and invitations" }).waitFor();
  await hydrated(page);
  await scan("people");
  await page.getByLabel("Role", { exact: true }).selectOption({ label: "Participant" });
  await page.getByLabel("Number of links").fill("1");
  await page.getByRole("button", { name: "Create the links" }).click();
  const linkInput = page.getByLabel("Invitation link 1 (Participant)");
  await linkInput.waitFor();
  expect(await linkInput.getAttribute("readonly")).not.toBeNull();
  const link = await linkInput.inputValue();
  expect(link).toMatch(new RegExp(`^${server.url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/invite/\\S+$`));
  await scan("people with new links");

  // --- The guest, on their phone.
  const guest = await openPage(browser, { viewport: PHONE, name: `guest-${label}` });
  const g = guest.page;
  const guestScan = scanner(g);
  await visit(g, link);
  await g.getByRole("heading", { level: 1, name: "You are invited" }).waitFor();
  await g.getByRole("heading", { level: 2, name: title }).waitFor();
  await g.getByText("You are invited to take part in this session as participant.").waitFor();
  await guestScan("invitation");
  // Opening the link again (a link preview, a reload) does not use it up.
  await g.reload();
  await hydrated(g);
  await g.getByRole("heading", { level: 1, name: "You are invited" }).waitFor();
  await g.getByRole("button", { name: "Join the session" }).waitFor();
  await g.getByLabel("Your name").fill(guestName);
  await Promise.all([g.waitForURL(/\/sessions\/[^/]+$/), g.getByRole("button", { name: "Join the session" }).click()]);
  expect(g.url()).toBe(sessionUrl);
  await g.getByRole("heading", { level: 1, name: title }).waitFor();
  await g.getByText(/^Your role:\s*Participant$/).waitFor();
  await g.getByText(`Signed in as ${guestName}`).waitFor();
  await hydrated(g);
  await guestScan("session (guest)");

  // The home page on the same device lists the session, also after a reload.
  await Promise.all([g.waitForURL(`${server.url}/`), g.getByRole("link", { name: "Parley" }).click()]);
  const sessions = g.getByRole("region", { name: "Your sessions" });
  await sessions.getByRole("link", { name: title }).waitFor();
  await g.reload();
  await hydrated(g);
  await sessions.getByRole("link", { name: title }).waitFor();
  await guestScan("home (guest)");
  await Promise.all([g.waitForURL(sessionUrl), sessions.getByRole("link", { name: title }).click()]);
  await g.getByRole("heading", { level: 1, name: title }).waitFor();

  // The used link now says so, and does not let anyone else in.
  await g.goto(link);
  await g.getByRole("heading", { level: 1, name: "This invitation was already used" }).waitFor();
  expect(await g.getByRole("button", { name: "Join the session" }).count()).toBe(0);

  // --- Back on the organiser's device: the invitation is used, the guest is a member.
  await page.reload();
  await hydrated(page);
  const invitations = page.getByRole("region", { name: "Invitation links" });
  const row = invitations.getByRole("row").filter({ has: page.getByRole("cell", { name: "Participant", exact: true }) });
  expect(await row.count()).toBe(1);
  await row.getByText("Used", { exact: true }).waitFor();
  expect(await row.getByRole("button", { name: /Withdraw/ }).count()).toBe(0);
  const members = page.getByRole("region", { name: "Members" });
  await members.getByText(guestName, { exact: true }).waitFor();
  await members.getByText("Members: 1").waitFor();
  await members.getByRole("button", { name: `Remove ${guestName} from the session` }).waitFor();
  expect(await members.getByLabel(`Role for ${guestName}`).inputValue()).toBe("participant");

  expect(organiser.problems).toEqual([]);
  expect(guest.problems).toEqual([]);
  await guest.context.close();
  await organiser.context.close();
}

describe("an organiser invites a guest", () => {
  it("works at desktop width, and the guest joins from a phone", async () => {
    await organiserInvitesAGuest(DESKTOP, "desktop");
  });

  it("works at phone width for the organiser too", async () => {
    await organiserInvitesAGuest(PHONE, "phone");
  });
});
