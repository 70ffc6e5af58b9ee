/**
 * Rate limits for sign-in, joining and (later) note submission. Keyed so that a whole room behind
 * one venue address is not locked out: failures count per address, successes per account or code.
 * Counters live in memory (one process), or in Redis without persistence when several processes
 * share them (the composition root passes the limiter: docs/decisions/010-scale-out.md).
 */
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { memoryLimiter, type LimiterFactory } from "../models/stores.server";

export type LimitName = "signInPerAccount" | "signInFailuresPerAddress" | "joinFailuresPerAddress" | "joinPerCode" | "signUpPerAddress";

const LIMITS: Record<LimitName, { points: number; duration: number }> = {
  // 10 wrong passwords for one account in 15 minutes, from anywhere.
  signInPerAccount: { points: 10, duration: 15 * 60 },
  // 50 failed sign-ins from one address in 15 minutes (a venue's shared address has room to spare).
  signInFailuresPerAddress: { points: 50, duration: 15 * 60 },
  // 30 wrong join codes or dead invitation links from one address in 10 minutes (code guessing).
  joinFailuresPerAddress: { points: 30, duration: 10 * 60 },
  // 600 joins with one code in 10 minutes: a full plenary arriving at once still gets in.
  joinPerCode: { points: 600, duration: 10 * 60 },
  signUpPerAddress: { points: 20, duration: 60 * 60 },
};

export function createRateLimits(overrides: Partial<Record<LimitName, { points: number; duration: number }>> = {}, limiter: LimiterFactory = memoryLimiter) {
  const limiters = Object.fromEntries(
    (Object.keys(LIMITS) as LimitName[]).map((name) => [name, limiter({ keyPrefix: name, ...LIMITS[name], ...overrides[name] })]),
  ) as Record<LimitName, RateLimiterAbstract>;

  return {
    /** True when the key still has room (does not consume). */
    async allowed(name: LimitName, key: string): Promise<{ ok: boolean; retryAfterSeconds: number }> {
      const res = await limiters[name].get(key);
      if (!res || res.remainingPoints > 0) return { ok: true, retryAfterSeconds: 0 };
      return { ok: false, retryAfterSeconds: Math.ceil(res.msBeforeNext / 1000) };
    },
    /** Counts one event; resolves false (with the wait) when the limit is exceeded. */
    async hit(name: LimitName, key: string): Promise<{ ok: boolean; retryAfterSeconds: number }> {
      try {
        await limiters[name].consume(key);
        return { ok: true, retryAfterSeconds: 0 };
      } catch (e) {
        if (e instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: Math.ceil(e.msBeforeNext / 1000) };
        throw e;
      }
    },
    async reset(name: LimitName, key: string) {
      await limiters[name].delete(key);
    },
  };
}
export type RateLimits = ReturnType<typeof createRateLimits>;
