/**
 * Several processes serving one session (docs/decisions/010-scale-out.md): what they share through one
 * Redis server, built only by the composition root (server.ts) when REDIS_URL is set.
 *
 * - socket.io's Redis streams adapter: every emit reaches the sockets of every process, and connection
 *   state recovery works whichever process a client comes back to;
 * - the speaker queue (user ids, no names), written with compare-and-set so that two processes never
 *   lose a hand;
 * - presence: per process, the people with a socket in each room, with a time to live renewed while the
 *   process lives (a process that dies drops out by itself);
 * - rate-limit counters (rate-limiter-flexible's Redis store).
 *
 * Redis must not persist any of it (Chatham House: who is in a room, who raised a hand): the server is
 * refused at start when Redis is configured to save to disk (docs/threat-model.md).
 */
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { Redis } from "ioredis";
import { randomBytes } from "node:crypto";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { SessionStanding } from "../models/permissions";
import { newVersion, type LimiterFactory, type PresenceStore, type QueueState, type QueueStore } from "../models/stores.server";
import type { Logger } from "./log.server";

const PREFIX = "parley:";
/** A queue left behind (a store that failed to drop it) expires after this long without a change. */
const QUEUE_TTL_MS = 24 * 60 * 60 * 1000;
/** A process's presence entries expire this long after its last renewal. */
export const PRESENCE_TTL_MS = 30_000;

// Keys carry the session id in braces (a Redis Cluster hash tag): one session's keys share a slot.
const queueKey = (sessionId: string) => `${PREFIX}{${sessionId}}:queue`;
const processesKey = (sessionId: string) => `${PREFIX}{${sessionId}}:presence`;
const presencePrefix = (sessionId: string) => `${PREFIX}{${sessionId}}:presence:`;

const COMPARE_AND_SET = `
local current = redis.call('HGET', KEYS[1], 'v') or ''
if current ~= ARGV[1] then return 0 end
if ARGV[3] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
return 1`;

const ARRIVE = `
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

/** Everyone present, across processes, once each: a flat list user id, standing, user id, ... */
const MEMBERS = `
local out, seen = {}, {}
for _, proc in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local fields = redis.call('HGETALL', ARGV[1] .. proc)
  if #fields == 0 then
    redis.call('SREM', KEYS[1], proc)
  else
    for i = 1, #fields, 2 do
      if not seen[fields[i]] then
        seen[fields[i]] = true
        out[#out + 1] = fields[i]
        out[#out + 1] = fields[i + 1]
      end
    end
  end
end
return out`;

/** How many are present, across processes, each person once: a flat list standing, count, ... */
const COUNTS = `
local seen, counts = {}, {}
for _, proc in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local fields = redis.call('HGETALL', ARGV[1] .. proc)
  if #fields == 0 then
    redis.call('SREM', KEYS[1], proc)
  else
    for i = 1, #fields, 2 do
      if not seen[fields[i]] then
        seen[fields[i]] = true
        counts[fields[i + 1]] = (counts[fields[i + 1]] or 0) + 1
      end
    end
  end
end
local out = {}
for standing, n in pairs(counts) do
  out[#out + 1] = standing
  out[#out + 1] = n
end
return out`;

type ParleyRedis = Redis & {
  parleyCompareAndSet(key: string, expected: string, version: string, state: string, ttlMs: number): Promise<number>;
  parleyArrive(processes: string, own: string, processId: string, userId: string, standing: string, ttlMs: number): Promise<number>;
  parleyMembers(processes: string, prefix: string): Promise<string[]>;
  parleyCounts(processes: string, prefix: string): Promise<(string | number)[]>;
};

export type SharedState = {
  queues: QueueStore;
  presence: PresenceStore;
  limiter: LimiterFactory;
  /** socket.io's adapter; its Redis connections open when socket.io first uses it and close with it. */
  adapter: ReturnType<typeof createAdapter>;
  /** Withdraws this process's presence and closes the connection (after socket.io has closed). */
  close(): Promise<void>;
};

/** Connects to Redis, checks that it persists nothing, and builds what the processes share. */
export async function connectShared(url: string, deps: { log: Logger; presenceTtlMs?: number }): Promise<SharedState> {
  const { log } = deps;
  const redis = new Redis(url, { lazyConnect: true, connectionName: "parley" }) as ParleyRedis;
  redis.on("error", (e: Error) => log.error("redis connection error", e.message));
  try {
    await redis.connect();
  } catch (e) {
    redis.disconnect();
    throw new Error(`Could not connect to Redis at REDIS_URL: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    await refusePersistence(redis, log);
  } catch (e) {
    redis.disconnect();
    throw e;
  }
  redis.defineCommand("parleyCompareAndSet", { numberOfKeys: 1, lua: COMPARE_AND_SET });
  redis.defineCommand("parleyArrive", { numberOfKeys: 2, lua: ARRIVE });
  redis.defineCommand("parleyMembers", { numberOfKeys: 1, lua: MEMBERS });
  redis.defineCommand("parleyCounts", { numberOfKeys: 1, lua: COUNTS });

  const presence = redisPresence(redis, deps.presenceTtlMs ?? PRESENCE_TTL_MS, log);
  let adapter: ReturnType<typeof createAdapter> | null = null;
  return {
    queues: redisQueues(redis),
    presence,
    limiter: (options) =>
      new RateLimiterRedis({
        storeClient: redis,
        ...options,
        keyPrefix: `${PREFIX}rl:${options.keyPrefix}`,
        // While Redis is unreachable each process counts on its own rather than refusing everyone.
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(options),
      }),
    // A function, not an arrow: socket.io calls it with `new`.
    adapter: function (nsp) {
      adapter ??= createAdapter(redis, {
        streamName: `${PREFIX}socket.io`,
        channelPrefix: `${PREFIX}socket.io`,
        sessionKeyPrefix: `${PREFIX}sio:session:`,
        onlyPlaintext: true,
      });
      return adapter(nsp);
    },
    async close() {
      await presence.close().catch((e: unknown) => log.error("could not withdraw presence from Redis", e));
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/**
 * Refuses a Redis server that saves to disk (RDB snapshots or the append-only file). Where the CONFIG
 * command is not allowed (some managed services), says that it could not check.
 */
async function refusePersistence(redis: Redis, log: Logger) {
  let save: string;
  let appendonly: string;
  try {
    save = ((await redis.config("GET", "save")) as string[])[1] ?? "";
    appendonly = ((await redis.config("GET", "appendonly")) as string[])[1] ?? "no";
  } catch (e) {
    log.info(`Could not check that Redis persists nothing (CONFIG GET refused: ${e instanceof Error ? e.message : String(e)}). Make sure it runs with save "" and appendonly no.`);
    return;
  }
  if (save.trim() !== "" || appendonly !== "no") {
    throw new Error(
      `Redis at REDIS_URL saves to disk (save "${save}", appendonly ${appendonly}). Parley keeps in Redis who is in a room and who raised a hand, which must never be written to disk: run it with --save '' --appendonly no (docs/deployment.md).`,
    );
  }
}

function redisQueues(redis: ParleyRedis): QueueStore {
  return {
    async read(sessionId) {
      const [version, state] = await redis.hmget(queueKey(sessionId), "v", "s");
      return { value: state ? (JSON.parse(state) as QueueState) : null, version: version ?? "" };
    },
    async write(sessionId, version, next) {
      const done = await redis.parleyCompareAndSet(queueKey(sessionId), version, newVersion(), next ? JSON.stringify(next) : "", QUEUE_TTL_MS);
      return done === 1;
    },
    async clear(sessionId) {
      await redis.del(queueKey(sessionId));
    },
  };
}

function redisPresence(redis: ParleyRedis, ttlMs: number, log: Logger): PresenceStore {
  // A random name for this process: its entries are kept apart from other processes' and expire with it.
  const processId = randomBytes(8).toString("hex");
  const ownKey = (sessionId: string) => presencePrefix(sessionId) + processId;
  const local = new Map<string, Map<string, SessionStanding>>();

  // Renewal rewrites this process's whole entry, so that an entry that expired (a stalled process)
  // comes back as it is.
  const renew = setInterval(() => {
    if (!local.size) return;
    const batch = redis.pipeline();
    for (const [sessionId, people] of local) {
      batch.hset(ownKey(sessionId), Object.fromEntries(people));
      batch.pexpire(ownKey(sessionId), ttlMs);
      batch.sadd(processesKey(sessionId), processId);
      batch.pexpire(processesKey(sessionId), ttlMs);
    }
    batch.exec().catch((e: unknown) => log.error("presence renewal failed", e));
  }, Math.max(1000, Math.floor(ttlMs / 3)));
  renew.unref();

  return {
    async arrive(sessionId, userId, standing) {
      const people = local.get(sessionId) ?? new Map<string, SessionStanding>();
      local.set(sessionId, people);
      people.set(userId, standing);
      await redis.parleyArrive(processesKey(sessionId), ownKey(sessionId), processId, userId, standing, ttlMs);
    },
    async depart(sessionId, userId) {
      const people = local.get(sessionId);
      people?.delete(userId);
      if (people && people.size === 0) local.delete(sessionId);
      await redis.hdel(ownKey(sessionId), userId);
    },
    async members(sessionId) {
      const flat = await redis.parleyMembers(processesKey(sessionId), presencePrefix(sessionId));
      const out = new Map<string, SessionStanding>();
      for (let i = 0; i + 1 < flat.length; i += 2) out.set(flat[i]!, flat[i + 1] as SessionStanding);
      return out;
    },
    async counts(sessionId) {
      const flat = await redis.parleyCounts(processesKey(sessionId), presencePrefix(sessionId));
      const out: Partial<Record<SessionStanding, number>> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as SessionStanding] = Number(flat[i + 1]);
      return out;
    },
    async close() {
      clearInterval(renew);
      const sessions = [...local.keys()];
      local.clear();
      if (!sessions.length) return;
      const batch = redis.pipeline();
      for (const sessionId of sessions) {
        batch.del(ownKey(sessionId));
        batch.srem(processesKey(sessionId), processId);
      }
      await batch.exec();
    },
  };
}
