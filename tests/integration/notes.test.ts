/**
 * Notes over real sockets: a real server with its SQLite file, and a moderator, a rapporteur, two
 * participants and an observer on their own socket.io clients. Checks what each socket receives
 * (flagged notes reach staff only), exactly-once storage per client id, who may write, that the guard
 * answers a participant alike whether or not a name is on the roster, curation, late notes, and what
 * is left on disk after finalisation.
 */
import { createHmac } from "node:crypto";
import fs from "node:fs";
import type { Socket } from "socket.io-client";
import type { NoteReceipt, NoteView } from "../../app/models/notes";
import type { Ack, ClientToServerEvents, RoomSnapshot, ServerToClientEvents } from "../../app/realtime/events";
import { connected, createSessionFixture, joinedGuest, recordEvents, signedInMember, startTestServer, waitFor, type TestClient, type TestServer } from "../support/server";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let server: TestServer;
const open: ClientSocket[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
afterAll(async () => {
  await server?.stop();
});

let seq = 0;
/** A fresh random-looking client id (32 hex characters), as a device makes one. */
const clientId = () => createHmac("sha256", "ids").update(String(++seq) + Math.random()).digest("hex").slice(0, 32);

async function room(options: { noteVisibility?: "participants" | "staff"; attributionMode?: string } = {}) {
  const fixture = await createSessionFixture(server, { attributionMode: options.attributionMode });
  const { sessionId, organiser, programmeId } = fixture;
  if (options.noteVisibility === "staff") server.database.sqlite.prepare("UPDATE dialogue_sessions SET note_visibility = 'staff' WHERE id = ?").run(sessionId);
  server.domain.roster.add(organiser, sessionId, { name: "Moussa Traoré", shortForms: "Moussa", organisation: "Coordination des mouvements de l'Azawad", acronyms: "CMA", role: "participant", category: "community" });
  const theme = server.domain.programmes.addTheme(organiser, programmeId, { labelEn: "Security", labelFr: "Sécurité" });
  const code = server.domain.sessions.rotateJoinCode(organiser, sessionId);
  const moderator = await signedInMember(server, sessionId, "moderator", "Mariam");
  const rapporteur = await signedInMember(server, sessionId, "rapporteur", "Ousmane");
  const observer = await signedInMember(server, sessionId, "observer", "Ibrahim");
  const participant = await joinedGuest(server, code, "Aminata");
  const other = await joinedGuest(server, code, "Fatou");
  const first = server.domain.live.addItem(organiser, sessionId, { title: "Opening round", plannedMinutes: 10 }).id;
  const second = server.domain.live.addItem(organiser, sessionId, { title: "Protection of civilians", plannedMinutes: 20 }).id;
  server.domain.live.openRoom(moderator.actor, sessionId);
  await server.domain.live.command(moderator.actor, sessionId, first, { command: "start" });
  return { ...fixture, themeId: theme.id, code, moderator, rapporteur, observer, participant, other, first, second };
}

async function inRoom(client: TestClient, sessionId: string) {
  const socket = client.socket();
  open.push(socket);
  const batches = recordEvents(socket, "notes:batch");
  const mine = recordEvents(socket, "notes:mine");
  await connected(socket);
  const ack = await socket.emitWithAck("session:enter", { sessionId });
  if (!ack.ok) throw new Error(`session:enter refused: ${ack.error}`);
  return { socket, batches, mine, snapshot: ack.data as RoomSnapshot };
}

function send(socket: ClientSocket, sessionId: string, itemId: string, text: string, extra: Partial<{ clientId: string; kind: string; themeIds: string[] }> = {}) {
  return socket.emitWithAck("notes:submit", { sessionId, clientId: extra.clientId ?? clientId(), itemId, kind: extra.kind ?? "point", themeIds: extra.themeIds ?? [], text }) as Promise<Ack<NoteReceipt>>;
}

function ok<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`refused: ${ack.error} ${JSON.stringify(ack.fields ?? {})}`);
  return ack.data;
}

const seenIn = (rec: { seen: { upsert: NoteView[] }[] }, id: string) => rec.seen.some((c) => c.upsert.some((n) => n.id === id));
const noteRows = (sessionId: string) => server.database.sqlite.prepare("SELECT * FROM notes WHERE session_id = ?").all(sessionId) as Record<string, unknown>[];

describe("writing notes", () => {
  it("a clean note reaches every audience; its author is told it is theirs, nobody else is", async () => {
    const r = await room();
    const par = await inRoom(r.participant.client, r.sessionId);
    const oth = await inRoom(r.other.client, r.sessionId);
    const obs = await inRoom(r.observer.client, r.sessionId);
    const rap = await inRoom(r.rapporteur.client, r.sessionId);
    const receipt = ok(await send(par.socket, r.sessionId, r.first, "Les routes entre Mopti et Sévaré ne sont plus sûres.", { kind: "concern", themeIds: [r.themeId] }));
    expect(receipt).toMatchObject({ duplicate: false, outcome: "sent", findings: [], note: { status: "visible", kind: "concern", themeIds: [r.themeId], author: null } });
    const id = receipt.note.id;
    for (const s of [par, oth, obs, rap]) await s.batches.until((c) => c.upsert.some((n) => n.id === id), { what: "the note" });
    await par.mine.until((c) => c.upsert.some((n) => n.id === id), { what: "own note" });
    // Nothing in what others receive says who wrote it.
    const view = obs.batches.seen.flatMap((c) => c.upsert).find((n) => n.id === id)!;
    expect(JSON.stringify(view)).not.toContain(r.participant.userId);
    expect(JSON.stringify(view)).not.toContain("Aminata");
    expect(view.minute % 60_000).toBe(0);
    // Another participant's snapshot shows the note but not as theirs; the author's does.
    const again = await inRoom(r.other.client, r.sessionId);
    expect(again.snapshot.notes.feed.map((n) => n.id)).toContain(id);
    expect(again.snapshot.notes.mine).toEqual([]);
    const own = await inRoom(r.participant.client, r.sessionId);
    expect(own.snapshot.notes.mine.map((n) => n.id)).toEqual([id]);
    expect(oth.mine.count).toBe(0);
    // Nothing in the row names the author.
    const [row] = noteRows(r.sessionId);
    expect(row.author_user_id).toBeNull();
    expect(JSON.stringify(row)).not.toContain(r.participant.userId);
  });

  it("a flagged note reaches staff with the findings, not participants or observers", async () => {
    const r = await room();
    const par = await inRoom(r.participant.client, r.sessionId);
    const oth = await inRoom(r.other.client, r.sessionId);
    const obs = await inRoom(r.observer.client, r.sessionId);
    const rap = await inRoom(r.rapporteur.client, r.sessionId);
    const mod = await inRoom(r.moderator.client, r.sessionId);
    const held = ok(await send(par.socket, r.sessionId, r.first, "Le représentant de la MINUSMA a dit que le mandat est trop large."));
    expect(held.outcome).toBe("held");
    expect(held.note.status).toBe("flagged");
    expect(held.findings[0]).toMatchObject({ kind: "phrase", text: "Le représentant de la MINUSMA", suggestion: "un participant" });
    for (const s of [rap, mod]) {
      const change = await s.batches.until((c) => c.upsert.some((n) => n.id === held.note.id), { what: "the flagged note for staff" });
      expect(change.upsert.find((n) => n.id === held.note.id)).toMatchObject({ status: "flagged", findings: [{ kind: "phrase" }] });
    }
    // A later clean note arrives everywhere; the flagged one never reached the room.
    const clean = ok(await send(par.socket, r.sessionId, r.first, "Le mandat devrait être recentré sur la protection des civils."));
    for (const s of [oth, obs]) {
      await s.batches.until((c) => c.upsert.some((n) => n.id === clean.note.id), { what: "the clean note" });
      expect(seenIn(s.batches, held.note.id)).toBe(false);
    }
    const snap = await inRoom(r.observer.client, r.sessionId);
    expect(snap.snapshot.notes.feed.map((n) => n.id)).not.toContain(held.note.id);

    // The rapporteur rewrites it; the identifying wording is gone and the room now sees it.
    const before = oth.batches.count;
    ok(await rap.socket.emitWithAck("notes:curatorEdit", { sessionId: r.sessionId, noteId: held.note.id, text: "Un participant a dit que le mandat est trop large.", kind: "point", themeIds: [] }));
    const shown = await oth.batches.until((c) => c.upsert.some((n) => n.id === held.note.id), { from: before, what: "the resolved note" });
    expect(shown.upsert.find((n) => n.id === held.note.id)).toMatchObject({ status: "visible", text: "Un participant a dit que le mandat est trop large." });
    // Its author is told on their own devices only.
    await par.mine.until((c) => c.upsert.some((n) => n.id === held.note.id && n.status === "visible"), { what: "the author's own view" });
    expect(oth.mine.count).toBe(0);
    // The identifying original is nowhere in the database or its WAL, nor in the audit log.
    const bytes = Buffer.concat([fs.readFileSync(`${server.dir}/test.sqlite`), fs.existsSync(`${server.dir}/test.sqlite-wal`) ? fs.readFileSync(`${server.dir}/test.sqlite-wal`) : Buffer.alloc(0)]);
    expect(bytes.includes(Buffer.from("représentant de la MINUSMA a dit que le mandat"))).toBe(false);
  });

  it("only staff see notes where the session keeps them to staff; authors still see their own", async () => {
    const r = await room({ noteVisibility: "staff" });
    const par = await inRoom(r.participant.client, r.sessionId);
    const oth = await inRoom(r.other.client, r.sessionId);
    const rap = await inRoom(r.rapporteur.client, r.sessionId);
    const n = ok(await send(par.socket, r.sessionId, r.first, "Il faut rouvrir les écoles fermées."));
    await rap.batches.until((c) => c.upsert.some((x) => x.id === n.note.id));
    await par.mine.until((c) => c.upsert.some((x) => x.id === n.note.id));
    const later = await inRoom(r.other.client, r.sessionId);
    expect(later.snapshot.notes.feed).toEqual([]);
    expect(oth.batches.count).toBe(0);
  });

  it("the same client id sent twice is stored once, and answered alike", async () => {
    const r = await room();
    const par = await inRoom(r.participant.client, r.sessionId);
    const id = clientId();
    const [a, b] = await Promise.all([send(par.socket, r.sessionId, r.first, "Les jeunes doivent être associés.", { clientId: id }), send(par.socket, r.sessionId, r.first, "Les jeunes doivent être associés.", { clientId: id })]);
    const third = ok(await send(par.socket, r.sessionId, r.first, "Les jeunes doivent être associés.", { clientId: id }));
    expect(ok(a).note.id).toBe(ok(b).note.id);
    expect(third.note.id).toBe(ok(a).note.id);
    expect(third.duplicate).toBe(true);
    expect(noteRows(r.sessionId)).toHaveLength(1);
    // Someone else cannot use that client id to learn of the note.
    const oth = await inRoom(r.other.client, r.sessionId);
    expect(await send(oth.socket, r.sessionId, r.first, "autre chose", { clientId: id })).toEqual({ ok: false, error: "client_id_taken" });
  });

  it("an observer cannot post; a stranger cannot either", async () => {
    const r = await room();
    const obs = await inRoom(r.observer.client, r.sessionId);
    expect(await send(obs.socket, r.sessionId, r.first, "Une remarque.")).toEqual({ ok: false, error: "forbidden" });
    const stranger = server.client();
    await server.createAccount("stranger-notes@example.org");
    await stranger.signIn("stranger-notes@example.org");
    const s = stranger.socket();
    open.push(s);
    await connected(s);
    expect(await send(s, r.sessionId, r.first, "Une remarque.")).toEqual({ ok: false, error: "session_not_found" });
    expect(noteRows(r.sessionId)).toHaveLength(0);
  });

  it("bad input gets a clear error per field and stores nothing", async () => {
    const r = await room();
    const par = await inRoom(r.participant.client, r.sessionId);
    expect(await send(par.socket, r.sessionId, r.first, "x".repeat(1001))).toMatchObject({ ok: false, error: "invalid_input", fields: { text: ["too_long"] } });
    expect(await send(par.socket, r.sessionId, r.first, "   \n ")).toMatchObject({ ok: false, fields: { text: ["required"] } });
    expect(await send(par.socket, r.sessionId, r.first, "Bien.", { kind: "rumour" })).toMatchObject({ ok: false, fields: { kind: ["choice_invalid"] } });
    expect(await send(par.socket, r.sessionId, "00000000-0000-4000-8000-000000000000", "Bien.")).toMatchObject({ ok: false, error: "item_not_found" });
    expect(await send(par.socket, r.sessionId, r.second, "Bien.")).toMatchObject({ ok: false, error: "item_not_started" });
    expect(await send(par.socket, r.sessionId, r.first, "Bien.", { themeIds: ["00000000-0000-4000-8000-000000000000"] })).toMatchObject({ ok: false, error: "theme_unknown" });
    expect(await send(par.socket, r.sessionId, r.first, "Bien.", { clientId: "not-hex" })).toMatchObject({ ok: false, fields: { clientId: ["invalid"] } });
    // Wrong types never reach the domain.
    const raw = par.socket as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<unknown>> };
    expect(await raw.emitWithAck("notes:submit", { sessionId: r.sessionId, clientId: clientId(), itemId: r.first, kind: "point", text: 42 })).toEqual({ ok: false, error: "invalid_input" });
    // Exactly 1,000 characters in another script is fine.
    expect(ok(await send(par.socket, r.sessionId, r.first, "ߒ".repeat(1000))).outcome).toBe("sent");
    expect(noteRows(r.sessionId)).toHaveLength(1);
  });
});

describe("the attribution guard cannot be used to probe the roster", () => {
  it("gives a participant the same answer for a name on the roster and one that is not", async () => {
    const r = await room();
    const par = await inRoom(r.participant.client, r.sessionId);
    const rap = await inRoom(r.rapporteur.client, r.sessionId);
    const pairs = [
      ["Moussa Traoré said security is worsening.", "Oumar Sangaré said security is worsening."],
      ["According to moussa traore roads are unsafe.", "According to oumar sangare roads are unsafe."],
      ["The CMA position is clear.", "The FNL position is clear."],
      ["Selon Moussa, les routes sont dangereuses.", "Selon Oumar, les routes sont dangereuses."],
    ];
    const shape = (fs: { kind: string; suggestion: string; start: number }[]) => fs.map((f) => [f.kind, f.suggestion, f.start]);
    for (const [onRoster, offRoster] of pairs) {
      const a = ok(await par.socket.emitWithAck("notes:check", { sessionId: r.sessionId, text: onRoster }));
      const b = ok(await par.socket.emitWithAck("notes:check", { sessionId: r.sessionId, text: offRoster }));
      expect(shape(a.findings)).toEqual(shape(b.findings));
      const sa = ok(await send(par.socket, r.sessionId, r.first, onRoster));
      const sb = ok(await send(par.socket, r.sessionId, r.first, offRoster));
      expect([sa.outcome, sa.note.status, shape(sa.findings)]).toEqual([sb.outcome, sb.note.status, shape(sb.findings)]);
    }
    // Staff do learn of the roster match: the lower-case roster name is held for them.
    const staff = ok(await rap.socket.emitWithAck("notes:check", { sessionId: r.sessionId, text: "According to moussa traore roads are unsafe." }));
    expect(staff.findings.map((f) => f.kind)).toEqual(["name"]);
    const rows = noteRows(r.sessionId);
    expect(rows.find((n) => n.text === "According to moussa traore roads are unsafe.")!.status).toBe("flagged");
    expect(rows.find((n) => n.text === "According to oumar sangare roads are unsafe.")!.status).toBe("visible");
    // The participant's own view of the roster-held note says "sent", as for the other one.
    const again = await inRoom(r.participant.client, r.sessionId);
    const mine = again.snapshot.notes.mine.filter((n) => n.text.startsWith("According to"));
    expect(mine.map((n) => n.status)).toEqual(["visible", "visible"]);
  });
});

describe("authors and curators", () => {
  it("an author edits and withdraws their own note; nobody else can, and curators cannot see whose it is", async () => {
    const r = await room();
    const par = await inRoom(r.participant.client, r.sessionId);
    const oth = await inRoom(r.other.client, r.sessionId);
    const rap = await inRoom(r.rapporteur.client, r.sessionId);
    const n = ok(await send(par.socket, r.sessionId, r.first, "Premier jet."));
    const edit = { sessionId: r.sessionId, noteId: n.note.id, text: "Version corrigée.", kind: "proposal", themeIds: [] };
    expect(await oth.socket.emitWithAck("notes:edit", edit)).toEqual({ ok: false, error: "note_not_found" });
    expect(await rap.socket.emitWithAck("notes:edit", edit)).toEqual({ ok: false, error: "note_not_found" });
    expect(ok(await par.socket.emitWithAck("notes:edit", edit)).note).toMatchObject({ text: "Version corrigée.", kind: "proposal", edited: true });
    // An edit that identifies someone is held again.
    expect(ok(await par.socket.emitWithAck("notes:edit", { ...edit, text: "Comme l'a dit Moussa Traoré, il faut dialoguer." })).outcome).toBe("held");
    expect(await oth.socket.emitWithAck("notes:withdraw", { sessionId: r.sessionId, noteId: n.note.id })).toEqual({ ok: false, error: "note_not_found" });
    const before = oth.batches.count;
    expect(await par.socket.emitWithAck("notes:withdraw", { sessionId: r.sessionId, noteId: n.note.id })).toEqual({ ok: true });
    await rap.batches.until((c) => c.remove.includes(n.note.id), { what: "the withdrawal" });
    expect(noteRows(r.sessionId)).toHaveLength(0);
    expect(oth.batches.since(before).every((c) => !c.upsert.some((x) => x.id === n.note.id))).toBe(true);
  });

  it("curators hide, highlight, dismiss a false positive and merge; participants cannot", async () => {
    const r = await room();
    const par = await inRoom(r.participant.client, r.sessionId);
    const oth = await inRoom(r.other.client, r.sessionId);
    const rap = await inRoom(r.rapporteur.client, r.sessionId);
    const a = ok(await send(par.socket, r.sessionId, r.first, "Il faut plus de patrouilles mixtes."));
    const b = ok(await send(oth.socket, r.sessionId, r.first, "Des patrouilles mixtes sont nécessaires."));
    // A known false positive: a report's publisher, not a speaker.
    const fp = ok(await send(oth.socket, r.sessionId, r.first, "Le rapport de Human Rights Watch sur Mopti est clair."));
    expect(fp.note.status).toBe("flagged");
    expect(await par.socket.emitWithAck("notes:curate", { sessionId: r.sessionId, noteId: a.note.id, action: "hide" })).toEqual({ ok: false, error: "forbidden" });
    expect(await rap.socket.emitWithAck("notes:curate", { sessionId: r.sessionId, noteId: a.note.id, action: "explode" })).toMatchObject({ ok: false, fields: { action: ["choice_invalid"] } });

    let from = oth.batches.count;
    ok(await rap.socket.emitWithAck("notes:curate", { sessionId: r.sessionId, noteId: a.note.id, action: "highlight" }));
    await oth.batches.until((c) => c.upsert.some((n) => n.id === a.note.id && n.highlighted), { from, what: "key point" });

    from = oth.batches.count;
    ok(await rap.socket.emitWithAck("notes:merge", { sessionId: r.sessionId, targetId: a.note.id, noteIds: [b.note.id], text: "Des patrouilles mixtes sont nécessaires et doivent être renforcées." }));
    const merged = await oth.batches.until((c) => c.remove.includes(b.note.id), { from, what: "the merged note leaving the feed" });
    expect(merged.upsert.find((n) => n.id === a.note.id)?.text).toBe("Des patrouilles mixtes sont nécessaires et doivent être renforcées.");
    // The author of the merged note still sees it, as merged.
    await oth.mine.until((c) => c.upsert.some((n) => n.id === b.note.id && n.status === "merged"), { what: "own merged note" });

    from = oth.batches.count;
    ok(await rap.socket.emitWithAck("notes:curate", { sessionId: r.sessionId, noteId: fp.note.id, action: "dismissFlag" }));
    await oth.batches.until((c) => c.upsert.some((n) => n.id === fp.note.id && n.status === "visible"), { from, what: "the dismissed flag" });
    expect(await rap.socket.emitWithAck("notes:curate", { sessionId: r.sessionId, noteId: fp.note.id, action: "dismissFlag" })).toEqual({ ok: false, error: "note_not_flagged" });
    from = oth.batches.count;
    ok(await rap.socket.emitWithAck("notes:curate", { sessionId: r.sessionId, noteId: a.note.id, action: "hide" }));
    await oth.batches.until((c) => c.remove.includes(a.note.id), { from, what: "the hidden note leaving the feed" });
    await rap.batches.until((c) => c.upsert.some((n) => n.id === a.note.id && n.status === "hidden"), { what: "hidden, for staff" });
    // The audit log records curation without text or authors.
    const audit = server.database.sqlite.prepare("SELECT * FROM audit_log WHERE session_id = ?").all(r.sessionId) as Record<string, unknown>[];
    const dump = JSON.stringify(audit);
    for (const who of [r.participant.userId, r.other.userId]) expect(dump).not.toContain(who);
    expect(dump).not.toContain("patrouilles");
  });
});

describe("late notes and finalisation", () => {
  it("accepts late notes after the room ends, refuses them once finalised with an explanation", async () => {
    const r = await room();
    const par = await inRoom(r.participant.client, r.sessionId);
    await server.domain.live.endRoom(r.moderator.actor, r.sessionId);
    const late = ok(await send(par.socket, r.sessionId, r.first, "Note écrite hors ligne pendant la séance."));
    expect(late.outcome).toBe("sent");
    server.domain.sessions.setStatus(r.organiser, r.sessionId, "finalised", { confirmed: true });
    expect(await send(par.socket, r.sessionId, r.first, "Trop tard.")).toEqual({ ok: false, error: "session_finalised" });
    expect(await par.socket.emitWithAck("notes:edit", { sessionId: r.sessionId, noteId: late.note.id, text: "x", kind: "point" })).toEqual({ ok: false, error: "session_finalised" });
  });

  it("after finalisation nothing on disk lets anyone recompute or group a note's author", async () => {
    const r = await room();
    const par = await inRoom(r.participant.client, r.sessionId);
    const oth = await inRoom(r.other.client, r.sessionId);
    // One outbox flush: five notes from one device in a burst, and two from someone else.
    const burst = await Promise.all(["Un.", "Deux.", "Trois.", "Quatre.", "Cinq."].map((t) => send(par.socket, r.sessionId, r.first, `Note ${t}`)));
    const others = await Promise.all(["Six.", "Sept."].map((t) => send(oth.socket, r.sessionId, r.first, `Note ${t}`)));
    const ids = [...burst, ...others].map((a) => ok(a).note.id);
    const saved = server.database.sqlite.prepare("SELECT secret FROM session_secrets WHERE session_id = ?").get(r.sessionId) as { secret: string };
    expect(saved.secret).toMatch(/^[0-9a-f]{64}$/);
    const people = [r.participant.userId, r.other.userId, r.moderator.userId, r.rapporteur.userId, r.observer.userId, r.organiserId];
    const tags = ids.flatMap((id) => people.map((u) => createHmac("sha256", Buffer.from(saved.secret, "hex")).update(`${u}|${id}`).digest("hex")));
    // Before finalisation the tags are really there (so the check below can fail).
    const rowsBefore = noteRows(r.sessionId);
    expect(rowsBefore.every((row) => tags.includes(row.author_tag as string))).toBe(true);
    const clientIds = rowsBefore.map((row) => row.client_id as string);

    await server.domain.live.endRoom(r.moderator.actor, r.sessionId);
    // A reader holding a snapshot makes the first checkpoint "busy"; finalisation retries after it ends.
    const result = server.domain.sessions.setStatus(r.organiser, r.sessionId, "finalised", { confirmed: true });
    await waitFor(() => result.walTruncated === true || server.domain.notes.truncateWal(), { what: "the WAL truncated" });

    const file = `${server.dir}/test.sqlite`;
    const wal = fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0);
    expect(wal.length).toBe(0);
    const bytes = Buffer.concat([fs.readFileSync(file), wal]);
    const hay = bytes.toString("latin1");
    expect(hay.includes(saved.secret)).toBe(false);
    expect(bytes.includes(Buffer.from(saved.secret, "hex"))).toBe(false);
    for (const tag of tags) expect(hay.includes(tag)).toBe(false);
    for (const c of clientIds) expect(hay.includes(c)).toBe(false);

    const rows = noteRows(r.sessionId);
    expect(rows).toHaveLength(7);
    for (const row of rows) {
      expect(row.author_tag).toBeNull();
      expect(row.author_user_id).toBeNull();
      expect(row.client_id).toBeNull();
      expect(row.updated_at).toBeNull();
      expect((row.created_at as number) % 60_000).toBe(0);
    }
    // No column groups one author's notes: every column either differs on every note (id, text) or is
    // the same for all seven, the burst's notes included.
    const authorOf = new Map(ids.map((id, i) => [id, i < 5 ? "a" : "b"]));
    for (const col of Object.keys(rows[0])) {
      const values = new Map<string, Set<string>>();
      for (const row of rows) {
        const v = JSON.stringify(row[col]);
        values.set(v, (values.get(v) ?? new Set()).add(authorOf.get(row.id as string)!));
      }
      const groupsOneAuthor = [...values.values()].some((authors) => authors.size === 1) && values.size > 1 && values.size < rows.length;
      expect(groupsOneAuthor, `column ${col} groups notes`).toBe(false);
    }
    // No implicit, insertion-ordered rowid either.
    expect(() => server.database.sqlite.prepare("SELECT rowid FROM notes").all()).toThrow();
    expect(server.database.sqlite.prepare("SELECT COUNT(*) AS n FROM session_secrets WHERE session_id = ?").get(r.sessionId)).toEqual({ n: 0 });
    expect(server.domain.notes.authorshipDestroyed(r.sessionId)).toBe(true);
    // Even the server cannot tell the author any more.
    const after = await inRoom(r.participant.client, r.sessionId);
    expect(after.snapshot.notes.mine).toEqual([]);
    expect(after.snapshot.notes.feed).toHaveLength(7);
  });

  it("retries the WAL truncation while another connection holds a read snapshot", async () => {
    const r = await room();
    const par = await inRoom(r.participant.client, r.sessionId);
    ok(await send(par.socket, r.sessionId, r.first, "Une note."));
    await server.domain.live.endRoom(r.moderator.actor, r.sessionId);
    const Database = (await import("better-sqlite3")).default;
    const reader = new Database(`${server.dir}/test.sqlite`, { readonly: true });
    reader.exec("BEGIN");
    reader.prepare("SELECT COUNT(*) FROM notes").get();
    const result = server.domain.sessions.setStatus(r.organiser, r.sessionId, "finalised", { confirmed: true });
    expect(result.walTruncated).toBe(false);
    reader.exec("COMMIT");
    reader.close();
    await waitFor(() => fs.statSync(`${server.dir}/test.sqlite-wal`).size === 0, { what: "the retried truncation", timeoutMs: 10_000 });
    const failed = server.database.sqlite.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE session_id = ? AND action = 'session.wal_truncate_failed'").get(r.sessionId);
    expect(failed).toEqual({ n: 0 });
  });
});

describe("automatic finalisation", () => {
  it("finalises an ended session at the end of its grace period", async () => {
    const quick = await startTestServer({ FINALISE_GRACE_MINUTES: "0" }, { finaliseSweepMs: 100 });
    try {
      const f = await createSessionFixture(quick);
      const item = quick.domain.live.addItem(f.organiser, f.sessionId, { title: "Point unique", plannedMinutes: 5 }).id;
      quick.domain.live.openRoom(f.organiser, f.sessionId);
      await quick.domain.live.command(f.organiser, f.sessionId, item, { command: "start" });
      await quick.domain.notes.submit(f.organiser, f.sessionId, { clientId: clientId(), itemId: item, kind: "point", text: "Une note de l'organisateur." });
      await quick.domain.live.endRoom(f.organiser, f.sessionId);
      await waitFor(() => quick.domain.sessions.summary(f.sessionId)?.status === "finalised", { what: "automatic finalisation", timeoutMs: 10_000 });
      expect(quick.domain.notes.authorshipDestroyed(f.sessionId)).toBe(true);
      const audit = quick.database.sqlite.prepare("SELECT actor_user_id, details FROM audit_log WHERE session_id = ? AND action = 'session.status_changed' ORDER BY at DESC LIMIT 1").get(f.sessionId) as { actor_user_id: string | null; details: string };
      expect(audit.actor_user_id).toBeNull();
      expect(JSON.parse(audit.details)).toMatchObject({ to: "finalised", automatic: true });
    } finally {
      await quick.stop();
    }
  });
});
