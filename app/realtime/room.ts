/**
 * The live room in the browser: one socket.io connection to the same origin, the room's whole state
 * on entering (and on every reconnection that could not be recovered), then the per-tick partial
 * updates ("room:batch"). Countdowns are kept as *remaining* milliseconds plus the moment (this
 * device's monotonic clock, `performance.now()`) the value arrived, never as a wall-clock deadline,
 * so a phone with a wrong clock still counts down correctly. Runs only after hydration: the server
 * render shows the loader's snapshot as static text.
 */
import { useRevalidator } from "@remix-run/react";
import { useEffect, useMemo, useReducer, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import { formatRemaining, type AgendaCommand } from "../models/agenda";
import type { HandKind } from "../models/queue";
import type { ConnectionState } from "./client";
import type { Ack, ClientToServerEvents, RoomBatch, RoomSnapshot, ServerToClientEvents } from "./events";

export type { ConnectionState } from "./client";

type RoomSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Delay before reconnecting after the server closed the connection (role changed, removal). */
const RESET_DELAY_MS = 1500;
/** How long a command waits for its acknowledgement. */
const COMMAND_TIMEOUT_MS = 10_000;
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
};

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
  const [connection, setConnection] = useState<ConnectionState | null>(null);
  const [room, dispatch] = useReducer(reducer, null);
  const socketRef = useRef<RoomSocket | null>(null);
  const revalidator = useRevalidator();
  // The revalidator object changes on every state change: keep the latest in a ref so that the
  // connection is not torn down and rebuilt each time.
  const revalidateRef = useRef(revalidator.revalidate);
  useEffect(() => {
    revalidateRef.current = revalidator.revalidate;
  }, [revalidator.revalidate]);

  useEffect(() => {
    dispatch({ type: "reset" });
    setConnection(navigator.onLine === false ? "offline" : "connecting");
    const socket: RoomSocket = io({ transports: ["websocket", "polling"] });
    socketRef.current = socket;
    let disposed = false;
    let resetTimer: ReturnType<typeof setTimeout> | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;

    const enter = () => {
      socket.timeout(COMMAND_TIMEOUT_MS).emit("session:enter", { sessionId }, (err, res) => {
        if (disposed) return;
        if (err) {
          // No answer in time: try again while connected (a new connection enters by itself).
          setConnection(socket.connected ? "reconnecting" : "offline");
          clearTimeout(retryTimer);
          retryTimer = setTimeout(() => {
            if (!disposed && socket.connected) enter();
          }, RESET_DELAY_MS);
          return;
        }
        if (!res.ok) return setConnection("unavailable");
        dispatch({ type: "snapshot", snapshot: res.data, at: performance.now() });
        setConnection("connected");
      });
    };
    const reconnectLater = () => {
      clearTimeout(resetTimer);
      resetTimer = setTimeout(() => {
        if (!disposed && !socket.connected) socket.connect();
      }, RESET_DELAY_MS);
    };

    const onConnect = () => {
      // A recovered connection is back in its rooms and has been sent what it missed.
      if (socket.recovered) return setConnection("connected");
      setConnection("connecting");
      enter();
    };
    const onDisconnect = (reason: string) => {
      if (disposed) return;
      if (socket.active) {
        setConnection(navigator.onLine === false ? "offline" : "reconnecting");
        return;
      }
      // The server closed the connection on purpose (role changed, removed, signed out): refresh what
      // the page shows (it may now be an error page) and start afresh once.
      setConnection("reconnecting");
      revalidateRef.current();
      if (reason === "io server disconnect") reconnectLater();
    };
    const onConnectError = () => {
      if (disposed) return;
      // Not active: the server refused the handshake (signed out); socket.io will not retry.
      setConnection(socket.active ? (navigator.onLine === false ? "offline" : "reconnecting") : "offline");
    };
    const onBatch = (batch: RoomBatch) => {
      if (batch.sessionId === sessionId) dispatch({ type: "batch", batch, at: performance.now() });
    };
    const onOffline = () => setConnection("offline");
    const onOnline = () => {
      if (socket.connected) return;
      setConnection("reconnecting");
      if (!socket.active) socket.connect();
    };

    socket.on("connect", onConnect);
    socket.on("disconnect", onDisconnect);
    socket.on("connect_error", onConnectError);
    socket.on("room:batch", onBatch);
    window.addEventListener("offline", onOffline);
    window.addEventListener("online", onOnline);

    return () => {
      disposed = true;
      clearTimeout(resetTimer);
      clearTimeout(retryTimer);
      window.removeEventListener("offline", onOffline);
      window.removeEventListener("online", onOnline);
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
      socket.off("connect_error", onConnectError);
      socket.off("room:batch", onBatch);
      socket.disconnect();
      if (socketRef.current === socket) socketRef.current = null;
    };
  }, [sessionId]);

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
    };
  }, [sessionId]);

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
