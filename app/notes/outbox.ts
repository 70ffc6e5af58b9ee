/**
 * The outbox's rules, pure (no IndexedDB, no socket): what an acknowledgement means for a record, when
 * to try again, and which records a signed-in person may send. outbox.client.ts stores the records;
 * use-outbox.ts drives them.
 */
import type { NoteReceipt } from "../models/notes";
import type { OutboxRecord } from "./outbox-schema";

/** Refusals that sending again will not change: the record is kept as "refused" for the writer to copy or discard. */
export const PERMANENT_ERRORS = new Set([
  "session_finalised",
  "session_not_live",
  "session_not_found",
  "item_not_found",
  "item_not_started",
  "invalid_input",
  "theme_unknown",
  "client_id_taken",
  "forbidden",
  "not_found",
]);

/** What a send attempt answered: the server's acknowledgement, or no answer at all. */
export type SendResult = { ok: true; data: NoteReceipt } | { ok: false; error: string; fields?: Record<string, string[]>; retryAfterMs?: number };

export type Outcome =
  | { type: "delivered"; receipt: NoteReceipt }
  | { type: "refused"; error: string }
  /** retryAfterMs: the server said it is busy and when to come back (never sooner). */
  | { type: "retry"; error: string; retryAfterMs?: number };

/** The server's answer when it sheds load: the note was not looked at; send it again after retryAfterMs. */
export const BUSY_ERROR = "server_busy";

/**
 * What to do with a record after a send attempt. Rate limits, server errors, timeouts and lost
 * connections are temporary ("retry"); refusals of the note itself are permanent ("refused"); an
 * unknown error is treated as temporary, so nothing is ever dropped on a guess.
 */
export function outcomeOf(result: SendResult): Outcome {
  if (result.ok) return { type: "delivered", receipt: result.data };
  if (PERMANENT_ERRORS.has(result.error)) return { type: "refused", error: refusalKey(result) };
  const hint = result.retryAfterMs;
  if (typeof hint === "number" && Number.isFinite(hint) && hint > 0) return { type: "retry", error: result.error, retryAfterMs: Math.min(RETRY_MAX_MS, Math.ceil(hint)) };
  return { type: "retry", error: result.error };
}

/** The most telling key for a refusal: a field's reason when the form was invalid. */
function refusalKey(result: { error: string; fields?: Record<string, string[]> }): string {
  if (result.error !== "invalid_input" || !result.fields) return result.error;
  const text = result.fields.text?.[0];
  if (text === "too_long") return "note_too_long";
  if (text === "required") return "note_empty";
  return result.error;
}

/** The record after an outcome: null when it leaves the outbox, the same record to keep trying. */
export function recordAfter(record: OutboxRecord, outcome: Outcome): OutboxRecord | null {
  if (outcome.type === "delivered") return null;
  if (outcome.type === "refused") return { ...record, state: "refused", error: outcome.error };
  return record;
}

export const RETRY_BASE_MS = 2_000;
export const RETRY_MAX_MS = 60_000;

/** Delay before the next attempt after `failures` failed ones in a row: doubling, capped, with jitter. */
export function retryDelayMs(failures: number, random: number = Math.random()): number {
  const exp = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
  // Between half and the whole delay, so that a room of phones does not come back in step.
  return Math.round(exp / 2 + (exp / 2) * Math.min(1, Math.max(0, random)));
}

/**
 * Delay before the next attempt after a "retry" outcome, `failures` failed attempts in a row included.
 * A busy server's hint is a floor (between the hint and one and a half times it, so that a room of
 * phones told the same thing does not come back in step); the growing delay still applies when it is
 * longer, so a server that stays busy is asked less and less often.
 */
export function nextAttemptMs(outcome: { retryAfterMs?: number }, failures: number, random: number = Math.random()): number {
  const backoff = retryDelayMs(failures, random);
  if (!outcome.retryAfterMs) return backoff;
  const hinted = outcome.retryAfterMs * (1 + 0.5 * Math.min(1, Math.max(0, random)));
  return Math.round(Math.max(backoff, Math.min(RETRY_MAX_MS, hinted)));
}

/**
 * Splits the device's records: those this person may send or see (theirs, for this session), and how
 * many wait for someone else (their text is never shown).
 */
export function partitionRecords(records: readonly OutboxRecord[], userId: string, sessionId: string): { mine: OutboxRecord[]; othersWaiting: number } {
  const mine = records.filter((r) => r.userId === userId && r.sessionId === sessionId).sort((a, b) => a.createdAt - b.createdAt);
  const othersWaiting = records.filter((r) => r.userId !== userId && r.state === "pending").length;
  return { mine, othersWaiting };
}

/** The records to send now, oldest first: this person's pending ones only. */
export function sendable(records: readonly OutboxRecord[], userId: string, sessionId: string): OutboxRecord[] {
  return partitionRecords(records, userId, sessionId).mine.filter((r) => r.state === "pending");
}
