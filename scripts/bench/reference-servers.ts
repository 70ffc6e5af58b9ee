/**
 * Child entry: a bare reference server, the yardstick the app is measured against under the same load.
 * socket.io 4.8 plus better-sqlite3 in WAL mode (synchronous NORMAL), no authentication, no rules: on
 * `session:enter` the socket joins the room; on `notes:submit` one prepared insert and an immediate ack,
 * then the note goes to the room as a `notes:batch` (the app's event and shape), either
 *   - naive:   one emit per note, as it arrives, or
 *   - batched: a room's notes gathered and emitted once per 50 ms tick.
 * Usage (forked by run.ts): reference-servers.ts naive|batched <participants>
 */
import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Server } from "socket.io";
import { serveChild } from "./child";

export const REFERENCE_TICK_MS = 50;

type Note = {
  id: string;
  itemId: string;
  kind: string;
  themeIds: string[];
  text: string;
  status: "visible";
  highlighted: false;
  attributionMode: "chatham_house";
  author: null;
  minute: number;
  edited: false;
  mergedIntoId: null;
};
type Submit = { sessionId?: unknown; clientId?: unknown; itemId?: unknown; kind?: unknown; text?: unknown };

serveChild(async () => {
  const mode = process.argv[2];
  if (mode !== "naive" && mode !== "batched") throw new Error(`unknown reference server "${mode}" (naive or batched)`);
  const participants = Number(process.argv[3] ?? 500);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-bench-ref-"));
  const db = new Database(path.join(dir, "ref.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(`CREATE TABLE notes (
    id TEXT PRIMARY KEY, session_id TEXT NOT NULL, item_id TEXT NOT NULL, client_id TEXT NOT NULL,
    kind TEXT NOT NULL, text TEXT NOT NULL, created_at INTEGER NOT NULL, UNIQUE (session_id, client_id))`);
  const insert = db.prepare("INSERT INTO notes (id, session_id, item_id, client_id, kind, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
  const existing = db.prepare("SELECT id, item_id AS itemId, kind, text, created_at AS createdAt FROM notes WHERE session_id = ? AND client_id = ?");
  const count = db.prepare("SELECT count(*) AS n FROM notes");

  const sessionId = randomUUID();
  const itemId = randomUUID();
  const httpServer = http.createServer();
  const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 16 * 1024 });
  const room = (sid: string) => `session:${sid}`;
  const view = (id: string, item: string, kind: string, text: string, at: number): Note => ({
    id,
    itemId: item,
    kind,
    themeIds: [],
    text,
    status: "visible",
    highlighted: false,
    attributionMode: "chatham_house",
    author: null,
    minute: at - (at % 60_000),
    edited: false,
    mergedIntoId: null,
  });

  const pending = new Map<string, Note[]>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  function flush() {
    timer = null;
    const batch = [...pending];
    pending.clear();
    for (const [sid, upsert] of batch) io.to(room(sid)).emit("notes:batch", { sessionId: sid, upsert, remove: [] });
  }
  function broadcast(sid: string, note: Note) {
    if (mode === "naive") return void io.to(room(sid)).emit("notes:batch", { sessionId: sid, upsert: [note], remove: [] });
    const list = pending.get(sid) ?? [];
    list.push(note);
    pending.set(sid, list);
    timer ??= setTimeout(flush, REFERENCE_TICK_MS);
  }

  io.on("connection", (socket) => {
    socket.on("session:enter", (payload: { sessionId?: unknown }, ack: unknown) => {
      if (typeof ack !== "function") return;
      if (typeof payload?.sessionId !== "string") return ack({ ok: false, error: "invalid_input" });
      void socket.join(room(payload.sessionId));
      ack({ ok: true, data: { sessionId: payload.sessionId } });
    });
    socket.on("notes:submit", (payload: Submit, ack: unknown) => {
      if (typeof ack !== "function") return;
      const { sessionId: sid, clientId, itemId: item, kind, text } = payload ?? {};
      if (typeof sid !== "string" || typeof clientId !== "string" || typeof item !== "string" || typeof kind !== "string" || typeof text !== "string") {
        return ack({ ok: false, error: "invalid_input" });
      }
      const id = randomUUID();
      const at = Date.now();
      if (insert.run(id, sid, item, clientId, kind, text, at).changes === 0) {
        const row = existing.get(sid, clientId) as { id: string; itemId: string; kind: string; text: string; createdAt: number };
        return ack({ ok: true, data: { note: view(row.id, row.itemId, row.kind, row.text, row.createdAt), duplicate: true, outcome: "sent", findings: [] } });
      }
      const note = view(id, item, kind, text, at);
      ack({ ok: true, data: { note, duplicate: false, outcome: "sent", findings: [] } });
      broadcast(sid, note);
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  return {
    // The bare servers check no cookie; the generator sends the same shape of cookie anyway.
    tempDir: dir,
    target: { url: `http://127.0.0.1:${port}`, sessionId, itemId, cookies: Array.from({ length: participants }, (_, i) => `bench=${i}`) },
    handle: {
      counts: () => ({ stored: (count.get() as { n: number }).n, held: 0 }),
      async close() {
        if (timer) clearTimeout(timer);
        await new Promise<void>((resolve) => io.close(() => resolve()));
        db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    },
  };
});
