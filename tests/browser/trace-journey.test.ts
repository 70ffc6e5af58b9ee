/**
 * The traceability journey (issue 7): a signed-out visitor on a phone, in French, with JavaScript
 * switched off, opens a commune's published summary, follows one of its recommendations to its trace
 * (merged at the region, itself adapted nationally), and from there the national recommendation,
 * which shows the commune's among what it draws on, the rest counted. Every page is readable without
 * scripts, accessible, and free of CSP violations. The coverage dashboard's charts (server-rendered
 * SVG) pass the same checks on a phone with scripts on.
 */
import type { Browser } from "playwright-core";
import { accessibilityViolations, launchBrowser, openPage, PHONE, signIn } from "../support/browser";
import { startTestServer, type TestServer } from "../support/server";
import { buildNationalDialogue, PASSWORD, TEXTS } from "../integration/traceability-fixture";
import { accessibilityWithoutScripts, hydrated, openPageWithoutJs } from "./helpers";

let server: TestServer;
let browser: Browser;
let f: Awaited<ReturnType<typeof buildNationalDialogue>>;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  f = await buildNationalDialogue(server);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("following a commune's demand to the national recommendation", () => {
  it("works signed out, on a phone, in French, without JavaScript", async () => {
    const visitor = await openPageWithoutJs(browser, { viewport: PHONE, locale: "fr-FR", name: "trace-visitor" });
    const { page } = visitor;
    await page.goto(`${server.url}/summaries/${f.sessions.sangha}`);
    const section = page.locator("section").filter({ has: page.getByRole("heading", { name: "Ce que sont devenues ces recommandations" }) });
    const item = section.getByRole("listitem").filter({ hasText: TEXTS.waterSangha });
    await item.getByText("Fusionnée", { exact: true }).waitFor();
    await section.getByRole("listitem").filter({ hasText: TEXTS.roadsSangha }).getByText("Non retenue", { exact: true }).waitFor();
    await item.getByRole("link", { name: "Suivre cette recommandation" }).click();

    // The commune's trace: what became of it, in sentences, level after level.
    await page.waitForURL(`**/recommendations/${f.recs.waterSangha}/trace`);
    await page.getByRole("heading", { level: 1, name: "Ce qu'est devenue une recommandation" }).waitFor();
    await page.getByText("Suite donnée à ce jour\u00A0: Fusionnée").waitFor();
    const up = page.locator("section").filter({ has: page.getByRole("heading", { name: "Ce qu'elle est devenue" }) });
    const regional = up.getByRole("listitem").filter({ hasText: "Fusionnée dans une recommandation de" }).first();
    await regional.getByText(TEXTS.regional).waitFor();
    await regional.getByText("Phase régionale de Mopti", { exact: true }).waitFor();
    const national = regional.getByRole("listitem").filter({ hasText: "elle-même adaptée dans une recommandation de" });
    await national.getByText(TEXTS.national).waitFor();
    await national.getByText("Motif\u00A0: Étendue à tout le pays.").waitFor();
    // The recommendation's own place and level of agreement, in words.
    await page.getByText("Mali › Mopti › Sangha").first().waitFor();
    await page.getByText("Niveau d'accord\u00A0: Consensus").first().waitFor();
    expect(await accessibilityWithoutScripts(browser, page), "accessibility of the trace page").toEqual([]);

    // On to the national recommendation: it draws on the regional one, which draws on Sangha's.
    await national.getByRole("link", { name: "Suivre cette recommandation" }).click();
    await page.waitForURL(`**/recommendations/${f.recs.national}/trace`);
    const down = page.locator("section").filter({ has: page.getByRole("heading", { name: "Ce sur quoi elle s'appuie" }) });
    const fromRegion = down.getByRole("listitem").filter({ hasText: TEXTS.regional }).first();
    await fromRegion.getByText("Adaptée", { exact: true }).waitFor();
    await fromRegion.getByRole("listitem").filter({ hasText: TEXTS.waterSangha }).getByText("Fusionnée", { exact: true }).waitFor();
    // Bandiagara's summary is not public: its recommendations are counted, never shown.
    expect(await down.getByText("1 autre, issue d'une séance dont le compte rendu n'est pas public.").count()).toBe(2);
    expect(await page.getByText(TEXTS.waterBandiagara).count()).toBe(0);
    // Each session's published summary is one link away.
    await page.getByRole("link", { name: "Lire le compte rendu de «\u00A0Concertation communale de Sangha\u00A0»" }).click();
    await page.waitForURL(`**/summaries/${f.sessions.sangha}`);
    expect(await accessibilityWithoutScripts(browser, page), "accessibility of the summary with its outcomes").toEqual([]);
    expect(visitor.problems).toEqual([]);
  });

  it("the coverage dashboard's charts are accessible, CSP-clean images with their tables, on a phone", async () => {
    const organiser = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "coverage-organiser" });
    const { page } = organiser;
    await signIn(page, server.url, f.emails.organiser, PASSWORD);
    await page.goto(`${server.url}/programmes/${f.programmeId}`);
    await page.getByRole("link", { name: "Prise en compte des doléances locales" }).click();
    await hydrated(page);
    await page.getByRole("heading", { level: 1, name: "Prise en compte des doléances locales" }).waitFor();
    const chart = page.getByRole("img", { name: "Par région", exact: true });
    await chart.waitFor();
    const box = await chart.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(PHONE.width);
    expect(await page.getByRole("table", { name: "Par région\u00A0: nombre de doléances" }).getByRole("row").count()).toBe(3);
    // Filter by region with the plain form.
    await page.getByLabel("Région", { exact: true }).selectOption({ label: "Ségou" });
    await page.getByRole("button", { name: "Appliquer" }).click();
    await page.getByText("Vue filtrée.").waitFor();
    await page.getByText("2 doléances pas encore traitées.").waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(organiser.problems).toEqual([]);
  });
});
