/**
 * The speaker queue's pure rules (app/models/queue.ts): point of order, then direct reply, then new
 * point; first come first served within a kind; one hand per person.
 */
import fc from "fast-check";
import { HAND_KINDS, lower, MAX_QUEUE, orderQueue, positionOf, QueueRuleError, raise, type HandKind, type QueueEntry } from "../../app/models/queue";

let seq = 0;
function hand(userId: string, kind: HandKind): QueueEntry {
  seq += 1;
  return { id: `e-${userId}-${seq}`, userId, kind, seq };
}

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof QueueRuleError) return e.reason;
    throw e;
  }
  throw new Error("expected a QueueRuleError");
}

describe("queue order", () => {
  it("puts points of order first, then direct replies, then new points, first come first served within each", () => {
    const entries = [hand("ana", "new"), hand("ben", "reply"), hand("cy", "new"), hand("dee", "order"), hand("eve", "reply"), hand("fay", "order")];
    expect(orderQueue(entries).map((e) => e.userId)).toEqual(["dee", "fay", "ben", "eve", "ana", "cy"]);
  });

  it("does not reorder the array it was given", () => {
    const entries = [hand("ana", "new"), hand("ben", "order")];
    const copy = [...entries];
    orderQueue(entries);
    expect(entries).toEqual(copy);
  });

  it("orders by kind, then by arrival, for any queue (property)", () => {
    const rank: Record<HandKind, number> = { order: 0, reply: 1, new: 2 };
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...HAND_KINDS), { maxLength: 40 }), (kinds) => {
        const entries = kinds.map((kind, i) => ({ id: `e${i}`, userId: `u${i}`, kind, seq: i + 1 }));
        const ordered = orderQueue(entries);
        expect(ordered).toHaveLength(entries.length);
        expect(new Set(ordered.map((e) => e.id)).size).toBe(entries.length);
        for (let i = 1; i < ordered.length; i++) {
          const [a, b] = [ordered[i - 1], ordered[i]];
          expect(rank[a.kind] < rank[b.kind] || (a.kind === b.kind && a.seq < b.seq)).toBe(true);
        }
      }),
    );
  });
});

describe("positionOf", () => {
  it("is the 1-based place in the ordered queue, or null", () => {
    const entries = [hand("ana", "new"), hand("ben", "reply"), hand("cy", "order")];
    expect(positionOf(entries, "cy")).toBe(1);
    expect(positionOf(entries, "ben")).toBe(2);
    expect(positionOf(entries, "ana")).toBe(3);
    expect(positionOf(entries, "nobody")).toBeNull();
    expect(positionOf([], "ana")).toBeNull();
  });

  it("moves back when a point of order arrives", () => {
    let entries = [hand("ana", "new")];
    expect(positionOf(entries, "ana")).toBe(1);
    entries = raise(entries, hand("ben", "order"));
    expect(positionOf(entries, "ana")).toBe(2);
  });
});

describe("raise and lower", () => {
  it("allows one hand per person, whatever the kind", () => {
    const entries = raise([], hand("ana", "new"));
    expect(reasonOf(() => raise(entries, hand("ana", "new")))).toBe("already_in_queue");
    expect(reasonOf(() => raise(entries, hand("ana", "order")))).toBe("already_in_queue");
    expect(raise(entries, hand("ben", "new"))).toHaveLength(2);
  });

  it("does not change the queue it was given", () => {
    const entries = raise([], hand("ana", "new"));
    raise(entries, hand("ben", "new"));
    lower(entries, "ana");
    expect(entries.map((e) => e.userId)).toEqual(["ana"]);
  });

  it("lowers only the person's own hand, and refuses when they have none", () => {
    const entries = [hand("ana", "new"), hand("ben", "reply")];
    expect(lower(entries, "ana").map((e) => e.userId)).toEqual(["ben"]);
    expect(reasonOf(() => lower(entries, "cy"))).toBe("not_in_queue");
    // Lowered, the hand can be raised again with another kind.
    expect(raise(lower(entries, "ana"), hand("ana", "order")).map((e) => e.kind)).toEqual(["reply", "order"]);
  });

  it("refuses a hand once the queue is full", () => {
    const full = Array.from({ length: MAX_QUEUE }, (_, i) => ({ id: `e${i}`, userId: `u${i}`, kind: "new" as const, seq: i + 1 }));
    expect(reasonOf(() => raise(full, hand("late", "order")))).toBe("queue_full");
    expect(raise(full.slice(1), hand("late", "order"))).toHaveLength(MAX_QUEUE);
  });
});
