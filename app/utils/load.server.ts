/**
 * Load shedding: is this process too busy to take new notes? The signal is event-loop lag, the one
 * measure that covers every cause on a single-threaded server (domain work, fan-out, garbage
 * collection, a machine shared with other jobs): a timer is due every `sampleMs`; how late it fires is
 * how long every socket message, acknowledgement and fan-out tick is waiting. When the lag goes above
 * `maxLagMs` the process is busy for `holdMs` afterwards (so that a spike sheds the burst that follows
 * it, not only the one message that noticed it), and callers answer "busy, come back in
 * retryAfterMs" instead of doing the work. A lag still under way counts at once: a message processed
 * right after the loop was blocked sees it even before the timer has had a chance to fire.
 *
 * Per process, in memory: with several processes each sheds by its own lag, which is what matters
 * (docs/performance.md, "Durability and robustness").
 */
export type LoadShedderOptions = {
  /** Lag above which the process is busy; 0 turns shedding off. */
  maxLagMs: number;
  /** How often the lag is sampled. */
  sampleMs?: number;
  /** How long the process stays busy after a lag above the threshold. */
  holdMs?: number;
  /** What clients are told to wait before sending again (at least what remains of the hold). */
  retryAfterMs?: number;
  now?: () => number;
};

export type LoadVerdict = { busy: false } | { busy: true; retryAfterMs: number; lagMs: number };

export const LOAD_DEFAULTS = { sampleMs: 100, holdMs: 1_000, retryAfterMs: 2_000 };

export function createLoadShedder(options: LoadShedderOptions) {
  const { maxLagMs } = options;
  const sampleMs = options.sampleMs ?? LOAD_DEFAULTS.sampleMs;
  const holdMs = options.holdMs ?? LOAD_DEFAULTS.holdMs;
  const retryAfterMs = options.retryAfterMs ?? LOAD_DEFAULTS.retryAfterMs;
  const now = options.now ?? (() => performance.now());
  const enabled = maxLagMs > 0;

  let last = now();
  let busyUntil = -Infinity;
  let worstLag = 0;
  let shed = 0;
  let episodes = 0;

  function observe(lag: number, at: number) {
    if (lag <= maxLagMs) return;
    if (at >= busyUntil) episodes += 1;
    busyUntil = Math.max(busyUntil, at + holdMs);
    worstLag = Math.max(worstLag, lag);
  }

  const timer = enabled
    ? setInterval(() => {
        const at = now();
        observe(at - last - sampleMs, at);
        last = at;
      }, sampleMs)
    : null;
  timer?.unref();

  return {
    /** Whether to take on new work now; counts each refusal. */
    check(): LoadVerdict {
      if (!enabled) return { busy: false };
      const at = now();
      const ongoing = at - last - sampleMs;
      observe(ongoing, at);
      if (at >= busyUntil) return { busy: false };
      shed += 1;
      return { busy: true, retryAfterMs: Math.max(retryAfterMs, Math.ceil(busyUntil - at)), lagMs: Math.max(0, Math.round(ongoing)) };
    },
    /** Figures for logs and tests: refusals so far, busy episodes, the worst lag seen (ms). */
    stats() {
      return { shed, episodes, worstLagMs: Math.round(worstLag), enabled };
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
export type LoadShedder = ReturnType<typeof createLoadShedder>;
