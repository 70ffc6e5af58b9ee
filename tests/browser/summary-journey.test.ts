/**
 * The summary's journey (issue "Summaries"): an organiser generates the draft from an ended session,
 * edits it (autosaved), circulates it for comments; a participant on a phone, in French, reads it and
 * objects, without a name; the organiser sees the objection, finalises, deals with the guard's
 * finding, approves and publishes; a signed-out visitor reads the public page on a phone with
 * JavaScript switched off, and nothing names anyone. Also: two editors at once get a conflict with
 * both texts, never a silent overwrite.
 */
import type { Browser } from "playwright-core";
import { accessibilityViolations, DESKTOP, launchBrowser, openPage, PHONE, signIn } from "../support/browser";
import { createSessionFixture, startTestServer, type TestServer } from "../support/server";
import { accessibilityWithoutScripts, hydrated, openPageWithoutJs } from "./helpers";

let server: TestServer;
let browser: Browser;
let sessionId = "";

const PASSWORD = "correct horse battery";
const CANARY = "Philippa Canarywood";

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  const fixture = await createSessionFixture(server, { email: "organiser@summary.test", title: "Protecting water points in the Mopti region" });
  sessionId = fixture.sessionId;
  await server.createAccount("organiser@summary.test", PASSWORD, "Organiser");
  server.domain.sessions.putMember(sessionId, (await server.createAccount("rapporteur@summary.test", PASSWORD, "Rapporteur")), "rapporteur");
  const participantId = await server.createAccount("aminata@summary.test", PASSWORD, "Aminata");
  server.domain.sessions.putMember(sessionId, participantId, "participant");
  server.domain.roster.add(fixture.organiser, sessionId, { name: CANARY, shortForms: "Canarywood", organisation: "Canary Relief League", acronyms: "CRL", title: "Director", country: "", role: "panelist", category: "ngo" });
  const itemId = server.domain.live.addItem(fixture.organiser, sessionId, { title: "Threats to water points", plannedMinutes: 30 }).id;
  server.domain.live.openRoom(fixture.organiser, sessionId);
  await server.domain.live.command(fixture.organiser, sessionId, itemId, { command: "start" });
  const participant = { userId: participantId, authSessionId: "t", isGuest: false, isAdmin: false, displayName: "Aminata", email: "aminata@summary.test" };
  const receipt = await server.domain.notes.submit(participant, sessionId, { clientId: "0123456789abcdef0123456789abcdef", itemId, kind: "point", text: "Armed groups have poisoned wells to drive herders away." });
  server.domain.notes.curate(fixture.organiser, sessionId, receipt.note.id, { action: "highlight" });
  await server.domain.live.endRoom(fixture.organiser, sessionId);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("a summary from draft to publication", () => {
  it("generates, edits, circulates; a participant objects from a phone; the organiser publishes; a visitor reads it without JavaScript", async () => {
    const organiser = await openPage(browser, { viewport: DESKTOP, name: "summary-organiser" });
    const page = organiser.page;
    await signIn(page, server.url, "organiser@summary.test", PASSWORD);
    await page.goto(`${server.url}/sessions/${sessionId}`);
    await page.getByRole("link", { name: "Summary", exact: true }).click();
    await hydrated(page);

    // Generate: the draft has the session's key point, and names nobody.
    await page.getByRole("button", { name: "Generate the draft" }).click();
    const editor = page.getByLabel("Text of the summary (Markdown)");
    await expect.poll(() => editor.inputValue()).toContain("Protecting water points in the Mopti region");
    expect(await editor.inputValue()).toContain("poisoned wells");
    expect(await editor.inputValue()).not.toContain(CANARY);
    await page.locator(".prose-summary h1").first().waitFor();

    // Edit: a sentence that names someone; autosaved; the guard finds it.
    const text = await editor.inputValue();
    await editor.fill(`${text}\n\n${CANARY} said the wells must be guarded.\n`);
    await page.getByText("Saved automatically at", { exact: false }).waitFor({ timeout: 15_000 });
    await page.reload();
    await hydrated(page);
    const guard = page.locator("section").filter({ has: page.getByRole("heading", { name: "Attribution check" }) });
    await guard.getByText("may identify someone", { exact: false }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    // Circulate with the default deadline (a week ahead).
    await page.getByRole("button", { name: "Circulate the draft" }).click();
    await page.getByText("Draft circulated.").waitFor();

    // A participant on a phone, in French: the session page leads to the draft; an objection, no name.
    const aminata = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "summary-participant" });
    await signIn(aminata.page, server.url, "aminata@summary.test", PASSWORD);
    await aminata.page.getByRole("link", { name: "Un projet de compte rendu attend vos commentaires", exact: false }).click();
    await aminata.page.getByRole("heading", { name: "Projet de compte rendu soumis à vos commentaires" }).waitFor();
    await aminata.page.getByText("Vos commentaires ne sont pas attribués", { exact: false }).waitFor();
    await aminata.page.getByRole("radio", { name: "Objection" }).check();
    await aminata.page.getByLabel("Votre commentaire").fill("Le passage qui nomme une personne doit être retiré.");
    await aminata.page.getByRole("button", { name: "Envoyer" }).click();
    await aminata.page.getByText("Envoyé. Merci.").waitFor();
    await aminata.page.getByText("Le passage qui nomme une personne doit être retiré.").waitFor();
    expect(await aminata.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await accessibilityViolations(aminata.page)).toEqual([]);

    // The organiser sees the objection, without a name.
    await page.reload();
    await hydrated(page);
    const comment = page.locator("li").filter({ hasText: "Le passage qui nomme une personne doit être retiré." });
    await comment.getByText("Objection", { exact: true }).waitFor();
    expect(await comment.textContent()).not.toContain("Aminata");

    // Removes the name as asked; marks the objection dealt with.
    const named = await editor.inputValue();
    await editor.fill(named.replace(`${CANARY} said the wells must be guarded.`, "One participant said the wells must be guarded."));
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Saved automatically at", { exact: false }).waitFor();
    await comment.getByRole("button", { name: "Mark as dealt with" }).click();
    await page.locator("li").filter({ hasText: "Le passage qui nomme" }).getByText("Dealt with", { exact: true }).waitFor();
    await guard.getByText("The attribution guard finds nothing identifying in the text.").waitFor();

    // Publishing needs the session finalised: the page says so; finalise on the session page.
    await page.getByText("Publishing needs the session finalised first", { exact: false }).waitFor();
    await page.goto(`${server.url}/sessions/${sessionId}`);
    await page.getByLabel("I understand that this cannot be undone").check();
    await page.getByRole("button", { name: "Finalise the session" }).click();
    await page.getByText("Finalised", { exact: true }).first().waitFor();
    await page.goto(`${server.url}/sessions/${sessionId}/summary`);
    await hydrated(page);
    await page.getByRole("button", { name: "Approve this version" }).click();
    await page.getByText("Approved. Publishing is the next step.").waitFor();
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.getByText("Published as version 1.").waitFor();
    expect(organiser.problems).toEqual([]);
    expect(aminata.problems).toEqual([]);

    // A signed-out visitor, on a phone, without JavaScript: the home page lists it; the page reads in full.
    const visitor = await openPageWithoutJs(browser, { viewport: PHONE, name: "summary-visitor" });
    await visitor.page.goto(server.url);
    await visitor.page.getByRole("link", { name: "Protecting water points in the Mopti region" }).click();
    await visitor.page.locator(".prose-summary h1").waitFor();
    const body = (await visitor.page.locator("article").textContent()) ?? "";
    expect(body).toContain("poisoned wells");
    expect(body).toContain("One participant said the wells must be guarded.");
    for (const forbidden of [CANARY, "Canarywood", "Canary Relief League", "Aminata"]) expect(await visitor.page.content()).not.toContain(forbidden);
    expect(await visitor.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await accessibilityWithoutScripts(browser, visitor.page)).toEqual([]);
    // The downloads answer without signing in.
    const md = await fetch(`${server.url}/summaries/${sessionId}/1/export?format=md`);
    expect(md.status).toBe(200);
    expect(await md.text()).toContain("poisoned wells");
    const html = await fetch(`${server.url}/summaries/${sessionId}/1/export?format=html`);
    expect(html.headers.get("content-disposition")).toContain(".html");
    expect(await html.text()).toContain("@media print");
    expect(visitor.problems).toEqual([]);
    for (const w of [organiser, aminata, visitor]) await w.context.close();
  });

  it("two editors at once: the second save is refused with both texts shown, nothing overwritten", async () => {
    const first = await openPage(browser, { viewport: DESKTOP, name: "summary-editor-1" });
    const second = await openPage(browser, { viewport: DESKTOP, name: "summary-editor-2" });
    await signIn(first.page, server.url, "organiser@summary.test", PASSWORD);
    await signIn(second.page, server.url, "rapporteur@summary.test", PASSWORD);
    for (const p of [first.page, second.page]) {
      await p.goto(`${server.url}/sessions/${sessionId}/summary`);
      await hydrated(p);
    }
    const e1 = first.page.getByLabel("Text of the summary (Markdown)");
    const e2 = second.page.getByLabel("Text of the summary (Markdown)");
    await e1.fill("# First editor's version");
    await first.page.getByRole("button", { name: "Save", exact: true }).click();
    await first.page.getByText("Saved automatically at", { exact: false }).waitFor();
    await e2.fill("# Second editor's version");
    await second.page.getByRole("button", { name: "Save", exact: true }).click();
    const conflict = second.page.getByRole("alert").filter({ hasText: "Saved by someone else meanwhile" });
    await conflict.waitFor();
    expect(await conflict.locator("textarea").inputValue()).toBe("# First editor's version");
    expect(await e2.inputValue()).toBe("# Second editor's version");
    const stored = () => (server.database.sqlite.prepare("SELECT markdown FROM summaries WHERE session_id = ?").get(sessionId) as { markdown: string }).markdown;
    expect(stored()).toBe("# First editor's version");
    // Saving again is a deliberate choice.
    await second.page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(stored).toBe("# Second editor's version");
    for (const w of [first, second]) await w.context.close();
  });
});
