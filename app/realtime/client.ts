/**
 * The browser side of the real-time layer: one socket.io connection to the same origin that enters a
 * session's room, keeps the state of the connection, and hands what arrives to the page. Runs only
 * after hydration (pages work without JavaScript; this only adds live updates).
 */
import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState, type MutableRefObject } from "react";
import { io, type Socket } from "socket.io-client";
import type { NotesChange } from "../models/notes";
import type { ClientToServerEvents, RecommendationsChange, RoomBatch, RoomSnapshot, ServerToClientEvents } from "./events";

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline" | "unavailable";
export type RoomSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Delay before reconnecting after the server closed the connection (role changed, removal). */
export const RESET_DELAY_MS = 1500;
/** How long a command waits for its acknowledgement. */
export const COMMAND_TIMEOUT_MS = 10_000;

export type RoomHandlers = {
  /** The whole current state, on every connection that was not recovered. */
  onSnapshot?: (snapshot: RoomSnapshot) => void;
  /** One tick's changes for this session. */
  onBatch?: (batch: RoomBatch) => void;
  /** The session's details or status changed. */
  onSessionUpdated?: () => void;
  /** One's own hand or turn changed (perhaps from another device). */
  onYou?: (you: { entryId: string | null; floorEntryId: string | null }) => void;
  /** Notes this audience may see were written, changed or taken away. */
  onNotesBatch?: (change: NotesChange) => void;
  /** One's own notes changed (perhaps by a curator, or from another device). */
  onNotesMine?: (change: NotesChange) => void;
  /** Recommendations (and their tallies) this audience may see changed. */
  onRecsBatch?: (change: RecommendationsChange) => void;
};

/**
 * Connects, enters the session's room (again after every connection that was not recovered) and
 * keeps the state of the connection. "unavailable" means the server refused this person live updates
 * for the session. When the server closes the connection on purpose (role changed, removed, signed
 * out) the page's data is refreshed (it may now be an error page) and the connection starts afresh
 * once. When the browser says it is offline the socket is closed at once (an open WebSocket may not
 * notice for a long while, and a test's simulated offline mode does not cut it), and opened again
 * when the browser is back online. Listeners, timers and the socket are removed on unmount or when
 * the session changes.
 */
export function useRoomSocket(sessionId: string, handlers: RoomHandlers): { connection: ConnectionState | null; socketRef: MutableRefObject<RoomSocket | null> } {
  // null until the effect runs: the server render (and a page without JavaScript) shows no state.
  const [connection, setConnection] = useState<ConnectionState | null>(null);
  const socketRef = useRef<RoomSocket | null>(null);
  const handlersRef = useRef(handlers);
  useEffect(() => {
    handlersRef.current = handlers;
  });
  const revalidator = useRevalidator();
  // The revalidator object changes on every state change: keep the latest in a ref so that the
  // connection is not torn down and rebuilt each time.
  const revalidateRef = useRef(revalidator.revalidate);
  useEffect(() => {
    revalidateRef.current = revalidator.revalidate;
  }, [revalidator.revalidate]);

  useEffect(() => {
    setConnection(navigator.onLine === false ? "offline" : "connecting");
    const socket: RoomSocket = io({ transports: ["websocket", "polling"] });
    socketRef.current = socket;
    let disposed = false;
    let resetTimer: ReturnType<typeof setTimeout> | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    /** The socket was closed here because the browser went offline. */
    let closedOffline = false;

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
        if (!res.ok && res.error === "server_busy") {
          // The server shed the snapshot under load: ask again no sooner than it said, spread out
          // (between the delay and one and a half times it) so that a room does not come back in step.
          setConnection("reconnecting");
          clearTimeout(retryTimer);
          retryTimer = setTimeout(
            () => {
              if (!disposed && socket.connected) enter();
            },
            Math.min(60_000, Math.max(RESET_DELAY_MS, res.retryAfterMs ?? 0)) * (1 + 0.5 * Math.random()),
          );
          return;
        }
        if (!res.ok) return setConnection("unavailable");
        handlersRef.current.onSnapshot?.(res.data);
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
      if (closedOffline && reason === "io client disconnect") return setConnection("offline");
      if (socket.active) {
        setConnection(navigator.onLine === false ? "offline" : "reconnecting");
        return;
      }
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
      if (batch.sessionId === sessionId) handlersRef.current.onBatch?.(batch);
    };
    const onUpdated = (payload: { sessionId: string }) => {
      if (payload.sessionId === sessionId) handlersRef.current.onSessionUpdated?.();
    };
    const onYou = ({ sessionId: sid, entryId, floorEntryId }: { sessionId: string; entryId: string | null; floorEntryId: string | null }) => {
      if (sid === sessionId) handlersRef.current.onYou?.({ entryId, floorEntryId });
    };
    const onNotesBatch = (change: NotesChange) => {
      if (change.sessionId === sessionId) handlersRef.current.onNotesBatch?.(change);
    };
    const onNotesMine = (change: NotesChange) => {
      if (change.sessionId === sessionId) handlersRef.current.onNotesMine?.(change);
    };
    const onRecsBatch = (change: RecommendationsChange) => {
      if (change.sessionId === sessionId) handlersRef.current.onRecsBatch?.(change);
    };
    const onOffline = () => {
      setConnection("offline");
      clearTimeout(resetTimer);
      clearTimeout(retryTimer);
      closedOffline = true;
      socket.disconnect();
    };
    const onOnline = () => {
      closedOffline = false;
      if (socket.connected) return;
      setConnection("reconnecting");
      if (!socket.active) socket.connect();
    };

    socket.on("connect", onConnect);
    socket.on("disconnect", onDisconnect);
    socket.on("connect_error", onConnectError);
    socket.on("room:batch", onBatch);
    socket.on("session:updated", onUpdated);
    socket.on("room:you", onYou);
    socket.on("notes:batch", onNotesBatch);
    socket.on("notes:mine", onNotesMine);
    socket.on("recs:batch", onRecsBatch);
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
      socket.off("session:updated", onUpdated);
      socket.off("room:you", onYou);
      socket.off("notes:batch", onNotesBatch);
      socket.off("notes:mine", onNotesMine);
      socket.off("recs:batch", onRecsBatch);
      socket.disconnect();
      if (socketRef.current === socket) socketRef.current = null;
    };
  }, [sessionId]);

  return { connection, socketRef };
}

/** The session page's live indicator: the connection's state, refreshing the page when the session changes. */
export function useSessionConnection(sessionId: string): ConnectionState | null {
  const revalidator = useRevalidator();
  return useRoomSocket(sessionId, { onSessionUpdated: () => revalidator.revalidate() }).connection;
}
