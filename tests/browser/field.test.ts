/**
 * A field laptop in Chromium, reached as http://parley-field.lan (mapped to loopback, so that the
 * browser has no secure context, as on a laptop's Wi-Fi: Chromium counts localhost as secure, so a
 * test through localhost would prove nothing). The rapporteur imports the kit made on a national
 * instance from the laptop page and sees the fingerprint to read out; the session is opened; a
 * participant on a phone, in French, joins with the code and submits notes from the live room,
 * which reach the laptop's database. The laptop page passes the accessibility scan.
 */
import type { Browser } from "playwright-core";
import { accessibilityViolations, launchBrowser, openPage, PHONE, signIn } from "../support/browser";
import { startTestServer, type TestServer } from "../support/server";
import { hydrated, visit } from "./helpers";

const PASSWORD = "correct horse battery";
const FIELD_HOST = "parley-field.lan";

let national: TestServer;
let laptop: TestServer;
let browser: Browser;
let kit = "";
let sessionId = "";
let base = "";
let programmeId = "";
let shown = "";

beforeAll(async () => {
  national = await startTestServer();
  laptop = await startTestServer({ FIELD_MODE: "1", PARLEY_INSTANCE_NAME: "Portable Tombouctou" });
  browser = await launchBrowser([`--host-resolver-rules=MAP ${FIELD_HOST} 127.0.0.1`]);
  base = laptop.url.replace("127.0.0.1", FIELD_HOST);

  const organiser = national.actorFor(await national.createAccount("organiser@national.test", PASSWORD, "Organisatrice"));
  programmeId = national.domain.programmes.create(organiser, { name: "Dialogue national" }).id;
  const levelId = national.domain.programmes.taxonomy(programmeId).levels[0].id;
  national.domain.programmes.addTheme(organiser, programmeId, { labelEn: "Water", labelFr: "Eau" });
  sessionId = national.domain.sessions.create(organiser, programmeId, {
    title: "Concertation communale de Tombouctou",
    kind: "local_dialogue",
    levelId,
    languages: ["fr"],
    timeZone: "Africa/Bamako",
    attributionMode: "chatham_house",
    noteVisibility: "participants",
  }).id;
  national.domain.live.addItem(organiser, sessionId, { title: "Accès à l'eau potable", plannedMinutes: 40 });
  kit = national.domain.field.exportKit(organiser, programmeId, sessionId).body;
  await laptop.createAccount("rapporteur@field.test", PASSWORD, "Rapporteuse");
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await laptop?.stop();
  await national?.stop();
});

describe("a field laptop over plain http on its local network", () => {
  it("imports the kit, shows its fingerprint, and a participant on a phone joins and submits notes", async () => {
    const { page, problems, context } = await openPage(browser, { locale: "fr-FR", name: "field-laptop" });
    await signIn(page, base, "rapporteur@field.test", PASSWORD);
    await visit(page, `${base}/field`);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    await page.getByRole("heading", { level: 1, name: "Cet ordinateur de terrain" }).waitFor();
    await page.getByText("Cet ordinateur n'a pas encore de clé").waitFor();

    // A kit altered on the way is refused, with the page still usable.
    const altered = JSON.parse(kit);
    altered.payload.session.title = "Autre séance";
    await page.getByLabel("Fichier du kit (.json)").setInputFiles({ name: "kit.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(altered)) });
    await page.getByRole("button", { name: "Vérifier et importer le kit" }).click();
    await page.getByRole("alert").filter({ hasText: "La signature ne correspond pas au contenu" }).waitFor();

    await page.getByLabel("Fichier du kit (.json)").setInputFiles({ name: "kit.json", mimeType: "application/json", buffer: Buffer.from(kit) });
    await page.getByRole("button", { name: "Vérifier et importer le kit" }).click();
    await page.getByRole("status").filter({ hasText: "Kit importé : « Concertation communale de Tombouctou » est prête à être tenue." }).waitFor();
    shown = (await page.getByTestId("laptop-fingerprint").textContent())!.trim();
    expect(shown).toBe(laptop.domain.field.fingerprint()!.display);
    expect(shown).toMatch(/^[0-9A-F]{4}(-[0-9A-F]{4}){5}$/);
    await page.getByRole("region", { name: "Séances reçues par kit" }).getByRole("link", { name: "Concertation communale de Tombouctou" }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    // The rapporteur opens the room and starts the first item; the join code is given to the room.
    const rapporteur = laptop.actorFor(laptop.domain.accounts.findByEmail("rapporteur@field.test")!);
    const itemId = laptop.domain.live.listItems(rapporteur, sessionId).items[0].id;
    laptop.domain.live.openRoom(rapporteur, sessionId);
    await laptop.domain.live.command(rapporteur, sessionId, itemId, { command: "start" });
    const code = laptop.domain.sessions.rotateJoinCode(rapporteur, sessionId);

    const phone = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "field-phone" });
    await phone.page.goto(`${base}/join?code=${code}`);
    await phone.page.getByLabel("Votre nom").fill("Fatoumata");
    await Promise.all([phone.page.waitForURL(new RegExp(`/sessions/${sessionId}$`)), phone.page.getByRole("button", { name: "Rejoindre" }).click()]);
    await phone.page.goto(`${base}/sessions/${sessionId}/live`);
    await hydrated(phone.page);
    expect(await phone.page.evaluate(() => ({ secure: window.isSecureContext, host: location.hostname }))).toEqual({ secure: false, host: FIELD_HOST });
    await phone.page.locator("p[role=status]").filter({ hasText: "Connecté" }).first().waitFor();
    const notes = ["Le forage du quartier nord est en panne depuis trois mois.", "Il faut un comité de gestion de l'eau avec les femmes du quartier."];
    for (const text of notes) {
      await phone.page.getByLabel("Votre contribution").fill(text);
      await phone.page.getByRole("button", { name: "Envoyer la note" }).click();
      await phone.page.getByRole("status").filter({ hasText: "Note envoyée." }).first().waitFor();
      await expect.poll(() => phone.page.getByLabel("Votre contribution").inputValue()).toBe("");
    }
    await expect
      .poll(() => (laptop.database.sqlite.prepare("SELECT text FROM notes WHERE session_id = ? ORDER BY text").all(sessionId) as { text: string }[]).map((r) => r.text))
      .toEqual([...notes].sort());

    // Chromium remarks that it ignores Cross-Origin-Opener-Policy without a secure context: the
    // browser's remark on a header, not a failure of the page.
    const real = (list: string[]) => list.filter((p) => !p.includes("The Cross-Origin-Opener-Policy header has been ignored"));
    expect(real(problems)).toEqual([]);
    expect(real(phone.problems)).toEqual([]);
    await phone.context.close();
    await context.close();
  });


  it("on the national instance, the organiser downloads a kit and registers the fingerprint read out", async () => {
    const { page, problems, context } = await openPage(browser, { locale: "fr-FR", name: "field-national" });
    await signIn(page, national.url, "organiser@national.test", PASSWORD);
    await visit(page, `${national.url}/programmes/${programmeId}`);
    await Promise.all([page.waitForURL(/\/field$/), page.getByRole("link", { name: "Ordinateurs de terrain" }).click()]);
    await page.getByRole("heading", { level: 1, name: "Ordinateurs de terrain" }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    // The session was sent out once already (beforeAll): it is listed, not yet brought back.
    await page.getByText("pas encore rapporté").waitFor();

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Télécharger le kit signé" }).click()]);
    expect(download.suggestedFilename()).toBe("parley-field-kit-concertation-communale-de-tombouctou.json");
    const file = await download.path();
    const downloaded = JSON.parse((await import("node:fs")).readFileSync(file, "utf8"));
    expect(downloaded).toMatchObject({ format: "parley.field-kit", publicKey: JSON.parse(kit).publicKey, payload: { session: { id: sessionId } } });

    // As read out over the phone: lower case, spaces between the groups.
    await page.getByLabel("Empreinte lue par le rapporteur").fill(shown.toLowerCase().replace(/-/g, " "));
    await page.getByLabel("Nom de l'ordinateur").fill("Portable Tombouctou 1");
    await page.getByRole("button", { name: "Enregistrer la clé" }).click();
    await page.getByRole("status").filter({ hasText: `Clé ${shown} enregistrée.` }).waitFor();
    await page.getByRole("region", { name: "2. Enregistrer la clé d'un ordinateur" }).getByText("Portable Tombouctou 1").waitFor();

    await page.getByLabel("Empreinte lue par le rapporteur").fill("3F9A-1C22");
    await page.getByLabel("Nom de l'ordinateur").fill("Portable erroné");
    await page.getByRole("button", { name: "Enregistrer la clé" }).click();
    await page.getByText("Ce n'est pas une empreinte").waitFor();
    // What was typed is kept.
    expect(await page.getByLabel("Nom de l'ordinateur").inputValue()).toBe("Portable erroné");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
