/**
 * Notes in the domain, on a real in-memory database with a controllable clock: the authorship tags
 * (an author finds their notes, nobody else can), on-the-record notes, the text rules, the grace
 * period and what finalisation leaves.
 */
import { createHmac } from "node:crypto";
import { cleanNoteText, countChars, newClientId } from "../../app/models/notes";
import { noteInputSchema } from "../../app/models/notes-input";
import { domainError, makeHarness, programmeWithSession, signedInAccount, type Harness } from "./helpers";

let h: Harness;
afterEach(() => h?.close());

async function setup(overrides: Record<string, unknown> = {}) {
  h = makeHarness();
  const ctx = await programmeWithSession(h.domain, overrides);
  const people: Record<string, Awaited<ReturnType<typeof signedInAccount>>["actor"]> = {};
  for (const [name, role] of [["moderator", "moderator"], ["rapporteur", "rapporteur"], ["amina", "participant"], ["bakary", "participant"], ["observer", "observer"]] as const) {
    const { actor } = await signedInAccount(h.domain, `${name}@example.org`, name);
    h.domain.sessions.putMember(ctx.sessionId, actor.userId, role);
    people[name] = actor;
  }
  const item = h.domain.live.addItem(ctx.organiser, ctx.sessionId, { title: "Sécurité", plannedMinutes: 30 }).id;
  const onRecord = h.domain.live.addItem(ctx.organiser, ctx.sessionId, { title: "Remarks by the hosts", plannedMinutes: 10, attributionMode: "on_the_record" }).id;
  h.domain.live.openRoom(people.moderator, ctx.sessionId);
  await h.domain.live.command(people.moderator, ctx.sessionId, item, { command: "start" });
  const write = (who: string, text: string, itemId = item) => h.domain.notes.submit(people[who], ctx.sessionId, { clientId: newClientId(), itemId, kind: "point", text });
  return { ...ctx, people, item, onRecord, write };
}

describe("note text rules", () => {
  it("counts characters as people see them, in any script", () => {
    expect(countChars("é")).toBe(1);
    expect(countChars("e\u0301")).toBe(1); // NFC composes it
    expect(countChars("😀")).toBe(1);
    expect(countChars("ߒߞߏ")).toBe(3);
  });
  it("cleans what it stores and refuses what it cannot", () => {
    expect(cleanNoteText("  Ligne 1\r\nLigne 2\u0007  ")).toBe("Ligne 1\nLigne 2");
    expect(noteInputSchema.safeParse({ clientId: newClientId(), itemId: "00000000-0000-4000-8000-000000000000", kind: "point", text: "x".repeat(1000) }).success).toBe(true);
    expect(noteInputSchema.safeParse({ clientId: newClientId(), itemId: "00000000-0000-4000-8000-000000000000", kind: "point", text: "x".repeat(1001) }).success).toBe(false);
    expect(newClientId()).toMatch(/^[0-9a-f]{32}$/);
    expect(newClientId()).not.toBe(newClientId());
  });
});

describe("authorship tags", () => {
  it("an author finds their own notes; nobody else can, organisers included", async () => {
    const s = await setup();
    const a1 = await s.write("amina", "Les routes sont dangereuses.");
    const a2 = await s.write("amina", "Il faut des patrouilles.");
    const b1 = await s.write("bakary", "Les écoles sont fermées.");
    const mine = (who: keyof typeof s.people | "organiser") => h.domain.notes.feed(who === "organiser" ? s.organiser : s.people[who], s.sessionId, "staff").mine.map((n) => n.id).sort();
    expect(mine("amina")).toEqual([a1.note.id, a2.note.id].sort());
    expect(mine("bakary")).toEqual([b1.note.id]);
    for (const who of ["organiser", "moderator", "rapporteur", "observer"] as const) expect(mine(who)).toEqual([]);
    // Each tag is different, even for one author's notes.
    const rows = h.database.sqlite.prepare("SELECT id, author_tag FROM notes").all() as { id: string; author_tag: string }[];
    expect(new Set(rows.map((r) => r.author_tag)).size).toBe(3);
    // The tag is HMAC(secret, userId | noteId), and only that.
    const { secret } = h.database.sqlite.prepare("SELECT secret FROM session_secrets").get() as { secret: string };
    const tag = createHmac("sha256", Buffer.from(secret, "hex")).update(`${s.people.amina.userId}|${a1.note.id}`).digest("hex");
    expect(rows.find((r) => r.id === a1.note.id)!.author_tag).toBe(tag);
    // Someone else's note is answered as one that does not exist.
    expect((await domainError(() => h.domain.notes.editOwn(s.people.bakary, s.sessionId, a1.note.id, { text: "x", kind: "point" }))).messageKey).toBe("note_not_found");
    expect((await domainError(() => h.domain.notes.withdraw(s.organiser, s.sessionId, a1.note.id))).messageKey).toBe("note_not_found");
  });

  it("on the record, the author is stored and shown by name", async () => {
    const s = await setup();
    await h.domain.live.command(s.people.moderator, s.sessionId, s.onRecord, { command: "start" });
    const n = await s.write("amina", "Je parle en mon nom.", s.onRecord);
    expect(n.note).toMatchObject({ attributionMode: "on_the_record", author: "amina" });
    const row = h.database.sqlite.prepare("SELECT author_user_id, author_tag FROM notes WHERE id = ?").get(n.note.id);
    expect(row).toEqual({ author_user_id: s.people.amina.userId, author_tag: null });
    // The guard does not hold what is said on the record.
    expect((await s.write("bakary", "Comme l'a dit le représentant de la MINUSMA, le mandat est large.", s.onRecord)).outcome).toBe("sent");
  });
});

describe("the grace period and finalisation", () => {
  it("finalises by itself once the grace period has run out, not before", async () => {
    const s = await setup();
    await s.write("amina", "Une note.");
    h.clock.advance(90_000 + 1234);
    await h.domain.live.endRoom(s.people.moderator, s.sessionId);
    expect(h.domain.sessions.finalisesAt({ status: "ended", endedAt: h.clock.t })).toBe(h.clock.t + 24 * 60 * 60 * 1000);
    h.clock.advance(23 * 60 * 60 * 1000);
    expect(await s.write("bakary", "Une note tardive.")).toMatchObject({ outcome: "sent" });
    expect(h.domain.sessions.finaliseDue()).toBe(0);
    h.clock.advance(60 * 60 * 1000);
    expect(h.domain.sessions.finaliseDue()).toBe(1);
    expect(h.domain.sessions.summary(s.sessionId)?.status).toBe("finalised");
    expect(h.domain.notes.authorshipDestroyed(s.sessionId)).toBe(true);
    const rows = h.database.sqlite.prepare("SELECT created_at, author_tag, client_id FROM notes").all() as { created_at: number; author_tag: null; client_id: null }[];
    for (const r of rows) expect(r).toEqual({ created_at: Math.floor(r.created_at / 60_000) * 60_000, author_tag: null, client_id: null });
    expect((await domainError(() => s.write("amina", "Trop tard."))).messageKey).toBe("session_finalised");
    // Curation goes on after finalisation (the summary is drafted from curated notes).
    const [{ id }] = h.database.sqlite.prepare("SELECT id FROM notes LIMIT 1").all() as { id: string }[];
    h.domain.notes.curate(s.people.rapporteur, s.sessionId, id, { action: "highlight" });
  });

  it("finalising asks for confirmation and cannot be done twice", async () => {
    const s = await setup();
    await h.domain.live.endRoom(s.people.moderator, s.sessionId);
    expect((await domainError(() => h.domain.sessions.setStatus(s.organiser, s.sessionId, "finalised"))).messageKey).toBe("confirmation_required");
    h.domain.sessions.setStatus(s.organiser, s.sessionId, "finalised", { confirmed: true });
    expect((await domainError(() => h.domain.sessions.setStatus(s.organiser, s.sessionId, "finalised", { confirmed: true }))).messageKey).toBe("transition_invalid");
    expect(h.domain.sessions.finaliseDue()).toBe(0);
  });

  it("refuses notes before the room opens and on items that have not started", async () => {
    h = makeHarness();
    const ctx = await programmeWithSession(h.domain);
    const item = h.domain.live.addItem(ctx.organiser, ctx.sessionId, { title: "Later", plannedMinutes: 5 }).id;
    const input = { clientId: newClientId(), itemId: item, kind: "point", text: "Trop tôt." };
    expect((await domainError(() => h.domain.notes.submit(ctx.organiser, ctx.sessionId, input))).messageKey).toBe("session_not_live");
    h.domain.live.openRoom(ctx.organiser, ctx.sessionId);
    expect((await domainError(() => h.domain.notes.submit(ctx.organiser, ctx.sessionId, input))).messageKey).toBe("item_not_started");
  });

  it("limits how fast one person sends notes, in memory only", async () => {
    const s = await setup();
    for (let i = 0; i < 120; i++) await s.write("amina", `Note ${i}.`);
    expect((await domainError(() => s.write("amina", "Une de trop."))).code).toBe("rate_limited");
    // Someone else in the same room is not affected.
    expect((await s.write("bakary", "Pas de souci.")).outcome).toBe("sent");
    const tables = (h.database.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    expect(tables.filter((t) => /rate|limit/i.test(t))).toEqual([]);
  });
});
