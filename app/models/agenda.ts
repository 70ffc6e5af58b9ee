/**
 * The live agenda's rules, pure: the state machine of an agenda item and the countdown arithmetic.
 * Times are server milliseconds; clients receive *remaining* milliseconds, never a deadline, so a
 * phone with a wrong clock still counts down correctly.
 */

export const ITEM_STATES = ["pending", "running", "paused", "done", "skipped"] as const;
export type ItemState = (typeof ITEM_STATES)[number];

export type ItemClock = {
  state: ItemState;
  plannedMs: number;
  extendedMs: number;
  /** Time spent running before the current run (pauses excluded). */
  elapsedBeforeMs: number;
  /** When the current run began (running only). */
  runningSince: number | null;
};

export const AGENDA_COMMANDS = ["start", "pause", "resume", "extend", "end", "skip"] as const;
export type AgendaCommand = (typeof AGENDA_COMMANDS)[number];

export class AgendaRuleError extends Error {
  constructor(readonly reason: "item_not_pending" | "item_not_running" | "item_not_paused" | "item_finished" | "extend_invalid") {
    super(reason);
  }
}

export function elapsedMs(clock: ItemClock, now: number): number {
  return clock.elapsedBeforeMs + (clock.state === "running" && clock.runningSince !== null ? Math.max(0, now - clock.runningSince) : 0);
}

/** Remaining time; negative when the item overruns. */
export function remainingMs(clock: ItemClock, now: number): number {
  return clock.plannedMs + clock.extendedMs - elapsedMs(clock, now);
}

export type Countdown = { state: ItemState; remainingMs: number; overrun: boolean; running: boolean };

export function countdown(clock: ItemClock, now: number): Countdown {
  const remaining = remainingMs(clock, now);
  return { state: clock.state, remainingMs: remaining, overrun: remaining < 0, running: clock.state === "running" };
}

/** "12:05", "-1:30" (overrun), "1:02:03" for long items. Seconds are rounded towards the deadline. */
export function formatRemaining(ms: number): string {
  const negative = ms < 0;
  const total = negative ? Math.floor(-ms / 1000) : Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const body = h > 0 ? `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}` : `${m}:${String(s).padStart(2, "0")}`;
  return negative ? `-${body}` : body;
}

export const MAX_EXTEND_MS = 60 * 60 * 1000;

/** Applies one command to one item. Starting an item while another runs is handled by the caller. */
export function applyCommand(clock: ItemClock, command: AgendaCommand, now: number, extendBy = 0): ItemClock {
  switch (command) {
    case "start":
      if (clock.state !== "pending") throw new AgendaRuleError("item_not_pending");
      return { ...clock, state: "running", runningSince: now };
    case "pause":
      if (clock.state !== "running") throw new AgendaRuleError("item_not_running");
      return { ...clock, state: "paused", elapsedBeforeMs: elapsedMs(clock, now), runningSince: null };
    case "resume":
      if (clock.state !== "paused") throw new AgendaRuleError("item_not_paused");
      return { ...clock, state: "running", runningSince: now };
    case "extend":
      if (!Number.isInteger(extendBy) || extendBy <= 0 || extendBy > MAX_EXTEND_MS) throw new AgendaRuleError("extend_invalid");
      if (clock.state === "done" || clock.state === "skipped") throw new AgendaRuleError("item_finished");
      return { ...clock, extendedMs: clock.extendedMs + extendBy };
    case "end":
      if (clock.state !== "running" && clock.state !== "paused") throw new AgendaRuleError("item_not_running");
      return { ...clock, state: "done", elapsedBeforeMs: elapsedMs(clock, now), runningSince: null };
    case "skip":
      if (clock.state !== "pending") throw new AgendaRuleError("item_not_pending");
      return { ...clock, state: "skipped" };
  }
}

/** The item that holds the floor: running, else paused. At most one by construction. */
export function currentItem<T extends { state: ItemState }>(items: T[]): T | null {
  return items.find((i) => i.state === "running") ?? items.find((i) => i.state === "paused") ?? null;
}

/**
 * Reordering: only pending items move, and only among the pending items' places, so what already
 * happened keeps its order. Returns the new order of ids, or null when `order` is not a permutation
 * of the pending items.
 */
export function reorderPending(items: { id: string; state: ItemState }[], pendingOrder: string[]): string[] | null {
  const pending = items.filter((i) => i.state === "pending").map((i) => i.id);
  if (pendingOrder.length !== pending.length || new Set(pendingOrder).size !== pending.length || !pendingOrder.every((id) => pending.includes(id))) return null;
  let next = 0;
  return items.map((i) => (i.state === "pending" ? pendingOrder[next++] : i.id));
}
