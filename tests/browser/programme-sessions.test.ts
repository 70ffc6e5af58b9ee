/**
 * Journey: the organiser of a programme with many sessions finds one on a small phone, in French: the
 * programme page shows a page of sessions, the search ignores accents, the filters keep what was
 * chosen, "show all" and the next page work; the page fits the screen and passes the accessibility scan.
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

it("an organiser finds a commune's session among forty on a phone, in French", async () => {
  const fx = await createSessionFixture(server, { title: "Table ronde nationale" });
  const communes = ["Bandiagara", "Ségou", "Tombouctou", "Ménaka", "Douentza", "Kidal", "Niono", "Macina"];
  for (let i = 0; i < 40; i++) {
    server.domain.sessions.create(fx.organiser, fx.programmeId, {
      title: `Concertation communale de ${communes[i % communes.length]} ${Math.floor(i / communes.length) + 1}`,
      kind: "local_dialogue",
      levelId: fx.levelId,
      languages: ["fr"],
      timeZone: "Africa/Bamako",
      attributionMode: "chatham_house",
      noteVisibility: "participants",
    });
  }

  const { page, problems } = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "programme-sessions-fr" });
  const scan = scanner(page);
  await signIn(page, server.url, fx.email, "correct horse battery");
  await visit(page, `${server.url}/programmes/${fx.programmeId}`);
  await page.getByRole("heading", { level: 2, name: "Séances" }).waitFor();
  await hydrated(page);
  await page.getByText("41 séances").waitFor();
  expect(await page.getByRole("link", { name: /^Concertation communale de / }).count()).toBe(25);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await scan("programme page (phone, fr)");

  // Typed without the accent, found with it.
  await page.getByLabel("Titre ou localité").fill("segou");
  await Promise.all([page.waitForURL(/q=segou/), page.getByRole("button", { name: "Afficher", exact: true }).click()]);
  await page.getByText("5 séances sur 41 correspondent").waitFor();
  expect(await page.getByRole("link", { name: /^Concertation communale de Ségou/ }).count()).toBe(5);
  expect(await page.getByLabel("Titre ou localité").inputValue()).toBe("segou");
  await scan("programme page filtered (phone, fr)");

  // Back to everything, then the next page.
  await Promise.all([page.waitForURL((url) => !url.search.includes("q=")), page.getByRole("link", { name: "Afficher toutes les séances" }).click()]);
  await page.getByText("41 séances").waitFor();
  await Promise.all([page.waitForURL(/page=2/), page.getByRole("link", { name: "Suivante →" }).click()]);
  await page.getByText("Page 2 sur 2").waitFor();
  expect(await page.getByRole("link", { name: /^(Concertation communale de|Table ronde)/ }).count()).toBe(16);
  expect(problems).toEqual([]);
});
