/**
 * Notes on bad networks, in Chromium: the simple notes page on a phone without JavaScript (and with
 * it), the offline shell the service worker serves when the live room cannot load (listing the
 * person's pending notes and keeping new ones in the outbox, then reloading into the real page when
 * the network returns), and the device wipe, over https-like localhost and over plain http on a
 * field laptop (no secure context: no service worker, no Clear-Site-Data).
 */
import type { Browser, Page } from "playwright-core";
import { accessibilityViolations, launchBrowser, openPage, PHONE, signIn } from "../support/browser";
import { startTestServer, type TestServer } from "../support/server";
import { accessibilityWithoutScripts, openPageWithoutJs, visit } from "./helpers";

const PASSWORD = "correct horse battery";
const FIELD_HOST = "field.test";

let server: TestServer;
let browser: Browser;
let sessionId = "";
let itemId = "";
let participantId = "";
let otherId = "";
let code = "";

beforeAll(async () => {
  server = await startTestServer();
  // field.test reaches the same server without a secure context (plain http, not localhost).
  browser = await launchBrowser([`--host-resolver-rules=MAP ${FIELD_HOST} 127.0.0.1`]);
  const organiserId = await server.createAccount("organiser@offline.test", PASSWORD, "Organisatrice");
  const organiser = server.actorFor(organiserId);
  const programmeId = server.domain.programmes.create(organiser, { name: "Dialogue national" }).id;
  const levelId = server.domain.programmes.taxonomy(programmeId).levels[0].id;
  server.domain.programmes.addTheme(organiser, programmeId, { labelEn: "Security", labelFr: "Sécurité" });
  sessionId = server.domain.sessions.create(organiser, programmeId, {
    title: "Concertation communale de Ségou",
    kind: "local_dialogue",
    levelId,
    languages: ["fr"],
    timeZone: "Africa/Bamako",
    attributionMode: "chatham_house",
    noteVisibility: "participants",
  }).id;
  participantId = await server.createAccount("participant@offline.test", PASSWORD, "Participant");
  otherId = await server.createAccount("other@offline.test", PASSWORD, "Autre");
  server.domain.sessions.putMember(sessionId, participantId, "participant");
  server.domain.sessions.putMember(sessionId, otherId, "participant");
  itemId = server.domain.live.addItem(organiser, sessionId, { title: "Accès à l'eau potable", plannedMinutes: 40 }).id;
  server.domain.live.openRoom(organiser, sessionId);
  await server.domain.live.command(organiser, sessionId, itemId, { command: "start" });
  code = server.domain.sessions.rotateJoinCode(organiser, sessionId);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const notesOf = () => server.domain.notes.feed(server.actorFor(participantId), sessionId, "staff").feed.map((n) => n.text);

type SeedRecord = { clientId: string; userId: string; text: string; state?: "pending" | "refused"; error?: string };

/** Writes outbox records and the capture pointer as the live page would (app/notes/README.md). */
async function seedOutbox(page: Page, records: SeedRecord[], pointer: { userId: string; itemId: string } | null) {
  await page.evaluate(
    async ({ records, pointer, sessionId, itemId }) => {
      if (pointer) localStorage.setItem(`parley:capture:${sessionId}`, JSON.stringify(pointer));
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open("parley-outbox", 1);
        req.onupgradeneeded = () => {
          if (!req.result.objectStoreNames.contains("notes")) req.result.createObjectStore("notes", { keyPath: "clientId" }).createIndex("byUser", "userId", { unique: false });
        };
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const tx = db.transaction("notes", "readwrite");
      for (const r of records) tx.objectStore("notes").put({ sessionId, itemId, kind: "point", themeIds: [], createdAt: Date.now(), state: "pending", ...r });
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { records, pointer, sessionId, itemId },
  );
}

/** The outbox's records, or null when the database does not exist. */
async function outboxRecords(page: Page): Promise<Record<string, unknown>[] | null> {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes("parley-outbox")) return null;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open("parley-outbox", 1);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const all = await new Promise<Record<string, unknown>[]>((resolve, reject) => {
      const req = db.transaction("notes").objectStore("notes").getAll();
      req.onsuccess = () => resolve(req.result as Record<string, unknown>[]);
      req.onerror = () => reject(req.error);
    });
    db.close();
    return all;
  });
}

describe("the simple notes page", () => {
  it("posts a note without JavaScript on a phone in French and shows it", async () => {
    const { page, problems } = await openPageWithoutJs(browser, { viewport: PHONE, locale: "fr-FR", name: "notes-nojs" });
    await page.goto(`${server.url}/join?code=${code}`);
    await page.getByLabel("Votre nom").fill("Kadiatou");
    await Promise.all([page.waitForURL(new RegExp(`/sessions/${sessionId}$`)), page.getByRole("button", { name: "Rejoindre" }).click()]);
    await page.getByRole("link", { name: "Notes (version simple, fonctionne sans JavaScript)" }).click();
    await page.waitForURL(new RegExp(`/sessions/${sessionId}/notes$`));
    await page.getByText("Accès à l'eau potable").first().waitFor();

    await page.getByLabel("Type de note").selectOption("proposal");
    await page.getByRole("checkbox", { name: "Sécurité" }).check();
    await page.getByLabel("Votre note").fill("Réhabiliter les forages du quartier avant la saison sèche.");
    await Promise.all([page.waitForURL(/\?sent=1/), page.getByRole("button", { name: "Envoyer la note" }).click()]);
    await page.getByText("Votre note a été envoyée.").waitFor();
    const mine = page.getByRole("region", { name: "Vos notes" });
    await mine.getByText("Réhabiliter les forages du quartier avant la saison sèche.").waitFor();
    await mine.getByText("Proposition", { exact: true }).waitFor();
    expect(notesOf()).toContain("Réhabiliter les forages du quartier avant la saison sèche.");

    // An empty note is refused on the page itself, in French, with the field marked.
    await page.getByRole("button", { name: "Envoyer la note" }).click();
    await page.getByText("Ce champ est obligatoire.").waitFor();
    expect(await page.getByLabel("Votre note").getAttribute("aria-invalid")).toBe("true");

    expect(await accessibilityWithoutScripts(browser, page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("works the same with JavaScript, without CSP or console problems", async () => {
    const { page, problems, context } = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "notes-js" });
    await signIn(page, server.url, "other@offline.test", PASSWORD);
    await visit(page, `${server.url}/sessions/${sessionId}/notes`);
    await page.getByLabel("Votre note").fill("Former des relais communautaires pour l'entretien des pompes.");
    await page.getByRole("button", { name: "Envoyer la note" }).click();
    await page.getByText("Votre note a été envoyée.").waitFor();
    await page.getByRole("region", { name: "Vos notes" }).getByText("Former des relais communautaires pour l'entretien des pompes.").waitFor();
    // A fresh, empty form for the next note.
    expect(await page.getByLabel("Votre note").inputValue()).toBe("");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe("the offline shell", () => {
  it("stands in for the live room when the network fails, lists the person's pending notes, keeps new ones, and reloads into the room when the network returns", async () => {
    const { page, problems, context } = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "offline-shell" });
    await signIn(page, server.url, "participant@offline.test", PASSWORD);
    const live = `${server.url}/sessions/${sessionId}/live`;
    await visit(page, live);
    // The service worker took control (127.0.0.1 is a secure context).
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null && navigator.serviceWorker?.controller !== undefined);
    // The code the room loads after hydration has arrived (a request cut by the network would fail
    // in the console; the page would load it again once online, which other tests cover).
    await page.waitForLoadState("networkidle");
    // Offline first (the page drops its socket), so that the live page cannot send the seeded notes.
    await context.setOffline(true);
    await page.locator("p[role=status]").filter({ hasText: "Hors ligne" }).first().waitFor();
    await seedOutbox(
      page,
      [
        { clientId: "a".repeat(32), userId: participantId, text: "Note en attente d'envoi : les puits sont à sec." },
        { clientId: "b".repeat(32), userId: participantId, text: "Note refusée par le serveur.", state: "refused", error: "session_finalised" },
        { clientId: "c".repeat(32), userId: otherId, text: "La note de quelqu'un d'autre sur ce téléphone." },
      ],
      { userId: participantId, itemId },
    );

    await page.reload();
    await page.getByRole("heading", { name: "Vous êtes hors ligne" }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/sessions/${sessionId}/live`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("fr");
    const waiting = page.getByRole("region", { name: "En attente d'envoi" });
    await waiting.getByText("Note en attente d'envoi : les puits sont à sec.").waitFor();
    await waiting.getByText("Note refusée par le serveur.").waitFor();
    await waiting.getByText("La séance a été clôturée définitivement avant l'envoi de cette note.", { exact: false }).waitFor();
    // Another person's pending note on a shared phone is not shown.
    expect(await waiting.getByText("La note de quelqu'un d'autre sur ce téléphone.").count()).toBe(0);

    // A new note goes into the outbox, under this person and the item under way.
    await page.getByLabel("Type de note").selectOption("question");
    await page.getByLabel("Votre note").fill("Qui entretiendra les forages ?");
    await page.getByText("30 caractères sur 1000").waitFor();
    await page.getByRole("button", { name: "Garder cette note sur le téléphone" }).click();
    await page.getByText("Note gardée sur ce téléphone.", { exact: false }).waitFor();
    await waiting.getByText("Qui entretiendra les forages ?").waitFor();
    const kept = (await outboxRecords(page))!.find((r) => r.text === "Qui entretiendra les forages ?")!;
    expect(kept).toMatchObject({ userId: participantId, sessionId, itemId, kind: "question", themeIds: [], state: "pending" });
    expect(kept.clientId).toMatch(/^[0-9a-f]{32}$/);
    expect(await accessibilityViolations(page)).toEqual([]);

    // Only the shell was ever cached: no session page, no data.
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
      return urls.sort();
    });
    expect(cached).toEqual(["/offline/capture.css", "/offline/capture.html", "/offline/capture.js"]);

    // The network returns: the shell notices and reloads into the real live room.
    await context.setOffline(false);
    await page.getByText("Salle en direct", { exact: true }).first().waitFor();
    await page.locator("p[role=status]").filter({ hasText: "Connecté" }).waitFor();
    expect(await page.getByRole("heading", { name: "Vous êtes hors ligne" }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe("signing out on a shared phone, and wiping it", () => {
  it("over localhost: a normal sign-out keeps others' pending notes; a wipe removes the outbox, caches, service worker and storage", async () => {
    const { page, problems, context } = await openPage(browser, { viewport: PHONE, locale: "en-GB", name: "wipe-secure" });
    await signIn(page, server.url, "participant@offline.test", PASSWORD);
    await visit(page, `${server.url}/sessions/${sessionId}/live`);
    await page.waitForFunction(() => !!navigator.serviceWorker?.controller);
    // Another person's note waiting on this shared phone (one's own would be sent by the live page at once).
    await seedOutbox(page, [{ clientId: "d".repeat(32), userId: otherId, text: "Pending before sign-out." }], { userId: participantId, itemId });

    await visit(page, `${server.url}/sign-out`);
    await Promise.all([page.waitForURL((u) => u.pathname === "/"), page.getByRole("button", { name: "Sign out on this device" }).click()]);
    await page.getByRole("link", { name: "Sign in" }).first().waitFor();
    // Nothing is deleted; only the pointer naming who is signed in goes.
    await expect.poll(() => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("parley:capture:")))).toEqual([]);
    expect((await outboxRecords(page))?.map((r) => r.text)).toEqual(["Pending before sign-out."]);

    await signIn(page, server.url, "participant@offline.test", PASSWORD);
    await visit(page, `${server.url}/sign-out`);
    await Promise.all([page.waitForURL(/\/\?wiped=1$/), page.getByRole("button", { name: "Sign out and wipe this device" }).click()]);
    await page.getByText("Sign out and wipe this device ✓").waitFor();
    await expect
      .poll(() =>
        page.evaluate(async () => ({
          outbox: (await indexedDB.databases()).some((d) => d.name === "parley-outbox"),
          caches: (await caches.keys()).length,
          workers: (await navigator.serviceWorker.getRegistrations()).length,
          storage: localStorage.length + sessionStorage.length,
        })),
      )
      .toEqual({ outbox: false, caches: 0, workers: 0, storage: 0 });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("over plain http on a field laptop: no service worker, the room still works, and the wipe is done by the page", async () => {
    const { page, problems, context } = await openPage(browser, { viewport: PHONE, locale: "fr-FR", name: "wipe-field" });
    const field = server.url.replace("127.0.0.1", FIELD_HOST);
    await signIn(page, field, "participant@offline.test", PASSWORD);
    await visit(page, `${field}/sessions/${sessionId}/live`);
    await page.locator("p[role=status]").filter({ hasText: "Connecté" }).waitFor();
    expect(await page.evaluate(() => ({ secure: window.isSecureContext, sw: "serviceWorker" in navigator }))).toEqual({ secure: false, sw: false });
    await seedOutbox(page, [{ clientId: "e".repeat(32), userId: otherId, text: "Someone else's pending note." }], { userId: participantId, itemId });
    await page.evaluate(() => sessionStorage.setItem("parley:test", "1"));

    await visit(page, `${field}/sign-out`);
    await Promise.all([page.waitForURL(/\/\?wiped=1$/), page.getByRole("button", { name: "Se déconnecter et effacer les données de cet appareil" }).click()]);
    // Chromium ignores Clear-Site-Data here: the page itself wipes, and says so.
    await page.getByText("Les notes en attente d'envoi, la page hors ligne et tout ce que ce navigateur gardait pour Parley ont été supprimés.").waitFor();
    expect(await outboxRecords(page)).toBeNull();
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
    // Chromium logs that it ignores the Cross-Origin-Opener-Policy header without a secure context:
    // the browser's remark on a header, not a failure of the page.
    expect(problems.filter((p) => !p.includes("The Cross-Origin-Opener-Policy header has been ignored"))).toEqual([]);
    await context.close();
  });
});
