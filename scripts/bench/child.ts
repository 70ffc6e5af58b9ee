/**
 * The servers under test each run in their own child process (forked with tsx), so that their CPU and
 * memory are theirs alone and the load generator's are counted apart. A child announces where to
 * connect over IPC, answers "stats" with its own process.cpuUsage(), RSS and peak RSS and the notes
 * stored in its database, and exits on "stop" or when the parent goes away.
 */
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";

/** What the load generator needs to reach a server: the URL, the room, the started agenda item, one cookie per participant. */
export type Target = { url: string; sessionId: string; itemId: string; cookies: string[] };
export type ChildStats = { cpuUserUs: number; cpuSystemUs: number; rssBytes: number; maxRssBytes: number; stored: number; held: number };
type FromChild = { type: "ready"; target: Target; tempDir: string } | { type: "stats"; stats: ChildStats } | { type: "error"; message: string };
type ToChild = { type: "stats" } | { type: "stop" };

export type ServerHandle = { close(): Promise<void>; counts(): { stored: number; held: number } };
export type Started = { target: Target; handle: ServerHandle; tempDir: string };

/** Inside a child: builds the server, reports it ready, answers the parent until told to stop. */
export function serveChild(start: () => Promise<Started>) {
  const send = (m: FromChild) => process.send?.(m);
  // The parent went away (killed, timed out): never outlive it.
  process.on("disconnect", () => process.exit(0));
  start().then(
    ({ target, handle, tempDir }) => {
      process.on("message", (m: ToChild) => {
        if (m.type === "stats") {
          const cpu = process.cpuUsage();
          const { stored, held } = handle.counts();
          send({ type: "stats", stats: { cpuUserUs: cpu.user, cpuSystemUs: cpu.system, rssBytes: process.memoryUsage.rss(), maxRssBytes: process.resourceUsage().maxRSS * 1024, stored, held } });
        } else if (m.type === "stop") {
          const force = setTimeout(() => process.exit(0), 5_000);
          force.unref();
          void handle.close().finally(() => process.exit(0));
        }
      });
      send({ type: "ready", target, tempDir });
    },
    (e: unknown) => {
      send({ type: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      process.exit(1);
    },
  );
}

export type ChildServer = { pid: number; target: Target; stats(): Promise<ChildStats>; stop(): Promise<void>; kill(): void };

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
/** Kills every child still running (on exit, on timeout) and removes the databases they left behind. */
export function killChildren() {
  for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  live.clear();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** Forks a child entry with tsx and waits (bounded) until it reports its target. */
export function spawnChild(script: string, args: string[], options: { readyTimeoutMs: number; nodeArgs?: string[] }): Promise<ChildServer> {
  // stdout is ignored so that only the driver writes the result to stdout; errors reach stderr.
  const child = fork(script, args, { execArgv: [...(options.nodeArgs ?? []), "--import", "tsx"], stdio: ["ignore", "ignore", "inherit", "ipc"] });
  live.add(child);
  child.once("exit", () => live.delete(child));
  const waiters: ((s: ChildStats) => void)[] = [];
  return new Promise<ChildServer>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} was not ready after ${options.readyTimeoutMs} ms`));
    }, options.readyTimeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code ?? signal}) before it was ready`));
    });
    child.on("message", (m: FromChild) => {
      if (m.type === "error") {
        clearTimeout(timer);
        reject(new Error(`${script} failed: ${m.message}`));
      } else if (m.type === "stats") waiters.shift()?.(m.stats);
      else if (m.type === "ready") {
        clearTimeout(timer);
        tempDirs.add(m.tempDir);
        resolve({
          pid: child.pid!,
          target: m.target,
          stats: () =>
            new Promise<ChildStats>((res, rej) => {
              const t = setTimeout(() => rej(new Error("the server did not answer for its note count within 60 s")), 60_000);
              waiters.push((s) => {
                clearTimeout(t);
                res(s);
              });
              child.send({ type: "stats" } satisfies ToChild);
            }),
          stop: () =>
            new Promise<void>((res) => {
              if (child.exitCode !== null || child.signalCode !== null) return res();
              const t = setTimeout(() => {
                child.kill("SIGKILL");
                res();
              }, 8_000);
              child.once("exit", () => {
                clearTimeout(t);
                res();
              });
              child.send({ type: "stop" } satisfies ToChild);
            }),
          kill: () => child.kill("SIGKILL"),
        });
      }
    });
  });
}
