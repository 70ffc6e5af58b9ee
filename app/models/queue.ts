/**
 * Speaker queue rules, pure. A point of order goes before everything, a direct reply before new
 * points (as facilitators run a "stack"); within a kind, first come first served.
 */

export const HAND_KINDS = ["new", "reply", "order"] as const;
export type HandKind = (typeof HAND_KINDS)[number];

const PRIORITY: Record<HandKind, number> = { order: 0, reply: 1, new: 2 };

export type QueueEntry = { id: string; userId: string; kind: HandKind; seq: number };

export function orderQueue<T extends QueueEntry>(entries: T[]): T[] {
  return [...entries].sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind] || a.seq - b.seq);
}

/** 1-based position of a person's hand in the ordered queue, or null. */
export function positionOf(entries: QueueEntry[], userId: string): number | null {
  const i = orderQueue(entries).findIndex((e) => e.userId === userId);
  return i === -1 ? null : i + 1;
}

export class QueueRuleError extends Error {
  constructor(readonly reason: "already_in_queue" | "not_in_queue" | "queue_full") {
    super(reason);
  }
}

export const MAX_QUEUE = 500;

/** One hand per person at a time; to change its kind, lower it and raise again. */
export function raise<T extends QueueEntry>(entries: T[], entry: T): T[] {
  if (entries.some((e) => e.userId === entry.userId)) throw new QueueRuleError("already_in_queue");
  if (entries.length >= MAX_QUEUE) throw new QueueRuleError("queue_full");
  return [...entries, entry];
}

export function lower<T extends QueueEntry>(entries: T[], userId: string): T[] {
  if (!entries.some((e) => e.userId === userId)) throw new QueueRuleError("not_in_queue");
  return entries.filter((e) => e.userId !== userId);
}
