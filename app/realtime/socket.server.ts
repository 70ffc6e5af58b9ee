/**
 * The socket.io adapter: authenticates at the handshake from the session cookie (and again on
 * connection-state recovery), checks the origin, validates every payload, calls the domain and
 * acknowledges. Outgoing changes are coalesced per room and per short tick and sent per audience
 * (docs/decisions/006-live-room.md). Domain events close the sockets of people who lost access.
 *
 * Under load (docs/performance.md, "Durability and robustness"): new notes are refused with
 * "server_busy" and a retryAfterMs while the process is too busy (the outbox keeps them and sends them
 * again), and a client that does not read what it is sent is cut once more than `maxBufferedBytes`
 * wait for it, so that slow or stalled clients cannot grow the server's memory without bound.
 * With several processes (docs/decisions/010-scale-out.md) the socket.io adapter carries every emit
 * to the sockets of all processes, and presence is read from a store they share.
 */
import type http from "node:http";
import { Server, type ServerOptions, type Socket } from "socket.io";
import type { z } from "zod";
import type { Actor } from "../models/actor";
import type { Domain } from "../models/domain.server";
import { isDomainError } from "../models/errors";
import { audienceOf, type Audience } from "../models/live.server";
import type { SessionRole, SessionStanding } from "../models/permissions";
import type { RoleCounts } from "../models/presence";
import { createMemoryPresenceStore, type PresenceStore } from "../models/stores.server";
import type { Env } from "../utils/env.server";
import type { LoadShedder } from "../utils/load.server";
import type { Logger } from "../utils/log.server";
import { parseCookies, SESSION_COOKIE } from "../utils/cookies.server";
import { allowedOrigins, checkOrigin } from "../utils/origin.server";
import {
  agendaAddPayload,
  agendaCommandPayload,
  agendaReorderPayload,
  enterSessionPayload,
  entryPayload,
  floorPayload,
  noteCheckPayload,
  noteCuratePayload,
  noteEditPayload,
  noteMergePayload,
  noteRefPayload,
  noteSubmitPayload,
  positionPayload,
  raiseHandPayload,
  recCreatePayload,
  recDecidePayload,
  recRefPayload,
  recRevisePayload,
  recUpdatePayload,
  voteDeclarePayload,
  voteHandsPayload,
  voteOpenPayload,
  rooms,
  type Ack,
  type ClientToServerEvents,
  type RoomBatch,
  type ServerToClientEvents,
  type SocketData,
} from "./events";

type ParleySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type PersistedSession = { data: SocketData } | null | undefined;
type Part = "agenda" | "queue" | "session" | "presence";

export const MAX_PAYLOAD_BYTES = 16 * 1024;
/** How long a room's changes are gathered before they are sent (ENGINEERING.md, Benchmarks). */
export const TICK_MS = 50;
/**
 * What may wait in memory for one client before it is cut (engine.io's write buffer plus, on a
 * WebSocket, what ws and the TCP socket hold above the kernel's buffers). Above the largest snapshot
 * (FEED_LIMIT notes of up to 1,000 characters, in any script), so that a slow phone is not cut while
 * it downloads the room.
 */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** How often every socket's buffer is looked at. */
export const BUFFER_SWEEP_MS = 1_000;
const AUDIENCES: Audience[] = ["staff", "room"];

export type RealtimeOptions = {
  tickMs?: number;
  /** Sheds new notes when the process is too busy (server.ts builds it from BUSY_LAG_MS). */
  load?: LoadShedder;
  maxBufferedBytes?: number;
  bufferSweepMs?: number;
};

type EngineConn = ParleySocket["conn"];

/**
 * Bytes (characters, for text frames) waiting in memory for one client, up to a little past `limit`:
 * engine.io's write buffer, and on a WebSocket what ws and the TCP socket hold. A broadcast frame
 * shared by many sockets counts once for each, so this is an upper bound on what the client costs.
 */
function pendingBytes(conn: EngineConn, limit: number): number {
  let bytes = 0;
  const buffered = (conn as unknown as { writeBuffer?: { data?: unknown }[] }).writeBuffer ?? [];
  for (const packet of buffered) {
    const data = packet.data;
    bytes += typeof data === "string" ? data.length : ((data as { byteLength?: number } | undefined)?.byteLength ?? 0);
    if (bytes > limit) return bytes;
  }
  const ws = (conn.transport as unknown as { socket?: { bufferedAmount?: unknown } }).socket;
  if (typeof ws?.bufferedAmount === "number") bytes += ws.bufferedAmount;
  return bytes;
}

export type RealtimeDeps = {
  domain: Domain;
  env: Env;
  log: Logger;
  /** Who is present in each room: this process's memory by default, a shared store with several processes. */
  presence?: PresenceStore;
  /** socket.io's adapter between processes (Redis); the default in-memory adapter when absent. */
  adapter?: ServerOptions["adapter"];
} & RealtimeOptions;

export function attachRealtime(server: http.Server, deps: RealtimeDeps) {
  const { domain, env, log, load } = deps;
  const tickMs = deps.tickMs ?? TICK_MS;
  const maxBufferedBytes = deps.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
  const shared = deps.adapter !== undefined;
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(server, {
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
    serveClient: false,
    maxHttpBufferSize: MAX_PAYLOAD_BYTES,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false },
    // Refuse cross-origin handshakes (CSRF on the socket).
    allowRequest: (req, callback) => {
      const proto = env.secureCookies ? "https" : "http";
      const verdict = checkOrigin(req.headers as { origin?: string; referer?: string }, allowedOrigins(env.ORIGIN, req.headers.host, proto));
      callback(verdict === "cross-origin" ? "origin not allowed" : null, verdict !== "cross-origin");
    },
  });

  const adapter = io.of("/").adapter;

  /** Recovery state is only valid while the person still holds every standing it was entered under. */
  function stillValid(data: SocketData | undefined): boolean {
    if (!data?.userId || !domain.accounts.getUser(data.userId)) return false;
    return Object.entries(data.entered ?? {}).every(([sid, role]) => domain.sessions.currentStanding(data.userId, sid) === role);
  }
  // socket.io replays missed packets while building the socket, before middlewares run: a stale
  // session must therefore be discarded here, where it is restored, not in a middleware.
  const restore = adapter.restoreSession.bind(adapter);
  adapter.restoreSession = async (pid: string, offset: string) => {
    const session = (await restore(pid, offset)) as PersistedSession;
    if (!session) return session as never;
    return (stillValid(session.data) ? session : null) as never;
  };

  // ---- Presence: who is connected to each room, by standing ----
  // This process counts its own sockets per person; the store hears only of a person's first socket
  // arriving and last one leaving, and answers for every process (a person on two counts once).
  const presence = deps.presence ?? createMemoryPresenceStore();
  const local = new Map<string, Map<string, { standing: SessionStanding; sockets: number }>>();
  function arrive(sessionId: string, userId: string, standing: SessionStanding): Promise<void> {
    const room = local.get(sessionId) ?? new Map<string, { standing: SessionStanding; sockets: number }>();
    local.set(sessionId, room);
    const seen = room.get(userId);
    room.set(userId, { standing, sockets: (seen?.sockets ?? 0) + 1 });
    if (seen) return Promise.resolve();
    return presence.arrive(sessionId, userId, standing).then(
      () => fanout.mark(sessionId, ["presence"]),
      (e: unknown) => log.error("presence update failed", e),
    );
  }
  function depart(sessionId: string, userId: string) {
    const room = local.get(sessionId);
    const seen = room?.get(userId);
    if (!room || !seen) return;
    if (seen.sockets > 1) return void room.set(userId, { ...seen, sockets: seen.sockets - 1 });
    room.delete(userId);
    if (room.size === 0) local.delete(sessionId);
    void presence.depart(sessionId, userId).then(
      () => fanout.mark(sessionId, ["presence"]),
      (e: unknown) => log.error("presence update failed", e),
    );
  }
  async function countsOf(sessionId: string): Promise<RoleCounts> {
    const counts: RoleCounts = {};
    for (const [standing, n] of Object.entries(await presence.counts(sessionId)) as [SessionStanding, number][]) {
      if (standing !== "programme_staff") counts[standing as SessionRole] = n;
    }
    return counts;
  }

  // ---- Batched, per-audience fan-out ----
  type NotesDirty = { ids: Set<string>; byAuthor: Map<string, Set<string>>; unknownAuthor: Set<string> };
  type Dirty = { room: Map<string, Set<Part>>; recs: Map<string, Set<string>>; notes: Map<string, NotesDirty> };
  const emptyDirty = (): Dirty => ({ room: new Map(), recs: new Map(), notes: new Map() });
  const fanout = (() => {
    let dirty = emptyDirty();
    /**
     * With several processes, each sends the batches of the changes made through it, built from the
     * shared state when it flushes; a socket can then receive another process's batch, read a moment
     * earlier, after this one's. So each process sends its last room parts and recommendations once
     * more on the next tick (merged with whatever changed then): once changes stop, the last batch a
     * socket receives was read after the last change (docs/decisions/010-scale-out.md).
     */
    let again = emptyDirty();
    let timer: ReturnType<typeof setTimeout> | null = null;
    let flushing = false;
    let stopped = false;
    const pending = () => dirty.room.size + dirty.recs.size + dirty.notes.size + again.room.size + again.recs.size > 0;
    function schedule() {
      if (!stopped && !timer && !flushing) timer = setTimeout(() => void run(), tickMs);
    }
    /** One flush at a time, so that one process's batches leave in the order their state was read. */
    async function run() {
      timer = null;
      flushing = true;
      try {
        await flush();
      } catch (e) {
        log.error("fan-out failed", e);
      } finally {
        flushing = false;
        if (pending()) schedule();
      }
    }
    async function flush() {
      const now = dirty;
      const repeat = again;
      dirty = emptyDirty();
      again = emptyDirty();
      if (shared) {
        again.room = new Map([...now.room].map(([sid, parts]) => [sid, new Set(parts)]));
        again.recs = new Map([...now.recs].map(([sid, ids]) => [sid, new Set(ids)]));
      }
      for (const [sid, parts] of repeat.room) addAll(now.room, sid, parts);
      for (const [sid, ids] of repeat.recs) addAll(now.recs, sid, ids);

      for (const [sessionId, parts] of now.room) {
        const needsState = parts.has("agenda") || parts.has("queue") || parts.has("session");
        const [states, counts] = await Promise.all([needsState ? domain.live.roomStates(sessionId) : null, parts.has("presence") ? countsOf(sessionId) : null]);
        for (const audience of AUDIENCES) {
          const out: RoomBatch = { sessionId };
          if (needsState) {
            const state = states?.[audience];
            if (!state) continue;
            if (parts.has("session")) out.session = state.session;
            if (parts.has("agenda")) out.agenda = state.agenda;
            if (parts.has("queue")) out.queue = state.queue;
          }
          if (counts) out.presence = domain.live.presenceFor(counts, audience);
          io.to(rooms.audience(sessionId, audience)).emit("room:batch", out);
        }
      }
      for (const [sessionId, ids] of now.recs) {
        for (const audience of AUDIENCES) {
          const change = domain.recommendations.changesFor(sessionId, [...ids], audience);
          if (change.upsert.length || change.remove.length) io.to(rooms.audience(sessionId, audience)).emit("recs:batch", { sessionId, ...change });
        }
      }
      for (const [sessionId, { ids, byAuthor, unknownAuthor }] of now.notes) {
        const noteIds = [...ids];
        for (const audience of AUDIENCES) {
          const change = domain.notes.changesFor(sessionId, noteIds, audience);
          if (change.upsert.length || change.remove.length) io.to(rooms.audience(sessionId, audience)).emit("notes:batch", { sessionId, ...change });
        }
        // A curator changed notes: tell their authors, if they are here, on their own devices only.
        const present = unknownAuthor.size ? [...(await presence.members(sessionId)).keys()] : [];
        for (const noteId of unknownAuthor) {
          const author = domain.notes.authorAmong(sessionId, noteId, present);
          if (author) (byAuthor.get(author) ?? byAuthor.set(author, new Set()).get(author)!).add(noteId);
        }
        for (const [userId, own] of byAuthor) {
          const change = domain.notes.ownChanges(sessionId, userId, [...own]);
          if (change.upsert.length || change.remove.length) io.to(rooms.member(sessionId, userId)).emit("notes:mine", { sessionId, ...change });
        }
      }
    }
    function addAll<T>(map: Map<string, Set<T>>, key: string, values: Iterable<T>) {
      const set = map.get(key) ?? new Set<T>();
      for (const v of values) set.add(v);
      map.set(key, set);
    }
    return {
      mark(sessionId: string, parts: Part[]) {
        if (stopped) return;
        addAll(dirty.room, sessionId, parts);
        schedule();
      },
      markNotes(sessionId: string, noteIds: string[], authorUserId?: string) {
        if (stopped) return;
        const entry = dirty.notes.get(sessionId) ?? { ids: new Set<string>(), byAuthor: new Map<string, Set<string>>(), unknownAuthor: new Set<string>() };
        dirty.notes.set(sessionId, entry);
        for (const id of noteIds) {
          entry.ids.add(id);
          if (authorUserId) addAll(entry.byAuthor, authorUserId, [id]);
          else entry.unknownAuthor.add(id);
        }
        schedule();
      },
      markRecs(sessionId: string, ids: string[]) {
        if (stopped) return;
        addAll(dirty.recs, sessionId, ids);
        schedule();
      },
      stop() {
        stopped = true;
        if (timer) clearTimeout(timer);
        timer = null;
        dirty = emptyDirty();
        again = emptyDirty();
      },
    };
  })();

  // Authentication at the handshake, re-run on recovery (skipMiddlewares: false).
  io.use((socket, next) => {
    const token = parseCookies(socket.handshake.headers.cookie)[SESSION_COOKIE];
    const validated = domain.accounts.validateSessionToken(token);
    if (!validated) return next(new Error("unauthenticated"));
    if (socket.recovered && (socket.data.userId !== validated.actor.userId || socket.data.authSessionId !== validated.actor.authSessionId)) {
      return next(new Error("unauthenticated"));
    }
    if (!socket.recovered) socket.data = { userId: validated.actor.userId, authSessionId: validated.actor.authSessionId, entered: {} };
    next();
  });

  /** The actor behind a socket, re-read so that a signed-out session stops working at once. */
  function currentActor(socket: ParleySocket): Actor {
    const user = domain.accounts.getUser(socket.data.userId);
    if (!user) return null;
    return { userId: user.id, authSessionId: socket.data.authSessionId, isGuest: user.isGuest, isAdmin: user.isAdmin, displayName: user.displayName, email: user.email };
  }

  /** Validates the payload, runs the command as the socket's person and acknowledges it. */
  function command<S extends z.ZodTypeAny, T>(socket: ParleySocket, schema: S, payload: unknown, ack: unknown, run: (actor: Actor, data: z.output<S>) => T | Promise<T>) {
    if (typeof ack !== "function") return;
    const reply = ack as (res: Ack<T>) => void;
    const parsed = schema.safeParse(payload);
    if (!parsed.success) return reply({ ok: false, error: "invalid_input" });
    const actor = currentActor(socket);
    if (!actor) return reply({ ok: false, error: "unauthenticated" });
    const fail = (e: unknown) => {
      if (isDomainError(e)) return reply({ ok: false, error: e.messageKey, ...(e.fields ? { fields: e.fields } : {}) });
      // The error only, never the payload: it may hold a note's text.
      log.error("socket command failed", e);
      reply({ ok: false, error: "internal" });
    };
    try {
      const result = run(actor, parsed.data);
      if (result instanceof Promise) (result as Promise<T>).then((data) => reply({ ok: true, data }), fail);
      else reply({ ok: true, data: result });
    } catch (e) {
      fail(e);
    }
  }

  io.on("connection", (socket: ParleySocket) => {
    // Every command takes one payload and an acknowledgement. Anything else (an event nobody listens
    // to, extra or missing arguments) is answered with an error when the client asked for an answer,
    // and never reaches a handler; without a callback there is nobody to answer.
    socket.use((packet, next) => {
      const [event, ...args] = packet as unknown[];
      const ack = typeof args[args.length - 1] === "function" ? (args.pop() as (res: Ack) => void) : null;
      if (typeof event !== "string" || socket.listenerCount(event) === 0) return ack?.({ ok: false, error: "unknown_event" });
      if (args.length !== 1 || !ack) return ack?.({ ok: false, error: "invalid_input" });
      next();
    });
    void socket.join([rooms.user(socket.data.userId), rooms.authSession(socket.data.authSessionId)]);
    // A recovered socket is back in its rooms: count it present again.
    for (const [sid, standing] of Object.entries(socket.data.entered ?? {})) void arrive(sid, socket.data.userId, standing);

    function leave(sid: string) {
      const standing = socket.data.entered[sid];
      if (!standing) return;
      for (const room of [rooms.session(sid), rooms.audience(sid, audienceOf(standing)), rooms.sessionRole(sid, standing), rooms.member(sid, socket.data.userId)]) void socket.leave(room);
      const { [sid]: _gone, ...rest } = socket.data.entered;
      socket.data.entered = rest;
      depart(sid, socket.data.userId);
    }

    socket.on("session:enter", (payload, ack) => {
      // A snapshot is the most expensive answer (the whole feed): while the process is too busy, a
      // reconnection storm waits its turn rather than starve the people already in the room. Nothing
      // is joined, so the client asks again after the delay and gets a snapshot then.
      const verdict = load?.check();
      if (verdict?.busy && typeof ack === "function") return (ack as (res: Ack) => void)({ ok: false, error: "server_busy", retryAfterMs: verdict.retryAfterMs });
      command(socket, enterSessionPayload, payload, ack, async (actor, { sessionId: sid }) => {
        // In the rooms first, then the state is read: a change made meanwhile is in the snapshot or
        // in a batch that follows it.
        const { standing } = domain.access.requireSession(actor, sid, "session.room.join");
        if (socket.data.entered[sid] !== standing) {
          leave(sid);
          socket.data.entered = { ...socket.data.entered, [sid]: standing };
          void socket.join([rooms.session(sid), rooms.audience(sid, audienceOf(standing)), rooms.sessionRole(sid, standing), rooms.member(sid, actor!.userId)]);
          await arrive(sid, actor!.userId, standing);
        }
        const [snapshot, counts] = await Promise.all([domain.live.snapshot(actor, sid), countsOf(sid)]);
        return { ...snapshot, presence: domain.live.presenceFor(counts, snapshot.audience), notes: domain.notes.feed(actor, sid, snapshot.audience), recommendations: domain.recommendations.list(actor, sid, snapshot.audience) };
      });
    });
    socket.on("session:leave", (payload, ack) => command(socket, enterSessionPayload, payload, ack, (_actor, { sessionId: sid }) => leave(sid)));
    socket.on("live:open", (payload, ack) => command(socket, enterSessionPayload, payload, ack, (actor, { sessionId: sid }) => domain.live.openRoom(actor, sid)));
    socket.on("live:end", (payload, ack) => command(socket, enterSessionPayload, payload, ack, (actor, { sessionId: sid }) => domain.live.endRoom(actor, sid)));
    socket.on("agenda:command", (payload, ack) =>
      command(socket, agendaCommandPayload, payload, ack, (actor, { sessionId: sid, itemId, command: cmd, extendByMs }) => domain.live.command(actor, sid, itemId, { command: cmd, extendByMs })),
    );
    socket.on("agenda:reorder", (payload, ack) => command(socket, agendaReorderPayload, payload, ack, (actor, { sessionId: sid, order }) => domain.live.reorder(actor, sid, order)));
    socket.on("agenda:add", (payload, ack) => command(socket, agendaAddPayload, payload, ack, (actor, { sessionId: sid, ...item }) => domain.live.addItem(actor, sid, item)));
    socket.on("queue:raise", (payload, ack) => command(socket, raiseHandPayload, payload, ack, (actor, { sessionId: sid, kind }) => domain.live.raiseHand(actor, sid, { kind })));
    socket.on("queue:lower", (payload, ack) => command(socket, enterSessionPayload, payload, ack, (actor, { sessionId: sid }) => domain.live.lowerHand(actor, sid)));
    socket.on("queue:remove", (payload, ack) => command(socket, entryPayload, payload, ack, (actor, { sessionId: sid, entryId }) => domain.live.removeHand(actor, sid, entryId)));
    socket.on("queue:floor", (payload, ack) => command(socket, floorPayload, payload, ack, (actor, { sessionId: sid, ...floor }) => domain.live.giveFloor(actor, sid, floor)));
    socket.on("queue:endTurn", (payload, ack) => command(socket, enterSessionPayload, payload, ack, (actor, { sessionId: sid }) => domain.live.endTurn(actor, sid)));

    socket.on("notes:submit", (payload, ack) => {
      // Too busy: the note is not looked at; the outbox keeps it and sends it again after the delay.
      const verdict = load?.check();
      if (verdict?.busy) return ack({ ok: false, error: "server_busy", retryAfterMs: verdict.retryAfterMs });
      command(socket, noteSubmitPayload, payload, ack, (actor, { sessionId: sid, ...note }) => domain.notes.submit(actor, sid, note));
    });
    socket.on("notes:check", (payload, ack) => command(socket, noteCheckPayload, payload, ack, (actor, { sessionId: sid, ...input }) => domain.notes.check(actor, sid, input)));
    socket.on("notes:edit", (payload, ack) =>
      command(socket, noteEditPayload, payload, ack, (actor, { sessionId: sid, noteId, ...edit }) => domain.notes.editOwn(actor, sid, noteId, edit)),
    );
    socket.on("notes:withdraw", (payload, ack) => command(socket, noteRefPayload, payload, ack, (actor, { sessionId: sid, noteId }) => domain.notes.withdraw(actor, sid, noteId)));
    socket.on("notes:curate", (payload, ack) =>
      command(socket, noteCuratePayload, payload, ack, (actor, { sessionId: sid, noteId, action }) => domain.notes.curate(actor, sid, noteId, { action })),
    );
    socket.on("notes:curatorEdit", (payload, ack) =>
      command(socket, noteEditPayload, payload, ack, (actor, { sessionId: sid, noteId, ...edit }) => domain.notes.curatorEdit(actor, sid, noteId, edit)),
    );
    socket.on("notes:merge", (payload, ack) => command(socket, noteMergePayload, payload, ack, (actor, { sessionId: sid, ...input }) => domain.notes.merge(actor, sid, input)));

    socket.on("recs:create", (payload, ack) => command(socket, recCreatePayload, payload, ack, (actor, { sessionId: sid, ...input }) => domain.recommendations.create(actor, sid, input)));
    socket.on("recs:update", (payload, ack) =>
      command(socket, recUpdatePayload, payload, ack, (actor, { sessionId: sid, recommendationId, ...input }) => domain.recommendations.update(actor, sid, recommendationId, input)),
    );
    socket.on("recs:revise", (payload, ack) =>
      command(socket, recRevisePayload, payload, ack, (actor, { sessionId: sid, recommendationId, ...input }) => domain.recommendations.revise(actor, sid, recommendationId, input)),
    );
    socket.on("recs:decide", (payload, ack) =>
      command(socket, recDecidePayload, payload, ack, (actor, { sessionId: sid, recommendationId, status }) => domain.recommendations.decide(actor, sid, recommendationId, { status })),
    );
    socket.on("votes:open", (payload, ack) =>
      command(socket, voteOpenPayload, payload, ack, (actor, { sessionId: sid, recommendationId, hiddenTally }) => domain.recommendations.openVote(actor, sid, recommendationId, { hiddenTally })),
    );
    socket.on("votes:close", (payload, ack) => command(socket, recRefPayload, payload, ack, (actor, { sessionId: sid, recommendationId }) => domain.recommendations.closeVote(actor, sid, recommendationId)));
    socket.on("votes:hands", (payload, ack) =>
      command(socket, voteHandsPayload, payload, ack, (actor, { sessionId: sid, recommendationId, ...input }) => domain.recommendations.recordHands(actor, sid, recommendationId, input)),
    );
    socket.on("votes:declare", (payload, ack) =>
      command(socket, voteDeclarePayload, payload, ack, (actor, { sessionId: sid, recommendationId, level }) => domain.recommendations.declare(actor, sid, recommendationId, { level })),
    );
    socket.on("positions:take", (payload, ack) =>
      command(socket, positionPayload, payload, ack, (actor, { sessionId: sid, recommendationId, option }) => domain.recommendations.takePosition(actor, sid, recommendationId, { option })),
    );

    socket.on("disconnect", () => {
      for (const sid of Object.keys(socket.data.entered ?? {})) depart(sid, socket.data.userId);
    });
  });

  // Domain events -> sockets. disconnect(true) is not a recoverable reason, so no state is kept.
  const onSessionsEnded = ({ userId, authSessionIds }: { userId: string; authSessionIds: string[] | "all" }) => {
    if (authSessionIds === "all") io.in(rooms.user(userId)).disconnectSockets(true);
    else for (const id of authSessionIds) io.in(rooms.authSession(id)).disconnectSockets(true);
  };
  const onMemberChanged = ({ sessionId, userId }: { sessionId: string; userId: string }) => {
    io.in(rooms.member(sessionId, userId)).disconnectSockets(true);
  };
  const onProgrammeMemberChanged = ({ userId }: { userId: string }) => {
    // A programme role gives a standing in every session of the programme: reconnect them all.
    io.in(rooms.user(userId)).disconnectSockets(true);
  };
  const onSessionUpdated = ({ sessionId }: { sessionId: string }) => {
    const s = domain.sessions.summary(sessionId);
    if (s) io.to(rooms.session(sessionId)).emit("session:updated", { sessionId, title: s.title, status: s.status });
    fanout.mark(sessionId, ["session"]);
  };
  const onYouChanged = ({ sessionId, userIds }: { sessionId: string; userIds: string[] }) => {
    for (const userId of userIds) {
      domain.live.youOf(sessionId, userId).then(
        (you) => io.to(rooms.member(sessionId, userId)).emit("room:you", { sessionId, ...you }),
        (e: unknown) => log.error("own queue update failed", e),
      );
    }
  };
  const onRecsChanged = ({ sessionId, ids }: { sessionId: string; ids: string[] }) => fanout.markRecs(sessionId, ids);
  const onNotesChanged = ({ sessionId, noteIds, authorUserId }: { sessionId: string; noteIds: string[]; authorUserId?: string }) => fanout.markNotes(sessionId, noteIds, authorUserId);
  const onLiveChanged = ({ sessionId, parts }: { sessionId: string; parts: ("agenda" | "queue" | "session")[] }) => fanout.mark(sessionId, parts);
  domain.events.on("auth.sessionsEnded", onSessionsEnded);
  domain.events.on("session.memberChanged", onMemberChanged);
  domain.events.on("session.updated", onSessionUpdated);
  domain.events.on("programme.memberChanged", onProgrammeMemberChanged);
  domain.events.on("live.changed", onLiveChanged);
  domain.events.on("live.youChanged", onYouChanged);
  domain.events.on("notes.changed", onNotesChanged);
  domain.events.on("recommendations.changed", onRecsChanged);
  // Who is eligible when a vote opens: participants and panelists connected to any process.
  domain.recommendations.setPresenceSource((sessionId) => countsOf(sessionId));

  // Slow or stalled clients: cut any socket with more than maxBufferedBytes waiting for it. The cut is
  // not recoverable (no replay buffer is kept for it): the client reconnects afresh and re-enters with a
  // snapshot, which is bounded (FEED_LIMIT).
  let slowClientsCut = 0;
  const sweeper = setInterval(() => {
    for (const socket of io.of("/").sockets.values()) {
      const bytes = pendingBytes(socket.conn, maxBufferedBytes);
      if (bytes <= maxBufferedBytes) continue;
      slowClientsCut += 1;
      log.info(`cut a client that is not reading: over ${maxBufferedBytes} bytes waiting for it`);
      const ws = (socket.conn.transport as unknown as { socket?: { terminate?: () => void } }).socket;
      socket.disconnect(true);
      // Drop what waits for it now rather than after a closing handshake it will not answer.
      socket.conn.close(true);
      ws?.terminate?.();
    }
  }, deps.bufferSweepMs ?? BUFFER_SWEEP_MS);
  sweeper.unref();

  return {
    io,
    /** Figures for logs and tests. */
    stats: () => ({ slowClientsCut }),
    /** Stops listening to the domain and closes every socket (the caller closes the server). */
    detach() {
      domain.events.off("auth.sessionsEnded", onSessionsEnded);
      domain.events.off("session.memberChanged", onMemberChanged);
      domain.events.off("session.updated", onSessionUpdated);
      domain.events.off("programme.memberChanged", onProgrammeMemberChanged);
      domain.events.off("live.changed", onLiveChanged);
      domain.events.off("live.youChanged", onYouChanged);
      domain.events.off("notes.changed", onNotesChanged);
      domain.events.off("recommendations.changed", onRecsChanged);
      fanout.stop();
      clearInterval(sweeper);
      // This process's sockets only: through a shared adapter, io.disconnectSockets would close the
      // sockets of every process.
      io.local.disconnectSockets(true);
    },
  };
}
