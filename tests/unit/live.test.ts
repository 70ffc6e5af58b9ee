/**
 * The live room's domain (app/models/live.server.ts) on a real in-memory database with a controllable
 * clock: agenda preparation, running items, the speaker queue, and what each audience may see of it.
 */
import type { SignedInActor } from "../../app/models/actor";
import type { DomainEvents } from "../../app/models/events";
import { audienceOf, DEFAULT_TURN_MS, type Audience, type RoomState } from "../../app/models/live.server";
import { domainError, makeHarness, programmeWithSession, signedInAccount, type Harness } from "./helpers";

const MIN = 60_000;
const MISSING = "00000000-0000-4000-8000-000000000000";

type Role = "moderator" | "rapporteur" | "panelist" | "participant" | "participant2" | "observer";
const NAMES: Record<Role, string> = {
  moderator: "Moderator Mariam",
  rapporteur: "Rapporteur Ousmane",
  panelist: "Panelist Fatoumata Keita",
  participant: "Participant Aminata Diallo",
  participant2: "Participant Boubacar Sidibé",
  observer: "Observer Ibrahim",
};

let h: Harness;
let ctx: Awaited<ReturnType<typeof programmeWithSession>>;
let p: Record<Role, SignedInActor>;
let outsider: SignedInActor;

async function setUp(sessionOverrides: Record<string, unknown> = {}) {
  h = makeHarness();
  ctx = await programmeWithSession(h.domain, sessionOverrides);
  const people = {} as Record<Role, SignedInActor>;
  for (const role of Object.keys(NAMES) as Role[]) {
    const { actor } = await signedInAccount(h.domain, `${role}@example.org`, NAMES[role]);
    h.domain.sessions.putMember(ctx.sessionId, actor.userId, role === "participant2" ? "participant" : role);
    people[role] = actor;
  }
  p = people;
  outsider = (await signedInAccount(h.domain, "outsider@example.org", "Outsider")).actor;
}

afterEach(() => h?.close());

const live = () => h.domain.live;
const sid = () => ctx.sessionId;

function addItem(title = "Item", minutes = 10, extra: Record<string, unknown> = {}): string {
  return live().addItem(p.moderator, sid(), { title, plannedMinutes: minutes, ...extra }).id;
}
async function state(audience: Audience): Promise<RoomState> {
  return (await live().stateFor(sid(), audience))!;
}
async function itemView(id: string, audience: Audience = "staff") {
  return (await state(audience)).agenda.items.find((i) => i.id === id)!;
}
function run(itemId: string, command: string, extendByMs?: number) {
  return live().command(p.moderator, sid(), itemId, extendByMs === undefined ? { command } : { command, extendByMs });
}
/** The queue hears of a membership change through a domain event and updates its store asynchronously. */
const settled = () => new Promise((resolve) => setImmediate(resolve));
function liveChanges() {
  const seen: DomainEvents["live.changed"][0][] = [];
  h.domain.events.on("live.changed", (e) => seen.push(e));
  return seen;
}
/** A live room with one running item. */
async function liveWithItem(minutes = 10, extra: Record<string, unknown> = {}) {
  const itemId = addItem("Running item", minutes, extra);
  live().openRoom(p.moderator, sid());
  await run(itemId, "start");
  return itemId;
}

describe("agenda preparation", () => {
  beforeEach(() => setUp());

  it("lets the moderator and the organiser add items, in order, and tells who may edit", async () => {
    const changes = liveChanges();
    const a = addItem("Opening", 15);
    const b = live().addItem(ctx.organiser, sid(), { title: "  Security situation  ", plannedMinutes: "45", description: "Context", panelists: "Two experts" }).id;
    const view = live().listItems(p.moderator, sid());
    expect(view.canEdit).toBe(true);
    expect(view.items.map((i) => [i.id, i.title, i.position, i.plannedMs, i.state, i.remainingMs])).toEqual([
      [a, "Opening", 0, 15 * MIN, "pending", 15 * MIN],
      [b, "Security situation", 1, 45 * MIN, "pending", 45 * MIN],
    ]);
    expect(view.items[1]).toMatchObject({ description: "Context", panelists: "Two experts", attributionMode: "chatham_house", overridesSession: false });
    expect(changes).toEqual([
      { sessionId: sid(), parts: ["agenda"] },
      { sessionId: sid(), parts: ["agenda"] },
    ]);
    expect(live().listItems(p.participant, sid()).canEdit).toBe(false);
    expect(live().listItems(p.observer, sid()).items).toHaveLength(2);
  });

  it("refuses people without the right (forbidden) and people without standing (not found)", async () => {
    const itemId = addItem();
    for (const who of [p.rapporteur, p.panelist, p.participant, p.observer]) {
      for (const attempt of [
        () => live().addItem(who, sid(), { title: "Mine", plannedMinutes: 5 }),
        () => live().updateItem(who, sid(), itemId, { title: "Mine", plannedMinutes: 5 }),
        () => live().removeItem(who, sid(), itemId),
        () => live().moveItem(who, sid(), itemId, "down"),
        () => live().reorder(who, sid(), [itemId]),
      ]) {
        expect(await domainError(attempt)).toMatchObject({ code: "forbidden", messageKey: "forbidden" });
      }
    }
    for (const attempt of [() => live().addItem(outsider, sid(), { title: "Mine", plannedMinutes: 5 }), () => live().listItems(outsider, sid()), () => live().removeItem(outsider, sid(), itemId)]) {
      expect(await domainError(attempt)).toMatchObject({ code: "not_found", messageKey: "session_not_found" });
    }
    expect(await domainError(() => live().addItem(null, sid(), { title: "Mine", plannedMinutes: 5 }))).toMatchObject({ code: "unauthenticated" });
    expect(await domainError(() => live().addItem(p.moderator, MISSING, { title: "Mine", plannedMinutes: 5 }))).toMatchObject({ code: "not_found", messageKey: "session_not_found" });
    expect(live().listItems(p.moderator, sid()).items.map((i) => i.title)).toEqual(["Item"]);
  });

  it("validates the title, the planned minutes and the attribution mode", async () => {
    const cases: [Record<string, unknown>, Record<string, string[]>][] = [
      [{ plannedMinutes: 10 }, { title: ["required"] }],
      [{ title: "", plannedMinutes: 10 }, { title: ["required"] }],
      [{ title: "    ", plannedMinutes: 10 }, { title: ["required"] }],
      [{ title: "x".repeat(201), plannedMinutes: 10 }, { title: ["too_long"] }],
      [{ title: "Item", plannedMinutes: 0 }, { plannedMinutes: ["out_of_range"] }],
      [{ title: "Item", plannedMinutes: 601 }, { plannedMinutes: ["out_of_range"] }],
      [{ title: "Item", plannedMinutes: -5 }, { plannedMinutes: ["out_of_range"] }],
      [{ title: "Item", plannedMinutes: 1.5 }, { plannedMinutes: ["number_invalid"] }],
      [{ title: "Item", plannedMinutes: "ten" }, { plannedMinutes: ["number_invalid"] }],
      [{ title: "Item", plannedMinutes: 10, description: "d".repeat(2001) }, { description: ["too_long"] }],
    ];
    for (const [input, fields] of cases) {
      const err = await domainError(() => live().addItem(p.moderator, sid(), input));
      expect(err.code, JSON.stringify(input)).toBe("invalid");
      expect(err.fields, JSON.stringify(input)).toMatchObject(fields);
    }
    expect(live().listItems(p.moderator, sid()).items).toEqual([]);
    addItem("Shortest", 1);
    addItem("Longest", 600);
    expect(live().listItems(p.moderator, sid()).items.map((i) => i.plannedMs)).toEqual([MIN, 600 * MIN]);
  });

  it("refuses an unknown attribution mode with the catalogue key for a bad choice", async () => {
    const err = await domainError(() => live().addItem(p.moderator, sid(), { title: "Item", plannedMinutes: 10, attributionMode: "public" }));
    expect(err.code).toBe("invalid");
    // Field errors are catalogue keys (app/locales/*/errors.ts), never zod's English default text.
    expect(err.fields).toEqual({ attributionMode: ["choice_invalid"] });
    // The accepted values: each mode, or "" / nothing for "as the session".
    for (const attributionMode of ["chatham_house", "anonymous", "on_the_record", "", undefined]) addItem("Item", 10, { attributionMode });
    expect(live().listItems(p.moderator, sid()).items.map((i) => i.attributionMode)).toEqual(["chatham_house", "anonymous", "on_the_record", "chatham_house", "chatham_house"]);
  });

  it("updates an item, with the same validation, until it is finished", async () => {
    const itemId = addItem("Draft title", 10);
    live().updateItem(p.moderator, sid(), itemId, { title: "Final title", plannedMinutes: 20, attributionMode: "on_the_record" });
    expect(await itemView(itemId)).toMatchObject({ title: "Final title", plannedMs: 20 * MIN, attributionMode: "on_the_record", overridesSession: true });
    expect(await domainError(() => live().updateItem(p.moderator, sid(), itemId, { title: "", plannedMinutes: 20 }))).toMatchObject({ code: "invalid", fields: { title: ["required"] } });
    expect(await domainError(() => live().updateItem(p.moderator, sid(), MISSING, { title: "X", plannedMinutes: 20 }))).toMatchObject({ code: "not_found", messageKey: "item_not_found" });
    live().openRoom(p.moderator, sid());
    await run(itemId, "start");
    await run(itemId, "end");
    expect(await domainError(() => live().updateItem(p.moderator, sid(), itemId, { title: "Later", plannedMinutes: 5 }))).toMatchObject({ code: "conflict", messageKey: "item_finished" });
  });

  it("keeps the attribution mode of an item under way, so hands raised under the rule never become named", async () => {
    const itemId = await liveWithItem(10);
    await live().raiseHand(p.participant, sid(), { kind: "new" });
    const e = await domainError(() => live().updateItem(p.moderator, sid(), itemId, { title: "Running item", plannedMinutes: 10, attributionMode: "on_the_record" }));
    expect(e).toMatchObject({ code: "conflict", messageKey: "mode_locked", fields: { attributionMode: ["mode_locked"] } });
    expect((await state("room")).queue.entries.map((x) => x.name)).toEqual([null]);
    // Other details may still change while it runs.
    live().updateItem(p.moderator, sid(), itemId, { title: "Renamed while running", plannedMinutes: 15 });
    expect(await itemView(itemId)).toMatchObject({ title: "Renamed while running", plannedMs: 15 * MIN, attributionMode: "chatham_house" });
  });

  it("removes only pending items", async () => {
    const a = addItem("A");
    const b = addItem("B");
    live().removeItem(p.moderator, sid(), a);
    expect(live().listItems(p.moderator, sid()).items.map((i) => i.id)).toEqual([b]);
    expect(await domainError(() => live().removeItem(p.moderator, sid(), a))).toMatchObject({ code: "not_found", messageKey: "item_not_found" });
    live().openRoom(p.moderator, sid());
    await run(b, "start");
    expect(await domainError(() => live().removeItem(p.moderator, sid(), b))).toMatchObject({ code: "conflict", messageKey: "item_not_pending" });
  });

  it("does not reach items of another session", async () => {
    const other = h.domain.sessions.create(ctx.organiser, ctx.programmeId, {
      title: "Other session",
      kind: "roundtable",
      levelId: ctx.levelId,
      languages: ["en"],
      timeZone: "Africa/Bamako",
      attributionMode: "chatham_house",
      noteVisibility: "participants",
    }).id;
    const foreign = live().addItem(ctx.organiser, other, { title: "Foreign", plannedMinutes: 5 }).id;
    addItem("Mine");
    expect(await domainError(() => live().removeItem(ctx.organiser, sid(), foreign))).toMatchObject({ code: "not_found", messageKey: "item_not_found" });
    expect(await domainError(() => live().updateItem(ctx.organiser, sid(), foreign, { title: "X", plannedMinutes: 5 }))).toMatchObject({ messageKey: "item_not_found" });
    expect(await domainError(() => live().moveItem(ctx.organiser, sid(), foreign, "up"))).toMatchObject({ messageKey: "item_not_found" });
    live().openRoom(ctx.organiser, sid());
    expect(await domainError(() => live().command(ctx.organiser, sid(), foreign, { command: "start" }))).toMatchObject({ messageKey: "item_not_found" });
    expect(live().listItems(ctx.organiser, other).items.map((i) => i.state)).toEqual(["pending"]);
  });

  it("moves a pending item up or down among the pending items, leaving what happened in place", async () => {
    const [a, b, c, d] = ["A", "B", "C", "D"].map((t) => addItem(t));
    const titles = () => live().listItems(p.moderator, sid()).items.map((i) => i.title);
    live().moveItem(p.moderator, sid(), c, "up");
    expect(titles()).toEqual(["A", "C", "B", "D"]);
    live().moveItem(p.moderator, sid(), a, "up"); // already first: nothing moves
    live().moveItem(p.moderator, sid(), d, "down"); // already last
    expect(titles()).toEqual(["A", "C", "B", "D"]);
    live().openRoom(p.moderator, sid());
    await run(a, "start");
    // "C" is the first pending item: it cannot pass the running item.
    live().moveItem(p.moderator, sid(), c, "up");
    expect(titles()).toEqual(["A", "C", "B", "D"]);
    live().moveItem(p.moderator, sid(), c, "down");
    expect(titles()).toEqual(["A", "B", "C", "D"]);
    expect(await domainError(() => live().moveItem(p.moderator, sid(), a, "down"))).toMatchObject({ code: "conflict", messageKey: "item_not_pending" });
    expect(b).toBeTruthy();
  });

  it("reorders the pending items and rejects orders that are not a permutation of them", async () => {
    const [a, b, c, d] = ["A", "B", "C", "D"].map((t) => addItem(t));
    live().openRoom(p.moderator, sid());
    await run(b, "start");
    await run(b, "end");
    live().reorder(p.moderator, sid(), [d, a, c]);
    expect(live().listItems(p.moderator, sid()).items.map((i) => i.title)).toEqual(["D", "B", "A", "C"]);
    for (const order of [[d, a], [d, a, c, b], [d, a, a], [d, a, MISSING]]) {
      expect(await domainError(() => live().reorder(p.moderator, sid(), order))).toMatchObject({ code: "invalid", messageKey: "order_invalid" });
    }
    for (const order of [["not-a-uuid"], "a,b,c", null]) {
      expect(await domainError(() => live().reorder(p.moderator, sid(), order))).toMatchObject({ code: "invalid", messageKey: "invalid_input" });
    }
    expect(live().listItems(p.moderator, sid()).items.map((i) => i.title)).toEqual(["D", "B", "A", "C"]);
  });

  it("locks the agenda once the session has ended", async () => {
    const itemId = addItem();
    h.domain.sessions.setStatus(ctx.organiser, sid(), "live");
    h.domain.sessions.setStatus(ctx.organiser, sid(), "ended");
    expect(await domainError(() => live().addItem(p.moderator, sid(), { title: "Late", plannedMinutes: 5 }))).toMatchObject({ code: "conflict", messageKey: "session_locked" });
    expect(await domainError(() => live().updateItem(p.moderator, sid(), itemId, { title: "Late", plannedMinutes: 5 }))).toMatchObject({ code: "conflict", messageKey: "session_locked" });
    expect(await domainError(() => live().removeItem(p.moderator, sid(), itemId))).toMatchObject({ code: "conflict", messageKey: "session_locked" });
    expect(await domainError(() => live().reorder(p.moderator, sid(), [itemId]))).toMatchObject({ code: "conflict", messageKey: "session_locked" });
  });
});

describe("running the room", () => {
  beforeEach(() => setUp());

  it("needs a live session: not live before it opens, ended after", async () => {
    const itemId = addItem();
    expect(await domainError(() => run(itemId, "start"))).toMatchObject({ code: "conflict", messageKey: "session_not_live" });
    expect(await domainError(() => live().raiseHand(p.participant, sid(), { kind: "new" }))).toMatchObject({ code: "conflict", messageKey: "session_not_live" });
    expect(await domainError(() => live().endRoom(p.moderator, sid()))).toMatchObject({ code: "conflict", messageKey: "session_not_live" });
    expect(await domainError(() => live().endTurn(p.moderator, sid()))).toMatchObject({ code: "conflict", messageKey: "session_not_live" });

    live().openRoom(p.moderator, sid());
    live().openRoom(p.moderator, sid()); // opening an open room is harmless
    expect((await state("room")).session.status).toBe("live");
    await run(itemId, "start");
    await live().endRoom(p.moderator, sid());
    expect((await state("room")).session.status).toBe("ended");

    expect(await domainError(() => run(itemId, "pause"))).toMatchObject({ code: "conflict", messageKey: "session_ended" });
    expect(await domainError(() => live().raiseHand(p.participant, sid(), { kind: "new" }))).toMatchObject({ messageKey: "session_ended" });
    expect(await domainError(() => live().lowerHand(p.participant, sid()))).toMatchObject({ messageKey: "session_ended" });
    expect(await domainError(() => live().giveFloor(p.moderator, sid(), { entryId: MISSING }))).toMatchObject({ messageKey: "session_ended" });
    expect(await domainError(() => live().endRoom(p.moderator, sid()))).toMatchObject({ messageKey: "session_ended" });
    expect(await domainError(() => live().openRoom(p.moderator, sid()))).toMatchObject({ code: "conflict", messageKey: "transition_invalid" });
  });

  it("lets only the organiser and the moderator open, run and end the room", async () => {
    const itemId = addItem();
    for (const who of [p.rapporteur, p.panelist, p.participant, p.observer]) {
      expect(await domainError(() => live().openRoom(who, sid()))).toMatchObject({ code: "forbidden" });
    }
    expect(await domainError(() => live().openRoom(outsider, sid()))).toMatchObject({ code: "not_found", messageKey: "session_not_found" });
    live().openRoom(ctx.organiser, sid());
    for (const who of [p.rapporteur, p.panelist, p.participant, p.observer]) {
      expect(await domainError(() => live().command(who, sid(), itemId, { command: "start" }))).toMatchObject({ code: "forbidden" });
      expect(await domainError(() => live().endRoom(who, sid()))).toMatchObject({ code: "forbidden" });
    }
    expect(await domainError(() => live().command(outsider, sid(), itemId, { command: "start" }))).toMatchObject({ code: "not_found" });
    expect((await itemView(itemId)).state).toBe("pending");
    await live().command(ctx.organiser, sid(), itemId, { command: "start" });
    expect((await itemView(itemId)).state).toBe("running");
  });

  it("validates commands and reports the state machine's refusals as conflicts", async () => {
    const itemId = addItem();
    live().openRoom(p.moderator, sid());
    expect(await domainError(() => run(itemId, "pause"))).toMatchObject({ code: "conflict", messageKey: "item_not_running" });
    expect(await domainError(() => run(itemId, "resume"))).toMatchObject({ code: "conflict", messageKey: "item_not_paused" });
    expect(await domainError(() => run(itemId, "fly"))).toMatchObject({ code: "invalid", fields: { command: ["choice_invalid"] } });
    expect(await domainError(() => run(itemId, "extend", 0))).toMatchObject({ code: "invalid" });
    expect(await domainError(() => run(itemId, "extend", 61 * MIN))).toMatchObject({ code: "invalid" });
    expect(await domainError(() => run(itemId, "extend"))).toMatchObject({ code: "conflict", messageKey: "extend_invalid" });
    expect(await domainError(() => run(MISSING, "start"))).toMatchObject({ code: "not_found", messageKey: "item_not_found" });
    await run(itemId, "start");
    expect(await domainError(() => run(itemId, "start"))).toMatchObject({ code: "conflict", messageKey: "item_not_pending" });
    await run(itemId, "end");
    expect(await domainError(() => run(itemId, "extend", MIN))).toMatchObject({ code: "conflict", messageKey: "item_finished" });
    expect((await itemView(itemId)).state).toBe("done");
  });

  it("counts down only while running, and pause, resume and extend change the remaining time", async () => {
    const itemId = addItem("Timed", 10);
    live().openRoom(p.moderator, sid());
    await run(itemId, "start");
    expect(await itemView(itemId, "room")).toMatchObject({ state: "running", running: true, remainingMs: 10 * MIN });
    h.clock.advance(2 * MIN);
    expect((await itemView(itemId, "room")).remainingMs).toBe(8 * MIN);
    await run(itemId, "pause");
    h.clock.advance(5 * MIN);
    expect(await itemView(itemId, "room")).toMatchObject({ state: "paused", running: false, remainingMs: 8 * MIN });
    expect((await state("room")).agenda.currentItemId).toBe(itemId);
    await run(itemId, "extend", 3 * MIN);
    expect((await itemView(itemId, "room")).remainingMs).toBe(11 * MIN);
    await run(itemId, "resume");
    h.clock.advance(MIN);
    expect(await itemView(itemId, "room")).toMatchObject({ state: "running", remainingMs: 10 * MIN });
    h.clock.advance(12 * MIN);
    // Overrun: negative remaining time.
    expect((await itemView(itemId, "room")).remainingMs).toBe(-2 * MIN);
    await run(itemId, "end");
    h.clock.advance(30 * MIN);
    expect(await itemView(itemId, "room")).toMatchObject({ state: "done", running: false, remainingMs: -2 * MIN });
    expect((await state("room")).agenda.currentItemId).toBeNull();
  });

  it("starting an item ends the one that held the floor, running or paused", async () => {
    const [a, b, c] = ["A", "B", "C"].map((t) => addItem(t, 10));
    live().openRoom(p.moderator, sid());
    await run(a, "start");
    h.clock.advance(4 * MIN);
    await run(b, "start");
    expect((await state("staff")).agenda.items.map((i) => i.state)).toEqual(["done", "running", "pending"]);
    expect((await itemView(a)).remainingMs).toBe(6 * MIN);
    await run(b, "pause");
    await run(c, "start");
    expect((await state("staff")).agenda.items.map((i) => i.state)).toEqual(["done", "done", "running"]);
    expect((await state("staff")).agenda.currentItemId).toBe(c);
    await run(c, "end");
    expect((await state("staff")).agenda.currentItemId).toBeNull();
    // The pending-only commands: skip.
    const d = addItem("D");
    await run(d, "skip");
    expect((await itemView(d)).state).toBe("skipped");
  });

  it("clears the queue when another item starts", async () => {
    const [a, b] = ["A", "B"].map((t) => addItem(t));
    live().openRoom(p.moderator, sid());
    await run(a, "start");
    await live().raiseHand(p.participant, sid(), { kind: "new" });
    expect((await state("staff")).queue.entries).toHaveLength(1);
    await run(b, "start");
    expect((await state("staff")).queue).toEqual({ itemId: b, namesVisible: true, entries: [], floor: null });
    // The participant may raise a hand again on the new item.
    await live().raiseHand(p.participant, sid(), { kind: "reply" });
    expect((await state("staff")).queue.entries.map((e) => e.kind)).toEqual(["reply"]);
  });

  it("tells the fan-out what changed", async () => {
    const itemId = addItem();
    live().openRoom(p.moderator, sid());
    const changes = liveChanges();
    await run(itemId, "start");
    await live().raiseHand(p.participant, sid(), { kind: "new" });
    expect(changes).toEqual([
      { sessionId: sid(), parts: ["agenda", "queue"] },
      { sessionId: sid(), parts: ["queue"] },
    ]);
  });
});

describe("speaker queue", () => {
  beforeEach(() => setUp());

  it("needs an item that holds the floor", async () => {
    addItem();
    live().openRoom(p.moderator, sid());
    expect(await domainError(() => live().raiseHand(p.participant, sid(), { kind: "new" }))).toMatchObject({ code: "conflict", messageKey: "no_current_item" });
    expect(await domainError(() => live().endTurn(p.moderator, sid()))).toMatchObject({ code: "conflict", messageKey: "no_current_item" });
  });

  it("lets participants and panelists raise a hand, not observers, rapporteurs or moderators", async () => {
    await liveWithItem();
    for (const who of [p.observer, p.rapporteur, p.moderator, ctx.organiser]) {
      expect(await domainError(() => live().raiseHand(who, sid(), { kind: "new" }))).toMatchObject({ code: "forbidden" });
      expect(await domainError(() => live().lowerHand(who, sid()))).toMatchObject({ code: "forbidden" });
    }
    expect(await domainError(() => live().raiseHand(outsider, sid(), { kind: "new" }))).toMatchObject({ code: "not_found" });
    expect((await live().raiseHand(p.participant, sid(), { kind: "new" })).entryId).toMatch(/^[0-9a-f-]{36}$/);
    await live().raiseHand(p.panelist, sid(), { kind: "new" });
    expect((await state("staff")).queue.entries.map((e) => e.name)).toEqual([NAMES.participant, NAMES.panelist]);
  });

  it("keeps one hand per person, lowers it, and validates the kind", async () => {
    await liveWithItem();
    await live().raiseHand(p.participant, sid(), { kind: "new" });
    expect(await domainError(() => live().raiseHand(p.participant, sid(), { kind: "order" }))).toMatchObject({ code: "conflict", messageKey: "already_in_queue" });
    expect(await domainError(() => live().raiseHand(p.participant2, sid(), { kind: "shout" }))).toMatchObject({ code: "invalid", fields: { kind: ["choice_invalid"] } });
    await live().lowerHand(p.participant, sid());
    expect((await state("staff")).queue.entries).toEqual([]);
    expect(await domainError(() => live().lowerHand(p.participant, sid()))).toMatchObject({ code: "conflict", messageKey: "not_in_queue" });
  });

  it("orders points of order, then direct replies, then new points", async () => {
    await liveWithItem();
    await live().raiseHand(p.participant, sid(), { kind: "new" });
    await live().raiseHand(p.panelist, sid(), { kind: "reply" });
    await live().raiseHand(p.participant2, sid(), { kind: "order" });
    expect((await state("staff")).queue.entries.map((e) => [e.kind, e.name])).toEqual([
      ["order", NAMES.participant2],
      ["reply", NAMES.panelist],
      ["new", NAMES.participant],
    ]);
    expect((await live().snapshot(p.participant, sid())).you.entryId).toBe((await state("staff")).queue.entries[2].id);
  });

  it("lets the moderator remove a hand; others may not", async () => {
    await liveWithItem();
    const { entryId } = await live().raiseHand(p.participant, sid(), { kind: "new" });
    for (const who of [p.participant, p.participant2, p.panelist, p.rapporteur, p.observer]) {
      expect(await domainError(() => live().removeHand(who, sid(), entryId))).toMatchObject({ code: "forbidden" });
    }
    expect(await domainError(() => live().removeHand(p.moderator, sid(), MISSING))).toMatchObject({ code: "not_found", messageKey: "entry_not_found" });
    expect(await domainError(() => live().removeHand(p.moderator, sid(), "not-a-uuid"))).toMatchObject({ code: "invalid" });
    await live().removeHand(p.moderator, sid(), entryId);
    expect((await state("staff")).queue.entries).toEqual([]);
  });

  it("gives the floor with a turn timer and ends the turn; only staff who run the room may", async () => {
    await liveWithItem();
    const first = (await live().raiseHand(p.participant, sid(), { kind: "new" })).entryId;
    const second = (await live().raiseHand(p.participant2, sid(), { kind: "new" })).entryId;
    for (const who of [p.participant, p.panelist, p.rapporteur, p.observer]) {
      expect(await domainError(() => live().giveFloor(who, sid(), { entryId: first }))).toMatchObject({ code: "forbidden" });
      expect(await domainError(() => live().endTurn(who, sid()))).toMatchObject({ code: "forbidden" });
    }
    expect(await domainError(() => live().giveFloor(p.moderator, sid(), { entryId: MISSING }))).toMatchObject({ code: "not_found", messageKey: "entry_not_found" });
    expect(await domainError(() => live().giveFloor(p.moderator, sid(), { entryId: first, turnSeconds: 5 }))).toMatchObject({ code: "invalid" });

    await live().giveFloor(p.moderator, sid(), { entryId: first, turnSeconds: 120 });
    let q = (await state("staff")).queue;
    expect(q.entries.map((e) => e.id)).toEqual([second]);
    expect(q.floor).toEqual({ entryId: first, kind: "new", name: NAMES.participant, remainingMs: 120_000, running: true });
    expect((await live().snapshot(p.participant, sid())).you).toEqual({ entryId: null, floorEntryId: first });
    h.clock.advance(150_000);
    expect((await state("staff")).queue.floor?.remainingMs).toBe(-30_000);
    // The next speaker: the default turn length.
    await live().giveFloor(p.moderator, sid(), { entryId: second });
    q = (await state("staff")).queue;
    expect(q.floor).toMatchObject({ entryId: second, remainingMs: DEFAULT_TURN_MS });
    expect(q.entries).toEqual([]);
    await live().endTurn(p.moderator, sid());
    expect((await state("staff")).queue.floor).toBeNull();
  });

  it("pauses the speaker's turn with the item, and resumes it with the item", async () => {
    const itemId = await liveWithItem();
    const entryId = (await live().raiseHand(p.participant, sid(), { kind: "reply" })).entryId;
    await live().giveFloor(p.moderator, sid(), { entryId, turnSeconds: 60 });
    h.clock.advance(10_000);
    await run(itemId, "pause");
    h.clock.advance(30_000);
    expect((await state("room")).queue.floor).toMatchObject({ remainingMs: 50_000, running: false });
    await run(itemId, "resume");
    h.clock.advance(5_000);
    expect((await state("room")).queue.floor).toMatchObject({ remainingMs: 45_000, running: true });
  });

  it("a turn given while the item is paused starts paused", async () => {
    const itemId = await liveWithItem();
    const entryId = (await live().raiseHand(p.participant, sid(), { kind: "new" })).entryId;
    await run(itemId, "pause");
    await live().giveFloor(p.moderator, sid(), { entryId, turnSeconds: 60 });
    h.clock.advance(20_000);
    expect((await state("staff")).queue.floor).toMatchObject({ remainingMs: 60_000, running: false });
    await run(itemId, "resume");
    h.clock.advance(1_000);
    expect((await state("staff")).queue.floor).toMatchObject({ remainingMs: 59_000, running: true });
  });
});

describe("who sees names in the queue", () => {
  it("maps roles to audiences by the role table", async () => {
    expect(["organiser", "moderator", "rapporteur"].map((r) => audienceOf(r as never))).toEqual(["staff", "staff", "staff"]);
    expect(["panelist", "participant", "observer", "programme_staff"].map((r) => audienceOf(r as never))).toEqual(["room", "room", "room", "room"]);
  });

  describe("in a Chatham House session", () => {
    beforeEach(() => setUp({ attributionMode: "chatham_house" }));

    it("hides names from the room and shows them to staff", async () => {
      await liveWithItem();
      const entry = (await live().raiseHand(p.participant, sid(), { kind: "new" })).entryId;
      await live().raiseHand(p.participant2, sid(), { kind: "reply" });
      await live().giveFloor(p.moderator, sid(), { entryId: entry });

      const room = await state("room");
      expect(room.queue.namesVisible).toBe(false);
      expect(room.queue.entries).toEqual([{ id: expect.any(String), kind: "reply", name: null }]);
      expect(room.queue.floor).toMatchObject({ entryId: entry, name: null });
      expect(JSON.stringify(room)).not.toContain("Diallo");
      expect(JSON.stringify(room)).not.toContain("Sidibé");

      const staff = await state("staff");
      expect(staff.queue.namesVisible).toBe(true);
      expect(staff.queue.entries.map((e) => e.name)).toEqual([NAMES.participant2]);
      expect(staff.queue.floor?.name).toBe(NAMES.participant);

      // Snapshots follow the person's audience.
      expect(JSON.stringify(await live().snapshot(p.observer, sid()))).not.toContain("Sidibé");
      expect(JSON.stringify(await live().snapshot(p.panelist, sid()))).not.toContain("Sidibé");
      expect((await live().snapshot(p.rapporteur, sid())).state.queue.entries[0].name).toBe(NAMES.participant2);
    });

    it("shows names to the room on an item overridden to on the record", async () => {
      await liveWithItem(10, { attributionMode: "on_the_record" });
      expect((await state("room")).agenda.items[0]).toMatchObject({ attributionMode: "on_the_record", overridesSession: true });
      await live().raiseHand(p.participant, sid(), { kind: "new" });
      expect((await state("room")).queue).toMatchObject({ namesVisible: true, entries: [{ kind: "new", name: NAMES.participant }] });
      expect((await state("staff")).queue.entries[0].name).toBe(NAMES.participant);
    });

    it("hides names again on the next item that follows the session's rule", async () => {
      const first = await liveWithItem(10, { attributionMode: "on_the_record" });
      const next = addItem("Back to the rule", 10);
      await live().raiseHand(p.participant, sid(), { kind: "new" });
      await run(next, "start");
      await live().raiseHand(p.participant, sid(), { kind: "new" });
      expect((await state("room")).queue).toMatchObject({ itemId: next, namesVisible: false, entries: [{ name: null }] });
      expect(first).not.toBe(next);
    });
  });

  describe("in an on-the-record session", () => {
    beforeEach(() => setUp({ attributionMode: "on_the_record" }));

    it("shows names to the room, except on an item overridden to Chatham House", async () => {
      const first = await liveWithItem();
      await live().raiseHand(p.participant, sid(), { kind: "new" });
      expect((await state("room")).queue.entries[0].name).toBe(NAMES.participant);
      const closed = addItem("Closed part", 10, { attributionMode: "chatham_house" });
      await run(closed, "start");
      await live().raiseHand(p.participant, sid(), { kind: "new" });
      expect((await state("room")).queue).toMatchObject({ itemId: closed, namesVisible: false, entries: [{ name: null }] });
      expect((await state("staff")).queue.entries[0].name).toBe(NAMES.participant);
      expect(first).not.toBe(closed);
    });
  });

  describe("once the item ends", () => {
    beforeEach(() => setUp());

    it("keeps no name: the queue and the floor are gone", async () => {
      const itemId = await liveWithItem();
      const next = addItem("Next");
      const entry = (await live().raiseHand(p.participant, sid(), { kind: "new" })).entryId;
      await live().raiseHand(p.participant2, sid(), { kind: "order" });
      await live().giveFloor(p.moderator, sid(), { entryId: entry });
      await run(itemId, "end");
      for (const audience of ["staff", "room"] as const) {
        const s = await state(audience);
        expect(s.queue).toEqual({ itemId: null, namesVisible: audience === "staff", entries: [], floor: null });
        expect(JSON.stringify(s)).not.toMatch(/Diallo|Sidibé/);
      }
      expect((await live().snapshot(p.participant, sid())).you).toEqual({ entryId: null, floorEntryId: null });
      // Nor does the next item bring them back.
      await run(next, "start");
      expect((await state("staff")).queue).toEqual({ itemId: next, namesVisible: true, entries: [], floor: null });
      expect(JSON.stringify(await state("staff"))).not.toMatch(/Diallo|Sidibé/);
    });
  });
});

describe("membership changes and the end of the session", () => {
  beforeEach(() => setUp());

  it("drops a removed member's hand, and their floor", async () => {
    await liveWithItem();
    const changes = liveChanges();
    const entry = (await live().raiseHand(p.participant, sid(), { kind: "new" })).entryId;
    await live().raiseHand(p.participant2, sid(), { kind: "new" });
    await live().giveFloor(p.moderator, sid(), { entryId: entry });
    await live().raiseHand(p.participant, sid(), { kind: "reply" });
    h.domain.sessions.removeMember(ctx.organiser, sid(), p.participant.userId);
    await settled();
    const q = (await state("staff")).queue;
    expect(q.entries.map((e) => e.name)).toEqual([NAMES.participant2]);
    expect(q.floor).toBeNull();
    expect(changes.at(-1)).toEqual({ sessionId: sid(), parts: ["queue"] });
  });

  it("drops the hand of a participant who becomes an observer", async () => {
    await liveWithItem();
    await live().raiseHand(p.participant, sid(), { kind: "new" });
    h.domain.sessions.changeMemberRole(ctx.organiser, sid(), p.participant.userId, "observer");
    await settled();
    expect((await state("staff")).queue.entries).toEqual([]);
    expect(await domainError(() => live().raiseHand(p.participant, sid(), { kind: "new" }))).toMatchObject({ code: "forbidden" });
  });

  it("ending the session through its lifecycle ends the running item and drops the queue", async () => {
    const itemId = await liveWithItem();
    addItem("Never reached");
    await live().raiseHand(p.participant, sid(), { kind: "new" });
    h.clock.advance(3 * MIN);
    const changes = liveChanges();
    h.domain.sessions.setStatus(ctx.organiser, sid(), "ended");
    const s = await state("staff");
    expect(s.session.status).toBe("ended");
    expect(s.agenda.currentItemId).toBeNull();
    expect(s.agenda.items.map((i) => [i.id === itemId, i.state])).toEqual([
      [true, "done"],
      [false, "pending"],
    ]);
    expect((await itemView(itemId)).remainingMs).toBe(7 * MIN);
    expect(s.queue).toEqual({ itemId: null, namesVisible: true, entries: [], floor: null });
    expect(JSON.stringify(s)).not.toContain("Diallo");
    expect(changes).toContainEqual({ sessionId: sid(), parts: ["agenda", "queue"] });
    expect(await domainError(() => live().raiseHand(p.participant, sid(), { kind: "new" }))).toMatchObject({ messageKey: "session_ended" });
  });

  it("ending the session ends a paused item too", async () => {
    const itemId = await liveWithItem();
    await run(itemId, "pause");
    h.domain.sessions.setStatus(ctx.organiser, sid(), "ended");
    expect((await itemView(itemId)).state).toBe("done");
  });

  it("the moderator's end of the room does the same", async () => {
    const itemId = await liveWithItem();
    await live().raiseHand(p.participant, sid(), { kind: "new" });
    await live().endRoom(p.moderator, sid());
    const s = await state("staff");
    expect(s.session.status).toBe("ended");
    expect((await itemView(itemId)).state).toBe("done");
    expect(s.queue.entries).toEqual([]);
  });
});

describe("presence for each audience", () => {
  beforeEach(() => setUp());

  it("gives staff exact counts and the room protected ones", async () => {
    const counts = { moderator: 1, rapporteur: 1, participant: 6, observer: 1, panelist: 2 };
    expect(live().presenceFor(counts, "staff")).toMatchObject({ exact: true, total: 11, groups: expect.arrayContaining([{ key: "observer", count: 1 }]) });
    const room = live().presenceFor(counts, "room");
    expect(room).toEqual({
      exact: false,
      total: 11,
      groups: [
        { key: "moderator", count: 1 },
        { key: "rapporteur", count: 1 },
        { key: "participant", count: 6 },
        { key: "other", count: 3 },
      ],
    });
  });
});
