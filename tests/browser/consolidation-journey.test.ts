/**
 * The consolidation workspace (issue "Linking"): the national session's rapporteur, on a phone in
 * French, finds the recommendations adopted by three communes, ticks the three near-identical ones,
 * merges them into one national recommendation, and the fourth stays to be addressed. A refusal (no
 * selection) keeps what was typed. The merged recommendation is a draft of the national session.
 */
import type { Browser } from "playwright-core";
import { accessibilityViolations, launchBrowser, openPage, PHONE, signIn } from "../support/browser";
import { startTestServer, type TestServer } from "../support/server";
import { accessibilityWithoutScripts, hydrated, openPageWithoutJs } from "./helpers";

let server: TestServer;
let browser: Browser;
let nationalId = "";
const PASSWORD = "correct horse battery";
const WATER = [
  "Que l'État construise des forages dans chaque village de la commune.",
  "Que l'État fore des puits dans chaque village.",
  "Construire des forages dans les villages qui n'en ont pas.",
];
const ROADS = "Que la route de Sangha soit réhabilitée avant l'hivernage.";

let organiserId = "";
let rapporteurId = "";

/** A national session fed by three communes, which adopted the three water demands and the road one. */
async function nationalWithCommunes(name: string): Promise<string> {
  const organiser = server.actorFor(organiserId);
  const { id: programmeId } = server.domain.programmes.create(organiser, { name });
  const { levels } = server.domain.programmes.taxonomy(programmeId);
  const level = (key: string) => levels.find((l) => l.key === key)!.id;
  const place = (placeName: string, key: string, parentId = "") => server.domain.programmes.addLocality(organiser, programmeId, { name: placeName, levelId: level(key), parentId }).id;
  const mali = place("Mali", "national");
  const mopti = place("Mopti", "region", mali);
  const session = (title: string, key: string, localityId: string, parentSessionId = "") =>
    server.domain.sessions.create(organiser, programmeId, {
      title,
      kind: "local_dialogue",
      levelId: level(key),
      localityId,
      parentSessionId,
      languages: ["fr"],
      timeZone: "Africa/Bamako",
      attributionMode: "chatham_house",
      noteVisibility: "participants",
    }).id;
  const national = session("Phase nationale du dialogue", "national", mali);
  const communes = ["Bandiagara", "Sangha", "Douentza"].map((commune) => session(`Concertation communale de ${commune}`, "commune", place(commune, "commune", mopti), national));
  const adopt = (sessionId: string, text: string) => {
    const { id } = server.domain.recommendations.create(organiser, sessionId, { text });
    server.domain.recommendations.declare(organiser, sessionId, id, { level: "consensus" });
    server.domain.recommendations.decide(organiser, sessionId, id, { status: "adopted" });
  };
  WATER.forEach((text, i) => adopt(communes[i], text));
  adopt(communes[1], ROADS);
  server.domain.sessions.putMember(national, rapporteurId, "rapporteur");
  return national;
}

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  organiserId = await server.createAccount("organiser@linking.test", PASSWORD, "Organiser");
  rapporteurId = await server.createAccount("rapporteuse@linking.test", PASSWORD, "Rapporteuse");
  nationalId = await nationalWithCommunes("Dialogue inter-maliens");
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("consolidating commune recommendations", () => {
  it("a rapporteur on a phone merges three commune recommendations into one national recommendation, in French", async () => {
    const { page, problems } = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "consolidation-rapporteur" });
    await signIn(page, server.url, "rapporteuse@linking.test", PASSWORD);
    await page.goto(`${server.url}/sessions/${nationalId}`);
    await page.getByText("3 sessions alimentent celle-ci.").waitFor();
    await page.getByRole("link", { name: "Consolider les recommandations des sessions inférieures" }).click();
    await hydrated(page);
    await page.getByText("4 recommandations locales en tout\u00a0; pas encore traitées\u00a0: 4.").waitFor();
    expect(await page.locator("li.card").count()).toBe(4);
    expect(await accessibilityViolations(page)).toEqual([]);

    // Nothing ticked: the refusal says so and keeps the wording typed.
    const wording = "Que l'État dote chaque village d'un forage ou d'un puits d'ici trois ans.";
    await page.getByLabel("Formulation de la nouvelle recommandation").fill(wording);
    await page.getByRole("button", { name: "Fusionner", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "Sélectionnez d'abord au moins une recommandation." }).waitFor();
    expect(await page.getByLabel("Formulation de la nouvelle recommandation").inputValue()).toBe(wording);

    for (const text of WATER) await page.getByLabel(text).check();
    await page.getByRole("button", { name: "Fusionner", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "3 recommandations fusionnées dans un nouveau projet." }).waitFor();
    // Only the road demand is left to address.
    await expect.poll(() => page.locator("li.card").count()).toBe(1);
    await page.locator("li.card").getByText(ROADS).waitFor();
    await page.screenshot({ path: ".cache/shots/consolidation-fr-phone.png", fullPage: true });

    // Taken up here: the three show as merged, with the new recommendation's wording.
    // Nothing typed is left in the form after a success.
    expect(await page.getByLabel("Formulation de la nouvelle recommandation").inputValue()).toBe("");
    await page.locator("summary").filter({ hasText: "Filtrer" }).click();
    await page.getByLabel("Suite donnée").selectOption("here");
    await page.getByRole("button", { name: "Appliquer les filtres" }).click();
    await expect.poll(() => page.locator("li.card").count()).toBe(3);
    expect(await page.locator("li.card").filter({ hasText: wording }).count()).toBe(3);

    const db = server.database.sqlite;
    const merged = db.prepare("SELECT id, status, session_id AS sessionId FROM recommendations WHERE text = ?").get(wording) as { id: string; status: string; sessionId: string };
    expect(merged).toMatchObject({ status: "draft", sessionId: nationalId });
    expect(db.prepare("SELECT relation FROM recommendation_links WHERE target_recommendation_id = ?").all(merged.id)).toEqual(Array(3).fill({ relation: "merged" }));
    expect(problems).toEqual([]);
  });

  it("offers the three near-identical ones as a group, merged in one action; the group view needs no JavaScript", async () => {
    const national = await nationalWithCommunes("Dialogue national inclusif");
    const { page, problems } = await openPageWithoutJs(browser, { viewport: PHONE, locale: "fr-FR", name: "consolidation-groups" });
    await signIn(page, server.url, "rapporteuse@linking.test", PASSWORD);
    await page.goto(`${server.url}/sessions/${national}/consolidate?view=groups`);
    // The first visit may find the grouping at work: the page refreshes itself until it is ready.
    const group = page.getByRole("region", { name: /Groupe 1\s: 3 recommandations similaires/ });
    await group.waitFor({ timeout: 20_000 });
    for (const text of WATER) await group.locator("label").filter({ hasText: text }).waitFor();
    expect(await page.getByText(ROADS).count()).toBe(0);
    expect(await accessibilityWithoutScripts(browser, page)).toEqual([]);
    const wording = "Que l'État dote chaque village d'un point d'eau.";
    await group.getByLabel("Formulation de la recommandation fusionnée").fill(wording);
    await group.getByRole("button", { name: "Fusionner ce groupe" }).click();
    await page.getByRole("status").filter({ hasText: "3 recommandations fusionnées dans un nouveau projet." }).waitFor();
    await page.getByText("Aucune recommandation quasi identique parmi celles qui correspondent aux filtres.").waitFor();
    const merged = server.database.sqlite.prepare("SELECT id FROM recommendations WHERE text = ? AND session_id = ?").get(wording, national) as { id: string };
    expect((server.database.sqlite.prepare("SELECT count(*) AS n FROM recommendation_links WHERE target_recommendation_id = ?").get(merged.id) as { n: number }).n).toBe(3);
    expect(problems).toEqual([]);
  });
});
