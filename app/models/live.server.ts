/**
 * The live room: the agenda (prepared beforehand, run live by the moderator), the speaker queue and
 * what each audience may see of them. The agenda lives in the database; the speaker queue is live
 * state kept out of the database (in memory, or in Redis without persistence when several processes
 * share a session: docs/decisions/010-scale-out.md) and dropped as soon as the item ends (SPEC
 * section 3). The queue holds user ids only; names are looked up when a view is built.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/database.server";
import { agendaItems, ATTRIBUTION_MODES, dialogueSessions, users } from "../../db/schema";
import type { Access, SessionRow } from "./access.server";
import type { Actor } from "./actor";
import {
  AGENDA_COMMANDS,
  AgendaRuleError,
  applyCommand,
  countdown,
  currentItem,
  MAX_EXTEND_MS,
  reorderPending,
  type ItemClock,
  type ItemState,
} from "./agenda";
import type { Audit } from "./audit.server";
import { DomainError } from "./errors";
import type { DomainEventBus } from "./events";
import { parseOrThrow } from "./parse";
import { sessionRoleCan, type SessionStanding } from "./permissions";
import { exactCounts, protectCounts, type ProtectedCounts, type RoleCounts } from "./presence";
import { HAND_KINDS, lower, orderQueue, QueueRuleError, raise, type HandKind } from "./queue";
import { createMemoryQueueStore, type Floor, type QueueState, type QueueStore } from "./stores.server";
import { newId } from "./tokens.server";

const MINUTE = 60_000;
export const DEFAULT_TURN_MS = 3 * MINUTE;
export const MAX_ITEMS = 100;

const itemInput = z.object({
  title: z.string({ required_error: "required" }).trim().min(1, "required").max(200, "too_long"),
  description: z.string().trim().max(2000, "too_long").default(""),
  plannedMinutes: z.coerce.number({ invalid_type_error: "number_invalid" }).int("number_invalid").min(1, "out_of_range").max(600, "out_of_range"),
  panelists: z.string().trim().max(500, "too_long").default(""),
  attributionMode: z
    .enum(["", ...ATTRIBUTION_MODES], { errorMap: () => ({ message: "choice_invalid" }) })
    .optional()
    .transform((v) => (v ? v : null)),
});
export type AgendaItemInput = z.input<typeof itemInput>;

const commandInput = z.object({
  command: z.enum(AGENDA_COMMANDS, { errorMap: () => ({ message: "choice_invalid" }) }),
  extendByMs: z.number().int().min(1).max(MAX_EXTEND_MS).optional(),
});
const handInput = z.object({ kind: z.enum(HAND_KINDS, { errorMap: () => ({ message: "choice_invalid" }) }) });
const floorInput = z.object({ entryId: z.string().uuid("invalid"), turnSeconds: z.number().int().min(15).max(3600).optional() });

type ItemRow = typeof agendaItems.$inferSelect;

export type Audience = "staff" | "room";

export type AgendaItemView = {
  id: string;
  position: number;
  title: string;
  description: string;
  plannedMs: number;
  panelists: string;
  attributionMode: (typeof ATTRIBUTION_MODES)[number];
  overridesSession: boolean;
  state: ItemState;
  remainingMs: number;
  running: boolean;
};
export type AgendaView = { items: AgendaItemView[]; currentItemId: string | null };
export type QueueView = {
  itemId: string | null;
  namesVisible: boolean;
  entries: { id: string; kind: HandKind; name: string | null }[];
  floor: { entryId: string; kind: HandKind; name: string | null; remainingMs: number; running: boolean } | null;
};
export type PresenceView = ProtectedCounts & { exact: boolean };
export type SessionView = { id: string; title: string; status: string; attributionMode: string };
export type RoomState = { session: SessionView; agenda: AgendaView; queue: QueueView };

function agendaError(e: unknown): never {
  if (e instanceof AgendaRuleError || e instanceof QueueRuleError) throw new DomainError("conflict", e.reason);
  throw e;
}

export function audienceOf(standing: SessionStanding): Audience {
  return sessionRoleCan(standing, "queue.names") ? "staff" : "room";
}

/** How many times a queue change is retried when another process changed the queue first. */
const QUEUE_RETRIES = 50;

export function createLive(deps: { db: Db; now: () => number; access: Access; audit: Audit; events: DomainEventBus; queues?: QueueStore }) {
  const { db, now, access, audit, events } = deps;
  const queues = deps.queues ?? createMemoryQueueStore();

  const changed = (sessionId: string, parts: ("agenda" | "queue" | "session")[]) => events.emit("live.changed", { sessionId, parts });
  const youChanged = (sessionId: string, userIds: (string | undefined)[]) => {
    const ids = [...new Set(userIds.filter((u): u is string => !!u))];
    if (ids.length) events.emit("live.youChanged", { sessionId, userIds: ids });
  };

  function items(sessionId: string): ItemRow[] {
    return db.select().from(agendaItems).where(eq(agendaItems.sessionId, sessionId)).orderBy(asc(agendaItems.position)).all();
  }

  function requireItem(sessionId: string, itemId: string): ItemRow {
    const row = db.select().from(agendaItems).where(and(eq(agendaItems.id, itemId), eq(agendaItems.sessionId, sessionId))).get();
    if (!row) throw new DomainError("not_found", "item_not_found");
    return row;
  }

  function requireLive(session: SessionRow) {
    if (session.status !== "live") throw new DomainError("conflict", session.status === "ended" || session.status === "finalised" ? "session_ended" : "session_not_live");
  }

  function requireEditable(session: SessionRow) {
    if (!["draft", "scheduled", "live"].includes(session.status)) throw new DomainError("conflict", "session_locked");
  }

  const clockOf = (row: ItemRow): ItemClock => ({ state: row.state, plannedMs: row.plannedMs, extendedMs: row.extendedMs, elapsedBeforeMs: row.elapsedBeforeMs, runningSince: row.runningSince });

  function saveClock(id: string, clock: ItemClock, extra: Partial<ItemRow> = {}) {
    db.update(agendaItems)
      .set({ state: clock.state, extendedMs: clock.extendedMs, elapsedBeforeMs: clock.elapsedBeforeMs, runningSince: clock.runningSince, ...extra })
      .where(eq(agendaItems.id, id))
      .run();
  }

  // ---- Agenda preparation (before and during the session) ----

  function listItems(actor: Actor, sessionId: string) {
    const { session, standing, can } = access.requireSession(actor, sessionId, "session.view");
    return { session, canEdit: can.includes("agenda.edit"), items: agendaView(session, items(sessionId), audienceOf(standing)).items };
  }

  function addItem(actor: Actor, sessionId: string, input: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "agenda.edit");
    requireEditable(session);
    const data = parseOrThrow(itemInput, input);
    const existing = items(sessionId);
    if (existing.length >= MAX_ITEMS) throw new DomainError("conflict", "too_many_items");
    const id = newId();
    const position = existing.reduce((m, i) => Math.max(m, i.position), -1) + 1;
    db.insert(agendaItems)
      .values({ id, sessionId, position, title: data.title, description: data.description, plannedMs: data.plannedMinutes * MINUTE, panelists: data.panelists, attributionMode: data.attributionMode })
      .run();
    audit.record({ action: "agenda.item_added", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: id });
    changed(sessionId, ["agenda"]);
    return { id };
  }

  function updateItem(actor: Actor, sessionId: string, itemId: string, input: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "agenda.edit");
    requireEditable(session);
    const row = requireItem(sessionId, itemId);
    if (row.state === "done" || row.state === "skipped") throw new DomainError("conflict", "item_finished");
    const data = parseOrThrow(itemInput, input);
    // What was said under one mode keeps it: an item under way cannot change its attribution mode
    // (hands raised under the Chatham House Rule must not become named).
    if (row.state !== "pending" && data.attributionMode !== row.attributionMode) {
      throw new DomainError("conflict", "mode_locked", { attributionMode: ["mode_locked"] });
    }
    db.update(agendaItems)
      .set({ title: data.title, description: data.description, plannedMs: data.plannedMinutes * MINUTE, panelists: data.panelists, attributionMode: data.attributionMode })
      .where(eq(agendaItems.id, itemId))
      .run();
    audit.record({ action: "agenda.item_changed", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: itemId });
    changed(sessionId, ["agenda", "queue"]);
  }

  function removeItem(actor: Actor, sessionId: string, itemId: string) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "agenda.edit");
    requireEditable(session);
    const row = requireItem(sessionId, itemId);
    if (row.state !== "pending") throw new DomainError("conflict", "item_not_pending");
    db.delete(agendaItems).where(eq(agendaItems.id, itemId)).run();
    audit.record({ action: "agenda.item_removed", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: itemId });
    changed(sessionId, ["agenda"]);
  }

  /** Moves a pending item one place up or down among the pending items. */
  function moveItem(actor: Actor, sessionId: string, itemId: string, direction: "up" | "down") {
    access.requireSession(actor, sessionId, "agenda.edit");
    requireItem(sessionId, itemId);
    const pending = items(sessionId).filter((i) => i.state === "pending").map((i) => i.id);
    const at = pending.indexOf(itemId);
    if (at === -1) throw new DomainError("conflict", "item_not_pending");
    const to = direction === "up" ? at - 1 : at + 1;
    if (to < 0 || to >= pending.length) return reorder(actor, sessionId, pending);
    [pending[at], pending[to]] = [pending[to], pending[at]];
    return reorder(actor, sessionId, pending);
  }

  /** Reorders the pending items (what already happened keeps its place). */
  function reorder(actor: Actor, sessionId: string, pendingOrder: unknown) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "agenda.edit");
    requireEditable(session);
    const order = parseOrThrow(z.array(z.string().uuid("invalid")).max(MAX_ITEMS), pendingOrder);
    const all = items(sessionId);
    const ids = reorderPending(all, order);
    if (!ids) throw new DomainError("invalid", "order_invalid");
    db.transaction((tx) => {
      ids.forEach((id, position) => tx.update(agendaItems).set({ position }).where(eq(agendaItems.id, id)).run());
    });
    audit.record({ action: "agenda.reordered", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: sessionId, details: { items: ids.length } });
    changed(sessionId, ["agenda"]);
  }

  // ---- Running the room ----

  function openRoom(actor: Actor, sessionId: string) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "live.control");
    if (session.status === "live") return;
    if (session.status !== "draft" && session.status !== "scheduled") throw new DomainError("conflict", "transition_invalid");
    db.update(dialogueSessions).set({ status: "live" }).where(eq(dialogueSessions.id, sessionId)).run();
    audit.record({ action: "session.status_changed", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: sessionId, details: { from: session.status, to: "live" } });
    events.emit("session.updated", { sessionId });
  }

  /** Ends the live room: the current item ends, the queue and its names are dropped. */
  async function endRoom(actor: Actor, sessionId: string) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "live.control");
    requireLive(session);
    const t = now();
    const current = currentItem(items(sessionId));
    db.transaction(() => {
      if (current) saveClock(current.id, applyCommand(clockOf(current), "end", t), { endedAt: t });
      db.update(dialogueSessions).set({ status: "ended", endedAt: t }).where(eq(dialogueSessions.id, sessionId)).run();
    });
    await clearQueue(sessionId);
    audit.record({ action: "session.status_changed", actorUserId: a.userId, programmeId: session.programmeId, sessionId, targetId: sessionId, details: { from: "live", to: "ended" } });
    events.emit("session.updated", { sessionId });
    changed(sessionId, ["agenda", "queue", "session"]);
  }

  /** Start, pause, resume, extend, end or skip an item. Starting one ends the item that held the floor. */
  async function command(actor: Actor, sessionId: string, itemId: string, input: unknown) {
    const { session } = access.requireSession(actor, sessionId, "live.control");
    requireLive(session);
    const { command: cmd, extendByMs } = parseOrThrow(commandInput, input);
    const row = requireItem(sessionId, itemId);
    const t = now();
    try {
      const next = applyCommand(clockOf(row), cmd, t, extendByMs ?? 0);
      db.transaction(() => {
        if (cmd === "start") {
          const current = currentItem(items(sessionId));
          if (current && current.id !== itemId) saveClock(current.id, applyCommand(clockOf(current), "end", t), { endedAt: t });
        }
        saveClock(itemId, next, cmd === "start" ? { startedAt: t } : cmd === "end" ? { endedAt: t } : {});
      });
    } catch (e) {
      agendaError(e);
    }
    // The queue belongs to the item that holds the floor: it ends with it. The turn pauses with it.
    if (cmd === "start" || cmd === "end") await clearQueue(sessionId);
    if (cmd === "pause" || cmd === "resume") {
      await updateQueue(sessionId, (q) => {
        const floor = q?.floor;
        if (!q || !floor || floor.clock.state !== (cmd === "pause" ? "running" : "paused")) return { next: q, result: undefined, unchanged: true };
        return { next: { ...q, floor: { ...floor, clock: applyCommand(floor.clock, cmd, t) } }, result: undefined };
      });
    }
    changed(sessionId, ["agenda", "queue"]);
  }

  // ---- Speaker queue ----

  /**
   * This process's changes to a session's queue run one after the other, in the order they were asked
   * for (a hand raised then lowered stays lowered), as when the queue was changed synchronously.
   */
  const queueTurns = new Map<string, Promise<unknown>>();
  function inTurn<T>(sessionId: string, task: () => Promise<T>): Promise<T> {
    const run = (queueTurns.get(sessionId) ?? Promise.resolve()).then(task);
    const tail = run.catch(() => undefined);
    queueTurns.set(sessionId, tail);
    void tail.then(() => {
      if (queueTurns.get(sessionId) === tail) queueTurns.delete(sessionId);
    });
    return run;
  }

  /**
   * Reads the queue, applies a change computed by the rules and writes it back only if nobody changed
   * it meanwhile (another process); otherwise reads again and retries.
   */
  function updateQueue<T>(sessionId: string, change: (q: QueueState | null) => { next: QueueState | null; result: T; unchanged?: boolean }): Promise<T> {
    return inTurn(sessionId, async () => {
      for (let attempt = 0; attempt < QUEUE_RETRIES; attempt++) {
        const { value, version } = await queues.read(sessionId);
        const { next, result, unchanged } = change(value);
        if (unchanged || (await queues.write(sessionId, version, next))) return result;
      }
      throw new DomainError("conflict", "queue_busy");
    });
  }

  /** Drops the queue with its names (the item or the session ended). */
  const clearQueue = (sessionId: string) => inTurn(sessionId, () => queues.clear(sessionId));

  /** The queue of the item that holds the floor now: the stored one, or a new empty one. */
  function currentQueue(sessionId: string, q: QueueState | null): QueueState {
    const current = currentItem(items(sessionId));
    if (!current) throw new DomainError("conflict", "no_current_item");
    return q && q.itemId === current.id ? q : { itemId: current.id, entries: [], seq: 0, floor: null };
  }

  function applyRule<T>(rule: () => T): T {
    try {
      return rule();
    } catch (e) {
      return agendaError(e);
    }
  }

  async function raiseHand(actor: Actor, sessionId: string, input: unknown): Promise<{ entryId: string }> {
    const { actor: a, session } = access.requireSession(actor, sessionId, "queue.raise");
    requireLive(session);
    const { kind } = parseOrThrow(handInput, input);
    const entryId = newId();
    await updateQueue(sessionId, (stored) => {
      const q = currentQueue(sessionId, stored);
      const seq = q.seq + 1;
      const entries = applyRule(() => raise(q.entries, { id: entryId, userId: a.userId, kind, seq }));
      return { next: { ...q, entries, seq }, result: undefined };
    });
    changed(sessionId, ["queue"]);
    youChanged(sessionId, [a.userId]);
    return { entryId };
  }

  async function lowerHand(actor: Actor, sessionId: string) {
    const { actor: a, session } = access.requireSession(actor, sessionId, "queue.raise");
    requireLive(session);
    await updateQueue(sessionId, (stored) => {
      const q = currentQueue(sessionId, stored);
      return { next: { ...q, entries: applyRule(() => lower(q.entries, a.userId)) }, result: undefined };
    });
    changed(sessionId, ["queue"]);
    youChanged(sessionId, [a.userId]);
  }

  async function removeHand(actor: Actor, sessionId: string, entryId: unknown) {
    const { session } = access.requireSession(actor, sessionId, "queue.manage");
    requireLive(session);
    const id = parseOrThrow(z.string().uuid("invalid"), entryId);
    const removed = await updateQueue(sessionId, (stored) => {
      const q = currentQueue(sessionId, stored);
      const entry = q.entries.find((e) => e.id === id);
      if (!entry) throw new DomainError("not_found", "entry_not_found");
      return { next: { ...q, entries: q.entries.filter((e) => e.id !== id) }, result: entry };
    });
    changed(sessionId, ["queue"]);
    youChanged(sessionId, [removed.userId]);
  }

  /** Gives the floor to a hand in the queue (it leaves the queue) with a per-turn timer. */
  async function giveFloor(actor: Actor, sessionId: string, input: unknown) {
    const { session } = access.requireSession(actor, sessionId, "queue.manage");
    requireLive(session);
    const { entryId, turnSeconds } = parseOrThrow(floorInput, input);
    const turnMs = turnSeconds ? turnSeconds * 1000 : DEFAULT_TURN_MS;
    const { speaker, previous } = await updateQueue(sessionId, (stored) => {
      const q = currentQueue(sessionId, stored);
      const entry = q.entries.find((e) => e.id === entryId);
      if (!entry) throw new DomainError("not_found", "entry_not_found");
      const itemRunning = currentItem(items(sessionId))?.state === "running";
      const t = now();
      const floor: Floor = {
        entryId,
        userId: entry.userId,
        kind: entry.kind,
        clock: { state: itemRunning ? "running" : "paused", plannedMs: turnMs, extendedMs: 0, elapsedBeforeMs: 0, runningSince: itemRunning ? t : null },
      };
      return { next: { ...q, entries: q.entries.filter((e) => e.id !== entryId), floor }, result: { speaker: entry.userId, previous: q.floor?.userId } };
    });
    changed(sessionId, ["queue"]);
    youChanged(sessionId, [speaker, previous]);
  }

  async function endTurn(actor: Actor, sessionId: string) {
    const { session } = access.requireSession(actor, sessionId, "queue.manage");
    requireLive(session);
    const previous = await updateQueue(sessionId, (stored) => {
      const q = currentQueue(sessionId, stored);
      return { next: { ...q, floor: null }, result: q.floor?.userId };
    });
    changed(sessionId, ["queue"]);
    youChanged(sessionId, [previous]);
  }

  /** Forget a removed person's hand at once. */
  async function dropPerson(sessionId: string, userId: string) {
    const dropped = await updateQueue(sessionId, (q) => {
      if (!q) return { next: q, result: false, unchanged: true };
      const entries = q.entries.filter((e) => e.userId !== userId);
      const hadFloor = q.floor?.userId === userId;
      if (entries.length === q.entries.length && !hadFloor) return { next: q, result: false, unchanged: true };
      return { next: { ...q, entries, floor: hadFloor ? null : q.floor }, result: true };
    });
    if (dropped) changed(sessionId, ["queue"]);
  }

  // ---- What each audience sees ----

  function effectiveMode(session: SessionRow, row: ItemRow) {
    return row.attributionMode ?? session.attributionMode;
  }

  function agendaView(session: SessionRow, rows: ItemRow[], audience: Audience): AgendaView {
    const t = now();
    const current = currentItem(rows);
    return {
      currentItemId: current?.id ?? null,
      items: rows.map((row) => {
        const c = countdown(clockOf(row), t);
        return {
          id: row.id,
          position: row.position,
          title: row.title,
          description: row.description,
          plannedMs: row.plannedMs,
          // Under the anonymous mode the list of who is in the room is for organisers only.
          panelists: audience === "room" && effectiveMode(session, row) === "anonymous" ? "" : row.panelists,
          attributionMode: effectiveMode(session, row),
          overridesSession: row.attributionMode !== null && row.attributionMode !== session.attributionMode,
          state: row.state,
          remainingMs: c.remainingMs,
          running: c.running,
        };
      }),
    };
  }

  /** Display names of the people in a queue, read when a view shows them (the queue keeps ids only). */
  function namesOf(q: QueueState): Map<string, string | null> {
    const ids = [...new Set([...q.entries.map((e) => e.userId), ...(q.floor ? [q.floor.userId] : [])])];
    if (!ids.length) return new Map();
    return new Map(db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids)).all().map((u) => [u.id, u.name]));
  }

  function queueView(session: SessionRow, rows: ItemRow[], audience: Audience, q: QueueState | null): QueueView {
    const current = currentItem(rows);
    const namesVisible = audience === "staff" || (current !== null && effectiveMode(session, current) === "on_the_record");
    if (!current || !q || q.itemId !== current.id) return { itemId: current?.id ?? null, namesVisible, entries: [], floor: null };
    const t = now();
    const names = namesVisible ? namesOf(q) : new Map<string, string | null>();
    const nameOf = (userId: string) => (namesVisible ? (names.get(userId) ?? null) : null);
    return {
      itemId: current.id,
      namesVisible,
      entries: orderQueue(q.entries).map((e) => ({ id: e.id, kind: e.kind, name: nameOf(e.userId) })),
      floor: q.floor
        ? {
            entryId: q.floor.entryId,
            kind: q.floor.kind,
            name: nameOf(q.floor.userId),
            remainingMs: countdown(q.floor.clock, t).remainingMs,
            running: q.floor.clock.state === "running",
          }
        : null,
    };
  }

  function sessionRow(sessionId: string): SessionRow | null {
    return db.select().from(dialogueSessions).where(eq(dialogueSessions.id, sessionId)).get() ?? null;
  }

  /** The room's state for each audience, from one reading of the queue (the batched fan-out). */
  async function roomStates(sessionId: string): Promise<Record<Audience, RoomState> | null> {
    const q = (await queues.read(sessionId)).value;
    const session = sessionRow(sessionId);
    if (!session) return null;
    const rows = items(sessionId);
    const build = (audience: Audience): RoomState => ({
      session: { id: session.id, title: session.title, status: session.status, attributionMode: session.attributionMode },
      agenda: agendaView(session, rows, audience),
      queue: queueView(session, rows, audience, q),
    });
    return { staff: build("staff"), room: build("room") };
  }

  /** The room's state for one audience (snapshots). */
  async function stateFor(sessionId: string, audience: Audience): Promise<RoomState | null> {
    return (await roomStates(sessionId))?.[audience] ?? null;
  }

  function presenceFor(counts: RoleCounts, audience: Audience): PresenceView {
    return audience === "staff" ? { ...exactCounts(counts), exact: true } : { ...protectCounts(counts), exact: false };
  }

  /** A person's own hand and turn in the current item's queue. */
  async function youOf(sessionId: string, userId: string) {
    const q = (await queues.read(sessionId)).value;
    const current = currentItem(items(sessionId));
    if (!q || !current || q.itemId !== current.id) return { entryId: null, floorEntryId: null };
    return { entryId: q.entries.find((e) => e.userId === userId)?.id ?? null, floorEntryId: q.floor?.userId === userId ? q.floor.entryId : null };
  }

  /** The whole current state for a person entering (or re-entering) the room. */
  async function snapshot(actor: Actor, sessionId: string) {
    const { actor: a, session, standing, can } = access.requireSession(actor, sessionId, "session.room.join");
    const audience = audienceOf(standing);
    const [state, you] = await Promise.all([stateFor(sessionId, audience), youOf(sessionId, a.userId)]);
    // The join code only for those who may show it (moderators put it on the projector).
    const joinCode = can.includes("session.joinCode.view") ? session.joinCode : null;
    return { state: state!, role: standing, audience, can, joinCode, you };
  }

  /** The projector's view: the room's state and the join code, for those who may put it on screen. */
  async function projector(actor: Actor, sessionId: string) {
    access.requireSession(actor, sessionId, "projector.view");
    return snapshot(actor, sessionId);
  }

  // Ending the session by any path (the organiser's lifecycle buttons too) ends the item that held
  // the floor and drops the queue with its names. (A store that fails to drop it lets it expire: the
  // Redis store keeps queues with a time to live.)
  events.on("session.updated", ({ sessionId }) => {
    const session = sessionRow(sessionId);
    if (!session || session.status === "live") return;
    const current = currentItem(items(sessionId));
    if (current) {
      const t = now();
      saveClock(current.id, applyCommand(clockOf(current), "end", t), { endedAt: t });
    }
    void clearQueue(sessionId).catch(() => undefined);
    if (current) changed(sessionId, ["agenda", "queue"]);
  });

  // A removed person, or one whose role changed, leaves the queue at once.
  events.on("session.memberChanged", ({ sessionId, userId }) => void dropPerson(sessionId, userId).catch(() => undefined));

  return {
    listItems,
    addItem,
    updateItem,
    removeItem,
    moveItem,
    reorder,
    openRoom,
    endRoom,
    command,
    raiseHand,
    lowerHand,
    removeHand,
    giveFloor,
    endTurn,
    dropPerson,
    stateFor,
    roomStates,
    presenceFor,
    youOf,
    snapshot,
    projector,
  };
}
export type Live = ReturnType<typeof createLive>;
