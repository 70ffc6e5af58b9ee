/**
 * Domain events: emitted by the domain after each change, consumed by the real-time adapter
 * (and by anything else that must react). Typed, and free of identifying text.
 */
import { EventEmitter } from "node:events";
import type { SessionRole } from "./permissions";

export type DomainEvents = {
  /** One or all of a user's sign-in sessions ended: their sockets on those sessions must close. */
  "auth.sessionsEnded": [{ userId: string; authSessionIds: string[] | "all" }];
  /** A member was removed from a session, or their role changed: their sockets must reconnect. */
  "session.memberChanged": [{ sessionId: string; userId: string; role: SessionRole | null }];
  /** A person's programme role changed or ended: their sockets must reconnect under the new standing. */
  "programme.memberChanged": [{ programmeId: string; userId: string }];
  /** Session details or status changed. */
  "session.updated": [{ sessionId: string }];
  /** Something in the live room changed: the fan-out sends each audience its new view. */
  "live.changed": [{ sessionId: string; parts: ("agenda" | "queue" | "session")[] }];
  /** These people's own hand or turn changed: each of their devices is told (their own data only). */
  "live.youChanged": [{ sessionId: string; userIds: string[] }];
  /**
   * Notes were written, changed or removed. `authorUserId` is set when the author acted (their own
   * devices are told); it never leaves the process and is never logged.
   */
  "notes.changed": [{ sessionId: string; noteIds: string[]; authorUserId?: string }];
  /** Recommendations were drafted, changed, or their positions or status changed. */
  "recommendations.changed": [{ sessionId: string; ids: string[] }];
  /** The join code was rotated. */
  "session.joinCodeRotated": [{ sessionId: string }];
};

export class DomainEventBus extends EventEmitter<DomainEvents> {}
