/**
 * The stores behind the live room (app/models/stores.server.ts) keep one contract whether they live in
 * this process's memory or in Redis (app/utils/redis.server.ts, on a real redis-server started here):
 * compare-and-set on the speaker queue, presence counted once per person across processes, and the
 * entries of a process that died expiring by themselves.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { createMemoryPresenceStore, createMemoryQueueStore, type PresenceStore, type QueueState, type QueueStore } from "../../app/models/stores.server";
import { createLogger } from "../../app/utils/log.server";
import { connectShared, type SharedState } from "../../app/utils/redis.server";
import { startRedis, type TestRedis } from "../support/redis";
import { waitFor } from "../support/server";

let redis: TestRedis;
const connections: SharedState[] = [];
const log = createLogger("silent");

beforeAll(async () => {
  redis = await startRedis();
}, 30_000);

afterAll(async () => {
  await Promise.all(connections.splice(0).map((c) => c.close()));
  await redis?.stop();
});

async function shared() {
  const s = await connectShared(redis.url, { log });
  connections.push(s);
  return s;
}

const queue = (itemId: string, userIds: string[]): QueueState => ({
  itemId,
  entries: userIds.map((userId, i) => ({ id: randomUUID(), userId, kind: "new", seq: i + 1 })),
  seq: userIds.length,
  floor: null,
});

const kinds: [string, () => Promise<{ queues: QueueStore; presence: () => Promise<PresenceStore> }>][] = [
  ["in memory", async () => ({ queues: createMemoryQueueStore(), presence: async () => createMemoryPresenceStore() })],
  ["in Redis", async () => ({ queues: (await shared()).queues, presence: async () => (await shared()).presence })],
];

describe.each(kinds)("the stores %s", (_name, make) => {
  it("change the queue only from the version that was read, and never reuse a version", async () => {
    const { queues } = await make();
    const sid = randomUUID();
    expect(await queues.read(sid)).toEqual({ value: null, version: "" });
    const first = queue("item-1", ["u1"]);
    expect(await queues.write(sid, "", first)).toBe(true);
    const read = await queues.read(sid);
    expect(read.value).toEqual(first);
    expect(read.version).not.toBe("");
    // A second writer that read before the first change loses, and reads again.
    expect(await queues.write(sid, "", queue("item-1", ["u2"]))).toBe(false);
    expect(await queues.write(sid, read.version, queue("item-1", ["u1", "u2"]))).toBe(true);
    const next = await queues.read(sid);
    expect(next.value!.entries.map((e) => e.userId)).toEqual(["u1", "u2"]);
    expect(next.version).not.toBe(read.version);
    expect(await queues.write(sid, read.version, null)).toBe(false);
    // Removing and clearing.
    expect(await queues.write(sid, next.version, null)).toBe(true);
    expect(await queues.read(sid)).toEqual({ value: null, version: "" });
    await queues.write(sid, "", first);
    await queues.clear(sid);
    expect((await queues.read(sid)).value).toBeNull();
  });

  it("count each person once, whichever processes they are connected to", async () => {
    const { presence } = await make();
    const [one, two] = [await presence(), await presence()];
    const sid = randomUUID();
    await one.arrive(sid, "u1", "participant");
    await one.arrive(sid, "u2", "observer");
    // The memory store belongs to one process: only a shared store sees the other process's people.
    await two.arrive(sid, "u1", "participant");
    await two.arrive(sid, "u3", "moderator");
    const counts = await one.counts(sid);
    if (_name === "in Redis") {
      expect(counts).toEqual({ participant: 1, observer: 1, moderator: 1 });
      expect([...(await two.members(sid)).keys()].sort()).toEqual(["u1", "u2", "u3"]);
    } else {
      expect(counts).toEqual({ participant: 1, observer: 1 });
    }
    await one.depart(sid, "u1");
    // Still connected through the other process where the stores are shared; gone from this one.
    expect((await two.counts(sid)).participant).toBe(1);
    expect((await one.counts(sid)).participant).toBe(_name === "in Redis" ? 1 : undefined);
    await two.depart(sid, "u1");
    expect((await one.counts(sid)).participant).toBeUndefined();
  });
});

describe("presence in Redis", () => {
  it("forgets the people of a process that died, once its entries expire", async () => {
    const alive = await shared();
    const sid = randomUUID();
    await alive.presence.arrive(sid, "u1", "participant");
    // What a process that was killed leaves behind: its entry and its name among the session's
    // processes, with the time to live its last renewal gave them (short here), renewed by nobody.
    const raw = new Redis(redis.url);
    try {
      await raw.hset(`parley:{${sid}}:presence:dead0000`, "u2", "participant");
      await raw.pexpire(`parley:{${sid}}:presence:dead0000`, 300);
      await raw.sadd(`parley:{${sid}}:presence`, "dead0000");
      expect((await alive.presence.counts(sid)).participant).toBe(2);
      await waitFor(async () => (await alive.presence.counts(sid)).participant === 1, { timeoutMs: 5_000, intervalMs: 100, what: "the dead process's people expired" });
      expect([...(await alive.presence.members(sid)).keys()]).toEqual(["u1"]);
      // Its name is dropped from the session's processes on the way.
      expect(await raw.smembers(`parley:{${sid}}:presence`)).not.toContain("dead0000");
    } finally {
      raw.disconnect();
    }
  });

  it("withdraws a process's people when it closes", async () => {
    const one = await shared();
    const other = await shared();
    const sid = randomUUID();
    await one.presence.arrive(sid, "u1", "participant");
    await other.presence.arrive(sid, "u2", "observer");
    await one.close();
    expect(await other.presence.counts(sid)).toEqual({ observer: 1 });
  });
});
