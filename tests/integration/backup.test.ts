/**
 * Backups (`npm run db:backup -- <target>`, scripts/db-backup.ts) against the real server:
 * 1. taken from another process during a burst of notes over real sockets, the backup restores (a
 *    server starts on it) with every note acknowledged before the backup started;
 * 2. a backup taken after a session's finalisation holds neither its destroyed authorship secret nor
 *    the tags made with it (a backup taken before finalisation does: the search can fail);
 * 3. the command refuses to overwrite a file, and reports the size and the duration.
 */
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Socket } from "socket.io-client";
import type { NoteReceipt } from "../../app/models/notes";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "../../app/realtime/events";
import { startServer } from "../../server";
import { connected, createSessionFixture, joinedGuest, startTestServer, waitFor, type TestServer } from "../support/server";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Runs the backup command as an operator would, from its own process. */
function backup(database: string, target: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn("npm", ["run", "-s", "db:backup", "--", target], {
    cwd: ROOT,
    env: { NODE_ENV: "test", PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATABASE_PATH: database },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

let seq = 0;
const clientId = () => createHmac("sha256", "backup-test").update(`${++seq}:${Math.random()}`).digest("hex").slice(0, 32);

let server: TestServer;
let dir: string;
const sockets: ClientSocket[] = [];
beforeAll(async () => {
  server = await startTestServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-backup-"));
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});
afterAll(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A live session with `people` guests in the room, each on their own socket. */
async function liveRoom(people: number) {
  const fx = await createSessionFixture(server);
  const code = server.domain.sessions.rotateJoinCode(fx.organiser, fx.sessionId);
  const itemId = server.domain.live.addItem(fx.organiser, fx.sessionId, { title: "Tour de table", plannedMinutes: 30 }).id;
  server.domain.live.openRoom(fx.organiser, fx.sessionId);
  await server.domain.live.command(fx.organiser, fx.sessionId, itemId, { command: "start" });
  const guests = await Promise.all(
    Array.from({ length: people }, async (_, i) => {
      const guest = await joinedGuest(server, code, `Guest ${i}`);
      const socket = guest.client.socket();
      sockets.push(socket);
      await connected(socket);
      const ack = await socket.emitWithAck("session:enter", { sessionId: fx.sessionId });
      if (!ack.ok) throw new Error(`session:enter refused: ${ack.error}`);
      return { ...guest, socket };
    }),
  );
  const send = async (socket: ClientSocket, text: string): Promise<NoteReceipt> => {
    const ack = (await socket.emitWithAck("notes:submit", { sessionId: fx.sessionId, clientId: clientId(), itemId, kind: "point", themeIds: [], text })) as Ack<NoteReceipt>;
    if (!ack.ok) throw new Error(`note refused: ${ack.error}`);
    return ack.data;
  };
  return { ...fx, itemId, guests, send };
}

const db = () => server.database.sqlite;

describe("a backup taken during a burst of notes", () => {
  it("restores with every note acknowledged before the backup started", { timeout: 120_000 }, async () => {
    const room = await liveRoom(16);
    const PER_PERSON = 100; // under the per-person rate limit (NOTE_RATE): every refusal would be a bug
    const acked = new Map<string, string>(); // note id -> text
    let backupStarted: Set<string> | null = null;
    let ackedAfterStart = 0;
    let stop = false;
    const target = path.join(dir, "burst-backup.sqlite");
    let running: ReturnType<typeof backup> | null = null;
    const burst = room.guests.map(async (g, i) => {
      for (let k = 0; k < PER_PERSON && !stop; k++) {
        const text = `Participant ${i}, point ${k} : les routes du nord sont dangereuses la nuit.`;
        const receipt = await room.send(g.socket, text);
        acked.set(receipt.note.id, text);
        if (backupStarted) ackedAfterStart++;
        // The backup starts in the middle of the burst, once a couple of hundred notes are in.
        if (!backupStarted && acked.size >= 200) {
          backupStarted = new Set(acked.keys());
          running = backup(path.join(server.dir, "test.sqlite"), target);
        }
        await new Promise((r) => setTimeout(r, 15));
      }
    });
    await waitFor(() => running, { timeoutMs: 30_000, what: "the backup to start" });
    const result = await running!;
    stop = true;
    await Promise.all(burst);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    // The burst went on while the backup ran: notes were acknowledged after it started.
    expect(ackedAfterStart).toBeGreaterThan(0);

    // Restore: the backup becomes the database of a new server, which starts and serves.
    const restoredDir = fs.mkdtempSync(path.join(dir, "restored-"));
    const restoredFile = path.join(restoredDir, "parley.sqlite");
    fs.copyFileSync(target, restoredFile);
    const restored = await startServer({ quiet: true, env: { NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", DATABASE_PATH: restoredFile, LOG_LEVEL: "silent", BUSY_LAG_MS: "0" } });
    try {
      expect(await (await fetch(`${restored.url}/healthz`)).text()).toBe("ok");
      const rows = restored.database.sqlite.prepare("SELECT id, text FROM notes WHERE session_id = ?").all(room.sessionId) as { id: string; text: string }[];
      const inBackup = new Map(rows.map((r) => [r.id, r.text]));
      const before = [...backupStarted!];
      expect(before.length).toBeGreaterThanOrEqual(200);
      for (const id of before) expect(inBackup.get(id), `note ${id}, acknowledged before the backup started`).toBe(acked.get(id));
      // Nothing in the backup that the server did not store, and nothing twice.
      for (const [id, text] of inBackup) expect(acked.get(id)).toBe(text);
      expect(rows.length).toBe(inBackup.size);
      expect(restored.database.sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      await restored.close();
    }
  });
});

describe("a backup after finalisation", () => {
  it("never holds the destroyed authorship secret nor the tags made with it", { timeout: 60_000 }, async () => {
    const room = await liveRoom(3);
    for (const g of room.guests) for (let k = 0; k < 3; k++) await room.send(g.socket, `Point ${k} : il faut rouvrir les écoles.`);
    const { secret } = db().prepare("SELECT secret FROM session_secrets WHERE session_id = ?").get(room.sessionId) as { secret: string };
    const tags = (db().prepare("SELECT author_tag FROM notes WHERE session_id = ?").all(room.sessionId) as { author_tag: string }[]).map((r) => r.author_tag);
    expect(tags.length).toBe(9);
    const needles = [Buffer.from(secret, "utf8"), Buffer.from(secret, "hex"), ...tags.map((t) => Buffer.from(t, "utf8"))];
    const found = (file: string) => {
      const bytes = fs.readFileSync(file);
      return needles.filter((n) => bytes.includes(n)).length;
    };

    // Control: a backup taken while the session is open holds the secret and the tags.
    const open = path.join(dir, "before-finalisation.sqlite");
    expect((await backup(path.join(server.dir, "test.sqlite"), open)).code).toBe(0);
    expect(found(open)).toBeGreaterThan(0);

    await server.domain.live.endRoom(room.organiser, room.sessionId);
    expect(server.domain.sessions.setStatus(room.organiser, room.sessionId, "finalised", { confirmed: true })).toEqual({ walTruncated: true });
    // The room goes on elsewhere on this server: the backup is taken from a live database.
    const other = await liveRoom(1);
    await other.send(other.guests[0].socket, "Une autre salle continue de travailler.");

    const after = path.join(dir, "after-finalisation.sqlite");
    const result = await backup(path.join(server.dir, "test.sqlite"), after);
    expect(result.code).toBe(0);
    expect(found(after)).toBe(0);
    // The notes themselves are in it.
    const bytes = fs.readFileSync(after);
    expect(bytes.includes(Buffer.from("il faut rouvrir les écoles", "utf8"))).toBe(true);
  });
});

describe("the backup command", () => {
  it("reports the size and duration, and refuses to overwrite a file or to back up nothing", { timeout: 60_000 }, async () => {
    const source = path.join(server.dir, "test.sqlite");
    const target = path.join(dir, "guarded.sqlite");
    const first = await backup(source, target);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/written to .*guarded\.sqlite: [\d.]+ (B|KB|MB) \((\d+) bytes\) in \d+ ms\./);
    const reported = Number(/\((\d+) bytes\)/.exec(first.stdout)![1]);
    expect(reported).toBe(fs.statSync(target).size);

    const before = fs.readFileSync(target);
    const again = await backup(source, target);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already exists");
    expect(fs.readFileSync(target).equals(before)).toBe(true);

    const missing = await backup(path.join(dir, "no-such.sqlite"), path.join(dir, "never.sqlite"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("No database");
    expect(fs.existsSync(path.join(dir, "never.sqlite"))).toBe(false);
    // Nothing half-written is left beside the targets.
    expect(fs.readdirSync(dir).filter((f) => f.includes("partial"))).toEqual([]);
  });
});
