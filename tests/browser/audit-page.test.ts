/**
 * Journey: a programme organiser reads the audit log on a small phone, in French: the page fits the
 * screen, passes the accessibility scan, filters by a group of actions through the form and pages to
 * older entries; no roster name appears anywhere.
 */
import type { Browser } from "playwright-core";
import { launchBrowser, openPage, PHONE, signIn } from "../support/browser";
import { createSessionFixture, startTestServer, type TestServer } from "../support/server";
import { hydrated, scanner, visit } from "./helpers";

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

it("an organiser filters and pages the audit log on a phone, in French", async () => {
  const fx = await createSessionFixture(server);
  const { organiser, sessionId, programmeId } = fx;
  for (let i = 0; i < 52; i++) server.domain.roster.add(organiser, sessionId, { name: `Hortense Quillbrook ${i}`, organisation: "Association Quillbrook pour la paix", role: "participant", category: "ngo" });
  server.domain.invitations.create(organiser, sessionId, { role: "participant", count: 3 });
  server.domain.sessions.rotateJoinCode(organiser, sessionId);
  server.domain.programmes.updateSettings(organiser, programmeId, { name: "Dialogue programme", quorumPercent: 50, consensusPercent: 80, broadSupportPermille: 667, retentionDays: 90 });

  const { page, problems } = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "audit-phone-fr" });
  const scan = scanner(page);
  await signIn(page, server.url, fx.email, "correct horse battery");
  await visit(page, `${server.url}/programmes/${programmeId}/audit`);
  await page.getByRole("heading", { level: 1, name: "Journal d'audit" }).waitFor();
  await hydrated(page);
  await scan("audit log (phone, fr)");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await page.getByText("57 entrées").waitFor();
  await page.getByText("Page 1 sur 2").waitFor();
  expect(await page.getByText("conservation (jours) : 90").count()).toBe(1);

  // Filter: the rosters only, through the form.
  await page.getByLabel("Afficher").selectOption({ label: "Listes des participants : tout" });
  await Promise.all([page.waitForURL(/action=roster/), page.getByRole("button", { name: "Filtrer" }).click()]);
  await page.getByText("52 entrées pour « Listes des participants »").waitFor();
  await scan("audit log filtered (phone, fr)");
  expect(await page.locator("ol > li").count()).toBe(50);

  // Older entries, still filtered.
  await Promise.all([page.waitForURL(/page=2/), page.getByRole("link", { name: "Entrées plus anciennes →" }).click()]);
  await page.getByText("Page 2 sur 2").waitFor();
  expect(await page.locator("ol > li").count()).toBe(2);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  expect(await page.content()).not.toContain("Quillbrook");
  // Back to everything.
  await Promise.all([page.waitForURL((url) => !url.search.includes("action")), page.getByRole("link", { name: "Tout afficher" }).click()]);
  await page.getByText("57 entrées").waitFor();
  expect(problems).toEqual([]);
});
