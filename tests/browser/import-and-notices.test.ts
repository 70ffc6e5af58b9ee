/**
 * Journeys left to HTTP tests until now, in a real browser on a phone, in French:
 * - a participant with an account finds the "summary published" notice on the home page and hides it;
 * - an organiser of another instance imports the publication's JSON export: a file that is not JSON
 *   is refused with a clear message and nothing changes, the real export is imported and its summary
 *   reads on the new instance.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { launchBrowser, openPage, PHONE, signIn } from "../support/browser";
import { publishedSessionFixture, startTestServer, TestClient, type TestServer } from "../support/server";
import { hydrated, scanner, visit } from "./helpers";

const PASSWORD = "correct horse battery";
let source: TestServer;
let target: TestServer;
let browser: Browser;
let fixture: Awaited<ReturnType<typeof publishedSessionFixture>>;
let dir: string;
let targetOrganiserId: string;

beforeAll(async () => {
  [source, target] = await Promise.all([startTestServer(), startTestServer()]);
  browser = await launchBrowser();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-import-"));
  fixture = await publishedSessionFixture(source, {
    email: "organiser@source.test",
    title: "Points d'eau à Mopti",
    participantEmail: "participante@source.test",
    language: "fr",
    itemTitle: "Menaces",
    markdown: "# Points d'eau à Mopti\n\nLes participants ont convenu que les puits doivent être protégés.\n",
    overrideReason: "Vérifié : ne nomme personne.",
  });
  targetOrganiserId = await target.createAccount("organiser@target.test", PASSWORD);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([source?.stop(), target?.stop()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

it("a participant hides the notice of a published summary on the home page", async () => {
  const { page, problems, context } = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "notice-fr" });
  await signIn(page, source.url, "participante@source.test", PASSWORD);
  await visit(page, `${source.url}/`);
  const notice = page.getByRole("link", { name: "Un compte rendu a été publié : Points d'eau à Mopti" });
  await notice.waitFor();
  await hydrated(page);
  await page.getByRole("button", { name: "Masquer" }).click();
  await page.getByRole("heading", { level: 2, name: "Vos séances" }).waitFor();
  await page.waitForFunction(() => !document.body.textContent?.includes("Un compte rendu a été publié"));
  // Gone for good, not just from this page.
  await visit(page, `${source.url}/`);
  expect(await notice.count()).toBe(0);
  expect(problems).toEqual([]);
  await context.close();
});

it("an organiser of another instance imports the export on a phone, after a wrong file is refused", async () => {
  const exported = await (await new TestClient(source.url).get(`/summaries/${fixture.sessionId}/1/export?format=json`)).text();
  const good = path.join(dir, "points-d-eau.json");
  const bad = path.join(dir, "compte-rendu.json");
  fs.writeFileSync(good, exported);
  fs.writeFileSync(bad, "# Ceci est du Markdown, pas du JSON");
  const programmeId = target.domain.programmes.create(target.actorFor(targetOrganiserId), { name: "Dialogue national" }).id;

  const { page, problems, context } = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "import-fr" });
  const scan = scanner(page);
  await signIn(page, target.url, "organiser@target.test", PASSWORD);
  await visit(page, `${target.url}/programmes/${programmeId}/import`);
  await page.getByRole("heading", { level: 1, name: "Importer une session publiée" }).waitFor();
  await hydrated(page);
  await scan("import page (phone, fr)");
  const count = () => (target.database.sqlite.prepare("SELECT count(*) AS n FROM dialogue_sessions").get() as { n: number }).n;
  const before = count();

  await page.getByLabel("Fichier d'export (JSON)").setInputFiles(bad);
  await page.getByRole("button", { name: "Importer" }).click();
  await page.getByText("Ce fichier n'est pas du JSON.", { exact: false }).waitFor();
  expect(count()).toBe(before);

  await page.getByLabel("Fichier d'export (JSON)").setInputFiles(good);
  await page.getByRole("button", { name: "Importer" }).click();
  await page.getByText("Importé : version 1 du compte rendu", { exact: false }).waitFor();
  expect(count()).toBe(before + 1);
  await scan("import done (phone, fr)");
  await Promise.all([page.waitForURL(/\/summaries\//), page.getByRole("link", { name: "Lire le compte rendu publié" }).click()]);
  await page.getByText("Les participants ont convenu que les puits doivent être protégés.").waitFor();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  expect(problems).toEqual([]);
  await context.close();
});

