/**
 * Runs the real server in a child process (tests/support/child-server.ts, forked with tsx) for tests
 * that kill it with SIGKILL or read its memory from /proc. Every child started here is killed when the
 * test process exits, and a child exits by itself when its parent goes away.
 */
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Fixture, FixtureSpec } from "./child-server";

export type { Fixture, FixtureSpec, Person } from "./child-server";

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), "child-server.ts");
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export type ChildServer = {
  pid: number;
  url: string;
  port: number;
  /** Set when a fixture was asked for. */
  fixture: Fixture | null;
  /** What the child wrote to stderr so far (errors it logged, a crash's stack). */
  stderr(): string;
  /** Resolves with the exit code or signal once the child is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** Resident set size of the child now, from /proc (bytes). */
  rssBytes(): number;
  /** Peak resident set size of the child so far, from /proc (bytes). */
  peakRssBytes(): number;
  /** process.memoryUsage() in the child right after a full garbage collection. */
  memory(): Promise<NodeJS.MemoryUsage>;
  /** SIGKILL: no shutdown code runs. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM: the server closes cleanly. */
  stop(): Promise<void>;
};

export async function startChild(options: { databasePath: string; fixture?: FixtureSpec; env?: Record<string, string>; readyTimeoutMs?: number }): Promise<ChildServer> {
  const child = fork(ENTRY, [], {
    execArgv: ["--import", "tsx", "--expose-gc"],
    env: {
      NODE_ENV: "test",
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_PATH: options.databasePath,
      ...(options.fixture ? { PARLEY_TEST_FIXTURE: JSON.stringify(options.fixture) } : {}),
      ...options.env,
    },
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  running.add(child);
  let stderr = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => {
    // Bounded: a flood of errors must not grow the test's memory without end.
    if (stderr.length < 1_000_000) stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  const ready = await new Promise<{ url: string; port: number; fixture: Fixture | null }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the child server was not ready in time:\n${stderr}`));
    }, options.readyTimeoutMs ?? 60_000);
    child.once("message", (m: { type: string; url: string; port: number; fixture: Fixture | null }) => {
      clearTimeout(timer);
      if (m.type === "ready") resolve(m);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the child server exited before it was ready (${code ?? signal}):\n${stderr}`));
    });
  });
  const pid = child.pid!;
  const status = (field: string) => {
    const text = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1]);
    if (!Number.isFinite(kb)) throw new Error(`no ${field} in /proc/${pid}/status`);
    return kb * 1024;
  };
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    pid,
    ...ready,
    stderr: () => stderr,
    exited,
    alive,
    rssBytes: () => status("VmRSS"),
    memory: () =>
      new Promise<NodeJS.MemoryUsage>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("the child did not report its memory")), 30_000);
        const onMessage = (m: { type?: string; usage?: NodeJS.MemoryUsage }) => {
          if (m?.type !== "memory" || !m.usage) return;
          clearTimeout(timer);
          child.off("message", onMessage);
          resolve(m.usage);
        };
        child.on("message", onMessage);
        child.send({ type: "memory" });
      }),
    peakRssBytes: () => status("VmHWM"),
    async kill() {
      if (alive()) child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (alive()) child.kill("SIGTERM");
      const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(force);
    },
  };
}
