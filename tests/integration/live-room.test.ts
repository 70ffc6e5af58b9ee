/**
 * The live room over real sockets: a real server, and a moderator, a rapporteur, a participant (a guest
 * who joined with the code) and an observer each on their own socket.io client. Checks what each socket
 * actually receives: the agenda running, the queue's names only for those who may see them, recovery
 * and snapshots, removal, invalid payloads, an ended session, and the coalescing of the fan-out.
 */
import { io as ioClient, type Socket } from "socket.io-client";
import type { Ack, ClientToServerEvents, RoomBatch, RoomSnapshot, ServerToClientEvents } from "../../app/realtime/events";
import {
  connected,
  createSessionFixture,
  disconnected,
  joinedGuest,
  recordEvents,
  refused,
  signedInMember,
  startTestServer,
  type TestClient,
  type TestServer,
} from "../support/server";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type RawSocket = { emitWithAck(event: string, ...args: unknown[]): Promise<Ack<unknown>> };

const MIN = 60_000;
const PARTICIPANT_NAME = "Aminata Diallo";
const MISSING = "00000000-0000-4000-8000-000000000000";

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

/** A session with its people, each signed in on their own client, and two agenda items. */
async function room(options: { attributionMode?: string; live?: boolean } = {}) {
  const fixture = await createSessionFixture(server, { attributionMode: options.attributionMode ?? "chatham_house" });
  const { sessionId, organiser } = fixture;
  const code = server.domain.sessions.rotateJoinCode(organiser, sessionId);
  const moderator = await signedInMember(server, sessionId, "moderator", "Moderator Mariam");
  const rapporteur = await signedInMember(server, sessionId, "rapporteur", "Rapporteur Ousmane");
  const observer = await signedInMember(server, sessionId, "observer", "Observer Ibrahim");
  const participant = await joinedGuest(server, code, PARTICIPANT_NAME);
  const first = server.domain.live.addItem(organiser, sessionId, { title: "Opening round", plannedMinutes: 10 }).id;
  const second = server.domain.live.addItem(organiser, sessionId, { title: "Security situation", plannedMinutes: 20 }).id;
  if (options.live) {
    server.domain.live.openRoom(moderator.actor, sessionId);
    await server.domain.live.command(moderator.actor, sessionId, first, { command: "start" });
  }
  return { ...fixture, code, moderator, rapporteur, observer, participant, first, second };
}

/** A socket that has entered the session's room, recording its batches from before it entered. */
async function inRoom(client: TestClient, sessionId: string, socket: ClientSocket = client.socket()) {
  open.push(socket);
  const batches = recordEvents(socket, "room:batch");
  await connected(socket);
  const ack = await socket.emitWithAck("session:enter", { sessionId });
  if (!ack.ok) throw new Error(`session:enter refused: ${ack.error}`);
  return { socket, batches, snapshot: ack.data };
}

/** A socket that reconnects on its own (recovery only happens on a reconnection of the same socket). */
function reconnectingSocket(client: TestClient): ClientSocket {
  return ioClient(server.url, {
    transports: ["websocket"],
    reconnection: true,
    reconnectionDelay: 20,
    reconnectionDelayMax: 50,
    extraHeaders: { cookie: client.cookieHeader, origin: server.url },
  });
}

function raw(socket: ClientSocket): RawSocket {
  return socket as unknown as RawSocket;
}

const itemIn = (b: RoomBatch | RoomSnapshot["state"], id: string) => b.agenda?.items.find((i) => i.id === id);
const runs = (id: string) => (b: RoomBatch) => b.agenda?.currentItemId === id && itemIn(b, id)?.state === "running";

describe("running the room", () => {
  it("opens the room and starts an item; every socket receives the running item", async () => {
    const r = await room();
    const mod = await inRoom(r.moderator.client, r.sessionId);
    const rap = await inRoom(r.rapporteur.client, r.sessionId);
    const par = await inRoom(r.participant.client, r.sessionId);
    const obs = await inRoom(r.observer.client, r.sessionId);
    expect(mod.snapshot).toMatchObject({ role: "moderator", audience: "staff", state: { session: { status: "draft" }, agenda: { currentItemId: null } } });
    expect(mod.snapshot.joinCode).toBe(r.code);
    expect(par.snapshot).toMatchObject({ role: "participant", audience: "room", joinCode: null });
    expect(obs.snapshot).toMatchObject({ role: "observer", audience: "room", joinCode: null });
    expect(rap.snapshot).toMatchObject({ role: "rapporteur", audience: "staff", joinCode: null });
    const all = [mod, rap, par, obs];

    const marks = all.map((s) => s.batches.count);
    expect(await mod.socket.emitWithAck("live:open", { sessionId: r.sessionId })).toEqual({ ok: true });
    await Promise.all(all.map((s, i) => s.batches.until((b) => b.session?.status === "live", { from: marks[i], what: "the session going live" })));

    const before = all.map((s) => s.batches.count);
    expect(await mod.socket.emitWithAck("agenda:command", { sessionId: r.sessionId, itemId: r.first, command: "start" })).toEqual({ ok: true });
    const received = await Promise.all(all.map((s, i) => s.batches.until(runs(r.first), { from: before[i], what: "the first item running" })));
    for (const b of received) {
      const item = itemIn(b, r.first)!;
      expect(item).toMatchObject({ title: "Opening round", running: true, plannedMs: 10 * MIN });
      expect(item.remainingMs).toBeGreaterThan(0);
      expect(item.remainingMs).toBeLessThanOrEqual(10 * MIN);
      expect(itemIn(b, r.second)).toMatchObject({ state: "pending", running: false, remainingMs: 20 * MIN });
    }

    // People without the right are refused, and nothing changes.
    expect(await par.socket.emitWithAck("agenda:command", { sessionId: r.sessionId, itemId: r.second, command: "start" })).toEqual({ ok: false, error: "forbidden" });
    expect(await obs.socket.emitWithAck("queue:raise", { sessionId: r.sessionId, kind: "new" })).toEqual({ ok: false, error: "forbidden" });
    expect(await rap.socket.emitWithAck("queue:raise", { sessionId: r.sessionId, kind: "new" })).toEqual({ ok: false, error: "forbidden" });
    expect(await par.socket.emitWithAck("queue:floor", { sessionId: r.sessionId, entryId: MISSING })).toEqual({ ok: false, error: "forbidden" });
    expect(await obs.socket.emitWithAck("agenda:add", { sessionId: r.sessionId, title: "Mine", plannedMinutes: 5 })).toEqual({ ok: false, error: "forbidden" });
    expect((await server.domain.live.stateFor(r.sessionId, "staff"))!.agenda.items.map((i) => i.state)).toEqual(["running", "pending"]);
  });

  it("counts presence exactly for staff and with small groups merged for the room", async () => {
    const r = await room({ live: true });
    const mod = await inRoom(r.moderator.client, r.sessionId);
    const obs = await inRoom(r.observer.client, r.sessionId);
    await inRoom(r.rapporteur.client, r.sessionId);
    await inRoom(r.participant.client, r.sessionId);
    const staff = await mod.batches.until((b) => b.presence?.total === 4, { what: "presence of four at the moderator" });
    expect(staff.presence).toEqual({
      exact: true,
      total: 4,
      groups: [
        { key: "moderator", count: 1 },
        { key: "rapporteur", count: 1 },
        { key: "participant", count: 1 },
        { key: "observer", count: 1 },
      ],
    });
    const roomView = await obs.batches.until((b) => b.presence?.total === 4, { what: "presence of four at the observer" });
    expect(roomView.presence).toEqual({
      exact: false,
      total: 4,
      groups: [
        { key: "moderator", count: 1 },
        { key: "rapporteur", count: 1 },
        { key: "other", count: 2 },
      ],
    });
  });

  it("pauses, extends and resumes an item; the room sees the remaining time, not a deadline", async () => {
    const r = await room({ live: true });
    const mod = await inRoom(r.moderator.client, r.sessionId);
    const obs = await inRoom(r.observer.client, r.sessionId);
    let mark = obs.batches.count;
    expect(await mod.socket.emitWithAck("agenda:command", { sessionId: r.sessionId, itemId: r.first, command: "pause" })).toEqual({ ok: true });
    const paused = await obs.batches.until((b) => itemIn(b, r.first)?.state === "paused", { from: mark });
    const left = itemIn(paused, r.first)!.remainingMs;
    expect(paused.agenda!.currentItemId).toBe(r.first);

    mark = obs.batches.count;
    expect(await mod.socket.emitWithAck("agenda:command", { sessionId: r.sessionId, itemId: r.first, command: "extend", extendByMs: 5 * MIN })).toEqual({ ok: true });
    const extended = await obs.batches.until((b) => itemIn(b, r.first)?.remainingMs === left + 5 * MIN, { from: mark, what: "the extension" });
    expect(itemIn(extended, r.first)).toMatchObject({ state: "paused", running: false });
    expect(JSON.stringify(extended)).not.toMatch(/deadline|endsAt|runningSince/);

    mark = obs.batches.count;
    expect(await mod.socket.emitWithAck("agenda:command", { sessionId: r.sessionId, itemId: r.first, command: "resume" })).toEqual({ ok: true });
    await obs.batches.until(runs(r.first), { from: mark });
    expect(await mod.socket.emitWithAck("agenda:command", { sessionId: r.sessionId, itemId: r.first, command: "resume" })).toEqual({ ok: false, error: "item_not_paused" });
  });

  it("reorders and adds items live, and reports conflicts", async () => {
    const r = await room({ live: true });
    const mod = await inRoom(r.moderator.client, r.sessionId);
    const par = await inRoom(r.participant.client, r.sessionId);
    const mark = par.batches.count;
    const added = await mod.socket.emitWithAck("agenda:add", { sessionId: r.sessionId, title: "Recommendations", plannedMinutes: 30, attributionMode: "" });
    expect(added.ok).toBe(true);
    const addedId = added.ok ? added.data.id : "";
    expect(await mod.socket.emitWithAck("agenda:reorder", { sessionId: r.sessionId, order: [addedId, r.second] })).toEqual({ ok: true });
    const reordered = await par.batches.until((b) => (b.agenda?.items.map((i) => i.id) ?? []).join() === [r.first, addedId, r.second].join(), { from: mark, what: "the new order" });
    expect(reordered.agenda!.items.map((i) => i.title)).toEqual(["Opening round", "Recommendations", "Security situation"]);
    // The running item cannot be moved among the pending ones.
    expect(await mod.socket.emitWithAck("agenda:reorder", { sessionId: r.sessionId, order: [r.first, addedId, r.second] })).toMatchObject({ ok: false, error: "order_invalid" });
    expect(await par.socket.emitWithAck("agenda:reorder", { sessionId: r.sessionId, order: [r.second, addedId] })).toEqual({ ok: false, error: "forbidden" });
  });
});

describe("the speaker queue", () => {
  it("shows the participant's name to the moderator and the rapporteur, and to nobody else (Chatham House)", async () => {
    const r = await room({ live: true });
    const mod = await inRoom(r.moderator.client, r.sessionId);
    const rap = await inRoom(r.rapporteur.client, r.sessionId);
    const par = await inRoom(r.participant.client, r.sessionId);
    const obs = await inRoom(r.observer.client, r.sessionId);
    const all = [mod, rap, par, obs];
    const marks = all.map((s) => s.batches.count);

    const raised = await par.socket.emitWithAck("queue:raise", { sessionId: r.sessionId, kind: "new" });
    expect(raised.ok).toBe(true);
    const entryId = raised.ok ? raised.data.entryId : "";
    const [m, a, p, o] = await Promise.all(all.map((s, i) => s.batches.until((b) => (b.queue?.entries.length ?? 0) === 1, { from: marks[i], what: "the raised hand" })));
    for (const staff of [m, a]) expect(staff.queue).toEqual({ itemId: r.first, namesVisible: true, entries: [{ id: entryId, kind: "new", name: PARTICIPANT_NAME }], floor: null });
    for (const roomView of [p, o]) expect(roomView.queue).toEqual({ itemId: r.first, namesVisible: false, entries: [{ id: entryId, kind: "new", name: null }], floor: null });
    // Nothing the participant's or the observer's socket received carries the name.
    for (const s of [par, obs]) expect(JSON.stringify(s.batches.seen)).not.toContain("Diallo");

    // The participant's own place, in a fresh snapshot.
    const again = await inRoom(r.participant.client, r.sessionId);
    expect(again.snapshot.you).toEqual({ entryId, floorEntryId: null });
    expect(JSON.stringify(again.snapshot)).not.toContain("Diallo");
    const observerAgain = await inRoom(r.observer.client, r.sessionId);
    expect(observerAgain.snapshot.state.queue.entries).toEqual([{ id: entryId, kind: "new", name: null }]);

    // The moderator gives the floor: the room sees a turn, not who has it.
    const before = all.map((s) => s.batches.count);
    expect(await mod.socket.emitWithAck("queue:floor", { sessionId: r.sessionId, entryId, turnSeconds: 90 })).toEqual({ ok: true });
    const floors = await Promise.all(all.map((s, i) => s.batches.until((b) => b.queue?.floor?.entryId === entryId, { from: before[i], what: "the floor" })));
    expect(floors[0].queue!.floor).toMatchObject({ name: PARTICIPANT_NAME, kind: "new", running: true });
    expect(floors[0].queue!.floor!.remainingMs).toBeLessThanOrEqual(90_000);
    expect(floors[1].queue!.floor!.name).toBe(PARTICIPANT_NAME);
    expect(floors[2].queue!.floor!.name).toBeNull();
    expect(floors[3].queue!.floor!.name).toBeNull();
    expect(floors[2].queue!.entries).toEqual([]);

    const ended = mod.batches.count;
    expect(await mod.socket.emitWithAck("queue:endTurn", { sessionId: r.sessionId })).toEqual({ ok: true });
    await mod.batches.until((b) => b.queue !== undefined && b.queue.floor === null, { from: ended, what: "the end of the turn" });
    for (const s of [par, obs]) expect(JSON.stringify(s.batches.seen)).not.toContain("Diallo");
  });

  it("shows names to the room on an item overridden to on the record, and drops them when it ends", async () => {
    const r = await room({ live: true });
    const onRecord = server.domain.live.addItem(r.organiser, r.sessionId, { title: "Public statements", plannedMinutes: 15, attributionMode: "on_the_record" }).id;
    const mod = await inRoom(r.moderator.client, r.sessionId);
    const par = await inRoom(r.participant.client, r.sessionId);
    const obs = await inRoom(r.observer.client, r.sessionId);

    // A hand on the Chatham House item, then the on-the-record item starts: the queue starts afresh.
    expect((await par.socket.emitWithAck("queue:raise", { sessionId: r.sessionId, kind: "order" })).ok).toBe(true);
    let mark = obs.batches.count;
    expect(await mod.socket.emitWithAck("agenda:command", { sessionId: r.sessionId, itemId: onRecord, command: "start" })).toEqual({ ok: true });
    const started = await obs.batches.until((b) => runs(onRecord)(b) && b.queue !== undefined, { from: mark, what: "the on-the-record item" });
    expect(itemIn(started, onRecord)).toMatchObject({ attributionMode: "on_the_record", overridesSession: true });
    expect(started.queue!.entries).toEqual([]);
    expect(itemIn(started, r.first)!.state).toBe("done");

    mark = obs.batches.count;
    const raised = await par.socket.emitWithAck("queue:raise", { sessionId: r.sessionId, kind: "reply" });
    expect(raised.ok).toBe(true);
    const named = await obs.batches.until((b) => (b.queue?.entries.length ?? 0) === 1, { from: mark, what: "the named hand" });
    expect(named.queue).toMatchObject({ itemId: onRecord, namesVisible: true, entries: [{ kind: "reply", name: PARTICIPANT_NAME }] });

    // The item ends: its queue, and the names in it, are gone for everyone.
    const marks = [mod, par, obs].map((s) => s.batches.count);
    expect(await mod.socket.emitWithAck("agenda:command", { sessionId: r.sessionId, itemId: onRecord, command: "end" })).toEqual({ ok: true });
    const after = await Promise.all([mod, par, obs].map((s, i) => s.batches.until((b) => b.queue !== undefined && b.agenda?.currentItemId === null, { from: marks[i], what: "the end of the item" })));
    for (const b of after) {
      expect(b.queue).toMatchObject({ itemId: null, entries: [], floor: null });
      expect(JSON.stringify(b)).not.toContain("Diallo");
    }
    const fresh = await inRoom(r.moderator.client, r.sessionId);
    expect(JSON.stringify(fresh.snapshot)).not.toContain("Diallo");
  });

  it("coalesces a burst of commands into far fewer batches", async () => {
    const r = await room({ live: true });
    const par = await inRoom(r.participant.client, r.sessionId);
    const obs = await inRoom(r.observer.client, r.sessionId);
    const mod = await inRoom(r.moderator.client, r.sessionId);
    // Let the arrivals' presence batches pass before counting.
    await obs.batches.until((b) => b.presence?.total === 3, { what: "everyone present" });
    await mod.batches.until((b) => b.presence?.total === 3, { what: "everyone present" });
    const fromObs = obs.batches.count;
    const fromMod = mod.batches.count;

    const acks: Promise<Ack<unknown>>[] = [];
    for (let i = 0; i < 10; i++) {
      acks.push(par.socket.emitWithAck("queue:raise", { sessionId: r.sessionId, kind: "new" }));
      acks.push(par.socket.emitWithAck("queue:lower", { sessionId: r.sessionId }));
    }
    // The last command leaves a recognisable state: a point of order.
    acks.push(par.socket.emitWithAck("queue:raise", { sessionId: r.sessionId, kind: "order" }));
    const commands = acks.length;
    expect((await Promise.all(acks)).every((a) => a.ok)).toBe(true);

    const isFinal = (b: RoomBatch) => b.queue?.entries.length === 1 && b.queue.entries[0].kind === "order";
    await obs.batches.until(isFinal, { from: fromObs, what: "the final state at the observer" });
    await mod.batches.until(isFinal, { from: fromMod, what: "the final state at the moderator" });
    const atObserver = obs.batches.since(fromObs).filter((b) => b.queue !== undefined).length;
    const atModerator = mod.batches.since(fromMod).filter((b) => b.queue !== undefined).length;
    expect(atObserver).toBeGreaterThanOrEqual(1);
    expect(atObserver).toBeLessThan(commands / 2);
    expect(atModerator).toBeLessThan(commands / 2);
  });
});

describe("coming back", () => {
  it("gives a new socket the whole current state in its snapshot", async () => {
    const r = await room({ live: true });
    const { entryId } = await server.domain.live.raiseHand(r.participant.actor, r.sessionId, { kind: "reply" });
    const par = await inRoom(r.participant.client, r.sessionId);
    const item = itemIn(par.snapshot.state, r.first)!;
    expect(par.snapshot.state.agenda.currentItemId).toBe(r.first);
    expect(item).toMatchObject({ state: "running", running: true });
    expect(item.remainingMs).toBeGreaterThan(0);
    expect(item.remainingMs).toBeLessThanOrEqual(10 * MIN);
    expect(par.snapshot.state.queue.entries).toEqual([{ id: entryId, kind: "reply", name: null }]);
    expect(par.snapshot.you).toEqual({ entryId, floorEntryId: null });
    expect(par.snapshot.presence.exact).toBe(false);
    const mod = await inRoom(r.moderator.client, r.sessionId);
    expect(mod.snapshot.state.queue.entries).toEqual([{ id: entryId, kind: "reply", name: PARTICIPANT_NAME }]);
    expect(mod.snapshot.presence.exact).toBe(true);
  });

  it("brings a socket whose transport dropped up to date: missed batches on recovery, else a snapshot", async () => {
    const r = await room({ live: true });
    const socket = reconnectingSocket(r.observer.client);
    const obs = await inRoom(r.observer.client, r.sessionId, socket);
    // One batch received, so the socket holds a recovery offset.
    await obs.batches.until((b) => b.presence !== undefined, { what: "a first batch" });

    const serverSocket = server.io.of("/").sockets.get(socket.id!);
    expect(serverSocket).toBeDefined();
    const serverSaw = new Promise<string>((resolve) => serverSocket!.once("disconnect", (reason) => resolve(reason)));
    socket.io.reconnection(false);
    socket.io.engine.close();
    expect(await serverSaw).toBe("transport close");

    // While away: the item is paused and a hand is raised.
    const mark = obs.batches.count;
    await server.domain.live.command(r.moderator.actor, r.sessionId, r.first, { command: "pause" });
    const { entryId } = await server.domain.live.raiseHand(r.participant.actor, r.sessionId, { kind: "new" });
    const expectedLeft = (await server.domain.live.stateFor(r.sessionId, "room"))!.agenda.items[0].remainingMs;

    const back = connected(socket);
    socket.io.reconnection(true);
    socket.connect();
    await back;
    if (socket.recovered) {
      const paused = await obs.batches.until((b) => itemIn(b, r.first)?.state === "paused", { from: mark, what: "the missed pause" });
      expect(itemIn(paused, r.first)!.remainingMs).toBe(expectedLeft);
      const hand = await obs.batches.until((b) => (b.queue?.entries.length ?? 0) === 1, { from: mark, what: "the missed hand" });
      expect(hand.queue!.entries).toEqual([{ id: entryId, kind: "new", name: null }]);
    } else {
      const ack = await socket.emitWithAck("session:enter", { sessionId: r.sessionId });
      expect(ack.ok).toBe(true);
      if (!ack.ok) return;
      expect(itemIn(ack.data.state, r.first)).toMatchObject({ state: "paused", remainingMs: expectedLeft });
      expect(ack.data.state.queue.entries).toEqual([{ id: entryId, kind: "new", name: null }]);
    }
    // Either way, the socket is in the room again and receives what happens next.
    const next = obs.batches.count;
    await server.domain.live.command(r.moderator.actor, r.sessionId, r.first, { command: "resume" });
    await obs.batches.until(runs(r.first), { from: next, what: "the resumed item" });
  });

  it("refuses a removed participant's reconnection, and their hand is gone from the others' next batch", async () => {
    const r = await room({ live: true });
    const mod = await inRoom(r.moderator.client, r.sessionId);
    const obs = await inRoom(r.observer.client, r.sessionId);
    const par = await inRoom(r.participant.client, r.sessionId);
    expect((await par.socket.emitWithAck("queue:raise", { sessionId: r.sessionId, kind: "new" })).ok).toBe(true);
    await mod.batches.until((b) => b.queue?.entries.length === 1, { what: "the hand at the moderator" });
    await obs.batches.until((b) => b.queue?.entries.length === 1, { what: "the hand at the observer" });

    const marks = [mod, obs].map((s) => s.batches.count);
    const gone = disconnected(par.socket);
    server.domain.sessions.removeMember(r.organiser, r.sessionId, r.participant.userId);
    expect(await gone).toBe("io server disconnect");
    const [m, o] = await Promise.all([mod, obs].map((s, i) => s.batches.until((b) => b.queue !== undefined, { from: marks[i], what: "the next queue" })));
    expect(m.queue!.entries).toEqual([]);
    expect(o.queue!.entries).toEqual([]);

    const again = r.participant.client.socket();
    open.push(again);
    expect((await refused(again)).message).toBe("unauthenticated");
    // The others go on.
    expect(await mod.socket.emitWithAck("agenda:command", { sessionId: r.sessionId, itemId: r.first, command: "pause" })).toEqual({ ok: true });
  });
});

describe("bad input and an ended session", () => {
  it("answers invalid payloads with { ok: false } and keeps serving", async () => {
    const r = await room({ live: true });
    const mod = await inRoom(r.moderator.client, r.sessionId);
    const par = await inRoom(r.participant.client, r.sessionId);
    const m = raw(mod.socket);
    const invalid: [string, unknown][] = [
      ["agenda:command", { sessionId: r.sessionId, itemId: 42, command: "start" }],
      ["agenda:command", { sessionId: r.sessionId, itemId: r.second, command: "explode" }],
      ["agenda:command", { sessionId: r.sessionId, itemId: r.second, command: "extend", extendByMs: "lots" }],
      ["agenda:command", { sessionId: "not-a-session", itemId: r.second, command: "start" }],
      ["agenda:command", null],
      ["agenda:command", "start"],
      ["agenda:command", [r.sessionId, r.second]],
      ["agenda:reorder", { sessionId: r.sessionId, order: "everything" }],
      ["agenda:reorder", { sessionId: r.sessionId, order: Array.from({ length: 101 }, () => r.second) }],
      ["agenda:add", { sessionId: r.sessionId, title: "x".repeat(201), plannedMinutes: 10 }],
      ["agenda:add", { sessionId: r.sessionId, title: "Item", plannedMinutes: "10" }],
      ["agenda:add", { sessionId: r.sessionId, title: "Item", plannedMinutes: 601 }],
      ["agenda:add", { sessionId: r.sessionId, title: "Item", plannedMinutes: 10, description: "d".repeat(2001) }],
      ["agenda:add", { sessionId: r.sessionId, title: "Item", plannedMinutes: 10, attributionMode: "loud" }],
      ["queue:floor", { sessionId: r.sessionId, entryId: "someone" }],
      ["queue:floor", { sessionId: r.sessionId, entryId: MISSING, turnSeconds: 1 }],
      ["queue:remove", { sessionId: r.sessionId }],
      ["live:open", {}],
    ];
    for (const [event, payload] of invalid) {
      expect(await m.emitWithAck(event, payload), `${event} ${JSON.stringify(payload)?.slice(0, 80)}`).toEqual({ ok: false, error: "invalid_input" });
    }
    expect(await raw(par.socket).emitWithAck("queue:raise", { sessionId: r.sessionId, kind: "shout" })).toEqual({ ok: false, error: "invalid_input" });
    expect(await raw(par.socket).emitWithAck("queue:raise", { sessionId: r.sessionId })).toEqual({ ok: false, error: "invalid_input" });
    expect(await par.socket.emitWithAck("queue:lower", { sessionId: r.sessionId })).toEqual({ ok: false, error: "not_in_queue" });

    // Well-formed, but naming what does not exist, or failing the domain's own validation.
    expect(await mod.socket.emitWithAck("agenda:command", { sessionId: r.sessionId, itemId: MISSING, command: "start" })).toEqual({ ok: false, error: "item_not_found" });
    expect(await mod.socket.emitWithAck("agenda:command", { sessionId: MISSING, itemId: r.second, command: "start" })).toEqual({ ok: false, error: "session_not_found" });
    expect(await mod.socket.emitWithAck("queue:remove", { sessionId: r.sessionId, entryId: MISSING })).toEqual({ ok: false, error: "entry_not_found" });
    expect(await mod.socket.emitWithAck("queue:floor", { sessionId: r.sessionId, entryId: MISSING })).toEqual({ ok: false, error: "entry_not_found" });
    expect(await mod.socket.emitWithAck("agenda:add", { sessionId: r.sessionId, title: "   ", plannedMinutes: 10 })).toEqual({ ok: false, error: "invalid_input", fields: { title: ["required"] } });
    expect(await mod.socket.emitWithAck("agenda:reorder", { sessionId: r.sessionId, order: [MISSING] })).toEqual({ ok: false, error: "order_invalid" });

    // A payload larger than the server accepts closes that connection, and only that one.
    const big = r.moderator.client.socket();
    open.push(big);
    await connected(big);
    const dropped = disconnected(big);
    big.emit("agenda:add", { sessionId: r.sessionId, title: "x".repeat(40_000), plannedMinutes: 10 }, () => undefined);
    expect(await dropped).toBe("transport close");

    // The server keeps serving: the same sockets, and new ones.
    expect(mod.socket.connected && par.socket.connected).toBe(true);
    expect(await mod.socket.emitWithAck("agenda:command", { sessionId: r.sessionId, itemId: r.first, command: "pause" })).toEqual({ ok: true });
    const fresh = await inRoom(r.observer.client, r.sessionId);
    expect(itemIn(fresh.snapshot.state, r.first)!.state).toBe("paused");
    expect((await server.domain.live.stateFor(r.sessionId, "staff"))!.agenda.items.map((i) => i.title)).toEqual(["Opening round", "Security situation"]);
  });

  it("ends the session: everyone sees it, and live commands get session_ended", async () => {
    const r = await room({ live: true });
    const mod = await inRoom(r.moderator.client, r.sessionId);
    const par = await inRoom(r.participant.client, r.sessionId);
    const obs = await inRoom(r.observer.client, r.sessionId);
    const { entryId } = await server.domain.live.raiseHand(r.participant.actor, r.sessionId, { kind: "new" });

    const marks = [mod, par, obs].map((s) => s.batches.count);
    expect(await mod.socket.emitWithAck("live:end", { sessionId: r.sessionId })).toEqual({ ok: true });
    const ended = await Promise.all(
      [mod, par, obs].map((s, i) => s.batches.until((b) => b.session?.status === "ended" && b.agenda !== undefined && b.queue !== undefined, { from: marks[i], what: "the end of the session" })),
    );
    for (const b of ended) {
      expect(b.agenda!.currentItemId).toBeNull();
      expect(itemIn(b, r.first)!.state).toBe("done");
      expect(b.queue!.entries).toEqual([]);
    }

    const sessionId = r.sessionId;
    const attempts: [ClientSocket, string, unknown][] = [
      [mod.socket, "agenda:command", { sessionId, itemId: r.second, command: "start" }],
      [mod.socket, "agenda:command", { sessionId, itemId: r.first, command: "extend", extendByMs: 60_000 }],
      [mod.socket, "queue:remove", { sessionId, entryId }],
      [mod.socket, "queue:floor", { sessionId, entryId }],
      [mod.socket, "queue:endTurn", { sessionId }],
      [mod.socket, "live:end", { sessionId }],
      [par.socket, "queue:raise", { sessionId, kind: "new" }],
      [par.socket, "queue:lower", { sessionId }],
    ];
    for (const [socket, event, payload] of attempts) {
      expect(await raw(socket).emitWithAck(event, payload), event).toEqual({ ok: false, error: "session_ended" });
    }
    expect(await mod.socket.emitWithAck("live:open", { sessionId })).toEqual({ ok: false, error: "transition_invalid" });
    expect(await mod.socket.emitWithAck("agenda:add", { sessionId, title: "Late", plannedMinutes: 5 })).toEqual({ ok: false, error: "session_locked" });
  });

  it("ending the session through its lifecycle drops the queue for every socket too", async () => {
    const r = await room({ live: true });
    const mod = await inRoom(r.moderator.client, r.sessionId);
    await server.domain.live.raiseHand(r.participant.actor, r.sessionId, { kind: "new" });
    await mod.batches.until((b) => b.queue?.entries.length === 1, { what: "the hand" });
    const mark = mod.batches.count;
    server.domain.sessions.setStatus(r.organiser, r.sessionId, "ended");
    const b = await mod.batches.until((x) => x.session?.status === "ended", { from: mark, what: "the end" });
    const last = await mod.batches.until((x) => x.queue !== undefined && x.agenda?.currentItemId === null, { from: mark, what: "the dropped queue" });
    expect(last.queue!.entries).toEqual([]);
    expect(itemIn(last, r.first)!.state).toBe("done");
    expect(b.sessionId).toBe(r.sessionId);
    expect(await mod.socket.emitWithAck("queue:endTurn", { sessionId: r.sessionId })).toEqual({ ok: false, error: "session_ended" });
  });
});

describe("one person on two devices", () => {
  it("tells each of a person's devices about their own hand and turn, and nobody else", async () => {
    const r = await room({ live: true });
    // The same account on a phone and a laptop (two sign-ins), and another participant beside them.
    const person = await signedInMember(server, r.sessionId, "participant", "Two Devices");
    const laptop = server.client();
    await laptop.signIn(person.email);
    const phoneSide = await inRoom(person.client, r.sessionId);
    const laptopSide = await inRoom(laptop, r.sessionId);
    const laptopYou = recordEvents(laptopSide.socket, "room:you");
    const otherSide = await inRoom(r.participant.client, r.sessionId);
    const otherYou = recordEvents(otherSide.socket, "room:you");

    const raised = await phoneSide.socket.emitWithAck("queue:raise", { sessionId: r.sessionId, kind: "reply" });
    expect(raised.ok).toBe(true);
    const entryId = raised.ok ? raised.data.entryId : "";
    await laptopYou.until((y) => y.entryId === entryId, { what: "the laptop learning of the hand raised on the phone" });

    // The moderator gives them the floor: both devices learn it; then the turn ends.
    const moderatorSide = await inRoom(r.moderator.client, r.sessionId);
    expect((await moderatorSide.socket.emitWithAck("queue:floor", { sessionId: r.sessionId, entryId })).ok).toBe(true);
    await laptopYou.until((y) => y.entryId === null && y.floorEntryId === entryId, { what: "the laptop learning it has the floor" });
    expect((await moderatorSide.socket.emitWithAck("queue:endTurn", { sessionId: r.sessionId })).ok).toBe(true);
    await laptopYou.until((y) => y.floorEntryId === null, { from: 1, what: "the end of the turn" });

    // The snapshot after a reload agrees, and the other participant never heard any of it.
    const again = await inRoom(laptop, r.sessionId, laptop.socket());
    expect(again.snapshot.you).toEqual({ entryId: null, floorEntryId: null });
    expect(otherYou.seen).toEqual([]);
  });
});
