/**
 * Child entry: the real Parley server (server.ts's startServer, with its Remix build, socket.io and
 * SQLite in WAL) on loopback with a temporary database, and a live session: an organiser, one started
 * agenda item and N participants, each with their own sign-in session (the cookie a browser would
 * hold). Usage (forked by run.ts): app-server.ts <participants>
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startServer } from "../../server";
import type { SignedInActor } from "../../app/models/actor";
import { serveChild } from "./child";

serveChild(async () => {
  const participants = Number(process.argv[2] ?? 500);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-bench-"));
  const server = await startServer({
    quiet: true,
    env: { NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", DATABASE_PATH: path.join(dir, "bench.sqlite"), LOG_LEVEL: "silent" },
  });
  const { domain, database } = server;
  const { userId: organiserId } = domain.accounts.findOrCreateAccount("organiser@bench.example.org", "Organiser");
  const organiser: SignedInActor = { userId: organiserId, authSessionId: "bench", isGuest: false, isAdmin: false, displayName: "Organiser", email: "organiser@bench.example.org" };
  const { id: programmeId } = domain.programmes.create(organiser, { name: "Bench programme" });
  const levelId = domain.programmes.taxonomy(programmeId).levels[0].id;
  const { id: sessionId } = domain.sessions.create(organiser, programmeId, {
    title: "Bench roundtable",
    kind: "roundtable",
    levelId,
    languages: ["en"],
    timeZone: "Africa/Bamako",
    attributionMode: "chatham_house",
    noteVisibility: "participants",
  });
  const itemId = domain.live.addItem(organiser, sessionId, { title: "Opening round", plannedMinutes: 60 }).id;
  domain.live.openRoom(organiser, sessionId);
  await domain.live.command(organiser, sessionId, itemId, { command: "start" });

  // N participants with their own sign-in sessions, in one transaction (a few thousand rows).
  const tokens: Promise<{ token: string }>[] = [];
  database.sqlite.transaction(() => {
    for (let i = 0; i < participants; i++) {
      const { userId } = domain.accounts.findOrCreateAccount(`participant-${i}@bench.example.org`, `Participant ${i}`);
      domain.sessions.putMember(sessionId, userId, "participant");
      tokens.push(domain.accounts.createSession(userId));
    }
  })();
  const cookies = (await Promise.all(tokens)).map(({ token }) => `parley_session=${token}`);

  const count = database.sqlite.prepare("SELECT count(*) AS n, coalesce(sum(status = 'flagged'), 0) AS held FROM notes WHERE session_id = ?");
  return {
    tempDir: dir,
    target: { url: server.url, sessionId, itemId, cookies },
    handle: {
      counts: () => {
        const row = count.get(sessionId) as { n: number; held: number };
        return { stored: row.n, held: row.held };
      },
      async close() {
        await server.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    },
  };
});
