/**
 * Where the app's CPU per note goes, without sockets: the domain's notes.submit and the per-tick
 * notes.changesFor (room and staff audiences) called in a loop on a real database, timed with
 * process.cpuUsage(). Run: node --import tsx scripts/bench/domain-cost.ts (add --cpu-prof to profile).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { startServer } from "../../server";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-cost-"));
const server = await startServer({ quiet: true, env: { NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", DATABASE_PATH: path.join(dir, "b.sqlite"), LOG_LEVEL: "silent" } });
const { domain } = server;
const { userId } = domain.accounts.findOrCreateAccount("o@x.org", "O");
const org = { userId, authSessionId: "b", isGuest: false, isAdmin: false, displayName: "O", email: "o@x.org" };
const { id: programmeId } = domain.programmes.create(org, { name: "P" });
const levelId = domain.programmes.taxonomy(programmeId).levels[0].id;
const { id: sid } = domain.sessions.create(org, programmeId, { title: "T", kind: "roundtable", levelId, languages: ["en"], timeZone: "Africa/Bamako", attributionMode: "chatham_house", noteVisibility: "participants" });
const itemId = domain.live.addItem(org, sid, { title: "I", plannedMinutes: 60 }).id;
domain.live.openRoom(org, sid);
await domain.live.command(org, sid, itemId, { command: "start" });
const actors = Array.from({ length: 100 }, (_, i) => {
  const u = domain.accounts.findOrCreateAccount(`p${i}@x.org`, `P${i}`).userId;
  domain.sessions.putMember(sid, u, "participant");
  return { userId: u, authSessionId: "b", isGuest: false, isAdmin: false, displayName: `P${i}`, email: `p${i}@x.org` };
});
const n = 2000;
const ids: string[] = [];
let c0 = process.cpuUsage();
for (let i = 0; i < n; i++) {
  const r = await domain.notes.submit(actors[i % 100], sid, { clientId: randomBytes(16).toString("hex"), itemId, kind: "point", themeIds: [], text: `Point ${i}: the roads are unsafe in the dry season.` });
  ids.push(r.note.id);
}
let c = process.cpuUsage(c0);
console.log("submit µs/note", Math.round((c.user + c.system) / n));
c0 = process.cpuUsage();
for (let i = 0; i < n; i += 3) { domain.notes.changesFor(sid, ids.slice(i, i + 3), "room"); domain.notes.changesFor(sid, ids.slice(i, i + 3), "staff"); }
c = process.cpuUsage(c0);
console.log("changesFor (room+staff) µs per tick of 3 notes", Math.round((c.user + c.system) / (n / 3)));
await server.close();
fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);
