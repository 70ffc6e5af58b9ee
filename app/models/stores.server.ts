/**
 * Where the live room's state that is not in the database is kept: the speaker queue, who is present,
 * and the rate-limit counters. One process keeps them in memory (the default); several processes share
 * them in Redis without persistence (app/utils/redis.server.ts, docs/decisions/010-scale-out.md). The
 * domain holds the rules and only reads and writes whole values through these interfaces.
 */
import { randomUUID } from "node:crypto";
import { RateLimiterMemory, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { HandKind, QueueEntry } from "./queue";
import type { ItemClock } from "./agenda";
import type { SessionStanding } from "./permissions";

/** The speaker's turn runs on the same clock rules as an item, and pauses with it. */
export type Floor = { entryId: string; userId: string; kind: HandKind; clock: ItemClock };
/** A session's speaker queue for one agenda item. Holds ids only: names are looked up when shown. */
export type QueueState = { itemId: string; entries: QueueEntry[]; seq: number; floor: Floor | null };
/** A value and the version it was read at ("" when there is none). */
export type Versioned<T> = { value: T | null; version: string };

export interface QueueStore {
  read(sessionId: string): Promise<Versioned<QueueState>>;
  /**
   * Replaces the queue (or removes it, with null) if it is still at `version`; false when another
   * change came first (the caller reads again and retries). Versions are random, never reused.
   */
  write(sessionId: string, version: string, next: QueueState | null): Promise<boolean>;
  /** Removes the queue whatever its version (the item or the session ended). */
  clear(sessionId: string): Promise<void>;
}

/** A fresh version token. */
export const newVersion = () => randomUUID();

/**
 * The in-memory store of one process. It changes its map at once and answers with settled promises,
 * so one process behaves exactly as before the store existed.
 */
export function createMemoryQueueStore(): QueueStore {
  const queues = new Map<string, { value: QueueState; version: string }>();
  return {
    read: (sessionId) => {
      const q = queues.get(sessionId);
      return Promise.resolve(q ? { value: structuredClone(q.value), version: q.version } : { value: null, version: "" });
    },
    write: (sessionId, version, next) => {
      if ((queues.get(sessionId)?.version ?? "") !== version) return Promise.resolve(false);
      if (next) queues.set(sessionId, { value: structuredClone(next), version: newVersion() });
      else queues.delete(sessionId);
      return Promise.resolve(true);
    },
    clear: (sessionId) => {
      queues.delete(sessionId);
      return Promise.resolve();
    },
  };
}

/**
 * Who is in each live room, by user id and standing, across every process. A process reports a
 * person when their first socket there arrives and withdraws them when their last one leaves; a
 * person connected to two processes is counted once.
 */
export interface PresenceStore {
  arrive(sessionId: string, userId: string, standing: SessionStanding): Promise<void>;
  depart(sessionId: string, userId: string): Promise<void>;
  /** Everyone present in the room: user id -> standing. */
  members(sessionId: string): Promise<Map<string, SessionStanding>>;
  /** How many people are present, by standing (what presence views and vote eligibility need). */
  counts(sessionId: string): Promise<Partial<Record<SessionStanding, number>>>;
  /** Stops timers and withdraws this process's people (shutting down). */
  close(): Promise<void>;
}

export function createMemoryPresenceStore(): PresenceStore {
  const rooms = new Map<string, Map<string, SessionStanding>>();
  return {
    arrive(sessionId, userId, standing) {
      const room = rooms.get(sessionId) ?? new Map<string, SessionStanding>();
      rooms.set(sessionId, room);
      room.set(userId, standing);
      return Promise.resolve();
    },
    depart(sessionId, userId) {
      const room = rooms.get(sessionId);
      room?.delete(userId);
      if (room && room.size === 0) rooms.delete(sessionId);
      return Promise.resolve();
    },
    members: (sessionId) => Promise.resolve(new Map(rooms.get(sessionId) ?? [])),
    counts(sessionId) {
      const counts: Partial<Record<SessionStanding, number>> = {};
      for (const standing of rooms.get(sessionId)?.values() ?? []) counts[standing] = (counts[standing] ?? 0) + 1;
      return Promise.resolve(counts);
    },
    close() {
      rooms.clear();
      return Promise.resolve();
    },
  };
}

/** Builds a rate limiter (rate-limiter-flexible): in memory by default, in Redis with several processes. */
export type LimiterFactory = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;
export const memoryLimiter: LimiterFactory = (options) => new RateLimiterMemory(options);
