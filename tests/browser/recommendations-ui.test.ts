/**
 * Recommendations in the live room: a moderator (desktop, French) drafts a recommendation from the
 * programme's lists and asks for positions; two participants on phones, in French, take positions
 * (one changes theirs, with a spoken confirmation); the moderator closes, and the level and its French
 * wording reach everyone, with no counts for the room since fewer than 10 took part. The show of hands
 * refuses what it must on the moderator's screen; the projector shows the open vote without counts.
 * No console or CSP problems, no axe violations, nothing wider than a 360 px phone.
 */
import type { Browser, Page } from "playwright-core";
import { accessibilityViolations, DESKTOP, launchBrowser, openPage, PHONE, signIn, type Watched } from "../support/browser";
import { createSessionFixture, startTestServer, type TestServer } from "../support/server";
import { hydrated } from "./helpers";

let server: TestServer;
let browser: Browser;
let sessionId = "";

const PASSWORD = "correct horse battery";
const TEXT = "Les autorités doivent rouvrir les écoles de Konna avant la saison des pluies";
const WORDING = "Les participants ont convenu à l'unanimité que les autorités doivent rouvrir les écoles de Konna avant la saison des pluies";

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  const fixture = await createSessionFixture(server, { title: "Concertation communale de Konna" });
  sessionId = fixture.sessionId;
  server.domain.programmes.addTheme(fixture.organiser, fixture.programmeId, { labelEn: "Education", labelFr: "Éducation" });
  server.domain.programmes.addAddressee(fixture.organiser, fixture.programmeId, { labelEn: "Local authorities", labelFr: "Autorités locales" });
  const moderatorId = await server.createAccount("moderatrice@recs.test", PASSWORD, "Mariam");
  server.domain.sessions.putMember(sessionId, moderatorId, "moderator");
  for (const [email, name] of [
    ["awa@recs.test", "Awa"],
    ["oumar@recs.test", "Oumar"],
  ]) {
    const id = await server.createAccount(email, PASSWORD, name);
    server.domain.sessions.putMember(sessionId, id, "participant");
  }
  const itemId = server.domain.live.addItem(fixture.organiser, sessionId, { title: "Éducation et écoles", plannedMinutes: 30 }).id;
  server.domain.live.openRoom(fixture.organiser, sessionId);
  await server.domain.live.command(fixture.organiser, sessionId, itemId, { command: "start" });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function enterRoom(watched: Watched, email: string, connected = "Connecté") {
  await signIn(watched.page, server.url, email, PASSWORD);
  await watched.page.goto(`${server.url}/sessions/${sessionId}/live`);
  await hydrated(watched.page);
  await watched.page.locator("p[role=status]").filter({ hasText: connected }).first().waitFor();
}

const panelOf = (page: Page) => page.locator("section[aria-labelledby=recs-heading]");
const cardOf = (page: Page, text: string) => panelOf(page).locator("article").filter({ hasText: text });

describe("recommendations in the live room", () => {
  it("a moderator drafts and asks for positions, two participants on phones take theirs, the level and its French wording reach everyone without counts", async () => {
    const moderator = await openPage(browser, { viewport: DESKTOP, locale: "fr-FR", name: "recs-moderator" });
    const awa = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "recs-awa" });
    const oumar = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "recs-oumar" });
    await enterRoom(moderator, "moderatrice@recs.test");
    const mod = moderator.page;

    // Drafting, from the programme's lists; the agenda item defaults to the current one.
    const form = mod.getByRole("form", { name: "Rédiger une recommandation" });
    await form.getByLabel("Texte de la recommandation").fill(TEXT);
    await form.getByLabel("Destinataire (qui doit agir)").selectOption({ label: "Autorités locales" });
    await form.getByLabel("Thématique").selectOption({ label: "Éducation" });
    await form.getByLabel("Horizon").selectOption({ label: "Court terme (immédiat)" });
    expect(await form.getByLabel("Point de l'ordre du jour").locator("option:checked").textContent()).toBe("Éducation et écoles");
    await form.getByRole("button", { name: "Ajouter le projet" }).click();
    const draft = cardOf(mod, TEXT);
    await draft.getByText("Projet", { exact: true }).waitFor();
    await draft.getByText("Autorités locales").waitFor();
    await draft.getByText("Court terme (immédiat)").waitFor();
    expect(await form.getByLabel("Texte de la recommandation").inputValue()).toBe("");
    expect(await accessibilityViolations(mod)).toEqual([]);

    // Drafts are for the moderation team: the participants see nothing yet.
    await enterRoom(awa, "awa@recs.test");
    await enterRoom(oumar, "oumar@recs.test");
    await panelOf(awa.page).getByText("Aucune recommandation n'a encore été soumise à la salle.").waitFor();
    expect(await awa.page.getByText(TEXT).count()).toBe(0);

    // Both are present when positions are asked for: two people eligible.
    await mod.getByText("Connectés en ce moment\u00A0: 3").waitFor();
    await draft.getByRole("button", { name: "Ouvrir les avis" }).click();
    await draft.getByText("Avis ouverts", { exact: true }).waitFor();

    // Awa agrees; Oumar disagrees, then changes his mind. Each hears the confirmation.
    const awaCard = cardOf(awa.page, TEXT);
    await awaCard.getByRole("group", { name: "Votre avis" }).waitFor();
    await awaCard.getByText("Vous ne vous êtes pas encore prononcé(e).").waitFor();
    await awaCard.getByRole("radio", { name: /^Pour/ }).check();
    await awaCard.getByText("Votre avis a été enregistré\u00A0: Pour.").waitFor();
    await awaCard.getByText("Votre choix").waitFor();
    const oumarCard = cardOf(oumar.page, TEXT);
    await oumarCard.getByRole("radio", { name: /^Contre/ }).check();
    await oumarCard.getByText("Votre avis a été enregistré\u00A0: Contre.").waitFor();
    await oumarCard.getByRole("radio", { name: /^Pour/ }).check();
    await oumarCard.getByText("Votre avis a été enregistré\u00A0: Pour.").waitFor();
    expect(await oumarCard.getByRole("radio", { name: /^Pour/ }).isChecked()).toBe(true);
    expect(await oumarCard.getByRole("radio", { name: /^Contre/ }).isChecked()).toBe(false);
    // The explanation of each option is its description.
    await oumarCard.getByText("Je ne prends pas parti.").waitFor();
    expect(await accessibilityViolations(oumar.page)).toEqual([]);
    expect(await oumar.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

    // Staff see the running counts; the room sees the level in words only (fewer than 10 people).
    await draft.getByText("Avis exprimés\u00A0: 2 sur 2 personnes appelées à se prononcer").waitFor();
    await awaCard.getByText("Unanimité", { exact: true }).waitFor();
    expect(await awaCard.getByText("Avis exprimés").count()).toBe(0);

    // A reload keeps one's own choice (from the room's snapshot).
    await awa.page.reload();
    await hydrated(awa.page);
    await awa.page.locator("p[role=status]").filter({ hasText: "Connecté" }).first().waitFor();
    await expect.poll(() => cardOf(awa.page, TEXT).getByRole("radio", { name: /^Pour/ }).isChecked()).toBe(true);

    // The moderator closes; everyone gets the level and its French wording.
    await draft.getByRole("button", { name: "Clore les avis" }).click();
    for (const page of [mod, awa.page, oumar.page]) {
      const card = cardOf(page, TEXT);
      await card.getByText("Avis clos", { exact: true }).waitFor();
      await card.getByText("Unanimité", { exact: true }).waitFor();
      await card.getByText(WORDING, { exact: false }).waitFor();
    }
    // No count at all for the room: neither the figures nor any digit in the result.
    for (const page of [awa.page, oumar.page]) {
      const card = cardOf(page, TEXT);
      expect(await card.getByText("Avis exprimés").count()).toBe(0);
      expect(await card.getByRole("radio").count()).toBe(0);
      const wording = await card.getByText(WORDING, { exact: false }).textContent();
      expect(wording).not.toMatch(/\d/);
    }
    // Staff keep the counts.
    await cardOf(mod, TEXT).getByText("(2 participants sur 2)", { exact: false }).waitFor();

    await cardOf(mod, TEXT).getByRole("button", { name: "Marquer comme adoptée" }).click();
    await cardOf(awa.page, TEXT).getByText("Adoptée", { exact: true }).waitFor();
    expect(await accessibilityViolations(awa.page)).toEqual([]);
    expect(await accessibilityViolations(mod)).toEqual([]);

    expect(moderator.problems).toEqual([]);
    expect(awa.problems).toEqual([]);
    expect(oumar.problems).toEqual([]);
    for (const w of [moderator, awa, oumar]) await w.context.close();
  });

  it("the show of hands refuses what is not a count or goes above the headcount; the projector shows the open vote, then its outcome, without counts", async () => {
    const moderator = await openPage(browser, { viewport: DESKTOP, locale: "fr-FR", name: "recs-hands" });
    await enterRoom(moderator, "moderatrice@recs.test");
    const mod = moderator.page;
    const HANDS_TEXT = "Un comité de gestion scolaire doit être élu dans chaque village";
    const form = mod.getByRole("form", { name: "Rédiger une recommandation" });
    await form.getByLabel("Texte de la recommandation").fill(HANDS_TEXT);
    await form.getByRole("button", { name: "Ajouter le projet" }).click();
    const card = cardOf(mod, HANDS_TEXT);
    await card.getByRole("checkbox", { name: "Masquer le décompte à la salle jusqu'à la clôture" }).check();
    await card.getByRole("button", { name: "Ouvrir les avis" }).click();
    await card.getByText("Avis ouverts", { exact: true }).waitFor();

    await card.getByRole("button", { name: "Saisir un vote à main levée…" }).click();
    const hands = card.getByRole("form", { name: "Vote à main levée" });
    const headcount = hands.getByLabel("Nombre de personnes dans la salle");
    await expect.poll(() => headcount.evaluate((el) => el === document.activeElement)).toBe(true);
    await headcount.fill("trois");
    await hands.getByLabel("Mains levées pour «\u00A0Pour\u00A0»").fill("5");
    await hands.getByRole("button", { name: "Enregistrer le vote à main levée" }).click();
    await hands.getByText("Saisissez un nombre entier.").waitFor();
    expect(await headcount.getAttribute("aria-invalid")).toBe("true");

    await headcount.fill("3");
    await hands.getByRole("button", { name: "Enregistrer le vote à main levée" }).click();
    await hands.getByText("Il y a plus de mains levées que de personnes déclarées présentes dans la salle.").waitFor();
    expect(await accessibilityViolations(mod)).toEqual([]);
    // Nothing was recorded.
    const stored = () => server.database.sqlite.prepare("SELECT v.hands_headcount AS h FROM votes v JOIN recommendations r ON r.id = v.recommendation_id WHERE r.text = ?").get(HANDS_TEXT) as { h: number | null };
    expect(stored().h).toBeNull();

    await headcount.fill("6");
    await hands.getByLabel("Mains levées pour «\u00A0Pour\u00A0»").fill("5");
    await hands.getByLabel("Mains levées pour «\u00A0Contre\u00A0»").fill("1");
    await hands.getByRole("button", { name: "Enregistrer le vote à main levée" }).click();
    await card.getByText("Vote à main levée enregistré\u00A0: 6 personnes.").waitFor();
    expect(stored().h).toBe(6);

    // The projector: the open vote's text, the tally hidden until close; then after close the level
    // in words, no counts (6 people counted).
    const projector = await openPage(browser, { viewport: DESKTOP, locale: "fr-FR", name: "recs-projector" });
    await signIn(projector.page, server.url, "moderatrice@recs.test", PASSWORD);
    await projector.page.goto(`${server.url}/sessions/${sessionId}/projector`);
    await hydrated(projector.page);
    const vote = projector.page.locator("section[aria-labelledby=projector-vote]");
    await vote.getByText(HANDS_TEXT).waitFor();
    await vote.getByText("Décompte masqué jusqu'à la clôture").waitFor();
    await card.getByRole("button", { name: "Clore les avis" }).click();
    // Closed: the big screen keeps the outcome the room has just given, in words only.
    await vote.getByRole("heading", { name: "Résultat" }).waitFor();
    await vote.getByText("Large soutien", { exact: true }).waitFor();
    await vote.getByText("Les participants ont largement", { exact: false }).waitFor();
    expect(await vote.getByText("Avis exprimés").count()).toBe(0);
    expect(projector.problems).toEqual([]);
    expect(moderator.problems).toEqual([]);
    await projector.context.close();
    await moderator.context.close();
  });

  it("the projector shows a visible tally as the room would: level and wording, no counts under 10", async () => {
    const moderator = await openPage(browser, { viewport: DESKTOP, locale: "fr-FR", name: "recs-projector-tally" });
    await enterRoom(moderator, "moderatrice@recs.test");
    const mod = moderator.page;
    const T = "Les cantines scolaires doivent être rétablies";
    const form = mod.getByRole("form", { name: "Rédiger une recommandation" });
    await form.getByLabel("Texte de la recommandation").fill(T);
    await form.getByRole("button", { name: "Ajouter le projet" }).click();
    const card = cardOf(mod, T);
    await card.getByRole("button", { name: "Ouvrir les avis" }).click();
    await card.getByRole("button", { name: "Saisir un vote à main levée…" }).click();
    const hands = card.getByRole("form", { name: "Vote à main levée" });
    await hands.getByLabel("Nombre de personnes dans la salle").fill("8");
    await hands.getByLabel("Mains levées pour «\u00A0Pour\u00A0»").fill("7");
    await hands.getByLabel("Mains levées pour «\u00A0Abstention\u00A0»").fill("1");
    await hands.getByRole("button", { name: "Enregistrer le vote à main levée" }).click();
    await card.getByText("Vote à main levée enregistré\u00A0: 8 personnes.").waitFor();

    const projector = await openPage(browser, { viewport: DESKTOP, locale: "fr-FR", name: "recs-projector-visible" });
    await signIn(projector.page, server.url, "moderatrice@recs.test", PASSWORD);
    await projector.page.goto(`${server.url}/sessions/${sessionId}/projector`);
    await hydrated(projector.page);
    const vote = projector.page.locator("section[aria-labelledby=projector-vote]");
    await vote.getByText(T, { exact: true }).waitFor();
    await vote.getByText("Consensus", { exact: true }).waitFor();
    // While positions are open, the room reads a running tally, not the past-tense summary sentence.
    await vote.getByText("Décompte provisoire", { exact: false }).waitFor();
    expect(await vote.getByText("Un consensus s'est dégagé", { exact: false }).count()).toBe(0);
    expect(await vote.getByText("Avis exprimés").count()).toBe(0);
    expect(await vote.textContent()).not.toMatch(/\d/);
    await card.getByRole("button", { name: "Clore les avis" }).click();
    await vote.getByText("Un consensus s'est dégagé sur le fait que les cantines scolaires doivent être rétablies (à main levée).").waitFor();
    expect(await vote.getByText("Avis exprimés").count()).toBe(0);
    expect(await vote.textContent()).not.toMatch(/\d/);
    expect(await accessibilityViolations(projector.page)).toEqual([]);
    expect(projector.problems).toEqual([]);
    expect(moderator.problems).toEqual([]);
    await projector.context.close();
    await moderator.context.close();
  });

  it("drafts a recommendation from a proposal in the notes feed, keeping the note as its source", async () => {
    const moderator = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "recs-from-note" });
    await enterRoom(moderator, "moderatrice@recs.test");
    const mod = moderator.page;
    const PROPOSAL = "Recruter des enseignants originaires de la commune.";
    await mod.getByRole("radio", { name: "Proposition" }).check();
    await mod.getByLabel("Votre contribution").fill(PROPOSAL);
    await mod.getByRole("button", { name: "Envoyer la note" }).click();
    const note = mod.locator("section[aria-labelledby=notes-heading] article").filter({ hasText: PROPOSAL });
    await note.getByRole("button", { name: "Rédiger une recommandation à partir de cette proposition" }).click();
    const form = mod.getByRole("form", { name: "Rédiger une recommandation" });
    const text = form.getByLabel("Texte de la recommandation");
    await expect.poll(() => text.inputValue()).toBe(PROPOSAL);
    await expect.poll(() => text.evaluate((el) => el === document.activeElement)).toBe(true);
    await form.getByText("À partir de 1 proposition des notes").waitFor();
    await form.getByRole("button", { name: "Ajouter le projet" }).click();
    const card = cardOf(mod, PROPOSAL);
    await card.getByText("Rédigée à partir de 1 proposition").waitFor();
    expect(await accessibilityViolations(mod)).toEqual([]);
    expect(await mod.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(moderator.problems).toEqual([]);
    await moderator.context.close();
  });

  it("in English: a revision needs its reason and starts a new round, the earlier one kept; the sense of the room is recorded without a vote", async () => {
    const moderator = await openPage(browser, { viewport: DESKTOP, locale: "en-GB", name: "recs-revise" });
    await enterRoom(moderator, "moderatrice@recs.test", "Connected");
    const mod = moderator.page;
    const FIRST = "The State should pay teachers on time";
    const SECOND = "The State should pay teachers on time, every month";
    const form = mod.getByRole("form", { name: "Draft a recommendation" });
    await form.getByLabel("Text of the recommendation").fill(FIRST);
    await form.getByRole("button", { name: "Add the draft" }).click();
    const card = cardOf(mod, FIRST);
    await card.getByRole("button", { name: "Ask for positions" }).click();
    await card.getByText("Positions open", { exact: true }).waitFor();

    await card.getByRole("button", { name: "Revise the wording…" }).click();
    const revise = card.getByRole("form", { name: "Revise the wording" });
    await revise.getByText("the revision closes this round", { exact: false }).waitFor();
    await revise.getByLabel("New wording").fill(SECOND);
    await revise.getByRole("button", { name: "Save the revision" }).click();
    await revise.getByText("This field is required.").waitFor();
    expect(await revise.getByLabel("Reason for the revision").getAttribute("aria-invalid")).toBe("true");
    await revise.getByLabel("Reason for the revision").fill("Objection heard: salaries are months late");
    await revise.getByRole("button", { name: "Save the revision" }).click();

    const revised = cardOf(mod, SECOND);
    await revised.locator(".badge", { hasText: "Round 2" }).waitFor();
    await revised.getByText("Positions open", { exact: true }).waitFor();
    await revised.getByText("Earlier round (1)").click();
    await revised.getByText("Round 1", { exact: true }).waitFor();
    await revised.getByText("Revision (1)").click();
    await revised.getByText("Reason: Objection heard: salaries are months late").waitFor();
    expect(await accessibilityViolations(mod)).toEqual([]);
    await revised.getByRole("button", { name: "Close positions" }).click();
    await revised.getByText("Positions closed", { exact: true }).waitFor();

    // Without a vote: the sense of the room, marked as declared, with no counts.
    const DECLARED = "Schools should stay open during the rainy season";
    await form.getByLabel("Text of the recommendation").fill(DECLARED);
    await form.getByRole("button", { name: "Add the draft" }).click();
    const declared = cardOf(mod, DECLARED);
    await declared.getByRole("button", { name: "Record the sense of the room without a vote…" }).click();
    const sense = declared.getByRole("form", { name: "Sense of the room, without a vote" });
    expect(await sense.getByRole("radio").count()).toBe(4);
    await sense.getByRole("radio", { name: "Adopted by consensus without a vote" }).check();
    await sense.getByRole("button", { name: "Record this level" }).click();
    await declared.getByText("The recommendation that schools should stay open during the rainy season was adopted by consensus without a vote.").waitFor();
    expect(await declared.getByText("Positions taken").count()).toBe(0);
    await declared.getByRole("button", { name: "Mark as adopted" }).click();
    await declared.getByText("Adopted", { exact: true }).waitFor();
    expect(moderator.problems).toEqual([]);
    await moderator.context.close();
  });
});
