/**
 * The notes issue's "done when", on the demo roundtable: five participants who joined with the code
 * on phones in French and the demo rapporteur in rapporteur mode capture the first item. One phone
 * loses the network (the browser goes offline and the app drops its socket), writes three notes,
 * is reloaded while offline (the service worker's shell answers) and comes back: exactly three notes
 * are stored and shown. Every identifying sentence is caught (warned while typing, or held for the
 * rapporteur), and nothing on any phone ties a note to a person.
 */
import type { Browser, Page } from "playwright-core";
import { buildRosterIndex, checkForStaff } from "../../app/models/guard";
import { accessibilityViolations, launchBrowser, openPage, PHONE, signIn, type Watched } from "../support/browser";
import { startTestServer, type TestServer } from "../support/server";
import { hydrated } from "./helpers";

const PASSWORD = "parley-demo-2026";
const NAMES = ["Aminata", "Boubacar", "Coumba", "Drissa", "Fanta"];

let server: TestServer;
let browser: Browser;
let sessionId = "";
let code = "";
let firstItem = "";

beforeAll(async () => {
  server = await startTestServer({ PARLEY_DEMO: "1" });
  browser = await launchBrowser();
  const row = server.database.sqlite.prepare("SELECT id, join_code AS code FROM dialogue_sessions WHERE kind = 'roundtable' AND status = 'scheduled'").get() as { id: string; code: string };
  sessionId = row.id;
  code = row.code;
  const moderatorId = (server.database.sqlite.prepare("SELECT id FROM users WHERE email = 'moderator@demo.parley.test'").get() as { id: string }).id;
  const moderator = server.actorFor(moderatorId);
  firstItem = (await server.domain.live.stateFor(sessionId, "staff"))!.agenda.items[0].id;
  server.domain.live.openRoom(moderator, sessionId);
  await server.domain.live.command(moderator, sessionId, firstItem, { command: "start" });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function status(page: Page, text: string) {
  await page.locator("p[role=status]").filter({ hasText: text }).first().waitFor();
}

async function phoneJoins(name: string): Promise<Watched> {
  const phone = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: `journey-${name}` });
  await phone.page.goto(`${server.url}/join?code=${code}`);
  await phone.page.getByLabel("Votre nom").fill(name);
  await Promise.all([phone.page.waitForURL(new RegExp(`/sessions/${sessionId}$`)), phone.page.getByRole("button", { name: "Rejoindre" }).click()]);
  await phone.page.goto(`${server.url}/sessions/${sessionId}/live`);
  await hydrated(phone.page);
  await status(phone.page, "Connecté");
  return phone;
}

const feedOf = (page: Page) => page.locator("section[aria-labelledby=notes-heading]");
const rows = () => server.database.sqlite.prepare("SELECT text, status FROM notes WHERE session_id = ?").all(sessionId) as { text: string; status: string }[];

async function send(page: Page, text: string, confirmation = "Note envoyée.") {
  await page.getByLabel("Votre contribution").fill(text);
  await page.getByRole("button", { name: "Envoyer la note" }).click();
  await page.getByRole("status").filter({ hasText: confirmation }).first().waitFor();
  // The composer empties once the note is stored on the device: only then is the next one typed.
  await expect.poll(() => page.getByLabel("Votre contribution").inputValue()).toBe("");
}

describe("five phones and a rapporteur capture the demo roundtable's first item", () => {
  it("through a network cut, with every identifying sentence caught and nothing attributed", async () => {
    const rapporteur = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "journey-rapporteur" });
    await signIn(rapporteur.page, server.url, "rapporteur@demo.parley.test", PASSWORD);
    await rapporteur.page.goto(`${server.url}/sessions/${sessionId}/capture`);
    await hydrated(rapporteur.page);
    await status(rapporteur.page, "Connecté");

    const phones: Watched[] = [];
    for (const name of NAMES) phones.push(await phoneJoins(name));
    const [aminata, boubacar, coumba, drissa, fanta] = phones.map((p) => p.page);

    // Aminata is warned while typing and takes the neutral wording.
    await aminata.getByLabel("Votre contribution").fill("Le représentant de la MINUSMA a dit que les routes vers Mopti ne sont plus sûres.");
    await aminata.getByText("Ce passage peut permettre d'identifier quelqu'un").waitFor();
    await aminata.getByRole("button", { name: "Utiliser la formulation neutre" }).click();
    await aminata.getByRole("button", { name: "Envoyer la note" }).click();
    await aminata.getByRole("status").filter({ hasText: "Note envoyée." }).first().waitFor();

    // Boubacar is warned and sends anyway: the note is held for the rapporteur.
    await boubacar.getByLabel("Votre contribution").fill("Comme l'a dit Mme Marchand, la France doit renforcer son appui aux comités de paix.");
    await boubacar.getByText("Ce passage peut permettre d'identifier quelqu'un").waitFor();
    await send(boubacar, "Comme l'a dit Mme Marchand, la France doit renforcer son appui aux comités de paix.", "mise en attente de relecture");

    // Coumba names a panelist in a way only the roster recognises: she is not told (nobody may probe
    // the roster), but the note is held for the rapporteur all the same.
    await send(coumba, "Il faut, pour reprendre l'idée d'Okafor, financer les radios communautaires.");
    expect(await coumba.getByText("Ce passage peut permettre d'identifier quelqu'un").count()).toBe(0);

    await send(fanta, "Les femmes déplacées n'ont plus accès aux marchés de Mopti.");

    // Drissa's phone loses the network: the service worker is in control, the app drops its socket.
    await drissa.waitForFunction(() => !!navigator.serviceWorker?.controller);
    await drissa.waitForLoadState("networkidle");
    await phones[3].context.setOffline(true);
    await status(drissa, "Hors ligne");
    const offline = ["Les milices recrutent des mineurs dans le cercle de Bandiagara.", "Il faut un mécanisme d'alerte précoce dans chaque commune.", "Qui protège les radios communautaires ?"];
    for (const [i, text] of offline.entries()) {
      await send(drissa, text, "Note gardée sur cet appareil");
      await drissa.getByText(i === 0 ? "1 note pas encore envoyée" : `${i + 1} notes pas encore envoyées`).waitFor();
    }
    // Reloaded while offline: the shell answers and still holds the three notes.
    await drissa.reload();
    await drissa.getByRole("heading", { name: "Vous êtes hors ligne" }).waitFor();
    const waiting = drissa.getByRole("region", { name: "En attente d'envoi" });
    for (const text of offline) await waiting.getByText(text).waitFor();
    for (const text of offline) expect(rows().filter((r) => r.text === text)).toHaveLength(0);
    // The network returns: the shell reloads into the room, which sends the three notes once.
    await phones[3].context.setOffline(false);
    await status(drissa, "Connecté");
    for (const text of offline) await feedOf(drissa).locator("article").filter({ hasText: text }).getByText("Envoyée").waitFor();
    await expect.poll(() => drissa.getByText("pas encore envoyée").count()).toBe(0);
    for (const text of offline) expect(rows().filter((r) => r.text === text)).toHaveLength(1);

    // The rapporteur captures what the room says with the keyboard alone.
    const r = rapporteur.page;
    await r.keyboard.type("Les participants ont souligné la montée des violences intercommunautaires.");
    await r.keyboard.press("Enter");
    await r.getByRole("status").filter({ hasText: "Note envoyée." }).first().waitFor();

    // On the live page the rapporteur finds the two held notes and rewords them neutrally.
    await r.goto(`${server.url}/sessions/${sessionId}/live`);
    await hydrated(r);
    await status(r, "Connecté");
    const held = r.getByRole("region", { name: /Retenues? par le garde-fou d'attribution/ });
    await expect.poll(() => held.locator("article").count()).toBe(2);
    expect(await accessibilityViolations(r)).toEqual([]);
    for (let i = 0; i < 2; i++) {
      await held.locator("article").first().getByRole("button", { name: "Reformuler de façon neutre…" }).click();
      await r.getByRole("button", { name: "Enregistrer" }).click();
      await expect.poll(() => held.locator("article").count()).toBe(1 - i);
    }

    // Nothing stored, shown or held can identify anyone any more; eight notes in all.
    const roster = buildRosterIndex(server.domain.roster.list(server.actorFor((server.database.sqlite.prepare("SELECT id FROM users WHERE email = 'organiser@demo.parley.test'").get() as { id: string }).id), sessionId));
    await expect.poll(() => rows().filter((n) => n.status === "visible").length).toBe(8);
    for (const n of rows()) expect(checkForStaff(n.text, roster), n.text).toEqual([]);
    // Every phone shows the eight notes and no person's name next to any of them.
    for (const page of [aminata, boubacar, coumba, drissa, fanta]) {
      await expect.poll(() => feedOf(page).locator("article").count()).toBe(8);
      const shown = (await feedOf(page).locator("article").allTextContents()).join("\n");
      for (const name of [...NAMES, "Fatoumata", "Sow", "Marchand", "Okafor"]) expect(shown, `${name} on a phone`).not.toContain(name);
    }
    expect(await accessibilityViolations(aminata)).toEqual([]);
    for (const p of [rapporteur, ...phones]) expect(p.problems).toEqual([]);
    for (const p of [rapporteur, ...phones]) await p.context.close();
  });
});
