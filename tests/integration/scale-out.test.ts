/**
 * Scale-out (issue #9, part 5; docs/decisions/099-scale-out.md): two Parley processes, started as
 * separate operating-system processes on one SQLite database file (WAL) and one real Redis server
 * (Debian's redis-server, on loopback, no persistence), serve the same sessions. People connect to
 * either process with real socket.io clients and real sign-in cookies; the test checks that what one
 * process does reaches the sockets of the other, for each audience only what it may see, and that the
 * speaker queue, the agenda timers, presence and votes, the rate limits, connection-state recovery
 * and the finalisation sweep behave as with one process. Waits are bounded and event-driven; nothing
 * asserts a duration.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { io as ioClient, type Socket } from "socket.io-client";
import { openDatabase, type OpenDatabase } from "../../db/database.server";
import type { SignedInActor } from "../../app/models/actor";
import { createDomain, type Domain } from "../../app/models/domain.server";
import type { SessionRole } from "../../app/models/permissions";
import type { Ack, ClientToServerEvents, RoomBatch, ServerToClientEvents } from "../../app/realtime/events";
import type { NoteReceipt } from "../../app/models/notes";
import { startAppProcess, type AppProcess } from "../support/app-process";
import { startRedis, type TestRedis } from "../support/redis";
import { connected, recordEvents, TestClient, waitFor } from "../support/server";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const PASSWORD = "correct horse battery";
const HELD_TEXT = "Le représentant de la MINUSMA a dit que le mandat est trop large.";
// Small limits for the rate-limit checks, the same in both processes.
const SIGN_IN_FAILURES = 3;
const JOINS_PER_CODE = 3;

let redis: TestRedis;
let a: AppProcess;
let b: AppProcess;
let dir: string;
let database: OpenDatabase;
/** The test's own domain on the same database file, for setting sessions up (no sockets of its own). */
let domain: Domain;
const open: ClientSocket[] = [];

beforeAll(async () => {
  redis = await startRedis();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-scale-"));
  const env = { DATABASE_PATH: path.join(dir, "shared.sqlite"), REDIS_URL: redis.url, FINALISE_GRACE_MINUTES: "0" };
  const options = {
    rateLimits: { signInPerAccount: { points: SIGN_IN_FAILURES, duration: 15 * 60 }, joinPerCode: { points: JOINS_PER_CODE, duration: 10 * 60 } },
    finaliseSweepMs: 200,
  };
  // Both at once on a new database file: they race to apply the migrations.
  [a, b] = await Promise.all([startAppProcess(env, options), startAppProcess(env, options)]);
  database = openDatabase(env.DATABASE_PATH);
  domain = createDomain(database.db, { allowSignup: false, invitationTtlDays: 7 });
}, 90_000);

afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

afterAll(async () => {
  for (const s of open.splice(0)) s.close();
  await Promise.all([a?.stop(), b?.stop()]);
  database?.close();
  await redis?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

// ---- People and sessions, set up through the test's own domain on the shared file ----

const unique = () => randomBytes(4).toString("hex");

function actorFor(userId: string): SignedInActor {
  const u = domain.accounts.getUser(userId)!;
  return { userId, authSessionId: "test", isGuest: u.isGuest, isAdmin: u.isAdmin, displayName: u.displayName, email: u.email };
}

async function account(email: string, displayName: string | null = null): Promise<string> {
  const { userId } = domain.accounts.findOrCreateAccount(email, displayName);
  database.sqlite.prepare("UPDATE users SET password_hash = ? WHERE id = ?").run(await domain.accounts.hashPassword(PASSWORD), userId);
  return userId;
}

/** A session with two agenda items, not yet open. */
async function session(options: { attributionMode?: string } = {}) {
  const organiser = actorFor(await account(`organiser-${unique()}@example.org`));
  const { id: programmeId } = domain.programmes.create(organiser, { name: "Dialogue programme" });
  const levelId = domain.programmes.taxonomy(programmeId).levels[0].id;
  const { id: sessionId } = domain.sessions.create(organiser, programmeId, {
    title: `Roundtable ${unique()}`,
    kind: "roundtable",
    levelId,
    languages: ["en"],
    timeZone: "Africa/Bamako",
    attributionMode: options.attributionMode ?? "chatham_house",
    noteVisibility: "participants",
  });
  const first = domain.live.addItem(organiser, sessionId, { title: "Opening round", plannedMinutes: 10 }).id;
  const second = domain.live.addItem(organiser, sessionId, { title: "Security situation", plannedMinutes: 20 }).id;
  return { sessionId, organiser, first, second };
}

/** A member of the session with their own browser-like client, signed in through process A. */
async function member(sessionId: string, role: SessionRole, displayName: string) {
  const email = `${role}-${unique()}@example.org`;
  const userId = await account(email, displayName);
  domain.sessions.putMember(sessionId, userId, role);
  const client = new TestClient(a.url);
  await client.signIn(email, PASSWORD);
  return { userId, email, client, displayName };
}

/** A socket to one process carrying the client's cookies (a sign-in works on every process). */
function socketTo(proc: AppProcess, client: TestClient, extra: { autoConnect?: boolean } = {}): ClientSocket {
  const socket: ClientSocket = ioClient(proc.url, {
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { cookie: client.cookieHeader, origin: proc.url },
    ...extra,
  });
  open.push(socket);
  return socket;
}

/** A socket on one process that has entered the room, recording what it receives from the start. */
async function inRoom(proc: AppProcess, client: TestClient, sessionId: string) {
  const socket = socketTo(proc, client);
  const rec = {
    batches: recordEvents(socket, "room:batch"),
    notes: recordEvents(socket, "notes:batch"),
    mine: recordEvents(socket, "notes:mine"),
    recs: recordEvents(socket, "recs:batch"),
    you: recordEvents(socket, "room:you"),
  };
  await connected(socket);
  const ack = await socket.emitWithAck("session:enter", { sessionId });
  if (!ack.ok) throw new Error(`session:enter refused: ${ack.error}`);
  return { socket, snapshot: ack.data, ...rec };
}

function ok<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`command refused: ${ack.error}${ack.fields ? ` ${JSON.stringify(ack.fields)}` : ""}`);
  return ack.data;
}

const clientId = () => randomBytes(16).toString("hex");
function sendNote(socket: ClientSocket, sessionId: string, itemId: string, text: string) {
  return socket.emitWithAck("notes:submit", { sessionId, clientId: clientId(), itemId, kind: "point", themeIds: [], text }) as Promise<Ack<NoteReceipt>>;
}

/** Opens the room and starts the first item through the moderator's socket. */
async function openAndStart(moderator: ClientSocket, sessionId: string, itemId: string) {
  ok(await moderator.emitWithAck("live:open", { sessionId }));
  ok(await moderator.emitWithAck("agenda:command", { sessionId, itemId, command: "start" }));
}

const itemIn = (batch: RoomBatch, id: string) => batch.agenda?.items.find((i) => i.id === id);

describe("two processes, one session", () => {
  it("starts both processes on one new database file and one Redis server", () => {
    expect(a.url).not.toBe(b.url);
    expect(a.pid).not.toBe(b.pid);
    const migrations = database.sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
    expect(migrations.n).toBe(fs.readdirSync(path.resolve("db/migrations")).filter((f) => f.endsWith(".sql")).length);
  });

  it("a note sent through one process reaches every audience on the other, each seeing only what it may", async () => {
    const s = await session();
    const moderator = await member(s.sessionId, "moderator", "Moderator Mariam");
    const rapporteur = await member(s.sessionId, "rapporteur", "Rapporteur Ousmane");
    const author = await member(s.sessionId, "participant", "Aminata Diallo");
    const reader = await member(s.sessionId, "participant", "Boubacar Sidibé");
    const observer = await member(s.sessionId, "observer", "Observer Ibrahim");
    const mod = await inRoom(a, moderator.client, s.sessionId);
    await openAndStart(mod.socket, s.sessionId, s.first);

    const writer = await inRoom(a, author.client, s.sessionId);
    const authorOnB = await inRoom(b, author.client, s.sessionId);
    const rap = await inRoom(b, rapporteur.client, s.sessionId);
    const par = await inRoom(b, reader.client, s.sessionId);
    const obs = await inRoom(b, observer.client, s.sessionId);

    const sent = ok(await sendNote(writer.socket, s.sessionId, s.first, "Roads to the north are unsafe after dark."));
    expect(sent.outcome).toBe("sent");
    const has = (id: string) => (c: { upsert: { id: string }[] }) => c.upsert.some((n) => n.id === id);
    for (const [who, sock] of [["rapporteur", rap], ["participant", par], ["observer", obs], ["moderator", mod]] as const) {
      const change = await sock.notes.until(has(sent.note.id), { what: `the note at the ${who}` });
      const note = change.upsert.find((n) => n.id === sent.note.id)!;
      expect(note).toMatchObject({ text: "Roads to the north are unsafe after dark.", status: "visible", author: null });
    }
    // The author's own device on the other process is told it is theirs; nobody else is.
    await authorOnB.mine.until(has(sent.note.id), { what: "the author's own note on process B" });
    expect(par.mine.count + obs.mine.count + rap.mine.count).toBe(0);

    // A note the guard holds reaches staff on B with the findings, and never the room.
    const held = ok(await sendNote(writer.socket, s.sessionId, s.first, HELD_TEXT));
    expect(held.outcome).toBe("held");
    const flagged = await rap.notes.until(has(held.note.id), { what: "the held note at the rapporteur" });
    expect(flagged.upsert.find((n) => n.id === held.note.id)).toMatchObject({ status: "flagged", findings: [{ kind: "phrase" }] });
    const after = ok(await sendNote(writer.socket, s.sessionId, s.first, "Markets reopened this week."));
    for (const sock of [par, obs]) {
      await sock.notes.until(has(after.note.id), { what: "the later note in the room" });
      expect(sock.notes.seen.some((c) => c.upsert.some((n) => n.id === held.note.id) || c.remove.includes(held.note.id))).toBe(false);
    }

    // A burst through A arrives whole on B, coalesced into far fewer messages than notes.
    const fromObserver = obs.notes.count;
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => sendNote(writer.socket, s.sessionId, s.first, `Point number ${i + 1} from the burst.`)));
    const ids = new Set(burst.map((r) => ok(r).note.id));
    await waitFor(() => [...ids].every((id) => obs.notes.since(fromObserver).some((c) => c.upsert.some((n) => n.id === id))), { timeoutMs: 10_000, what: "the whole burst at the observer" });
    const messages = obs.notes.since(fromObserver).filter((c) => c.upsert.some((n) => ids.has(n.id))).length;
    expect(messages).toBeLessThan(ids.size / 2);
  });

  it("runs the agenda from either process: one clock, the same remaining time everywhere", async () => {
    const s = await session();
    const moderator = await member(s.sessionId, "moderator", "Moderator Mariam");
    const participant = await member(s.sessionId, "participant", "Aminata Diallo");
    const modA = await inRoom(a, moderator.client, s.sessionId);
    const modB = await inRoom(b, moderator.client, s.sessionId);
    const parA = await inRoom(a, participant.client, s.sessionId);
    const parB = await inRoom(b, participant.client, s.sessionId);

    let marks = [parA, parB].map((p) => p.batches.count);
    await openAndStart(modA.socket, s.sessionId, s.first);
    for (const [i, p] of [parA, parB].entries()) {
      const running = await p.batches.until((x) => x.agenda?.currentItemId === s.first && itemIn(x, s.first)?.running === true, { from: marks[i], what: "the item running" });
      expect(itemIn(running, s.first)!.remainingMs).toBeLessThanOrEqual(10 * 60_000);
    }

    // Paused through B, seen paused through A; both processes then report the same remaining time,
    // because the clock lives in the database and not in either process.
    marks = [parA, parB].map((p) => p.batches.count);
    ok(await modB.socket.emitWithAck("agenda:command", { sessionId: s.sessionId, itemId: s.first, command: "pause" }));
    const paused = await Promise.all([parA, parB].map((p, i) => p.batches.until((x) => itemIn(x, s.first)?.state === "paused", { from: marks[i], what: "the item paused" })));
    expect(itemIn(paused[0], s.first)!.remainingMs).toBe(itemIn(paused[1], s.first)!.remainingMs);
    const fresh = await Promise.all([inRoom(a, participant.client, s.sessionId), inRoom(b, participant.client, s.sessionId)]);
    const left = fresh.map((f) => f.snapshot.state.agenda.items.find((i) => i.id === s.first)!.remainingMs);
    expect(left[0]).toBe(left[1]);
    expect(left[0]).toBe(itemIn(paused[0], s.first)!.remainingMs);

    // Extended through A while paused: exactly five more minutes, seen through B.
    marks = [parB].map((p) => p.batches.count);
    ok(await modA.socket.emitWithAck("agenda:command", { sessionId: s.sessionId, itemId: s.first, command: "extend", extendByMs: 5 * 60_000 }));
    const extended = await parB.batches.until((x) => (itemIn(x, s.first)?.remainingMs ?? 0) > left[0]!, { from: marks[0], what: "the extension on B" });
    expect(itemIn(extended, s.first)!.remainingMs).toBe(left[0]! + 5 * 60_000);

    // Starting the next item through B ends the first one for everyone.
    marks = [parA].map((p) => p.batches.count);
    ok(await modB.socket.emitWithAck("agenda:command", { sessionId: s.sessionId, itemId: s.second, command: "start" }));
    const next = await parA.batches.until((x) => x.agenda?.currentItemId === s.second, { from: marks[0], what: "the second item on A" });
    expect(itemIn(next, s.first)!.state).toBe("done");
  });

  it("keeps one speaker queue: hands raised through both processes, in order, names only for those who may see them", async () => {
    const s = await session();
    const moderator = await member(s.sessionId, "moderator", "Moderator Mariam");
    const observer = await member(s.sessionId, "observer", "Observer Ibrahim");
    const names = ["Aminata Diallo", "Boubacar Sidibé", "Fatoumata Keita", "Moussa Coulibaly", "Awa Traoré", "Seydou Konaté"];
    const people = [];
    for (const name of names) people.push(await member(s.sessionId, "participant", name));
    const mod = await inRoom(a, moderator.client, s.sessionId);
    await openAndStart(mod.socket, s.sessionId, s.first);
    const obs = await inRoom(b, observer.client, s.sessionId);
    // Half of them on each process.
    const sockets = await Promise.all(people.map((p, i) => inRoom(i % 2 ? b : a, p.client, s.sessionId)));

    // Everyone raises a hand at the same moment; the last one asks for a point of order.
    const acks = await Promise.all(sockets.map((p, i) => p.socket.emitWithAck("queue:raise", { sessionId: s.sessionId, kind: i === sockets.length - 1 ? "order" : "new" })));
    const entryIds = acks.map((x) => ok(x).entryId);
    expect(new Set(entryIds).size).toBe(people.length);
    const full = (x: RoomBatch) => x.queue?.entries.length === people.length;
    const staffView = (await mod.batches.until(full, { what: "all six hands at the moderator (A)" })).queue!;
    expect(staffView.entries[0]).toMatchObject({ id: entryIds.at(-1), kind: "order", name: names.at(-1) });
    expect(new Set(staffView.entries.map((e) => e.name))).toEqual(new Set(names));
    const roomView = (await obs.batches.until(full, { what: "all six hands at the observer (B)" })).queue!;
    expect(roomView.namesVisible).toBe(false);
    expect(roomView.entries.every((e) => e.name === null)).toBe(true);
    expect(JSON.stringify(obs.batches.seen)).not.toContain("Diallo");

    // One hand per person, whichever process is asked; lowering through the other process works.
    const second = inRoom(b, people[0].client, s.sessionId);
    const other = await second;
    expect(await other.socket.emitWithAck("queue:raise", { sessionId: s.sessionId, kind: "new" })).toEqual({ ok: false, error: "already_in_queue" });
    ok(await other.socket.emitWithAck("queue:lower", { sessionId: s.sessionId }));
    await mod.batches.until((x) => x.queue?.entries.length === people.length - 1 && !x.queue.entries.some((e) => e.id === entryIds[0]), { what: "the lowered hand gone at A" });

    // The moderator on A gives the floor to a hand raised on B: that person's device on B is told.
    const speaker = sockets[1];
    const youFrom = speaker.you.count;
    ok(await mod.socket.emitWithAck("queue:floor", { sessionId: s.sessionId, entryId: entryIds[1], turnSeconds: 120 }));
    await speaker.you.until((y) => y.floorEntryId === entryIds[1], { from: youFrom, what: "the floor at the speaker on B" });
    const floor = (await obs.batches.until((x) => x.queue?.floor?.entryId === entryIds[1], { what: "the floor at the observer" })).queue!.floor!;
    expect(floor).toMatchObject({ name: null, running: true });
    expect(floor.remainingMs).toBeLessThanOrEqual(120_000);
  });

  it("counts presence once per person across processes, and a vote counts everyone present as eligible", async () => {
    const s = await session();
    const moderator = await member(s.sessionId, "moderator", "Moderator Mariam");
    const observer = await member(s.sessionId, "observer", "Observer Ibrahim");
    const panelist = await member(s.sessionId, "panelist", "Panelist Fatoumata");
    const p1 = await member(s.sessionId, "participant", "Aminata Diallo");
    const p2 = await member(s.sessionId, "participant", "Boubacar Sidibé");
    const p3 = await member(s.sessionId, "participant", "Awa Traoré");
    const mod = await inRoom(a, moderator.client, s.sessionId);
    await openAndStart(mod.socket, s.sessionId, s.first);
    const obs = await inRoom(a, observer.client, s.sessionId);
    await inRoom(b, panelist.client, s.sessionId);
    await inRoom(a, p1.client, s.sessionId);
    const p2OnB = await inRoom(b, p2.client, s.sessionId);
    // The same person on both processes.
    await inRoom(a, p3.client, s.sessionId);
    const p3OnB = await inRoom(b, p3.client, s.sessionId);

    const everyone = await mod.batches.until((x) => x.presence?.total === 6, { what: "six people present at the moderator" });
    expect(everyone.presence).toEqual({
      exact: true,
      total: 6,
      groups: [
        { key: "moderator", count: 1 },
        { key: "panelist", count: 1 },
        { key: "participant", count: 3 },
        { key: "observer", count: 1 },
      ],
    });
    // The room sees the small groups merged.
    const roomView = (await obs.batches.until((x) => x.presence?.total === 6, { what: "six present at the observer" })).presence!;
    expect(roomView.exact).toBe(false);
    expect(roomView.groups.filter((g) => g.key !== "moderator").every((g) => g.count >= 3)).toBe(true);

    // A vote opened through A counts the participants and panelists of both processes.
    const { id } = ok(await mod.socket.emitWithAck("recs:create", { sessionId: s.sessionId, text: "Open the northern road to traders", itemId: s.first }));
    ok(await mod.socket.emitWithAck("votes:open", { sessionId: s.sessionId, recommendationId: id }));
    const opened = await mod.recs.until((c) => c.upsert.some((r) => r.id === id && r.vote?.open === true), { what: "the open vote at the moderator" });
    expect(opened.upsert.find((r) => r.id === id)!.vote!.result!.counts).toMatchObject({ eligible: 4, taken: 0 });
    ok(await p2OnB.socket.emitWithAck("positions:take", { sessionId: s.sessionId, recommendationId: id, option: "agree" }));
    const taken = await mod.recs.until((c) => c.upsert.some((r) => r.id === id && r.vote?.result?.counts?.taken === 1), { what: "the position from B at the moderator on A" });
    expect(taken.upsert.find((r) => r.id === id)!.vote!.result!.counts).toMatchObject({ eligible: 4, taken: 1, support: 1 });
    // The room on A sees the open vote but no counts (fewer than ten positions).
    const forRoom = await obs.recs.until((c) => c.upsert.some((r) => r.id === id && r.vote?.open === true), { what: "the open vote in the room" });
    expect(forRoom.upsert.find((r) => r.id === id)!.vote!.result?.counts ?? null).toBeNull();

    // Leaving: one of p3's two sockets does not make them absent; p2's only socket does.
    const mark = mod.batches.count;
    p3OnB.socket.close();
    p2OnB.socket.close();
    const fewer = await mod.batches.until((x) => x.presence?.total === 5, { from: mark, what: "five present after p2 left" });
    expect(fewer.presence!.groups).toContainEqual({ key: "participant", count: 2 });
  });

  it("shares rate limits: notes per person per minute, wrong passwords, joins per code", async () => {
    const s = await session();
    const moderator = await member(s.sessionId, "moderator", "Moderator Mariam");
    const author = await member(s.sessionId, "participant", "Aminata Diallo");
    const mod = await inRoom(a, moderator.client, s.sessionId);
    await openAndStart(mod.socket, s.sessionId, s.first);
    const onA = await inRoom(a, author.client, s.sessionId);
    const onB = await inRoom(b, author.client, s.sessionId);

    // 120 notes a minute per person (NOTE_RATE): 60 through each process pass, the next one does not.
    const acks = await Promise.all(Array.from({ length: 120 }, (_, i) => sendNote(i % 2 ? onB.socket : onA.socket, s.sessionId, s.first, `Note ${i + 1} of the minute.`)));
    expect(acks.filter((x) => !x.ok)).toEqual([]);
    expect(await sendNote(onA.socket, s.sessionId, s.first, "One too many through A.")).toEqual({ ok: false, error: "notes_rate_limited" });
    expect(await sendNote(onB.socket, s.sessionId, s.first, "One too many through B.")).toEqual({ ok: false, error: "notes_rate_limited" });

    // Wrong passwords for one account count together, whichever process answers.
    const email = `target-${unique()}@example.org`;
    await account(email, "Target");
    for (let i = 0; i < SIGN_IN_FAILURES; i++) {
      const res = await new TestClient((i % 2 ? b : a).url).post("/sign-in", { email, password: "wrong password", returnTo: "/" });
      expect(res.status).toBe(401);
    }
    const refused = await new TestClient(b.url).post("/sign-in", { email, password: PASSWORD, returnTo: "/" });
    expect(refused.status).toBe(429);

    // Joins with one code count together too.
    const code = domain.sessions.rotateJoinCode(s.organiser, s.sessionId);
    for (let i = 0; i < JOINS_PER_CODE; i++) {
      const res = await new TestClient((i % 2 ? b : a).url).post("/join", { code, displayName: `Guest ${i + 1}` });
      expect(res.status).toBe(302);
    }
    expect((await new TestClient(b.url).post("/join", { code, displayName: "One too many" })).status).toBe(429);
  });

  it("recovers a dropped connection through the other process, with the batches it missed", async () => {
    const s = await session();
    const moderator = await member(s.sessionId, "moderator", "Moderator Mariam");
    const author = await member(s.sessionId, "participant", "Aminata Diallo");
    const reader = await member(s.sessionId, "participant", "Boubacar Sidibé");
    const mod = await inRoom(a, moderator.client, s.sessionId);
    await openAndStart(mod.socket, s.sessionId, s.first);
    const writer = await inRoom(a, author.client, s.sessionId);
    const dropped = await inRoom(a, reader.client, s.sessionId);
    // Something broadcast first, so the socket holds an offset to recover from.
    const first = ok(await sendNote(writer.socket, s.sessionId, s.first, "Before the drop."));
    await dropped.notes.until((c) => c.upsert.some((n) => n.id === first.note.id), { what: "the first note" });
    const internals = dropped.socket as unknown as { _pid?: string; _lastOffset?: string; io: { engine: { close(): void } } };
    const pid = internals._pid;
    const offset = internals._lastOffset;
    expect(pid && offset).toBeTruthy();

    // The connection drops (not a goodbye: the server keeps its state), a note is sent meanwhile,
    // and the device comes back through process B.
    const gone = new Promise((resolve) => dropped.socket.once("disconnect", resolve));
    internals.io.engine.close();
    await gone;
    const missed = ok(await sendNote(writer.socket, s.sessionId, s.first, "While the reader was away."));
    await mod.notes.until((c) => c.upsert.some((n) => n.id === missed.note.id), { what: "the missed note at the moderator" });
    // A new client that carries the dropped socket's session id and offset, as socket.io-client does
    // when it reconnects (here to the other process, as after a proxy fails over).
    const back = socketTo(b, reader.client, { autoConnect: false });
    Object.assign(back, { _pid: pid, _lastOffset: offset });
    const notes = recordEvents(back, "notes:batch");
    back.connect();
    await connected(back);
    expect(back.recovered).toBe(true);
    await notes.until((c) => c.upsert.some((n) => n.id === missed.note.id), { what: "the missed note replayed through B" });
    // Still in the room on B: later changes arrive without entering again.
    const later = ok(await sendNote(writer.socket, s.sessionId, s.first, "After the return."));
    await notes.until((c) => c.upsert.some((n) => n.id === later.note.id), { what: "a later note through B" });
  });

  it("finalises an ended session exactly once while both processes sweep", async () => {
    const s = await session();
    const moderator = await member(s.sessionId, "moderator", "Moderator Mariam");
    const author = await member(s.sessionId, "participant", "Aminata Diallo");
    const mod = await inRoom(a, moderator.client, s.sessionId);
    await openAndStart(mod.socket, s.sessionId, s.first);
    const writer = await inRoom(b, author.client, s.sessionId);
    ok(await sendNote(writer.socket, s.sessionId, s.first, "A note with an author tag until finalisation."));
    ok(await writer.socket.emitWithAck("queue:raise", { sessionId: s.sessionId, kind: "new" }));
    expect(domain.notes.authorshipDestroyed(s.sessionId)).toBe(false);

    // The grace period is zero here and each process sweeps every 200 ms.
    ok(await mod.socket.emitWithAck("live:end", { sessionId: s.sessionId }));
    const status = () => (database.sqlite.prepare("SELECT status FROM dialogue_sessions WHERE id = ?").get(s.sessionId) as { status: string }).status;
    await waitFor(() => status() === "finalised", { timeoutMs: 10_000, what: "the session finalised by a sweep" });
    // Let the other process's sweeps run over it a few more times.
    const sweepsAfter = Date.now();
    await waitFor(() => Date.now() - sweepsAfter > 1_000, { timeoutMs: 5_000, what: "more sweeps" });
    const finalisations = database.sqlite
      .prepare("SELECT details FROM audit_log WHERE session_id = ? AND action = 'session.status_changed'")
      .all(s.sessionId)
      .map((r) => JSON.parse((r as { details: string }).details) as { to: string; automatic?: boolean })
      .filter((d) => d.to === "finalised");
    expect(finalisations).toEqual([expect.objectContaining({ from: "ended", to: "finalised", automatic: true })]);
    expect(domain.notes.authorshipDestroyed(s.sessionId)).toBe(true);
  });
});

describe("starting a process that shares through Redis", () => {
  it("refuses a Redis server that saves to disk, and says why", async () => {
    const admin = new Redis(redis.url);
    try {
      await admin.config("SET", "save", "3600 1");
      const refused = await startAppProcess({ DATABASE_PATH: path.join(dir, "shared.sqlite"), REDIS_URL: redis.url }).then(
        async (p) => {
          await p.stop();
          return "";
        },
        (e: Error) => e.message,
      );
      expect(refused).toMatch(/saves to disk[\s\S]*--save '' --appendonly no/);
    } finally {
      await admin.config("SET", "save", "");
      admin.disconnect();
    }
  });

  it("a process that stops closes its own sockets only", async () => {
    const c = await startAppProcess({ DATABASE_PATH: path.join(dir, "shared.sqlite"), REDIS_URL: redis.url });
    try {
      const s = await session();
      const moderator = await member(s.sessionId, "moderator", "Moderator Mariam");
      const participant = await member(s.sessionId, "participant", "Aminata Diallo");
      const mod = await inRoom(a, moderator.client, s.sessionId);
      await openAndStart(mod.socket, s.sessionId, s.first);
      const onA = await inRoom(a, participant.client, s.sessionId);
      const onC = await inRoom(c, participant.client, s.sessionId);
      const closed = new Promise((resolve) => onC.socket.once("disconnect", resolve));
      await c.stop();
      await closed;
      expect(onA.socket.connected).toBe(true);
      const note = ok(await sendNote(onA.socket, s.sessionId, s.first, "Still here on A."));
      await mod.notes.until((x) => x.upsert.some((n) => n.id === note.note.id), { what: "a note through A after C stopped" });
      expect(onA.socket.connected && mod.socket.connected).toBe(true);
    } finally {
      await c.stop();
    }
  });

  it("fails clearly when Redis cannot be reached", async () => {
    const refused = await startAppProcess({ DATABASE_PATH: path.join(dir, "shared.sqlite"), REDIS_URL: "redis://127.0.0.1:1" }).then(
      async (p) => {
        await p.stop();
        return "";
      },
      (e: Error) => e.message,
    );
    expect(refused).toMatch(/Could not connect to Redis at REDIS_URL/);
  });
});
