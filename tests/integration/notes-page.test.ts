/**
 * The simple notes page (no JavaScript): a plain form posted as a basic phone browser would, against
 * the real server. Posting stores a note once per rendered form; bad input comes back as a 400 with the
 * text kept and a message per field; observers and finalised sessions are refused with an explanation.
 */
import { createSessionFixture, joinedGuest, signedInMember, startTestServer, type TestClient, type TestServer } from "../support/server";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.stop();
});

const MISSING = "00000000-0000-4000-8000-000000000000";

/** A live session with a running first item, a participant (a guest), an observer and a moderator. */
async function liveRoom() {
  const fixture = await createSessionFixture(server);
  const { sessionId, organiser } = fixture;
  const code = server.domain.sessions.rotateJoinCode(organiser, sessionId);
  const moderator = await signedInMember(server, sessionId, "moderator");
  const observer = await signedInMember(server, sessionId, "observer");
  const participant = await joinedGuest(server, code, "Aminata");
  const first = server.domain.live.addItem(organiser, sessionId, { title: "Protection of civilians", plannedMinutes: 30 }).id;
  const second = server.domain.live.addItem(organiser, sessionId, { title: "Recommendations", plannedMinutes: 30 }).id;
  server.domain.live.openRoom(moderator.actor, sessionId);
  await server.domain.live.command(moderator.actor, sessionId, first, { command: "start" });
  return { ...fixture, moderator, observer, participant, first, second, page: `/sessions/${sessionId}/notes` };
}

/** The client id the page put in its form. */
function clientIdIn(html: string): string {
  const m = /name="clientId" value="([0-9a-f]{32})"/.exec(html);
  if (!m) throw new Error("no clientId in the form");
  return m[1];
}

async function formOf(client: TestClient, page: string) {
  const res = await client.get(page);
  expect(res.status).toBe(200);
  const html = await res.text();
  return { res, html, clientId: clientIdIn(html) };
}

const storedTexts = (sessionId: string, actor: Parameters<TestServer["domain"]["notes"]["feed"]>[0]) =>
  server.domain.notes.feed(actor, sessionId, "staff").feed.map((n) => n.text);

describe("the simple notes page", () => {
  it("shows the current item and a form with a fresh client id on every render, and is never cached", async () => {
    const room = await liveRoom();
    const a = await formOf(room.participant.client, room.page);
    const b = await formOf(room.participant.client, room.page);
    expect(a.html).toContain("Protection of civilians");
    expect(a.html).toMatch(/<textarea[^>]*name="text"[^>]*maxLength="1000"|<textarea[^>]*maxLength="1000"[^>]*name="text"/);
    expect(a.html).toMatch(/<textarea[^>]*dir="auto"/);
    expect(a.clientId).not.toBe(b.clientId);
    expect(a.res.headers.get("cache-control")).toContain("no-store");
  });

  it("stores a posted note and shows it among the person's own notes after the redirect", async () => {
    const room = await liveRoom();
    const { clientId } = await formOf(room.participant.client, room.page);
    const res = await room.participant.client.post(room.page, { intent: "note", clientId, itemId: room.first, kind: "proposal", text: "Train local mediators in every commune." });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${room.page}?sent=1#notes-top`);
    expect(storedTexts(room.sessionId, room.moderator.actor)).toEqual(["Train local mediators in every commune."]);
    const after = await room.participant.client.get(`${room.page}?sent=1`);
    const html = await after.text();
    expect(html).toContain("Your note was sent.");
    expect(html).toContain("Train local mediators in every commune.");
    // Their own list says it is theirs; the moderator's feed has it without any author.
    const mine = server.domain.notes.feed(room.participant.actor, room.sessionId, "room").mine;
    expect(mine.map((n) => n.text)).toEqual(["Train local mediators in every commune."]);
    expect(mine[0].author).toBeNull();
  });

  it("stores one note when the same rendered form is posted twice", async () => {
    const room = await liveRoom();
    const { clientId } = await formOf(room.participant.client, room.page);
    const fields = { intent: "note", clientId, itemId: room.first, kind: "point", text: "the water points are too far from the villages." };
    const one = await room.participant.client.post(room.page, fields);
    const two = await room.participant.client.post(room.page, fields);
    expect([one.status, two.status]).toEqual([302, 302]);
    // The resend is answered as the first send was.
    expect(two.headers.get("location")).toBe(one.headers.get("location"));
    expect(storedTexts(room.sessionId, room.moderator.actor)).toEqual(["the water points are too far from the villages."]);
  });

  it("accepts themes from the programme's list and a choice among started items", async () => {
    const room = await liveRoom();
    const themeId = server.domain.programmes.addTheme(room.organiser, room.programmeId, { labelEn: "Security", labelFr: "Sécurité" }).id;
    // The first item ends and the second starts: both are started items the form offers.
    await server.domain.live.command(room.moderator.actor, room.sessionId, room.first, { command: "end" });
    await server.domain.live.command(room.moderator.actor, room.sessionId, room.second, { command: "start" });
    const { html, clientId } = await formOf(room.participant.client, room.page);
    expect(html).toMatch(/<select[^>]*name="itemId"/);
    expect(html).toContain("Recommendations (now)");
    expect(html).toContain(`value="${themeId}"`);
    const res = await room.participant.client.post(room.page, { intent: "note", clientId, itemId: room.first, kind: "concern", themeIds: [themeId], text: "Late note on the first item." });
    expect(res.status).toBe(302);
    const note = server.domain.notes.feed(room.moderator.actor, room.sessionId, "staff").feed[0];
    expect(note).toMatchObject({ itemId: room.first, kind: "concern", themeIds: [themeId], text: "Late note on the first item." });
  });

  it("refuses an empty note with a 400 and a message on the field", async () => {
    const room = await liveRoom();
    const { clientId } = await formOf(room.participant.client, room.page);
    const res = await room.participant.client.post(room.page, { intent: "note", clientId, itemId: room.first, kind: "point", text: "   " });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Some fields need your attention.");
    expect(html).toContain("This field is required.");
    expect(html).toContain('aria-invalid="true"');
    // The same client id is offered again: nothing was stored.
    expect(clientIdIn(html)).toBe(clientId);
    expect(storedTexts(room.sessionId, room.moderator.actor)).toEqual([]);
  });

  it("refuses a note over 1,000 characters with a 400, keeping the text", async () => {
    const room = await liveRoom();
    const { clientId } = await formOf(room.participant.client, room.page);
    const text = `${"Les femmes des zones rurales ".repeat(40)}fin`;
    expect(text.length).toBeGreaterThan(1000);
    const res = await room.participant.client.post(room.page, { intent: "note", clientId, itemId: room.first, kind: "point", text });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("This is too long.");
    expect(html).toContain(text.trim());
    expect(storedTexts(room.sessionId, room.moderator.actor)).toEqual([]);
  });

  it("refuses an unknown or not-yet-started agenda item with a 400, keeping the text", async () => {
    const room = await liveRoom();
    const { clientId } = await formOf(room.participant.client, room.page);
    for (const itemId of [MISSING, "not-an-id", room.second]) {
      const res = await room.participant.client.post(room.page, { intent: "note", clientId, itemId, kind: "point", text: "Keep me, please." });
      expect(res.status, itemId).toBe(400);
      const html = await res.text();
      expect(html).toContain("Keep me, please.");
      expect(html).toMatch(itemId === room.second ? /Notes can only be written on an agenda item that has started\./ : /We could not find that agenda item\./);
    }
    expect(storedTexts(room.sessionId, room.moderator.actor)).toEqual([]);
  });

  it("holds a note that may identify someone and says so, with neutral rewordings", async () => {
    const room = await liveRoom();
    const { clientId } = await formOf(room.participant.client, room.page);
    const res = await room.participant.client.post(room.page, { intent: "note", clientId, itemId: room.first, kind: "point", text: "The representative of France insisted on the electoral calendar." });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${room.page}?held=1#notes-top`);
    const html = await (await room.participant.client.get(`${room.page}?held=1`)).text();
    expect(html).toContain("held for review by the rapporteur, because it may identify someone");
    expect(html).toMatch(/representative of France/);
    expect(html).toMatch(/say “[^”]+”/);
    // The room does not see it; staff do, as held.
    expect(server.domain.notes.feed(room.observer.actor, room.sessionId, "room").feed).toEqual([]);
    expect(server.domain.notes.feed(room.moderator.actor, room.sessionId, "staff").feed[0].status).toBe("flagged");
  });

  it("shows an observer the notes without a form and refuses their post with a clear message", async () => {
    const room = await liveRoom();
    const page = await room.observer.client.get(room.page);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("As an observer you can read the notes but not write them.");
    expect(html).not.toContain('name="clientId"');
    const res = await room.observer.client.post(room.page, { intent: "note", clientId: "0123456789abcdef0123456789abcdef", itemId: room.first, kind: "point", text: "An observer's remark." });
    expect(res.status).toBe(403);
    const refused = await res.text();
    expect(refused).toContain("You do not have permission to do that.");
    expect(refused).toContain("An observer&#x27;s remark.");
    expect(storedTexts(room.sessionId, room.moderator.actor)).toEqual([]);
  });

  it("refuses a note in a finalised session, explains why and keeps the text to copy", async () => {
    const room = await liveRoom();
    const { clientId } = await formOf(room.participant.client, room.page);
    await server.domain.live.endRoom(room.moderator.actor, room.sessionId);
    server.domain.sessions.setStatus(room.organiser, room.sessionId, "finalised", { confirmed: true });
    const res = await room.participant.client.post(room.page, { intent: "note", clientId, itemId: room.first, kind: "point", text: "Written before the end, sent too late." });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain("This session has been finalised: it no longer accepts notes or changes to them.");
    expect(html).toContain("Written before the end, sent too late.");
    expect(html).toContain("This session no longer accepts notes.");
  });

  it("accepts a late note while the session has ended but is not yet finalised", async () => {
    const room = await liveRoom();
    const { clientId } = await formOf(room.participant.client, room.page);
    await server.domain.live.endRoom(room.moderator.actor, room.sessionId);
    const { html } = await formOf(room.participant.client, room.page);
    expect(html).toContain("No agenda item is under way.");
    const res = await room.participant.client.post(room.page, { intent: "note", clientId, itemId: room.first, kind: "point", text: "A late note from the outbox." });
    expect(res.status).toBe(302);
    expect(storedTexts(room.sessionId, room.moderator.actor)).toEqual(["A late note from the outbox."]);
  });

  it("says when notes come too fast, keeping the text in the form to send again", async () => {
    const room = await liveRoom();
    // The per-person limit (NOTE_RATE) used up directly through the domain.
    for (let i = 0; i < 120; i++) {
      await server.domain.notes.submit(room.participant.actor, room.sessionId, { clientId: i.toString(16).padStart(32, "0"), itemId: room.first, kind: "point", text: `note ${i}` });
    }
    const { clientId } = await formOf(room.participant.client, room.page);
    const res = await room.participant.client.post(room.page, { intent: "note", clientId, itemId: room.first, kind: "point", text: "One note too many." });
    expect(res.status).toBe(429);
    const html = await res.text();
    expect(html).toContain("You are sending notes very fast. Wait a moment, then send this one again: your text is still here.");
    expect(html).toContain("One note too many.");
    expect(clientIdIn(html)).toBe(clientId);
  });

  it("sends a signed-out visitor to sign in, and posts from an old browser with the form token only", async () => {
    const room = await liveRoom();
    const visitor = server.client();
    const res = await visitor.get(room.page);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/sign-in?returnTo=${encodeURIComponent(room.page)}`);
    const post = await visitor.post(room.page, { intent: "note", clientId: "0123456789abcdef0123456789abcdef", itemId: room.first, kind: "point", text: "x" });
    expect(post.status).toBe(302);
    expect(post.headers.get("location")).toMatch(/^\/sign-in\?returnTo=/);

    // A browser that sends neither Origin nor Referer: the form's _csrf token stands in.
    const { html, clientId } = await formOf(room.participant.client, room.page);
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    expect(token).toBeTruthy();
    const old = await room.participant.client.post(room.page, { _csrf: token!, intent: "note", clientId, itemId: room.first, kind: "question", text: "Sent from a basic phone." }, {});
    expect(old.status).toBe(302);
    expect(storedTexts(room.sessionId, room.moderator.actor)).toEqual(["Sent from a basic phone."]);
  });
});
