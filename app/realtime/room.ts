/**
 * The live room in the browser: one socket.io connection to the same origin, the room's whole state
 * on entering (and on every reconnection that could not be recovered), then the per-tick partial
 * updates ("room:batch"). Countdowns are kept as *remaining* milliseconds plus the moment (this
 * device's monotonic clock, `performance.now()`) the value arrived, never as a wall-clock deadline,
 * so a phone with a wrong clock still counts down correctly. Runs only after hydration: the server
 * render shows the loader's snapshot as static text.
 */
import { useEffect, useMemo, useReducer, useState } from "react";
import { formatRemaining, type AgendaCommand } from "../models/agenda";
import type { CurateAction, NoteKind, NotesChange, NoteReceipt, NoteView } from "../models/notes";
import type { Finding } from "../models/guard";
import type { HandKind } from "../models/queue";
import { applyNotesChange } from "../notes/feed";
import { applyRecsChange, withPosition } from "../recommendations/state";
import { COMMAND_TIMEOUT_MS, useRoomSocket, type ConnectionState } from "./client";
import type { Ack, ClientToServerEvents, RecommendationsChange, RoomBatch, RoomSnapshot } from "./events";

export type { ConnectionState } from "./client";

/** How often a running countdown is redrawn. */
export const COUNTDOWN_TICK_MS = 250;

export type RoomData = Omit<RoomSnapshot, "you"> & {
  you: RoomSnapshot["you"];
  /** `performance.now()` when the agenda and the queue parts last arrived. */
  agendaAt: number;
  queueAt: number;
};

type Action =
  | { type: "snapshot"; snapshot: RoomSnapshot; at: number }
  | { type: "batch"; batch: RoomBatch; at: number }
  | { type: "raised"; entryId: string }
  | { type: "lowered" }
  | { type: "you"; you: RoomSnapshot["you"] }
  | { type: "notes"; change: NotesChange }
  | { type: "notesMine"; change: NotesChange }
  | { type: "recs"; change: RecommendationsChange }
  | { type: "position"; recommendationId: string; option: string }
  | { type: "reset" };

/** Keeps one's own hand and turn only while the queue still shows them. */
function youAfter(you: RoomSnapshot["you"], queue: RoomSnapshot["state"]["queue"]): RoomSnapshot["you"] {
  const entryId = you.entryId && queue.entries.some((e) => e.id === you.entryId) ? you.entryId : null;
  // A hand given the floor leaves the queue and becomes the floor's entry.
  const floorId = queue.floor?.entryId ?? null;
  const floorEntryId = floorId && (floorId === you.floorEntryId || floorId === you.entryId) ? floorId : null;
  return { entryId, floorEntryId };
}

function reducer(room: RoomData | null, action: Action): RoomData | null {
  switch (action.type) {
    case "reset":
      return null;
    case "snapshot": {
      const { snapshot, at } = action;
      return { ...snapshot, agendaAt: at, queueAt: at };
    }
    case "batch": {
      const { batch, at } = action;
      // Changes before the first snapshot are covered by the snapshot itself.
      if (!room || batch.sessionId !== room.state.session.id) return room;
      const state = {
        session: batch.session ?? room.state.session,
        agenda: batch.agenda ?? room.state.agenda,
        queue: batch.queue ?? room.state.queue,
      };
      return {
        ...room,
        state,
        presence: batch.presence ?? room.presence,
        you: batch.queue ? youAfter(room.you, batch.queue) : room.you,
        agendaAt: batch.agenda ? at : room.agendaAt,
        queueAt: batch.queue ? at : room.queueAt,
      };
    }
    case "raised":
      return room ? { ...room, you: { ...room.you, entryId: action.entryId } } : room;
    case "lowered":
      return room ? { ...room, you: { ...room.you, entryId: null } } : room;
    case "you":
      return room ? { ...room, you: action.you } : room;
    case "notes":
      if (!room || action.change.sessionId !== room.state.session.id) return room;
      return { ...room, notes: { ...room.notes, feed: applyNotesChange(room.notes.feed, action.change) } };
    case "notesMine":
      if (!room || action.change.sessionId !== room.state.session.id) return room;
      return { ...room, notes: { ...room.notes, mine: applyNotesChange(room.notes.mine, action.change) } };
    case "recs":
      if (!room || action.change.sessionId !== room.state.session.id) return room;
      return { ...room, recommendations: applyRecsChange(room.recommendations, action.change) };
    case "position":
      return room ? { ...room, recommendations: withPosition(room.recommendations, action.recommendationId, action.option) } : room;
  }
}

type EventName = keyof ClientToServerEvents;
type PayloadOf<E extends EventName> = Parameters<ClientToServerEvents[E]>[0];
type AckOf<E extends EventName> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];
/** A command's payload without the session id, which the hook adds. */
type Args<E extends EventName> = Omit<PayloadOf<E>, "sessionId">;

export type AddItemInput = Args<"agenda:add">;

export type RoomCommands = {
  open: () => Promise<Ack>;
  end: () => Promise<Ack>;
  agendaCommand: (itemId: string, command: AgendaCommand, extendByMs?: number) => Promise<Ack>;
  reorder: (order: string[]) => Promise<Ack>;
  addItem: (input: AddItemInput) => Promise<Ack<{ id: string }>>;
  raise: (kind: HandKind) => Promise<Ack<{ entryId: string }>>;
  lower: () => Promise<Ack>;
  removeEntry: (entryId: string) => Promise<Ack>;
  giveFloor: (entryId: string, turnSeconds?: number) => Promise<Ack>;
  endTurn: () => Promise<Ack>;
  /** Notes. submitNote does not queue: the outbox (app/notes) keeps a note until it is acknowledged. */
  submitNote: (input: Args<"notes:submit">) => Promise<Ack<NoteReceipt>>;
  checkNote: (text: string, itemId?: string) => Promise<Ack<{ findings: Finding[] }>>;
  editNote: (noteId: string, edit: NoteEditInput) => Promise<Ack<NoteReceipt>>;
  withdrawNote: (noteId: string) => Promise<Ack>;
  curateNote: (noteId: string, action: CurateAction) => Promise<Ack>;
  curatorEditNote: (noteId: string, edit: NoteEditInput) => Promise<Ack<{ note: NoteView }>>;
  mergeNotes: (targetId: string, noteIds: string[], text?: string) => Promise<Ack>;
  /** Recommendations and positions (app/models/recommendations.server.ts). */
  createRec: (input: RecInput) => Promise<Ack<{ id: string }>>;
  updateRec: (recommendationId: string, input: RecInput) => Promise<Ack>;
  reviseRec: (recommendationId: string, text: string, reason: string) => Promise<Ack>;
  decideRec: (recommendationId: string, status: "adopted" | "not_adopted") => Promise<Ack>;
  openVote: (recommendationId: string, hiddenTally: boolean) => Promise<Ack>;
  closeVote: (recommendationId: string) => Promise<Ack>;
  recordHands: (recommendationId: string, headcount: number, counts: Record<string, number>) => Promise<Ack>;
  declareLevel: (recommendationId: string, level: string) => Promise<Ack>;
  takePosition: (recommendationId: string, option: string) => Promise<Ack<{ option: string }>>;
};

export type RecInput = Args<"recs:create">;

export type NoteEditInput = { text: string; kind: NoteKind; themeIds: string[] };

export type Room = RoomCommands & {
  /** null until the effect runs: the server render (and a page without JavaScript) shows no state. */
  connection: ConnectionState | null;
  /** The room's state once entered, kept up to date; null before the first snapshot. */
  room: RoomData | null;
  /** 1-based place of one's own hand in the queue, or null. */
  position: number | null;
  /** One holds the floor. */
  hasFloor: boolean;
};

/**
 * Connects, enters the session's room and follows it. Listeners, timers and the socket are removed
 * on unmount or when the session changes.
 */
export function useRoom(sessionId: string): Room {
  const [room, dispatch] = useReducer(reducer, null);
  useEffect(() => dispatch({ type: "reset" }), [sessionId]);
  const { connection, socketRef } = useRoomSocket(sessionId, {
    onSnapshot: (snapshot) => dispatch({ type: "snapshot", snapshot, at: performance.now() }),
    onBatch: (batch) => dispatch({ type: "batch", batch, at: performance.now() }),
    onYou: (you) => dispatch({ type: "you", you }),
    onNotesBatch: (change) => dispatch({ type: "notes", change }),
    onNotesMine: (change) => dispatch({ type: "notesMine", change }),
    onRecsBatch: (change) => dispatch({ type: "recs", change }),
  });

  const commands = useMemo<RoomCommands>(() => {
    /** Sends one command; answers "offline" at once rather than queueing it for later. */
    function call<E extends EventName>(event: E, args: Args<E>): Promise<AckOf<E>> {
      return new Promise((resolve) => {
        const socket = socketRef.current;
        if (!socket?.connected) return resolve({ ok: false, error: "offline" } as AckOf<E>);
        // socket.io's typed emit cannot follow a generic event name: the map above keeps it typed.
        const timed = socket.timeout(COMMAND_TIMEOUT_MS);
        const emit = timed.emit as unknown as (event: E, payload: PayloadOf<E>, ack: (err: Error | null, res: AckOf<E>) => void) => void;
        emit.call(timed, event, { ...args, sessionId } as PayloadOf<E>, (err, res) => resolve(err ? ({ ok: false, error: "timeout" } as AckOf<E>) : res));
      });
    }
    return {
      open: () => call("live:open", {}),
      end: () => call("live:end", {}),
      agendaCommand: (itemId, command, extendByMs) => call("agenda:command", extendByMs === undefined ? { itemId, command } : { itemId, command, extendByMs }),
      reorder: (order) => call("agenda:reorder", { order }),
      addItem: (input) => call("agenda:add", input),
      raise: async (kind) => {
        const res = await call("queue:raise", { kind });
        if (res.ok) dispatch({ type: "raised", entryId: res.data.entryId });
        return res;
      },
      lower: async () => {
        const res = await call("queue:lower", {});
        // "not_in_queue": the hand was already gone (given the floor, removed).
        if (res.ok || res.error === "not_in_queue") dispatch({ type: "lowered" });
        return res;
      },
      removeEntry: (entryId) => call("queue:remove", { entryId }),
      giveFloor: (entryId, turnSeconds) => call("queue:floor", turnSeconds === undefined ? { entryId } : { entryId, turnSeconds }),
      endTurn: () => call("queue:endTurn", {}),
      submitNote: async (input) => {
        const res = await call("notes:submit", input);
        // Shown at once as one's own; "notes:mine" confirms it a tick later.
        if (res.ok) dispatch({ type: "notesMine", change: { sessionId, upsert: [res.data.note], remove: [] } });
        return res;
      },
      checkNote: (text, itemId) => call("notes:check", itemId ? { text, itemId } : { text }),
      editNote: async (noteId, edit) => {
        const res = await call("notes:edit", { noteId, ...edit });
        if (res.ok) dispatch({ type: "notesMine", change: { sessionId, upsert: [res.data.note], remove: [] } });
        return res;
      },
      withdrawNote: async (noteId) => {
        const res = await call("notes:withdraw", { noteId });
        if (res.ok) {
          dispatch({ type: "notesMine", change: { sessionId, upsert: [], remove: [noteId] } });
          dispatch({ type: "notes", change: { sessionId, upsert: [], remove: [noteId] } });
        }
        return res;
      },
      curateNote: (noteId, action) => call("notes:curate", { noteId, action }),
      curatorEditNote: async (noteId, edit) => {
        const res = await call("notes:curatorEdit", { noteId, ...edit });
        if (res.ok) dispatch({ type: "notes", change: { sessionId, upsert: [res.data.note], remove: [] } });
        return res;
      },
      mergeNotes: (targetId, noteIds, text) => call("notes:merge", text === undefined ? { targetId, noteIds } : { targetId, noteIds, text }),
      createRec: (input) => call("recs:create", input),
      updateRec: (recommendationId, input) => call("recs:update", { recommendationId, ...input }),
      reviseRec: (recommendationId, text, reason) => call("recs:revise", { recommendationId, text, reason }),
      decideRec: (recommendationId, status) => call("recs:decide", { recommendationId, status }),
      openVote: (recommendationId, hiddenTally) => call("votes:open", { recommendationId, hiddenTally }),
      closeVote: (recommendationId) => call("votes:close", { recommendationId }),
      recordHands: (recommendationId, headcount, counts) => call("votes:hands", { recommendationId, headcount, counts }),
      declareLevel: (recommendationId, level) => call("votes:declare", { recommendationId, level }),
      takePosition: async (recommendationId, option) => {
        const res = await call("positions:take", { recommendationId, option });
        // The server answers with the option taken only: it becomes one's own position at once.
        if (res.ok) dispatch({ type: "position", recommendationId, option: res.data.option });
        return res;
      },
    };
  }, [sessionId, socketRef]);

  const floorEntryId = room?.you.floorEntryId ?? null;
  return {
    ...commands,
    connection,
    room,
    position: room ? positionIn(room.state.queue.entries, room.you.entryId) : null,
    hasFloor: floorEntryId !== null && room?.state.queue.floor?.entryId === floorEntryId,
  };
}

/**
 * The remaining time of a countdown now: `remainingMs` was true when it arrived at `receivedAt`
 * (`performance.now()`). Redraws every 250 ms while running, and not at all otherwise. Without a
 * `receivedAt` (server render, before the first snapshot) it shows `remainingMs` as it is.
 */
export function useCountdown(remainingMs: number, running: boolean, receivedAt: number | null): number {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (!running || receivedAt === null) return setNow(null);
    setNow(performance.now());
    const timer = setInterval(() => setNow(performance.now()), COUNTDOWN_TICK_MS);
    return () => clearInterval(timer);
  }, [running, receivedAt]);
  if (!running || receivedAt === null || now === null) return remainingMs;
  return remainingMs - Math.max(0, now - receivedAt);
}

/** What a countdown shows: "12:05", or the time over ("1:30") with `overrun` set. */
export function countdownParts(ms: number): { overrun: boolean; time: string } {
  if (ms < 0) return { overrun: true, time: formatRemaining(ms).slice(1) };
  return { overrun: false, time: formatRemaining(ms) };
}

/** 1-based place of an entry in the (already ordered) queue, or null. */
export function positionIn(entries: { id: string }[], entryId: string | null): number | null {
  if (!entryId) return null;
  const index = entries.findIndex((e) => e.id === entryId);
  return index === -1 ? null : index + 1;
}
