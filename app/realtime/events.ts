/**
 * The typed event map shared by the socket.io server and its clients. Every client command is
 * acknowledged with `Ack<T>`; every payload is validated on the server with the schemas below.
 */
import { z } from "zod";
import type { SessionRole } from "../models/permissions";

export type Ack<T = undefined> = { ok: true; data: T } | { ok: false; error: string };

export const enterSessionPayload = z.object({ sessionId: z.string().uuid() });

export type RoomSnapshot = {
  session: { id: string; title: string; status: string; attributionMode: string };
  role: SessionRole;
};

export interface ClientToServerEvents {
  /** Enter a session's room: answers with the whole current state (also after a failed recovery). */
  "session:enter": (payload: z.input<typeof enterSessionPayload>, ack: (res: Ack<RoomSnapshot>) => void) => void;
  "session:leave": (payload: z.input<typeof enterSessionPayload>, ack: (res: Ack) => void) => void;
}

export interface ServerToClientEvents {
  /** Session details or status changed: clients refresh what they show. */
  "session:updated": (payload: { sessionId: string; title: string; status: string }) => void;
}

export type SocketData = {
  userId: string;
  authSessionId: string;
  /** Rooms entered, with the role they were entered under (checked again on recovery). */
  entered: Record<string, SessionRole>;
};

/** Socket.io rooms. */
export const rooms = {
  session: (sessionId: string) => `session:${sessionId}`,
  sessionRole: (sessionId: string, role: SessionRole) => `session:${sessionId}:role:${role}`,
  member: (sessionId: string, userId: string) => `member:${sessionId}:${userId}`,
  user: (userId: string) => `user:${userId}`,
  authSession: (authSessionId: string) => `auth:${authSessionId}`,
};
