/**
 * A throwaway Redis server for tests: Debian's redis-server (installed by scripts/ensure-test-deps.sh)
 * on 127.0.0.1, on a free port, with no persistence at all and a temporary working directory, stopped
 * and removed afterwards. Fails loudly when redis-server is missing: the scale-out test must not be
 * skipped quietly.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export type TestRedis = { url: string; port: number; stop(): Promise<void> };

export const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? "redis-server";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Answers once the server replies PONG on the port (bounded). */
async function ping(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.setTimeout(500);
      socket.once("connect", () => socket.write("PING\r\n"));
      socket.once("data", (d) => {
        socket.destroy();
        resolve(d.toString().startsWith("+PONG"));
      });
      socket.once("error", () => resolve(false));
      socket.once("timeout", () => {
        socket.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startRedis(): Promise<TestRedis> {
  const version = spawnSync(REDIS_SERVER, ["--version"], { encoding: "utf8" });
  if (version.error || version.status !== 0) {
    throw new Error(`${REDIS_SERVER} is not installed: the scale-out test needs Debian's redis-server (bash scripts/ensure-test-deps.sh installs it)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-redis-"));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn(
      REDIS_SERVER,
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no", "--loglevel", "warning"],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const up = await Promise.race([ping(port, 10_000).then(() => true), exited.then(() => false)]);
    if (!up) {
      if (attempt < 3) continue; // the port was taken meanwhile: another one
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`redis-server did not start: ${stderr.trim()}`);
    }
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      async stop() {
        if (child.exitCode === null) {
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
          await exited;
          clearTimeout(timer);
        }
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
