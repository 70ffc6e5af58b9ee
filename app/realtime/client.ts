/**
 * The browser side of the real-time layer: one socket.io connection to the same origin, entering a
 * session's room and refreshing the page's data when the session changes. Runs only after hydration
 * (pages work without JavaScript; this only adds live updates).
 */
import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "./events";

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline" | "unavailable";

type ParleyClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Delay before reconnecting after the server closed the connection (role changed, removal). */
const RESET_DELAY_MS = 1500;

/**
 * Connects, enters the session's room and keeps the state of the connection. "unavailable" means the
 * server refused this person live updates for the session (e.g. not a member of its room). Listeners
 * are removed and the socket closed on unmount or when the session changes.
 */
export function useSessionConnection(sessionId: string): ConnectionState | null {
  // null until the effect runs: the server render (and a page without JavaScript) shows no state.
  const [state, setState] = useState<ConnectionState | null>(null);
  const revalidator = useRevalidator();
  // The revalidator object changes on every state change: keep the latest in a ref so that the
  // connection is not torn down and rebuilt each time.
  const revalidateRef = useRef(revalidator.revalidate);
  useEffect(() => {
    revalidateRef.current = revalidator.revalidate;
  }, [revalidator.revalidate]);

  useEffect(() => {
    setState(navigator.onLine === false ? "offline" : "connecting");
    const socket: ParleyClientSocket = io({ transports: ["websocket", "polling"] });
    let disposed = false;
    let resetTimer: ReturnType<typeof setTimeout> | undefined;

    const enter = () => {
      socket.timeout(10_000).emit("session:enter", { sessionId }, (err, res) => {
        if (disposed) return;
        if (err) return setState(socket.connected ? "reconnecting" : "offline");
        setState(res.ok ? "connected" : "unavailable");
      });
    };
    const reconnectLater = () => {
      clearTimeout(resetTimer);
      resetTimer = setTimeout(() => {
        if (!disposed && !socket.connected) socket.connect();
      }, RESET_DELAY_MS);
    };

    const onConnect = () => {
      setState("connecting");
      enter();
    };
    const onDisconnect = (reason: string) => {
      if (disposed) return;
      if (socket.active) {
        setState(navigator.onLine === false ? "offline" : "reconnecting");
        return;
      }
      // The server closed the connection on purpose (role changed, removed, signed out): refresh what
      // the page shows (it may now be an error page) and start afresh once.
      setState("reconnecting");
      revalidateRef.current();
      if (reason === "io server disconnect") reconnectLater();
    };
    const onConnectError = () => {
      if (disposed) return;
      // Not active: the server refused the handshake (signed out); socket.io will not retry.
      setState(socket.active ? (navigator.onLine === false ? "offline" : "reconnecting") : "offline");
    };
    const onUpdated = (payload: { sessionId: string }) => {
      if (payload.sessionId === sessionId) revalidateRef.current();
    };
    const onOffline = () => setState("offline");
    const onOnline = () => {
      if (socket.connected) return;
      setState("reconnecting");
      if (!socket.active) socket.connect();
    };

    socket.on("connect", onConnect);
    socket.on("disconnect", onDisconnect);
    socket.on("connect_error", onConnectError);
    socket.on("session:updated", onUpdated);
    window.addEventListener("offline", onOffline);
    window.addEventListener("online", onOnline);

    return () => {
      disposed = true;
      clearTimeout(resetTimer);
      window.removeEventListener("offline", onOffline);
      window.removeEventListener("online", onOnline);
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
      socket.off("connect_error", onConnectError);
      socket.off("session:updated", onUpdated);
      socket.disconnect();
    };
  }, [sessionId]);

  return state;
}
