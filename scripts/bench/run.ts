/**
 * `npm run bench`: the live path under load, against the real app and two bare reference servers in the
 * same run (ENGINEERING.md, Benchmarks), plus the participant page's first-load weight. Prints one JSON
 * object on stdout; progress goes to stderr.
 *
 *   npm run bench -- --participants 2000 --rate 200 --seconds 20 [--submitters M] [--only app|naive|batched]
 *                    [--listeners ws|socketio] [--drain 15] [--skip-build] [--profile DIR]
 *   npm run bench -- consolidation [--seed N] [--small]     (the consolidation section alone: consolidation.ts)
 *
 * --profile DIR writes a V8 CPU profile of each server process into DIR (node --cpu-prof), for
 * chrome://inspect or any .cpuprofile viewer; profiling slows the server, so its figures are not to be
 * compared with unprofiled runs.
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { killChildren, spawnChild } from "./child";
import { runConsolidationBench, runConsolidationCli } from "./consolidation";
import { runLoad, type ListenerKind, type LoadResult } from "./load";
import { measurePageWeight, type PageWeight } from "./page-weight";
import { machineBusySeconds, readProc, type ProcReading } from "./proc";
import { ratio } from "./stats";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const SERVERS = ["naive", "batched", "app"] as const;
type ServerName = (typeof SERVERS)[number];
/** The app allows 120 notes a minute per person (NOTE_RATE): stay well under it. */
const PER_SUBMITTER_MAX = 1.5;

const log = (message: string) => process.stderr.write(`${message}\n`);

if (process.argv[2] === "consolidation") {
  await runConsolidationCli(process.argv.slice(3)).catch((e: unknown) => {
    log(e instanceof Error ? e.message : String(e));
    process.exit(64);
  });
  process.exit(0);
}

const { values } = parseArgs({
  options: {
    participants: { type: "string", default: "500" },
    submitters: { type: "string" },
    rate: { type: "string", default: "50" },
    seconds: { type: "string", default: "20" },
    only: { type: "string" },
    listeners: { type: "string", default: "ws" },
    drain: { type: "string", default: "15" },
    "skip-build": { type: "boolean", default: false },
    profile: { type: "string" },
  },
  strict: true,
});

const participants = positive("participants", values.participants);
const rate = positive("rate", values.rate);
const seconds = positive("seconds", values.seconds);
const drainMs = positive("drain", values.drain) * 1000;
const submitters = values.submitters ? positive("submitters", values.submitters) : Math.min(participants, Math.max(1, Math.ceil(rate)));
if (submitters > participants) fail(`--submitters (${submitters}) cannot exceed --participants (${participants})`);
const listeners = values.listeners as ListenerKind;
if (listeners !== "ws" && listeners !== "socketio") fail(`--listeners must be ws or socketio`);
const only = values.only ? values.only.split(",") : [...SERVERS];
for (const s of only) if (!SERVERS.includes(s as ServerName)) fail(`--only takes ${SERVERS.join(", ")}`);
if (rate / submitters > PER_SUBMITTER_MAX) log(`warning: ${(rate / submitters).toFixed(2)} notes/s per submitter; the app rate-limits a person at 2 notes/s (120 a minute)`);

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number`);
  return n;
}
function fail(message: string): never {
  log(message);
  process.exit(64);
}

// Bounded: whatever a server does, the run ends and its children die.
const perServerMs = 240_000 + seconds * 1000 + drainMs + participants * 20;
const overall = setTimeout(() => {
  log(`bench: overall time limit (${Math.round((perServerMs * only.length) / 1000)} s) reached; stopping`);
  killChildren();
  process.stdout.write(`${JSON.stringify({ error: "timeout", partial: results }, null, 2)}\n`);
  process.exit(2);
}, perServerMs * only.length + 60_000);
overall.unref();
process.on("exit", killChildren);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => (killChildren(), process.exit(130)));

type ServerResult = LoadResult & {
  /** CPU used on the machine by neither the server nor the generator during the window (noise). */
  otherProcessesPercentOfOneCore: number | null;
  /** Notes in the server's database after the run (null when it did not answer within 60 s). */
  stored: number | null;
  heldInDatabase: number | null;
  server: { pid: number; cpuSeconds: number; percentOfOneCore: number; cpuUsPerNote: number | null; cpuUsPerDeliveredNote: number | null; peakRssMB: number; rssAtEndMB: number };
};
const results: Partial<Record<ServerName, ServerResult | { error: string }>> = {};

const MB = 1024 * 1024;
const started = Date.now();

if (!values["skip-build"]) {
  log("building the client (npx remix build)");
  const build = spawnSync("npx", ["remix", "build"], { cwd: ROOT, stdio: ["ignore", 2, 2] });
  if (build.status !== 0) fail("remix build failed");
}
let pageWeight: PageWeight | { error: string };
try {
  pageWeight = measurePageWeight(path.join(ROOT, "public"));
} catch (e) {
  pageWeight = { error: e instanceof Error ? e.message : String(e) };
}

for (const name of SERVERS.filter((s) => only.includes(s))) {
  log(`${name}: starting (${participants} participants)`);
  try {
    results[name] = await measure(name);
  } catch (e) {
    results[name] = { error: e instanceof Error ? e.message : String(e) };
    log(`${name}: ${(results[name] as { error: string }).error}`);
  }
  killChildren();
  await new Promise((r) => setTimeout(r, 1_000));
}

async function measure(name: ServerName): Promise<ServerResult> {
  const script = path.join(HERE, name === "app" ? "app-server.ts" : "reference-servers.ts");
  const args = name === "app" ? [String(participants)] : [name, String(participants)];
  // Default file names: the tsx loader thread writes a profile of its own (the largest file is the server).
  const profile = values.profile ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(values.profile)] : [];
  const child = await spawnChild(script, args, { readyTimeoutMs: 120_000 + participants * 20, nodeArgs: profile });
  try {
    // CPU and memory come from /proc (a swamped server need not answer); the note count over IPC.
    let before: ProcReading | null = null;
    let after: ProcReading | null = null;
    let machineBefore: number | null = null;
    let machineAfter: number | null = null;
    const load = await runLoad(child.target, {
      participants,
      submitters,
      rate,
      seconds,
      listeners,
      drainMs,
      settleMs: 1_500,
      connectConcurrency: 50,
      log,
      onStart: async () => {
        before = readProc(child.pid);
        machineBefore = machineBusySeconds();
      },
      onEnd: async () => {
        after = readProc(child.pid);
        machineAfter = machineBusySeconds();
      },
    });
    const b = before as ProcReading | null;
    const a = after as ProcReading | null;
    if (!a || !b) throw new Error("no CPU reading from /proc for the server");
    const counts = await child.stats().catch((e: unknown) => {
      log(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    });
    const cpuSeconds = a.cpuSeconds - b.cpuSeconds;
    const cpuUs = cpuSeconds * 1e6;
    // A delivered note: one note's worth of deliveries (one per connected participant).
    const deliveredNotes = load.connected ? load.deliveries.received / load.connected : 0;
    // What else kept the machine busy meanwhile (another job on the same cores makes the figures noisy).
    const mb = machineBefore as number | null;
    const ma = machineAfter as number | null;
    const otherCpu = mb !== null && ma !== null ? ma - mb - cpuSeconds - load.generator.cpuSeconds : null;
    const result: ServerResult = {
      ...load,
      // Not clamped: /proc/stat is sampled per tick, so a quiet machine may read a little below zero.
      otherProcessesPercentOfOneCore: otherCpu === null ? null : Math.round((otherCpu / load.windowSeconds) * 1000) / 10,
      stored: counts?.stored ?? null,
      heldInDatabase: counts?.held ?? null,
      server: {
        pid: child.pid,
        cpuSeconds: Math.round(cpuSeconds * 100) / 100,
        percentOfOneCore: Math.round((cpuSeconds / load.windowSeconds) * 1000) / 10,
        cpuUsPerNote: load.acknowledged ? Math.round(cpuUs / load.acknowledged) : null,
        cpuUsPerDeliveredNote: deliveredNotes ? Math.round(cpuUs / deliveredNotes) : null,
        peakRssMB: Math.round(a.peakRssBytes / MB),
        rssAtEndMB: Math.round(a.rssBytes / MB),
      },
    };
    log(
      `${name}: acked ${load.acknowledged}/${load.sent}, stored ${counts?.stored ?? "?"}, delivery p50/p99 ${load.deliveryMs.p50}/${load.deliveryMs.p99} ms, ` +
        `server CPU ${result.server.percentOfOneCore}% of a core, generator ${load.generator.percentOfOneCore}%, others ${result.otherProcessesPercentOfOneCore}%`,
    );
    return result;
  } finally {
    await child.stop();
  }
}

const ok = (r: ServerResult | { error: string } | undefined): ServerResult | undefined => (r && !("error" in r) ? r : undefined);
const app = ok(results.app);
const naive = ok(results.naive);
const batched = ok(results.batched);
const ratiosTo = (ref: ServerResult | undefined) =>
  app && ref
    ? {
        deliveryP99: ratio(app.deliveryMs.p99, ref.deliveryMs.p99),
        toLastRecipientP99: ratio(app.toLastRecipientMs.p99, ref.toLastRecipientMs.p99),
        ackP99: ratio(app.ackMs.p99, ref.ackMs.p99),
        cpuPerDeliveredNote: ratio(app.server.cpuUsPerDeliveredNote, ref.server.cpuUsPerDeliveredNote),
      }
    : null;

// National scale: the generator and the grouping of every local recommendation (consolidation.ts).
let consolidation: Awaited<ReturnType<typeof runConsolidationBench>> | { error: string };
try {
  consolidation = await runConsolidationBench({ log });
} catch (e) {
  consolidation = { error: e instanceof Error ? e.message : String(e) };
}

const cpus = os.cpus();
const output = {
  machine: { cpus: cpus.length, model: cpus[0]?.model ?? null, memoryMB: Math.round(os.totalmem() / MB), node: process.version, platform: `${os.platform()} ${os.release()}` },
  parameters: { participants, submitters, ratePerSecond: rate, seconds, notes: Math.round(rate * seconds), drainLimitSeconds: drainMs / 1000, referenceTickMs: 50 },
  listeners:
    listeners === "ws"
      ? `ws: all ${participants} participants (the ${submitters} submitters among them) are light WebSocket clients (a raw RFC 6455 client speaking engine.io v4/socket.io v5, scripts/bench/lite-socket.ts) that find note numbers in notes:batch packets without decoding them`
      : `socketio: all ${participants} participants are socket.io-client instances`,
  servers: results,
  ratios: { appToNaive: ratiosTo(naive), appToBatched: ratiosTo(batched) },
  pageWeight:
    "error" in pageWeight
      ? pageWeight
      : {
          manifest: pageWeight.manifest,
          jsGzipKB: pageWeight.js.gzipKB,
          jsGzipKiB: pageWeight.js.gzipKiB,
          jsTargetKB: pageWeight.js.targetKB,
          jsWithinTarget: pageWeight.js.withinTarget,
          cssGzipKB: pageWeight.css.gzipKB,
          cssGzipKiB: pageWeight.css.gzipKiB,
          cssTargetKB: pageWeight.css.targetKB,
          cssWithinTarget: pageWeight.css.withinTarget,
          files: [...pageWeight.js.files, ...pageWeight.css.files].map((f) => ({ file: f.file, gzipBytes: f.gzipBytes })),
        },
  consolidation,
  durationSeconds: Math.round((Date.now() - started) / 1000),
};
process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
clearTimeout(overall);
process.exit(0);
