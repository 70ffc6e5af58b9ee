/**
 * The load generator, used identically against the app and the two reference servers: connects N
 * participants (each with its own cookie and our Origin) and enters the room; then M of them submit
 * R notes per second for T seconds (note k at t0 + k/R, from submitter k mod M), and every participant
 * records each note's arrival in a `notes:batch` upsert. A note's text carries its sequence number
 * ("Point 17: ..."), so that arrival maps to its send time whichever server stored it. The run is bounded:
 * it stops sending after T seconds and stops waiting for deliveries `drainMs` after the last send.
 */
import { randomBytes } from "node:crypto";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { io as ioClient, type Socket } from "socket.io-client";
import type { Target } from "./child";
import { LiteSocket } from "./lite-socket";
import { summarize, ValueLog, type Summary } from "./stats";
import { BUSY_ERROR, nextAttemptMs } from "../../app/notes/outbox";

export type ListenerKind = "socketio" | "ws";
export type LoadOptions = {
  participants: number;
  submitters: number;
  rate: number;
  seconds: number;
  listeners: ListenerKind;
  /** How long to wait for outstanding acks and deliveries after the last send. */
  drainMs: number;
  /** Quiet time after everyone entered, before the first note (the app's presence updates settle). */
  settleMs: number;
  connectConcurrency: number;
  log: (message: string) => void;
  /** Called when sending starts and when the run ends (the driver reads the server's CPU there). */
  onStart?: () => Promise<void>;
  onEnd?: () => Promise<void>;
};

export type LoadResult = {
  connected: number;
  connectFailures: number;
  connectSeconds: number;
  /** session:enter answered "busy" while everyone joined (asked again after the delay). */
  entersShed: number;
  sent: number;
  acknowledged: number;
  rejected: Record<string, number>;
  /** "Busy, retry later" answers (load shedding): the note was sent again, as the outbox does. */
  busy: { answers: number; notesDelayed: number; maxAttempts: number };
  unanswered: number;
  duplicated: number;
  heldByGuard: number;
  ackMs: Summary;
  /** expected: every note sent and neither refused nor held, at every connected participant. */
  deliveries: { expected: number; received: number; missing: number; extra: number };
  deliveryMs: Summary;
  toLastRecipientMs: Summary & { notesReachingEveryone: number };
  sendSeconds: number;
  /** From the first send to the end of the run (all delivered, or the drain limit reached). */
  windowSeconds: number;
  /** From the last send until the last delivery (how far behind the server fell). */
  drainSeconds: number;
  generator: { cpuSeconds: number; percentOfOneCore: number; eventLoopDelayP99Ms: number };
};

const TEXTS = [
  "the roads are unsafe in the dry season.",
  "the water points need a shared schedule.",
  "the market committee should meet every month.",
  "schools close too early in the rainy season.",
];
const SEQ = /^Point (\d+):/;
/** The histogram records whole sampling intervals: the delay is what exceeds the resolution. */
const LOOP_RESOLUTION_MS = 5;

type Listener = { close(): void };
type Submitter = { emit(event: string, data: unknown, ack: (response: unknown) => void): void };

const BATCH_PREFIX = Buffer.from('42["notes:batch"');
const TEXT_MARK = Buffer.from('"text":"Point ');

/**
 * Finds the sequence numbers of the notes in a raw `notes:batch` packet without decoding it: the
 * generator reads 40,000 of these a second at 2,000 listeners, and JSON.parse would make it the
 * bottleneck. Answers false when the message is something else (then it is decoded as usual). Exported for its unit test.
 */
export function scanBatch(message: Buffer, found: (seq: number) => void): boolean {
  if (message.length < BATCH_PREFIX.length || message.compare(BATCH_PREFIX, 0, BATCH_PREFIX.length, 0, BATCH_PREFIX.length) !== 0) return false;
  for (let at = message.indexOf(TEXT_MARK, BATCH_PREFIX.length); at !== -1; at = message.indexOf(TEXT_MARK, at + TEXT_MARK.length)) {
    let seq = 0;
    let i = at + TEXT_MARK.length;
    const start = i;
    for (; i < message.length && message[i] >= 48 && message[i] <= 57; i++) seq = seq * 10 + (message[i] - 48);
    if (i > start && message[i] === 58 /* ":" */) found(seq);
  }
  return true;
}

export async function runLoad(target: Target, options: LoadOptions): Promise<LoadResult> {
  const { participants: n, rate, seconds } = options;
  const m = Math.max(1, Math.min(options.submitters, n));
  const total = Math.max(1, Math.round(rate * seconds));
  if (target.cookies.length < n) throw new Error(`the server made ${target.cookies.length} participants, ${n} wanted`);

  const sendAt = new Float64Array(total).fill(NaN);
  const arrivals = new Uint32Array(total);
  const lastAt = new Float64Array(total);
  const visible = new Uint8Array(total);
  const deliveries = new ValueLog(1 << 16);
  let received = 0;
  let extra = 0;

  let arrivedAt = 0;
  const arrived = (seq: number) => {
    if (!(seq < total) || Number.isNaN(sendAt[seq])) return;
    if (++arrivals[seq] > n) return void extra++;
    received++;
    deliveries.push(arrivedAt - sendAt[seq]);
    if (arrivedAt > lastAt[seq]) lastAt[seq] = arrivedAt;
  };
  const onBatch = (payload: unknown) => {
    const upsert = (payload as { upsert?: { text?: string }[] } | undefined)?.upsert;
    if (!upsert) return;
    arrivedAt = performance.now();
    for (const note of upsert) {
      const match = SEQ.exec(note.text ?? "");
      if (match) arrived(Number(match[1]));
    }
  };
  const onRaw = (message: Buffer) => {
    arrivedAt = performance.now();
    return scanBatch(message, arrived);
  };

  // ---- Connect and enter, a bounded number at a time ----
  const headersOf = (i: number) => ({ cookie: target.cookies[i], origin: target.url });
  const listeners: Listener[] = [];
  const submitters: Submitter[] = [];
  let failures = 0;
  const connectStart = performance.now();
  let entersShed = 0;
  // As the live page does (app/realtime/client.ts): a snapshot shed under load is asked for again later.
  type EnterAck = { ok: boolean; error?: string; retryAfterMs?: number };
  const enter = async (ask: () => Promise<EnterAck>) => {
    for (let attempt = 1; ; attempt++) {
      const ack = await ask();
      if (ack.ok) return;
      if (ack.error !== BUSY_ERROR || attempt >= 20) throw new Error(`session:enter refused: ${ack.error}`);
      entersShed++;
      await new Promise((r) => setTimeout(r, Math.max(1_500, ack.retryAfterMs ?? 0) * (1 + 0.5 * Math.random())));
    }
  };
  const connectOne = async (i: number) => {
    if (options.listeners === "socketio") {
      const socket: Socket = ioClient(target.url, { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: headersOf(i) });
      socket.on("notes:batch", onBatch);
      listeners.push({ close: () => socket.close() });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("connect timed out")), 20_000);
        socket.once("connect", () => (clearTimeout(timer), resolve()));
        socket.once("connect_error", (e) => (clearTimeout(timer), reject(e)));
      });
      await enter(() => socket.timeout(30_000).emitWithAck("session:enter", { sessionId: target.sessionId }) as Promise<EnterAck>);
      if (i < m) submitters[i] = { emit: (event, data, ack) => void socket.emit(event, data, ack) };
    } else {
      const socket = new LiteSocket(target.url, headersOf(i), (event, args) => event === "notes:batch" && onBatch(args[0]), onRaw);
      listeners.push(socket);
      await socket.connect();
      await enter(() => socket.emitWithAck("session:enter", { sessionId: target.sessionId }) as Promise<EnterAck>);
      if (i < m) submitters[i] = socket;
    }
  };
  let next = 0;
  let firstError: string | null = null;
  await Promise.all(
    Array.from({ length: Math.min(options.connectConcurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        await connectOne(i).catch((e: unknown) => {
          failures++;
          firstError ??= e instanceof Error ? e.message : String(e);
        });
        if (i > 0 && i % 500 === 0) options.log(`  ${i} participants in the room`);
      }
    }),
  );
  const connectSeconds = (performance.now() - connectStart) / 1000;
  const live = submitters.filter(Boolean);
  const connected = n - failures;
  options.log(`  ${connected}/${n} in the room after ${connectSeconds.toFixed(1)} s${entersShed ? ` (${entersShed} snapshots shed and asked again)` : ""}${firstError ? ` (first failure: ${firstError})` : ""}`);
  if (live.length === 0) {
    for (const l of listeners) l.close();
    throw new Error(`no submitter could connect${firstError ? `: ${firstError}` : ""}`);
  }
  await new Promise((r) => setTimeout(r, options.settleMs));

  // ---- Send at the given rate, for the given time ----
  const ackLog = new ValueLog(total);
  const rejected: Record<string, number> = {};
  let acknowledged = 0;
  let answered = 0;
  let duplicated = 0;
  let held = 0;
  let busyAnswers = 0;
  let maxAttempts = 1;
  const delayed = new Set<number>();
  let stopResending = false;
  const resends = new Set<ReturnType<typeof setTimeout>>();
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loop.enable();
  await options.onStart?.();
  const cpuStart = process.cpuUsage();
  const t0 = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - t0) / 1000) * rate) + 1);
      while (sent < due) {
        const seq = sent++;
        const socket = live[seq % live.length];
        const payload = {
          sessionId: target.sessionId,
          clientId: randomBytes(16).toString("hex"),
          itemId: target.itemId,
          kind: "point",
          themeIds: [],
          text: `Point ${seq}: ${TEXTS[seq % TEXTS.length]}`,
        };
        sendAt[seq] = performance.now();
        // As the outbox does (app/notes/outbox.ts): a busy answer keeps the note and sends it again,
        // with the same client id, no sooner than the server asked. Latencies count from the first send.
        const attempt = (failures: number) =>
          socket.emit("notes:submit", payload, (response: unknown) => {
            const ack = response as { ok: boolean; error?: string; retryAfterMs?: number; data?: { duplicate?: boolean; outcome?: string } } | undefined;
            if (ack && !ack.ok && ack.error === BUSY_ERROR && !stopResending) {
              busyAnswers++;
              delayed.add(seq);
              maxAttempts = Math.max(maxAttempts, failures + 2);
              const timer = setTimeout(() => {
                resends.delete(timer);
                attempt(failures + 1);
              }, nextAttemptMs({ retryAfterMs: ack.retryAfterMs }, failures + 1));
              resends.add(timer);
              return;
            }
            answered++;
            ackLog.push(performance.now() - sendAt[seq]);
            if (!ack?.ok) {
              const key = ack?.error ?? "unknown";
              rejected[key] = (rejected[key] ?? 0) + 1;
              return;
            }
            acknowledged++;
            if (ack.data?.duplicate) duplicated++;
            if (ack.data?.outcome === "held") held++;
            else visible[seq] = 1;
          });
        attempt(0);
      }
      if (sent >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const lastSend = performance.now();
  options.log(`  sent ${sent} notes in ${((lastSend - t0) / 1000).toFixed(1)} s; waiting for acks and deliveries`);

  // ---- Drain: every ack, and every visible note at every participant, or the time limit ----
  // Every note the server did not refuse or hold is owed to every participant, answered or not.
  const owed = () => sent - held - Object.values(rejected).reduce((a, b) => a + b, 0);
  await new Promise<void>((resolve) => {
    const check = () => {
      const complete = answered >= sent && received >= owed() * connected;
      if (complete || performance.now() - lastSend > options.drainMs) resolve();
      else setTimeout(check, 20);
    };
    check();
  });
  stopResending = true;
  for (const timer of resends) clearTimeout(timer);
  const end = performance.now();
  const cpu = process.cpuUsage(cpuStart);
  loop.disable();
  await options.onEnd?.();
  for (const l of listeners) l.close();

  let lastDelivery = lastSend;
  const toLast = new ValueLog(total);
  for (let seq = 0; seq < sent; seq++) {
    if (lastAt[seq] > lastDelivery) lastDelivery = lastAt[seq];
    if (visible[seq] && arrivals[seq] >= connected) toLast.push(lastAt[seq] - sendAt[seq]);
  }
  const expected = owed() * connected;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const windowSeconds = (end - t0) / 1000;
  return {
    connected,
    connectFailures: failures,
    connectSeconds: round(connectSeconds, 1),
    entersShed,
    sent,
    acknowledged,
    rejected,
    busy: { answers: busyAnswers, notesDelayed: delayed.size, maxAttempts },
    unanswered: sent - answered,
    duplicated,
    heldByGuard: held,
    ackMs: summarize(ackLog.values()),
    deliveries: { expected, received, missing: Math.max(0, expected - received), extra },
    deliveryMs: summarize(deliveries.values()),
    toLastRecipientMs: { ...summarize(toLast.values()), notesReachingEveryone: toLast.length },
    sendSeconds: round((lastSend - t0) / 1000, 2),
    windowSeconds: round(windowSeconds, 2),
    drainSeconds: round((lastDelivery - lastSend) / 1000, 2),
    generator: { cpuSeconds: round(cpuSeconds, 2), percentOfOneCore: round((cpuSeconds / windowSeconds) * 100, 1), eventLoopDelayP99Ms: round(Math.max(0, loop.percentile(99) / 1e6 - LOOP_RESOLUTION_MS), 1) },
  };
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
