/**
 * The live room as the "done when" describes it: a moderator on a desktop runs an agenda from
 * start to end while five participants follow on phones in French, every view in step; and the
 * projector shows the join code with its QR code.
 */
import type { Browser, Page } from "playwright-core";
import { accessibilityViolations, DESKTOP, launchBrowser, openPage, PHONE, signIn, type Watched } from "../support/browser";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let browser: Browser;
let sessionId = "";
let code = "";

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  const moderatorId = await server.createAccount("moderator@live.test", "correct horse battery", "Modératrice Awa");
  const organiser = server.actorFor(moderatorId);
  const programmeId = server.domain.programmes.create(organiser, { name: "Dialogue national" }).id;
  const levelId = server.domain.programmes.taxonomy(programmeId).levels[0].id;
  sessionId = server.domain.sessions.create(organiser, programmeId, {
    title: "Concertation communale",
    kind: "local_dialogue",
    levelId,
    languages: ["fr"],
    timeZone: "Africa/Bamako",
    attributionMode: "chatham_house",
    noteVisibility: "participants",
  }).id;
  server.domain.sessions.putMember(sessionId, moderatorId, "moderator");
  server.domain.live.addItem(organiser, sessionId, { title: "Menaces qui pèsent sur les civils", plannedMinutes: 40 });
  server.domain.live.addItem(organiser, sessionId, { title: "Recommandations", plannedMinutes: 30 });
  code = server.domain.sessions.rotateJoinCode(organiser, sessionId);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function phoneJoins(name: string): Promise<Watched> {
  const phone = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: `phone-${name}` });
  await phone.page.goto(`${server.url}/join?code=${code}`);
  await phone.page.getByLabel("Votre nom").fill(name);
  await Promise.all([phone.page.waitForURL(new RegExp(`/sessions/${sessionId}$`)), phone.page.getByRole("button", { name: "Rejoindre" }).click()]);
  await phone.page.goto(`${server.url}/sessions/${sessionId}/live`);
  await connectedIndicator(phone.page, "Connecté");
  return phone;
}

const countdownOf = (page: Page) => page.getByRole("timer").first();

/** The visible connection indicator (a screen-reader-only twin announces changes). */
async function connectedIndicator(page: Page, text: string) {
  await page.locator("p[role=status]").filter({ hasText: text }).waitFor();
}

describe("running the live room", () => {
  it("keeps a moderator and five phones in French in step from the first item to the end", async () => {
    const moderator = await openPage(browser, { viewport: DESKTOP, locale: "en-GB", name: "moderator" });
    await signIn(moderator.page, server.url, "moderator@live.test", "correct horse battery");
    await moderator.page.goto(`${server.url}/sessions/${sessionId}/live`);
    await connectedIndicator(moderator.page, "Connected");

    const names = ["Aminata", "Boubacar", "Coumba", "Drissa", "Fanta"];
    const phones: Watched[] = [];
    for (const name of names) phones.push(await phoneJoins(name));
    await phones[0].page.getByText("La salle en direct n'est pas encore ouverte.").waitFor();

    await moderator.page.getByRole("button", { name: "Open the live room" }).click();
    for (const phone of phones) await phone.page.getByText("Vous pourrez demander la parole dès qu'un point de l'ordre du jour sera en cours.").waitFor();

    // The first item starts: every phone shows it and its countdown, without a reload.
    await moderator.page.getByRole("button", { name: "Start: “Menaces qui pèsent sur les civils”" }).click();
    await expect.poll(() => countdownOf(moderator.page).textContent()).toMatch(/(39|40):\d\d/);
    for (const phone of phones) {
      await phone.page.getByRole("heading", { name: "Menaces qui pèsent sur les civils" }).waitFor();
      await expect.poll(() => countdownOf(phone.page).textContent()).toMatch(/(39|40):\d\d/);
    }
    expect(await accessibilityViolations(phones[0].page)).toEqual([]);
    expect(await accessibilityViolations(moderator.page)).toEqual([]);

    // Hands: a new point, then a point of order, which goes first in the moderator's queue.
    await phones[0].page.getByRole("button", { name: "Demander la parole : nouveau point" }).click();
    await phones[0].page.getByText("Vous êtes en 1re position dans la liste des orateurs").waitFor();
    await phones[1].page.getByRole("button", { name: "Demander la parole : motion d'ordre" }).click();
    await phones[1].page.getByText("Vous êtes en 1re position dans la liste des orateurs").waitFor();
    await phones[0].page.getByText("Vous êtes en 2e position dans la liste des orateurs").waitFor();
    const queue = moderator.page.getByRole("list", { name: /waiting/i });
    await expect.poll(async () => (await queue.getByRole("listitem").allTextContents()).join(" | ")).toMatch(/Boubacar.*\|.*Aminata/);
    // The room sees how many wait, never who (Chatham House item).
    expect(await phones[4].page.getByText("En attente de parole : 2").count()).toBe(1);
    expect(await phones[4].page.getByText("Boubacar").count()).toBe(0);

    // The floor goes to the point of order.
    await moderator.page.getByRole("button", { name: "Give the floor to the next speaker: Boubacar" }).click();
    await phones[1].page.getByText("Vous avez la parole").waitFor();
    await phones[0].page.getByText("Vous êtes en 1re position dans la liste des orateurs").waitFor();

    // Next item: the queue and its names are gone.
    await moderator.page.getByRole("button", { name: "Start: “Recommandations”" }).click();
    for (const phone of phones) await phone.page.getByRole("heading", { name: "Recommandations", level: 3 }).waitFor();
    await phones[0].page.getByText("Personne n'attend la parole.").waitFor();
    expect(await moderator.page.getByText("Aminata").count()).toBe(0);

    // The end of the room.
    await moderator.page.getByRole("button", { name: "End the live room" }).click();
    await moderator.page.getByRole("button", { name: "Yes, end the live room" }).click();
    for (const phone of phones) await phone.page.getByText("La salle en direct est fermée : la séance est terminée.").waitFor();

    for (const w of [moderator, ...phones]) {
      expect(w.problems).toEqual([]);
      await w.context.close();
    }
  });

  it("shows the join code and its QR code on the projector, and refuses it to participants", async () => {
    const projector = await openPage(browser, { viewport: { width: 1920, height: 1080 }, locale: "fr-FR", name: "projector" });
    await signIn(projector.page, server.url, "moderator@live.test", "correct horse battery");
    await projector.page.goto(`${server.url}/sessions/${sessionId}/projector`);
    const qr = projector.page.getByRole("img", { name: "Code QR pour rejoindre la séance" });
    await qr.waitFor();
    const box = await qr.boundingBox();
    expect(box && box.width > 200).toBe(true);
    expect(await projector.page.getByText(code.split("").join(" ")).count() + (await projector.page.getByText(code).count())).toBeGreaterThan(0);
    expect(await accessibilityViolations(projector.page)).toEqual([]);
    expect(projector.problems).toEqual([]);
    await projector.context.close();

    const phone = await phoneJoinsAfterEnd();
    const res = await phone.page.goto(`${server.url}/sessions/${sessionId}/projector`);
    expect(res?.status()).toBe(403);
    await phone.context.close();
  });
});

/** A participant with an account, signed in on a phone. */
async function phoneJoinsAfterEnd(): Promise<Watched> {
  const userId = await server.createAccount("late@live.test", "correct horse battery", "Late");
  server.domain.sessions.putMember(sessionId, userId, "participant");
  const phone = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "late-phone" });
  await signIn(phone.page, server.url, "late@live.test", "correct horse battery");
  return phone;
}
