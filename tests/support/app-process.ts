/**
 * Starts Parley as a separate operating-system process (tests/support/app-process-main.ts), as a
 * deployment with several processes would: its own socket.io server, its own domain instance and its
 * own database connection. Used by the scale-out test; its output is kept to explain a failure.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { StartOptions } from "../../server";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export type AppProcess = { url: string; pid: number; output: () => string; stop(): Promise<void> };

export function startAppProcess(env: Record<string, string>, options: Pick<StartOptions, "rateLimits" | "finaliseSweepMs"> = {}, timeoutMs = 30_000): Promise<AppProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "tests/support/app-process-main.ts")], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      DEBUG: process.env.DEBUG ?? "",
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "error",
      ...env,
      PARLEY_TEST_OPTIONS: JSON.stringify(options),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    let stdout = "";
    const fail = (why: string) => {
      clearTimeout(timer);
      if (child.exitCode === null) child.kill("SIGKILL");
      reject(new Error(`${why}\n${output}`));
    };
    const timer = setTimeout(() => fail(`the app process did not start within ${timeoutMs} ms`), timeoutMs);
    void exited.then((code) => fail(`the app process exited with ${code} before it was ready`));
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split("\n").find((l) => l.startsWith("{"));
      if (!line) return;
      clearTimeout(timer);
      const { ready } = JSON.parse(line) as { ready: string };
      resolve({
        url: ready,
        pid: child.pid!,
        output: () => output,
        async stop() {
          if (child.exitCode !== null) return;
          child.kill("SIGTERM");
          const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
          await exited;
          clearTimeout(kill);
        },
      });
    });
  });
}
