/**
 * The agenda's pure rules (app/models/agenda.ts): the item state machine, the countdown arithmetic
 * (remaining time only, never a deadline), its display, and reordering.
 */
import {
  AGENDA_COMMANDS,
  AgendaRuleError,
  applyCommand,
  countdown,
  currentItem,
  elapsedMs,
  formatRemaining,
  ITEM_STATES,
  MAX_EXTEND_MS,
  remainingMs,
  reorderPending,
  type AgendaCommand,
  type ItemClock,
  type ItemState,
} from "../../app/models/agenda";

const MIN = 60_000;
const T0 = 1_000_000;

function clock(state: ItemState, overrides: Partial<ItemClock> = {}): ItemClock {
  return { state, plannedMs: 10 * MIN, extendedMs: 0, elapsedBeforeMs: 0, runningSince: state === "running" ? T0 : null, ...overrides };
}

/** The expected transition table, written out independently: the next state, or the refusal. */
const TABLE: Record<AgendaCommand, Record<ItemState, ItemState | AgendaRuleError["reason"]>> = {
  start: { pending: "running", running: "item_not_pending", paused: "item_not_pending", done: "item_not_pending", skipped: "item_not_pending" },
  pause: { pending: "item_not_running", running: "paused", paused: "item_not_running", done: "item_not_running", skipped: "item_not_running" },
  resume: { pending: "item_not_paused", running: "item_not_paused", paused: "running", done: "item_not_paused", skipped: "item_not_paused" },
  extend: { pending: "pending", running: "running", paused: "paused", done: "item_finished", skipped: "item_finished" },
  end: { pending: "item_not_running", running: "done", paused: "done", done: "item_not_running", skipped: "item_not_running" },
  skip: { pending: "skipped", running: "item_not_pending", paused: "item_not_pending", done: "item_not_pending", skipped: "item_not_pending" },
};

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AgendaRuleError) return e.reason;
    throw e;
  }
  throw new Error("expected an AgendaRuleError");
}

describe("item state machine", () => {
  it("covers every command and every state", () => {
    expect(Object.keys(TABLE).sort()).toEqual([...AGENDA_COMMANDS].sort());
    for (const cmd of AGENDA_COMMANDS) expect(Object.keys(TABLE[cmd]).sort()).toEqual([...ITEM_STATES].sort());
  });

  for (const cmd of AGENDA_COMMANDS) {
    for (const state of ITEM_STATES) {
      const expected = TABLE[cmd][state];
      const allowed = (ITEM_STATES as readonly string[]).includes(expected);
      it(`${cmd} from ${state}: ${allowed ? `-> ${expected}` : `refused (${expected})`}`, () => {
        const before = clock(state, state === "paused" || state === "done" ? { elapsedBeforeMs: 2 * MIN } : {});
        const frozen = structuredClone(before);
        const run = () => applyCommand(before, cmd, T0 + MIN, cmd === "extend" ? 5 * MIN : 0);
        if (allowed) expect(run().state).toBe(expected);
        else expect(reasonOf(run)).toBe(expected);
        // A command never changes the clock it was given.
        expect(before).toEqual(frozen);
      });
    }
  }

  it("start records when the run began; pause folds the run into the elapsed time", () => {
    const started = applyCommand(clock("pending"), "start", T0);
    expect(started).toMatchObject({ state: "running", runningSince: T0, elapsedBeforeMs: 0 });
    const paused = applyCommand(started, "pause", T0 + 3 * MIN);
    expect(paused).toMatchObject({ state: "paused", runningSince: null, elapsedBeforeMs: 3 * MIN });
    const resumed = applyCommand(paused, "resume", T0 + 10 * MIN);
    expect(resumed).toMatchObject({ state: "running", runningSince: T0 + 10 * MIN, elapsedBeforeMs: 3 * MIN });
    const ended = applyCommand(resumed, "end", T0 + 11 * MIN);
    expect(ended).toMatchObject({ state: "done", runningSince: null, elapsedBeforeMs: 4 * MIN });
  });

  it("ending a paused item keeps the elapsed time of its runs only", () => {
    const paused = clock("paused", { elapsedBeforeMs: 4 * MIN });
    expect(applyCommand(paused, "end", T0 + 50 * MIN)).toMatchObject({ state: "done", elapsedBeforeMs: 4 * MIN });
  });

  it("extend adds to the extension and accepts only whole positive amounts up to the maximum", () => {
    const once = applyCommand(clock("running"), "extend", T0, 2 * MIN);
    const twice = applyCommand(once, "extend", T0, 3 * MIN);
    expect(twice.extendedMs).toBe(5 * MIN);
    expect(applyCommand(clock("pending"), "extend", T0, MAX_EXTEND_MS).extendedMs).toBe(MAX_EXTEND_MS);
    for (const bad of [0, -1, 1.5, MAX_EXTEND_MS + 1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(reasonOf(() => applyCommand(clock("running"), "extend", T0, bad))).toBe("extend_invalid");
    }
    // An invalid amount is reported as such whatever the state.
    expect(reasonOf(() => applyCommand(clock("done"), "extend", T0, 0))).toBe("extend_invalid");
  });
});

describe("countdown", () => {
  it("decreases only while running", () => {
    let c = applyCommand(clock("pending"), "start", T0);
    expect(remainingMs(c, T0)).toBe(10 * MIN);
    expect(remainingMs(c, T0 + 4 * MIN)).toBe(6 * MIN);
    c = applyCommand(c, "pause", T0 + 4 * MIN);
    // Paused: the remaining time stays put however long the pause.
    expect(remainingMs(c, T0 + 4 * MIN)).toBe(6 * MIN);
    expect(remainingMs(c, T0 + 60 * MIN)).toBe(6 * MIN);
    expect(countdown(c, T0 + 60 * MIN)).toEqual({ state: "paused", remainingMs: 6 * MIN, overrun: false, running: false });
    c = applyCommand(c, "resume", T0 + 60 * MIN);
    expect(remainingMs(c, T0 + 61 * MIN)).toBe(5 * MIN);
    expect(elapsedMs(c, T0 + 61 * MIN)).toBe(5 * MIN);
  });

  it("a pending item shows its planned time and does not count down", () => {
    const c = clock("pending");
    expect(remainingMs(c, T0 + 99 * MIN)).toBe(10 * MIN);
    expect(countdown(c, T0 + 99 * MIN)).toEqual({ state: "pending", remainingMs: 10 * MIN, overrun: false, running: false });
  });

  it("extensions add to the remaining time, even while paused", () => {
    let c = applyCommand(clock("pending"), "start", T0);
    c = applyCommand(c, "extend", T0 + MIN, 5 * MIN);
    expect(remainingMs(c, T0 + MIN)).toBe(14 * MIN);
    c = applyCommand(c, "pause", T0 + 2 * MIN);
    c = applyCommand(c, "extend", T0 + 3 * MIN, MIN);
    expect(remainingMs(c, T0 + 30 * MIN)).toBe(14 * MIN);
  });

  it("goes negative on overrun and says so", () => {
    const c = applyCommand(clock("pending", { plannedMs: MIN }), "start", T0);
    expect(countdown(c, T0 + MIN)).toEqual({ state: "running", remainingMs: 0, overrun: false, running: true });
    expect(countdown(c, T0 + MIN + 1)).toMatchObject({ remainingMs: -1, overrun: true });
    expect(countdown(c, T0 + MIN + 90_000)).toEqual({ state: "running", remainingMs: -90_000, overrun: true, running: true });
    // Extending an overrunning item brings it back into time.
    const extended = applyCommand(c, "extend", T0 + MIN + 90_000, 2 * MIN);
    expect(countdown(extended, T0 + MIN + 90_000)).toMatchObject({ remainingMs: 30_000, overrun: false });
  });

  it("a done item keeps its final remaining time (negative when it overran)", () => {
    let c = applyCommand(clock("pending", { plannedMs: MIN }), "start", T0);
    c = applyCommand(c, "end", T0 + 2 * MIN);
    expect(countdown(c, T0 + 90 * MIN)).toEqual({ state: "done", remainingMs: -MIN, overrun: true, running: false });
  });

  it("never counts time before the run began (a clock that steps back)", () => {
    const c = clock("running", { runningSince: T0, elapsedBeforeMs: MIN });
    expect(elapsedMs(c, T0 - 5 * MIN)).toBe(MIN);
    expect(remainingMs(c, T0 - 5 * MIN)).toBe(9 * MIN);
  });
});

describe("formatRemaining", () => {
  it.each([
    [0, "0:00"],
    [5_000, "0:05"],
    [59_000, "0:59"],
    [60_000, "1:00"],
    [725_000, "12:05"],
    [3_599_000, "59:59"],
    [3_600_000, "1:00:00"],
    [3_723_000, "1:02:03"],
    [10 * 3_600_000 + 5_000, "10:00:05"],
    [-90_000, "-1:30"],
    [-3_723_000, "-1:02:03"],
  ])("%i ms -> %s", (ms, text) => {
    expect(formatRemaining(ms)).toBe(text);
  });

  it("rounds towards the deadline: up before it, down after it", () => {
    // Before the deadline, a part-second still to go shows as a whole second.
    expect(formatRemaining(1)).toBe("0:01");
    expect(formatRemaining(724_001)).toBe("12:05");
    expect(formatRemaining(725_999)).toBe("12:06");
    expect(formatRemaining(59_999)).toBe("1:00");
    // After it, only whole seconds of overrun count.
    expect(formatRemaining(-90_999)).toBe("-1:30");
    expect(formatRemaining(-91_000)).toBe("-1:31");
  });

  it("marks any overrun as such", () => {
    for (const ms of [-1, -999, -1000, -60_000]) expect(formatRemaining(ms).startsWith("-")).toBe(true);
    for (const ms of [0, 1, 999, 60_000]) expect(formatRemaining(ms).startsWith("-")).toBe(false);
  });
});

describe("currentItem", () => {
  it("is the running item, else the paused one, else none", () => {
    const items = (states: ItemState[]) => states.map((state, i) => ({ id: `i${i}`, state }));
    expect(currentItem(items(["done", "running", "pending"]))?.id).toBe("i1");
    expect(currentItem(items(["done", "paused", "pending"]))?.id).toBe("i1");
    expect(currentItem(items(["paused", "running"]))?.id).toBe("i1");
    expect(currentItem(items(["done", "skipped", "pending"]))).toBeNull();
    expect(currentItem([])).toBeNull();
  });
});

describe("reorderPending", () => {
  const items: { id: string; state: ItemState }[] = [
    { id: "a", state: "done" },
    { id: "b", state: "pending" },
    { id: "c", state: "running" },
    { id: "d", state: "pending" },
    { id: "e", state: "skipped" },
    { id: "f", state: "pending" },
  ];

  it("moves only pending items, among the pending items' places", () => {
    expect(reorderPending(items, ["f", "b", "d"])).toEqual(["a", "f", "c", "b", "e", "d"]);
    expect(reorderPending(items, ["b", "d", "f"])).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(reorderPending(items, ["d", "f", "b"])).toEqual(["a", "d", "c", "f", "e", "b"]);
  });

  it("rejects anything that is not a permutation of the pending items", () => {
    for (const order of [
      ["b", "d"], // one missing
      ["b", "d", "f", "f"], // one twice, too long
      ["b", "d", "d"], // duplicate
      ["b", "d", "c"], // the running item
      ["a", "d", "f"], // a done item
      ["b", "d", "zz"], // unknown
      [],
    ]) {
      expect(reorderPending(items, order)).toBeNull();
    }
  });

  it("accepts an empty order when nothing is pending", () => {
    expect(reorderPending([{ id: "a", state: "done" }], [])).toEqual(["a"]);
    expect(reorderPending([], [])).toEqual([]);
  });
});
