/**
 * Notes in the live room, on a phone in French: the attribution guard warns while a participant types
 * an identifying sentence, the neutral wording replaces it, the note is sent and a rapporteur sees it
 * in the feed, with its theme and kind. A note sent with identifying words is held until a rapporteur
 * rewords it. A note written while the phone is offline waits in the device's outbox and is sent,
 * once, when the connection returns. Rapporteur mode works from the keyboard alone on a phone. Another
 * person's waiting note on a shared phone is counted, never shown nor sent. A note the server refuses
 * for good stays on the device, explained, until its writer copies or discards it.
 */
import type { Browser, Page } from "playwright-core";
import { accessibilityViolations, DESKTOP, launchBrowser, openPage, PHONE, signIn, type Watched } from "../support/browser";
import { createSessionFixture, startTestServer, type TestServer } from "../support/server";
import { hydrated } from "./helpers";

let server: TestServer;
let browser: Browser;
let sessionId = "";
let itemId = "";
let fixtureOrganiserId = "";

const IDENTIFYING = "Le représentant de la MINUSMA a dit que les routes vers Mopti ne sont plus sûres.";
const NEUTRAL = "Un participant a dit que les routes vers Mopti ne sont plus sûres.";

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  const fixture = await createSessionFixture(server, { title: "Table ronde sur la protection des civils" });
  sessionId = fixture.sessionId;
  fixtureOrganiserId = fixture.organiserId;
  server.domain.programmes.addTheme(fixture.organiser, fixture.programmeId, { labelEn: "Security", labelFr: "Sécurité" });
  const participantId = await server.createAccount("participante@notes.test", "correct horse battery", "Awa");
  const rapporteurId = await server.createAccount("rapporteur@notes.test", "correct horse battery", "Moussa");
  server.domain.sessions.putMember(sessionId, participantId, "participant");
  server.domain.sessions.putMember(sessionId, rapporteurId, "rapporteur");
  itemId = server.domain.live.addItem(fixture.organiser, sessionId, { title: "Sécurité des déplacements", plannedMinutes: 30 }).id;
  server.domain.live.openRoom(fixture.organiser, sessionId);
  await server.domain.live.command(fixture.organiser, sessionId, itemId, { command: "start" });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function enterRoom(watched: Watched, email: string, connected: string) {
  await signIn(watched.page, server.url, email, "correct horse battery");
  await watched.page.goto(`${server.url}/sessions/${sessionId}/live`);
  await hydrated(watched.page);
  await connectedIndicator(watched.page, connected);
}

/** The visible connection indicator (a screen-reader-only twin announces changes). */
async function connectedIndicator(page: Page, text: string) {
  await page.locator("p[role=status]").filter({ hasText: text }).first().waitFor();
}

function storedCount(text: string): number {
  const row = server.database.sqlite.prepare("SELECT count(*) AS n FROM notes WHERE session_id = ? AND text = ?").get(sessionId, text) as { n: number };
  return row.n;
}

const feedOf = (page: Page) => page.locator("section[aria-labelledby=notes-heading]");

describe("notes in the live room", () => {
  it("warns of an identifying sentence while typing, applies the neutral wording, and a rapporteur sees the note", async () => {
    const phone = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "notes-participant" });
    const rapporteur = await openPage(browser, { viewport: DESKTOP, locale: "fr-FR", name: "notes-rapporteur" });
    await enterRoom(phone, "participante@notes.test", "Connecté");
    await enterRoom(rapporteur, "rapporteur@notes.test", "Connecté");
    const { page } = phone;

    await page.getByRole("heading", { name: "Rédiger une contribution" }).waitFor();
    await page.getByText("Sécurité des déplacements", { exact: true }).first().waitFor();
    const text = page.getByLabel("Votre contribution");
    await text.fill(IDENTIFYING);

    // The guard, on the device, while typing: the identifying words and the neutral wording.
    const warning = page.getByText("Ce passage peut permettre d'identifier quelqu'un");
    await warning.waitFor();
    await page.getByText("« Le représentant de la MINUSMA » — formulation neutre : « un participant »", { exact: false }).waitFor();
    await page.getByText("la note sera alors mise en attente de relecture", { exact: false }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Utiliser la formulation neutre" }).click();
    await expect.poll(() => text.inputValue()).toBe(NEUTRAL);
    await expect.poll(() => warning.count()).toBe(0);
    await expect.poll(() => page.getByText(/^\d+ \/ 1000 caractères$/).textContent()).toBe(`${[...NEUTRAL].length} / 1000 caractères`);

    await page.getByRole("radio", { name: "Préoccupation" }).check();
    await page.getByRole("checkbox", { name: "Sécurité" }).check();
    await page.getByRole("button", { name: "Envoyer la note" }).click();
    await page.getByRole("status").filter({ hasText: "Note envoyée." }).waitFor();
    await expect.poll(() => text.inputValue()).toBe("");

    // The author sees it as theirs and sent; nothing waits on the device.
    const own = feedOf(page).locator("article").filter({ hasText: "Un participant a dit que les routes vers Mopti" });
    await own.getByText("La vôtre").waitFor();
    await own.getByText("Envoyée").waitFor();
    expect(await page.getByText("pas encore envoyée").count()).toBe(0);

    // The rapporteur sees it in the feed, under the current item, with its kind and theme, not as held.
    const seen = feedOf(rapporteur.page).locator("article").filter({ hasText: NEUTRAL });
    await seen.waitFor();
    await seen.getByText("Préoccupation").waitFor();
    await seen.getByText("Sécurité").waitFor();
    expect(await rapporteur.page.getByRole("heading", { name: /garde-fou d'attribution/ }).count()).toBe(0);
    expect(await seen.getByText("La vôtre").count()).toBe(0);
    expect(await accessibilityViolations(rapporteur.page)).toEqual([]);

    expect(phone.problems).toEqual([]);
    expect(rapporteur.problems).toEqual([]);
    await phone.context.close();
    await rapporteur.context.close();
  });

  it("holds a note sent with identifying words for review, and a rapporteur rewords it neutrally", async () => {
    const phone = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "notes-held-participant" });
    const rapporteur = await openPage(browser, { viewport: DESKTOP, locale: "fr-FR", name: "notes-held-rapporteur" });
    await enterRoom(phone, "participante@notes.test", "Connecté");
    await enterRoom(rapporteur, "rapporteur@notes.test", "Connecté");
    const HELD = "Selon l'ambassadeur de France, les patrouilles doivent reprendre.";

    await phone.page.getByLabel("Votre contribution").fill(HELD);
    await phone.page.getByText("Ce passage peut permettre d'identifier quelqu'un").waitFor();
    await phone.page.getByRole("button", { name: "Envoyer la note" }).click();
    await phone.page.getByRole("status").filter({ hasText: "mise en attente de relecture" }).waitFor();
    // The author sees it held, with what the guard found marked in it (so matched on the rest of the text).
    const own = feedOf(phone.page).locator("article").filter({ hasText: "les patrouilles doivent reprendre" });
    await own.getByText("En attente de relecture").first().waitFor();
    await own.locator("mark").first().waitFor();

    // The rapporteur finds it among the held notes, the identifying words marked, and rewords it.
    const held = rapporteur.page.getByRole("region", { name: /Retenue par le garde-fou d'attribution/ });
    const card = held.locator("article").filter({ hasText: "les patrouilles doivent reprendre" });
    await card.locator("mark").first().waitFor();
    expect(await accessibilityViolations(rapporteur.page)).toEqual([]);
    await card.getByRole("button", { name: "Reformuler de façon neutre…" }).click();
    const editor = rapporteur.page.getByLabel("Texte de la note");
    await expect.poll(() => editor.inputValue()).not.toContain("ambassadeur de France");
    const reworded = await editor.inputValue();
    await rapporteur.page.getByRole("button", { name: "Enregistrer" }).click();
    await expect.poll(() => held.count()).toBe(0);

    // The room now sees the reworded note; its author sees it sent; the identifying text is gone.
    await feedOf(rapporteur.page).getByText(reworded).waitFor();
    const mine = feedOf(phone.page).locator("article").filter({ hasText: reworded });
    await mine.getByText("Envoyée").waitFor();
    expect(storedCount(HELD)).toBe(0);
    expect(phone.problems).toEqual([]);
    expect(rapporteur.problems).toEqual([]);
    await phone.context.close();
    await rapporteur.context.close();
  });

  it("keeps a note written offline on the phone and sends it once when the connection returns", async () => {
    const phone = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "notes-offline" });
    await enterRoom(phone, "participante@notes.test", "Connecté");
    const { page, context } = phone;
    // What the room loads after hydration has arrived before the network goes (see offline-notes).
    await page.waitForLoadState("networkidle");

    await context.setOffline(true);
    // The app closes its socket when the browser says it is offline (an open WebSocket would not notice).
    await connectedIndicator(page, "Hors ligne");
    await page.getByLabel("Votre contribution").fill("Les femmes des villages voisins doivent être consultées.");
    await page.getByRole("button", { name: "Envoyer la note" }).click();
    await page.getByRole("status").filter({ hasText: "Note gardée sur cet appareil" }).waitFor();
    const waiting = feedOf(page).locator("article").filter({ hasText: "Les femmes des villages voisins" });
    await waiting.getByText("En attente d'envoi").waitFor();
    await page.getByText("1 note pas encore envoyée").waitFor();
    // Nothing reached the server while offline (an open socket would have carried it at once).
    expect(storedCount("Les femmes des villages voisins doivent être consultées.")).toBe(0);
    await page.getByText("1 note pas encore envoyée").waitFor();

    await context.setOffline(false);
    await connectedIndicator(page, "Connecté");
    const sent = feedOf(page).locator("article").filter({ hasText: "Les femmes des villages voisins" });
    await sent.getByText("Envoyée").waitFor();
    await expect.poll(() => page.getByText("pas encore envoyée").count()).toBe(0);

    // Stored exactly once, and the device's outbox is empty again.
    expect(storedCount("Les femmes des villages voisins doivent être consultées.")).toBe(1);
    const left = await page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open("parley-outbox", 1);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const req = open.result.transaction("notes", "readonly").objectStore("notes").count();
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => reject(req.error);
          };
        }),
    );
    expect(left).toBe(0);
    expect(phone.problems).toEqual([]);
    await context.close();
  });

  it("lets a rapporteur capture notes with the keyboard alone in rapporteur mode, on a phone", async () => {
    const phone = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "notes-capture" });
    await signIn(phone.page, server.url, "rapporteur@notes.test", "correct horse battery");
    const { page } = phone;
    await page.goto(`${server.url}/sessions/${sessionId}`);
    await Promise.all([page.waitForURL(/\/capture$/), page.getByRole("link", { name: "Mode rapporteur" }).click()]);
    await hydrated(page);
    await connectedIndicator(page, "Connecté");
    expect(await page.title()).toBe("Mode rapporteur · Table ronde sur la protection des civils · Parley");
    await page.getByText("suit le point en cours").waitFor();
    // The text box has the focus: type, choose the kind, tick the first theme, send with Enter.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe("TEXTAREA");
    await page.keyboard.type("Première ligne");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("seconde ligne.");
    await page.keyboard.press("Alt+2");
    await expect.poll(() => page.getByRole("radio", { name: "Proposition" }).isChecked()).toBe(true);
    await page.keyboard.press("Alt+Shift+1");
    await expect.poll(() => page.getByRole("checkbox", { name: "Sécurité" }).isChecked()).toBe(true);
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "Note envoyée." }).waitFor();
    const recent = page.locator("section[aria-labelledby=recent-heading]").locator("li").filter({ hasText: "seconde ligne." });
    await recent.getByText("Envoyée").waitFor();
    await recent.getByText("Proposition").waitFor();
    expect(storedCount("Première ligne\nseconde ligne.")).toBe(1);
    // Escape clears; the shortcuts are listed on screen.
    await page.keyboard.type("À effacer");
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByLabel("Ce qui est dit").inputValue()).toBe("");
    await page.getByRole("heading", { name: "Raccourcis clavier" }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(phone.problems).toEqual([]);
    await phone.context.close();
  });

  it("on a shared phone, never sends another person's waiting note and shows only how many there are", async () => {
    const phone = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "notes-shared-phone" });
    await enterRoom(phone, "participante@notes.test", "Connecté");
    const { page } = phone;
    const OTHER = "Texte d'une autre personne qui ne doit pas apparaître.";
    // Another guest's note, left waiting on this phone's outbox (same schema as the app writes).
    await page.evaluate(
      ({ sessionId, itemId, text }) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open("parley-outbox", 1);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction("notes", "readwrite");
            tx.objectStore("notes").put({ clientId: "f".repeat(32), userId: "someone-else", sessionId, itemId, kind: "point", themeIds: [], text, createdAt: Date.now(), state: "pending" });
            tx.oncomplete = () => resolve();
            tx.onerror = () => reject(tx.error);
          };
        }),
      { sessionId, itemId, text: OTHER },
    );
    await page.reload();
    await hydrated(page);
    await connectedIndicator(page, "Connecté");
    await page.getByText("1 note attend une autre personne sur cet appareil.").waitFor();
    // One's own note goes out; the other person's stays on the device, unseen and unsent.
    await page.getByLabel("Votre contribution").fill("Les jeunes demandent des emplois locaux.");
    await page.getByRole("button", { name: "Envoyer la note" }).click();
    await page.getByRole("status").filter({ hasText: "Note envoyée." }).waitFor();
    expect(await page.getByText(OTHER).count()).toBe(0);
    expect(storedCount(OTHER)).toBe(0);
    await page.getByText("1 note attend une autre personne sur cet appareil.").waitFor();
    expect(phone.problems).toEqual([]);
    await phone.context.close();
  });

  it("keeps a note the server refuses for good (the session was finalised meanwhile), explains why, and lets its writer copy or discard it", async () => {
    const phone = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "notes-refused" });
    await phone.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    await enterRoom(phone, "participante@notes.test", "Connecté");
    const { page, context } = phone;
    // What the room loads after hydration has arrived before the network goes (see offline-notes).
    await page.waitForLoadState("networkidle");
    const TEXT = "Il faut rouvrir l'école de Konna avant la saison des pluies.";

    await context.setOffline(true);
    await connectedIndicator(page, "Hors ligne");
    await page.getByLabel("Votre contribution").fill(TEXT);
    await page.getByRole("button", { name: "Envoyer la note" }).click();
    await page.getByText("1 note pas encore envoyée").waitFor();

    // Meanwhile the organiser ends and finalises the session.
    const organiser = server.actorFor(fixtureOrganiserId);
    server.domain.sessions.setStatus(organiser, sessionId, "ended");
    server.domain.sessions.setStatus(organiser, sessionId, "finalised", { confirmed: true });

    await context.setOffline(false);
    const card = feedOf(page).locator("article").filter({ hasText: TEXT });
    await card.getByText("Refusée").waitFor();
    await card.getByText("Cette séance a été", { exact: false }).waitFor();
    await page.getByRole("status").filter({ hasText: "La note a été refusée" }).waitFor();
    expect(storedCount(TEXT)).toBe(0);

    await card.getByRole("button", { name: "Copier le texte" }).click();
    await card.getByText("Texte copié.").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(TEXT);

    // Still there after a reload: a refused note is never dropped silently.
    await page.reload();
    await hydrated(page);
    const again = feedOf(page).locator("article").filter({ hasText: TEXT });
    await again.getByText("Refusée").waitFor();
    await again.getByRole("button", { name: "Supprimer", exact: true }).click();
    await again.getByRole("button", { name: "Supprimer définitivement cette note" }).click();
    await expect.poll(() => feedOf(page).getByText(TEXT).count()).toBe(0);
    expect(phone.problems).toEqual([]);
    await context.close();
  });
});
