/**
 * The outbox in a page: every note is stored on the device first, then sent; it leaves the device only
 * once the server has acknowledged it. Sends on every (re)connection, when the browser comes back
 * online, after each new note, and after a growing delay while the server answers "later" (never
 * sooner than a busy server asked: its retryAfterMs). Only the
 * signed-in person's own records are ever sent; other people's are counted, never shown.
 * IndexedDB is touched only in effects and callbacks (never during the server render).
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { newClientId } from "../models/notes";
import type { Room } from "../realtime/room";
import { BUSY_ERROR, nextAttemptMs, outcomeOf, partitionRecords, recordAfter, sendable } from "./outbox";
import { allRecords, deleteRecord, outboxAvailable, putRecord } from "./outbox.client";
import type { OutboxRecord } from "./outbox-schema";

export type NoteDraft = { itemId: string; kind: string; themeIds: string[]; text: string };

/** The last thing that happened to a note, for the page to announce. */
export type OutboxEvent = { seq: number; kind: "queued" | "sent" | "held" | "refused" | "failed" | "busy"; clientId: string; error?: string };

export type Outbox = {
  /** null until IndexedDB was tried; false where it cannot be used (the form then posts without JavaScript's help). */
  available: boolean | null;
  /** This person's records for this session (pending and refused), oldest first. */
  records: OutboxRecord[];
  /** Pending notes on this device written by someone else. */
  othersWaiting: number;
  last: OutboxEvent | null;
  /** Stores a note and sends it; resolves with the stored record (null if the device refused to store it). */
  add: (draft: NoteDraft, clientId?: string) => Promise<OutboxRecord | null>;
  discard: (clientId: string) => Promise<void>;
  flush: () => void;
};

export function useOutbox(sessionId: string, userId: string, room: Room): Outbox {
  const [available, setAvailable] = useState<boolean | null>(null);
  const [records, setRecords] = useState<OutboxRecord[]>([]);
  const [othersWaiting, setOthersWaiting] = useState(0);
  const [last, setLast] = useState<OutboxEvent | null>(null);
  const seq = useRef(0);
  const roomRef = useRef(room);
  roomRef.current = room;
  const flushing = useRef(false);
  const again = useRef(false);
  const failures = useRef(0);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const disposed = useRef(false);

  const announce = useCallback((kind: OutboxEvent["kind"], clientId: string, error?: string) => {
    seq.current += 1;
    setLast({ seq: seq.current, kind, clientId, error });
  }, []);

  const reload = useCallback(async () => {
    const all = await allRecords();
    if (disposed.current) return all;
    const { mine, othersWaiting: others } = partitionRecords(all, userId, sessionId);
    setRecords(mine);
    setOthersWaiting(others);
    return all;
  }, [userId, sessionId]);

  const flush = useCallback(() => {
    if (flushing.current) {
      again.current = true;
      return;
    }
    flushing.current = true;
    clearTimeout(retryTimer.current);
    const later = (hint: { retryAfterMs?: number }) => {
      failures.current += 1;
      clearTimeout(retryTimer.current);
      if (!disposed.current) retryTimer.current = setTimeout(() => flush(), nextAttemptMs(hint, failures.current));
    };
    void (async () => {
      let retry = false;
      let hint: { retryAfterMs?: number } = {};
      try {
        do {
          again.current = false;
          const all = await reload();
          for (const record of sendable(all, userId, sessionId)) {
            if (disposed.current) return;
            const { clientId, itemId, kind, themeIds, text } = record;
            const res = await roomRef.current.submitNote({ clientId, itemId, kind, themeIds, text });
            const outcome = outcomeOf(res);
            const next = recordAfter(record, outcome);
            if (outcome.type === "delivered") {
              failures.current = 0;
              await deleteRecord(clientId);
              announce(outcome.receipt.outcome === "held" ? "held" : "sent", clientId);
            } else if (outcome.type === "refused" && next) {
              await putRecord(next);
              announce("refused", clientId, outcome.error);
            } else {
              // Later: offline, timed out, rate-limited, busy or a server error. Keep it, in order, and
              // try again (after what a busy server asked for, at least).
              if (outcome.type === "retry") {
                hint = outcome;
                if (outcome.error === BUSY_ERROR) announce("busy", clientId);
              }
              retry = true;
              break;
            }
          }
          await reload();
        } while (again.current && !retry && !disposed.current);
      } catch {
        // IndexedDB failed under us (storage cleared, quota): try again later.
        retry = true;
      } finally {
        flushing.current = false;
      }
      if (retry) later(hint);
    })();
  }, [reload, userId, sessionId, announce]);

  useEffect(() => {
    disposed.current = false;
    void outboxAvailable().then((ok) => {
      if (disposed.current) return;
      setAvailable(ok);
      if (ok) void reload();
    });
    return () => {
      disposed.current = true;
      clearTimeout(retryTimer.current);
    };
  }, [reload]);

  // Each (re)connection: the room was entered and its snapshot arrived; send what waits.
  const connected = room.connection === "connected";
  useEffect(() => {
    if (connected && available) {
      failures.current = 0;
      flush();
    }
  }, [connected, available, flush]);

  useEffect(() => {
    const onOnline = () => flush();
    window.addEventListener("online", onOnline);
    return () => window.removeEventListener("online", onOnline);
  }, [flush]);

  const add = useCallback(
    async (draft: NoteDraft, clientId: string = newClientId()): Promise<OutboxRecord | null> => {
      const record: OutboxRecord = { clientId, userId, sessionId, itemId: draft.itemId, kind: draft.kind, themeIds: draft.themeIds, text: draft.text, createdAt: Date.now(), state: "pending" };
      try {
        await putRecord(record);
      } catch {
        announce("failed", clientId);
        return null;
      }
      announce("queued", clientId);
      await reload();
      failures.current = 0;
      flush();
      return record;
    },
    [userId, sessionId, reload, flush, announce],
  );

  const discard = useCallback(
    async (clientId: string) => {
      await deleteRecord(clientId);
      await reload();
    },
    [reload],
  );

  return { available, records, othersWaiting, last, add, discard, flush };
}
