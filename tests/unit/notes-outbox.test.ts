import type { NoteReceipt, NoteView } from "../../app/models/notes";
import { BUSY_ERROR, nextAttemptMs, outcomeOf, partitionRecords, PERMANENT_ERRORS, recordAfter, RETRY_BASE_MS, RETRY_MAX_MS, retryDelayMs, sendable } from "../../app/notes/outbox";
import { OUTBOX_DB_NAME, OUTBOX_DB_VERSION, OUTBOX_KEY_PATH, OUTBOX_STORE, OUTBOX_USER_INDEX, type OutboxRecord } from "../../app/notes/outbox-schema";

const note: NoteView = { id: "n1", itemId: "i1", kind: "point", themeIds: [], text: "t", status: "visible", highlighted: false, attributionMode: "chatham_house", author: null, minute: 0, edited: false, mergedIntoId: null };
const receipt = (outcome: "sent" | "held"): NoteReceipt => ({ note, duplicate: false, outcome, findings: [] });

function record(over: Partial<OutboxRecord> = {}): OutboxRecord {
  return { clientId: "a".repeat(32), userId: "u1", sessionId: "s1", itemId: "i1", kind: "point", themeIds: [], text: "Une note", createdAt: 1, state: "pending", ...over };
}

describe("outbox schema", () => {
  it("is the one the offline page reads: parley-outbox v1, store notes keyed by clientId, index byUser", () => {
    expect([OUTBOX_DB_NAME, OUTBOX_DB_VERSION, OUTBOX_STORE, OUTBOX_KEY_PATH, OUTBOX_USER_INDEX]).toEqual(["parley-outbox", 1, "notes", "clientId", "byUser"]);
  });
});

describe("what an acknowledgement means for a record", () => {
  it("leaves the outbox once acknowledged, sent or held", () => {
    for (const kind of ["sent", "held"] as const) {
      const outcome = outcomeOf({ ok: true, data: receipt(kind) });
      expect(outcome).toEqual({ type: "delivered", receipt: receipt(kind) });
      expect(recordAfter(record(), outcome)).toBeNull();
    }
  });

  it("keeps a permanently refused note as refused, with the reason", () => {
    for (const error of ["session_finalised", "item_not_found", "item_not_started", "theme_unknown", "client_id_taken", "forbidden", "session_not_found"]) {
      expect(PERMANENT_ERRORS.has(error)).toBe(true);
      const outcome = outcomeOf({ ok: false, error });
      expect(outcome).toEqual({ type: "refused", error });
      expect(recordAfter(record(), outcome)).toEqual({ ...record(), state: "refused", error });
    }
  });

  it("names the field when the note itself was invalid", () => {
    expect(outcomeOf({ ok: false, error: "invalid_input", fields: { text: ["too_long"] } })).toEqual({ type: "refused", error: "note_too_long" });
    expect(outcomeOf({ ok: false, error: "invalid_input", fields: { text: ["required"] } })).toEqual({ type: "refused", error: "note_empty" });
    expect(outcomeOf({ ok: false, error: "invalid_input", fields: { kind: ["choice_invalid"] } })).toEqual({ type: "refused", error: "invalid_input" });
  });

  it("keeps trying, unchanged, after a rate limit, a server error, a timeout, a lost connection or anything unknown", () => {
    for (const error of ["notes_rate_limited", "rate_limited", "internal", "timeout", "offline", "unauthenticated", "something_new"]) {
      const outcome = outcomeOf({ ok: false, error });
      expect(outcome).toEqual({ type: "retry", error });
      expect(recordAfter(record(), outcome)).toEqual(record());
    }
  });
});

describe("retry delays", () => {
  it("double after each failure, between half and the whole delay, up to a minute", () => {
    expect(retryDelayMs(1, 0)).toBe(RETRY_BASE_MS / 2);
    expect(retryDelayMs(1, 1)).toBe(RETRY_BASE_MS);
    expect(retryDelayMs(2, 1)).toBe(RETRY_BASE_MS * 2);
    expect(retryDelayMs(3, 0.5)).toBe(Math.round(RETRY_BASE_MS * 4 * 0.75));
    expect(retryDelayMs(50, 1)).toBe(RETRY_MAX_MS);
    expect(retryDelayMs(50, 0)).toBe(RETRY_MAX_MS / 2);
    expect(retryDelayMs(0, 1)).toBe(RETRY_BASE_MS);
  });
});

describe("a busy server", () => {
  it("keeps the note, unchanged, and remembers when the server asked to be asked again", () => {
    const outcome = outcomeOf({ ok: false, error: BUSY_ERROR, retryAfterMs: 2_000 });
    expect(outcome).toEqual({ type: "retry", error: "server_busy", retryAfterMs: 2_000 });
    expect(recordAfter(record(), outcome)).toEqual(record());
  });

  it("never sends again sooner than asked, spreads a room's phones over half as long again, and still backs off", () => {
    const busy = { retryAfterMs: 5_000 };
    // First failure: the growing delay (1-2 s) is shorter than the server's 5 s, which wins.
    expect(nextAttemptMs(busy, 1, 0)).toBe(5_000);
    expect(nextAttemptMs(busy, 1, 1)).toBe(7_500);
    for (let i = 0; i <= 10; i++) expect(nextAttemptMs(busy, 1, i / 10)).toBeGreaterThanOrEqual(5_000);
    // A server that stays busy is asked less and less often: the growing delay takes over.
    expect(nextAttemptMs(busy, 6, 1)).toBe(retryDelayMs(6, 1));
    expect(nextAttemptMs(busy, 50, 1)).toBe(RETRY_MAX_MS);
    // Without a hint, the usual growing delay.
    expect(nextAttemptMs({}, 3, 0.5)).toBe(retryDelayMs(3, 0.5));
  });

  it("takes an absurd or broken hint for what it is: capped at the longest delay, ignored when not a positive number", () => {
    expect(outcomeOf({ ok: false, error: BUSY_ERROR, retryAfterMs: 10 * 60_000 })).toEqual({ type: "retry", error: "server_busy", retryAfterMs: RETRY_MAX_MS });
    expect(nextAttemptMs(outcomeOf({ ok: false, error: BUSY_ERROR, retryAfterMs: 10 * 60_000 }) as { retryAfterMs?: number }, 1, 1)).toBe(RETRY_MAX_MS);
    for (const retryAfterMs of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(outcomeOf({ ok: false, error: BUSY_ERROR, retryAfterMs })).toEqual({ type: "retry", error: "server_busy" });
    }
  });
});

describe("whose records are sent", () => {
  const mine1 = record({ clientId: "1".repeat(32), createdAt: 20 });
  const mine2 = record({ clientId: "2".repeat(32), createdAt: 10 });
  const refused = record({ clientId: "3".repeat(32), state: "refused", error: "session_finalised" });
  const otherSession = record({ clientId: "4".repeat(32), sessionId: "s2" });
  const otherPerson = record({ clientId: "5".repeat(32), userId: "u2", text: "secret" });
  const otherRefused = record({ clientId: "6".repeat(32), userId: "u2", state: "refused" });
  const all = [mine1, mine2, refused, otherSession, otherPerson, otherRefused];

  it("sends only the signed-in person's pending notes for this session, oldest first", () => {
    expect(sendable(all, "u1", "s1")).toEqual([mine2, mine1]);
    expect(sendable(all, "u2", "s1").map((r) => r.clientId)).toEqual([otherPerson.clientId]);
  });

  it("shows one's own (refused ones too) and only counts other people's waiting notes", () => {
    const { mine, othersWaiting } = partitionRecords(all, "u1", "s1");
    expect(mine.map((r) => r.clientId).sort()).toEqual([mine1, mine2, refused].map((r) => r.clientId).sort());
    expect(othersWaiting).toBe(1);
    expect(mine.some((r) => r.text === "secret")).toBe(false);
  });
});
