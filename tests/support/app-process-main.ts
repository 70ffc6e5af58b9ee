/**
 * One Parley process for the scale-out test, run as a child process (`node --import tsx`): the real
 * server (server.ts) configured by its environment, with the test's rate limits and sweep interval
 * from PARLEY_TEST_OPTIONS. Prints one line `{"ready":"http://127.0.0.1:PORT"}` once it listens, and
 * closes cleanly on SIGTERM.
 */
import { startServer, type StartOptions } from "../../server";

const options = JSON.parse(process.env.PARLEY_TEST_OPTIONS ?? "{}") as Pick<StartOptions, "rateLimits" | "finaliseSweepMs">;
const running = await startServer({ ...options, quiet: true }).catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
process.stdout.write(`${JSON.stringify({ ready: running.url })}\n`);
process.once("SIGTERM", () => {
  void running.close().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
});
