/**
 * The socket.io adapter: authenticates at the handshake from the session cookie (and again on
 * connection-state recovery), checks the origin, validates every payload, calls the domain and
 * acknowledges. Domain events close the sockets of people who lost access.
 */
import type http from "node:http";
import { Server, type Socket } from "socket.io";
import type { Domain } from "../models/domain.server";
import { isDomainError } from "../models/errors";
import type { Env } from "../utils/env.server";
import type { Logger } from "../utils/log.server";
import { parseCookies, SESSION_COOKIE } from "../utils/cookies.server";
import { allowedOrigins, checkOrigin } from "../utils/origin.server";
import {
  enterSessionPayload,
  rooms,
  type Ack,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from "./events";

type ParleySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type PersistedSession = { data: SocketData } | null | undefined;

export const MAX_PAYLOAD_BYTES = 16 * 1024;

export function attachRealtime(server: http.Server, deps: { domain: Domain; env: Env; log: Logger }) {
  const { domain, env, log } = deps;
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(server, {
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

  /** Recovery state is only valid while the person still holds every role it was entered under. */
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

  io.on("connection", (socket: ParleySocket) => {
    void socket.join([rooms.user(socket.data.userId), rooms.authSession(socket.data.authSessionId)]);

    socket.on("session:enter", (payload, ack) => {
      if (typeof ack !== "function") return;
      const parsed = enterSessionPayload.safeParse(payload);
      if (!parsed.success) return ack({ ok: false, error: "invalid_input" });
      const actor = currentActor(socket);
      if (!actor) return ack({ ok: false, error: "unauthenticated" });
      try {
        const snapshot = domain.sessions.enterRoom(actor, parsed.data.sessionId);
        const sid = parsed.data.sessionId;
        socket.data.entered = { ...socket.data.entered, [sid]: snapshot.role };
        void socket.join([rooms.session(sid), rooms.sessionRole(sid, snapshot.role), rooms.member(sid, actor.userId)]);
        ack({ ok: true, data: snapshot });
      } catch (e) {
        ack(errorAck(e, log));
      }
    });

    socket.on("session:leave", (payload, ack) => {
      if (typeof ack !== "function") return;
      const parsed = enterSessionPayload.safeParse(payload);
      if (!parsed.success) return ack({ ok: false, error: "invalid_input" });
      const sid = parsed.data.sessionId;
      const role = socket.data.entered[sid];
      if (role) {
        void socket.leave(rooms.session(sid));
        void socket.leave(rooms.sessionRole(sid, role));
        void socket.leave(rooms.member(sid, socket.data.userId));
        const { [sid]: _gone, ...rest } = socket.data.entered;
        socket.data.entered = rest;
      }
      ack({ ok: true, data: undefined });
    });
  });

  /** The actor behind a socket, re-read so that a signed-out session stops working at once. */
  function currentActor(socket: ParleySocket) {
    const user = domain.accounts.getUser(socket.data.userId);
    if (!user) return null;
    return { userId: user.id, authSessionId: socket.data.authSessionId, isGuest: user.isGuest, isAdmin: user.isAdmin, displayName: user.displayName, email: user.email };
  }

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
  };
  domain.events.on("auth.sessionsEnded", onSessionsEnded);
  domain.events.on("session.memberChanged", onMemberChanged);
  domain.events.on("session.updated", onSessionUpdated);
  domain.events.on("programme.memberChanged", onProgrammeMemberChanged);

  return {
    io,
    /** Stops listening to the domain and closes every socket (the caller closes the server). */
    detach() {
      domain.events.off("auth.sessionsEnded", onSessionsEnded);
      domain.events.off("session.memberChanged", onMemberChanged);
      domain.events.off("session.updated", onSessionUpdated);
      domain.events.off("programme.memberChanged", onProgrammeMemberChanged);
      io.disconnectSockets(true);
    },
  };
}

function errorAck(e: unknown, log: Logger): Ack<never> {
  if (isDomainError(e)) return { ok: false, error: e.messageKey };
  log.error("socket command failed", e);
  return { ok: false, error: "internal" };
}
