import { createLoadShedder } from "../../app/utils/load.server";

/** A clock the test moves by hand: a "blocked" event loop is time passing without the timer firing. */
function clock() {
  let t = 0;
  return {
    now: () => t,
    /** Time passes with the loop blocked: the timer does not fire. */
    pass: (ms: number) => (t += ms),
    /** Time passes with the loop free: the timer fires on time. */
    run(ms: number) {
      for (let left = ms; left > 0; left -= 10) {
        t += Math.min(10, left);
        vi.advanceTimersByTime(Math.min(10, left));
      }
    },
  };
}

describe("load shedding on event-loop lag", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("is not busy while the sampling timer fires on time", () => {
    const c = clock();
    const load = createLoadShedder({ maxLagMs: 200, sampleMs: 100, holdMs: 1_000, retryAfterMs: 2_000, now: c.now });
    for (let i = 0; i < 50; i++) {
      c.run(100);
      expect(load.check()).toEqual({ busy: false });
    }
    expect(load.stats()).toMatchObject({ shed: 0, episodes: 0 });
    load.stop();
  });

  it("sees a lag still under way at once, before the timer had a chance to fire, and stays busy for the hold", () => {
    const c = clock();
    const load = createLoadShedder({ maxLagMs: 200, sampleMs: 100, holdMs: 1_000, retryAfterMs: 2_000, now: c.now });
    c.pass(700); // the loop was blocked for 700 ms; the timer has not run
    expect(load.check()).toEqual({ busy: true, retryAfterMs: 2_000, lagMs: 600 });
    // The timer (due at 100 ms) fires as soon as the loop is free, 600 ms late, then on time again:
    // still busy until the hold ends.
    vi.advanceTimersByTime(100);
    c.run(990);
    expect(load.check()).toMatchObject({ busy: true });
    c.run(20);
    expect(load.check()).toEqual({ busy: false });
    expect(load.stats()).toMatchObject({ shed: 2, episodes: 1, worstLagMs: 600 });
    load.stop();
  });

  it("sees a lag the timer measured, and tells clients to wait at least what remains of the hold", () => {
    const c = clock();
    const load = createLoadShedder({ maxLagMs: 200, sampleMs: 100, holdMs: 5_000, retryAfterMs: 1_000, now: c.now });
    c.pass(400); // the loop is blocked: the timer due at 100 ms fires at 400 ms, 300 ms late
    vi.advanceTimersByTime(100);
    expect(load.check()).toEqual({ busy: true, retryAfterMs: 5_000, lagMs: 0 });
    c.run(4_500);
    expect(load.check()).toMatchObject({ busy: true, retryAfterMs: 1_000 });
    c.run(600);
    expect(load.check()).toEqual({ busy: false });
    load.stop();
  });

  it("never sheds when turned off (0)", () => {
    const c = clock();
    const load = createLoadShedder({ maxLagMs: 0, now: c.now });
    c.pass(60_000);
    expect(load.check()).toEqual({ busy: false });
    expect(load.stats().enabled).toBe(false);
    load.stop();
  });
});
