/**
 * The browser outbox's behaviour with a socket.io client in Node: the same rules (app/notes/outbox.ts:
 * what an answer means for a record, when to try again, never sooner than a busy server asked) and the
 * same sending discipline as app/notes/use-outbox.ts and app/realtime/room.ts: records kept until
 * acknowledged, sent oldest first one at a time, "offline" at once when the socket is not connected, a
 * timeout when no answer comes, and the same client id on every attempt. Records live in a Map
 * instead of IndexedDB.
 */
import type { Socket } from "socket.io-client";
import type { NoteReceipt } from "../../app/models/notes";
import { newClientId } from "../../app/models/notes";
import { nextAttemptMs, outcomeOf, recordAfter, type SendResult } from "../../app/notes/outbox";
import type { OutboxRecord } from "../../app/notes/outbox-schema";
import type { ClientToServerEvents, ServerToClientEvents } from "../../app/realtime/events";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Draft = { itemId: string; text: string; kind?: string; themeIds?: string[] };

export class TestOutbox {
  private readonly records = new Map<string, OutboxRecord>();
  /** Every acknowledged note: client id -> the receipt of the attempt that delivered it. */
  readonly delivered = new Map<string, NoteReceipt>();
  /** Every answer, in order (for the figures a test reports). */
  readonly answers: { clientId: string; result: SendResult }[] = [];
  private failures = 0;
  private created = 0;

  constructor(
    private readonly socket: () => ClientSocket,
    readonly userId: string,
    readonly sessionId: string,
    private readonly options: { ackTimeoutMs?: number; random?: () => number } = {},
  ) {}

  add(draft: Draft, clientId: string = newClientId()): OutboxRecord {
    const record: OutboxRecord = { clientId, userId: this.userId, sessionId: this.sessionId, itemId: draft.itemId, kind: draft.kind ?? "point", themeIds: draft.themeIds ?? [], text: draft.text, createdAt: ++this.created, state: "pending" };
    this.records.set(clientId, record);
    return record;
  }

  pending(): OutboxRecord[] {
    return [...this.records.values()].filter((r) => r.state === "pending");
  }

  refused(): OutboxRecord[] {
    return [...this.records.values()].filter((r) => r.state === "refused");
  }

  /** One attempt, as room.ts's call(): "offline" at once when not connected, "timeout" without an answer. */
  private async send(record: OutboxRecord): Promise<SendResult> {
    const socket = this.socket();
    if (!socket.connected) return { ok: false, error: "offline" };
    const { clientId, itemId, kind, themeIds, text } = record;
    try {
      return (await socket.timeout(this.options.ackTimeoutMs ?? 10_000).emitWithAck("notes:submit", { sessionId: this.sessionId, clientId, itemId, kind, themeIds, text })) as SendResult;
    } catch {
      return { ok: false, error: "timeout" };
    }
  }

  /**
   * One flush, as use-outbox.ts does it: pending records oldest first, one at a time, until the first
   * answer that says "later". Resolves with the delay before the next attempt, or null when nothing
   * is left to send.
   */
  async flush(): Promise<number | null> {
    for (const record of this.pending()) {
      const result = await this.send(record);
      this.answers.push({ clientId: record.clientId, result });
      const outcome = outcomeOf(result);
      const next = recordAfter(record, outcome);
      if (outcome.type === "delivered") {
        this.failures = 0;
        this.records.delete(record.clientId);
        this.delivered.set(record.clientId, outcome.receipt);
      } else if (outcome.type === "refused" && next) {
        this.records.set(record.clientId, next);
      } else if (outcome.type === "retry") {
        this.failures += 1;
        return nextAttemptMs(outcome, this.failures, this.options.random?.() ?? Math.random());
      }
    }
    return null;
  }

  /** Flushes until nothing is pending, waiting between attempts as told (bounded in time). */
  async drain(options: { timeoutMs?: number; what?: string } = {}): Promise<void> {
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    for (;;) {
      const wait = await this.flush();
      if (wait === null) return;
      if (Date.now() + wait > deadline) throw new Error(`${options.what ?? "the outbox"} still holds ${this.pending().length} notes (last answers: ${JSON.stringify(this.answers.slice(-3).map((a) => a.result))})`);
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  /** Answers of one kind of error (busy, timeout, offline...). */
  count(error: string): number {
    return this.answers.filter((a) => !a.result.ok && a.result.error === error).length;
  }
}
