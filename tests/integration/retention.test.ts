/**
 * Retention and purge (app/models/retention.server.ts) on a real SQLite file: a programme with a short
 * retention period runs a whole session with canary names (a roster entry, a guest's display name, a
 * guest who typed an email address as their name when accepting an invitation, panelists on the agenda),
 * is finalised and published; the domain's clock moves past retention; the purge deletes the personal
 * data for good (the raw database file and its WAL no longer hold a single canary byte sequence) and
 * keeps what must survive (the publication, the notes without authorship, the recommendation). Then
 * two purges at once, from two processes on one file: each session purged once, audited once.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "../../db/database.server";
import { createDomain, type Domain } from "../../app/models/domain.server";
import { isDomainError } from "../../app/models/errors";
import { DAY_MS, purgeDueAt } from "../../app/models/retention.server";
import { signedInAccount } from "../unit/helpers";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const CANARIES = {
  rosterName: "Wendeline Quaxmore",
  rosterShort: "Quaxmore",
  organisation: "Fondation Xylophora",
  acronym: "FXYLO",
  title: "Envoyée spéciale Pentacrine",
  country: "Mission de Vrelandie",
  guestName: "Bartholomé Zyxwright",
  invitedEmail: "wendeline.quaxmore@xylophora.test",
  panelist: "Ignatius Vornholt",
};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-retention-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function open(file: string, clock: { t: number }) {
  const database = openDatabase(file);
  const domain = createDomain(database.db, { allowSignup: false, invitationTtlDays: 7, now: () => clock.t, databaseFile: file });
  return { database, domain };
}

/** The raw bytes of the database file and of its WAL (empty when there is none). */
function rawBytes(file: string): Buffer {
  const wal = `${file}-wal`;
  return Buffer.concat([fs.readFileSync(file), fs.existsSync(wal) ? fs.readFileSync(wal) : Buffer.alloc(0)]);
}

function canariesIn(bytes: Buffer): string[] {
  return Object.values(CANARIES).filter((c) => bytes.includes(Buffer.from(c, "utf8")) || bytes.includes(Buffer.from(c.toLowerCase(), "utf8")));
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isDomainError(e)) return `${e.code}:${JSON.stringify(e.fields ?? {})}`;
    throw e;
  }
  return "no error";
}

async function runSession(domain: Domain, clock: { t: number }) {
  const { actor: organiser } = await signedInAccount(domain, "organiser@example.org", "Organiser");
  const { id: programmeId } = domain.programmes.create(organiser, { name: "Dialogue national" });
  const settings = (retentionDays: unknown) => ({ name: "Dialogue national", description: "", quorumPercent: 50, consensusPercent: 80, broadSupportPermille: 667, retentionDays });
  // The retention period is validated, and a refused value changes nothing.
  expect(codeOf(() => domain.programmes.updateSettings(organiser, programmeId, settings("0")))).toBe(`invalid:${JSON.stringify({ retentionDays: ["out_of_range"] })}`);
  expect(codeOf(() => domain.programmes.updateSettings(organiser, programmeId, settings("3651")))).toBe(`invalid:${JSON.stringify({ retentionDays: ["out_of_range"] })}`);
  expect(codeOf(() => domain.programmes.updateSettings(organiser, programmeId, settings("deux")))).toBe(`invalid:${JSON.stringify({ retentionDays: ["number_invalid"] })}`);
  expect(domain.programmes.getForSettings(organiser, programmeId).programme.retentionDays).toBe(365);
  domain.programmes.updateSettings(organiser, programmeId, settings("2"));
  expect(domain.programmes.getForSettings(organiser, programmeId).programme.retentionDays).toBe(2);

  const levelId = domain.programmes.taxonomy(programmeId).levels[0].id;
  const { id: sessionId } = domain.sessions.create(organiser, programmeId, {
    title: "Table ronde sur la protection des civils",
    kind: "roundtable",
    levelId,
    languages: ["fr"],
    timeZone: "Africa/Bamako",
    attributionMode: "chatham_house",
    noteVisibility: "participants",
  });
  const { id: entryId } = domain.roster.add(organiser, sessionId, {
    name: CANARIES.rosterName,
    shortForms: CANARIES.rosterShort,
    organisation: CANARIES.organisation,
    acronyms: CANARIES.acronym,
    title: CANARIES.title,
    country: CANARIES.country,
    role: "participant",
    category: "ngo",
  });
  const { actor: moderator } = await signedInAccount(domain, "moderator@example.org", "Moderator");
  domain.sessions.putMember(sessionId, moderator.userId, "moderator");
  const { actor: member } = await signedInAccount(domain, "member@example.org", "Account participant");
  domain.sessions.putMember(sessionId, member.userId, "participant");

  // A personal invitation for the roster entry, accepted by someone who typed their email as their name.
  const [invitation] = domain.invitations.create(organiser, sessionId, { role: "participant", rosterEntryId: entryId });
  domain.invitations.create(organiser, sessionId, { role: "observer", count: 2 });
  const invited = await domain.invitations.accept(null, invitation.token, { displayName: CANARIES.invitedEmail });
  const code = domain.sessions.rotateJoinCode(organiser, sessionId);
  const guest = await domain.sessions.joinByCode(null, { code, displayName: CANARIES.guestName });
  const actorOf = (userId: string) => domain.accounts.validateSessionToken(userId === invited.userId ? invited.token!.token : guest.token!.token)!.actor;

  const opening = domain.live.addItem(organiser, sessionId, { title: "Tour de table", plannedMinutes: 20, panelists: CANARIES.panelist }).id;
  const record = domain.live.addItem(organiser, sessionId, { title: "Déclarations publiques", plannedMinutes: 20, attributionMode: "on_the_record" }).id;
  domain.live.openRoom(moderator, sessionId);
  await domain.live.command(moderator, sessionId, opening, { command: "start" });
  let n = 0;
  const note = (userId: string, itemId: string, text: string) =>
    domain.notes.submit(actorOf(userId), sessionId, { clientId: (++n).toString(16).padStart(32, "0"), itemId, kind: "point", themeIds: [], text });
  await note(guest.userId, opening, "Les routes entre Mopti et Sévaré ne sont plus sûres.");
  await note(invited.userId, opening, "Il faut protéger les marchés hebdomadaires.");
  await domain.live.command(moderator, sessionId, opening, { command: "end" });
  await domain.live.command(moderator, sessionId, record, { command: "start" });
  await note(guest.userId, record, "Nous demandons un dialogue avec les autorités locales.");
  const rec = domain.recommendations.create(moderator, sessionId, { text: "Rétablir la sécurité sur les axes routiers du centre." });
  await domain.live.endRoom(moderator, sessionId);
  domain.sessions.setStatus(organiser, sessionId, "finalised", { confirmed: true });
  const finalisedAt = clock.t;

  domain.summaries.generate(organiser, sessionId, { language: "fr" });
  const { version } = domain.summaries.save(organiser, sessionId, { markdown: "# Table ronde\n\nLes participants ont souligné l'insécurité sur les routes.\n", version: 1 });
  domain.summaries.approve(organiser, sessionId, { version });
  await domain.summaries.publish(organiser, sessionId, {});
  return { organiser, moderator, member, programmeId, sessionId, finalisedAt, guests: [guest.userId, invited.userId], recId: rec.id };
}

describe("purging personal data past retention", () => {
  it("deletes the canaries from the database file and its WAL, and keeps the publication, notes and recommendations", async () => {
    const file = path.join(dir, "parley.sqlite");
    const clock = { t: Date.UTC(2026, 2, 2, 9, 0) };
    const { database, domain } = open(file, clock);
    try {
      const s = await runSession(domain, clock);
      const sql = database.sqlite;
      const count = (q: string, ...args: unknown[]) => (sql.prepare(q).get(...args) as { n: number }).n;
      const notesBefore = sql.prepare("SELECT id, text FROM notes WHERE session_id = ? ORDER BY id").all(s.sessionId);
      const publicationBefore = sql.prepare("SELECT * FROM publications WHERE session_id = ?").all(s.sessionId);
      expect(notesBefore).toHaveLength(3);
      expect(count("SELECT COUNT(*) AS n FROM notes WHERE session_id = ? AND author_user_id IS NOT NULL", s.sessionId)).toBe(1);
      expect(count("SELECT COUNT(*) AS n FROM auth_sessions WHERE user_id IN (?, ?)", ...s.guests)).toBe(2);
      expect(count("SELECT COUNT(*) AS n FROM notices WHERE session_id = ?", s.sessionId)).toBeGreaterThan(0);
      // Every canary is in the file now (so the search after the purge can fail).
      sql.pragma("wal_checkpoint(TRUNCATE)");
      expect(canariesIn(rawBytes(file)).sort()).toEqual(Object.values(CANARIES).sort());

      // Not yet due: a day before the end of retention nothing happens.
      expect(purgeDueAt({ status: "published", finalisedAt: s.finalisedAt, startsAt: null, endsAt: null }, 2)).toBe(s.finalisedAt + 2 * DAY_MS);
      clock.t = s.finalisedAt + DAY_MS;
      expect(domain.retention.purgeDue()).toEqual({ sessions: [], orphanGuests: 0, walTruncated: null });
      expect(count("SELECT COUNT(*) AS n FROM roster_entries WHERE session_id = ?", s.sessionId)).toBe(1);

      clock.t = s.finalisedAt + 2 * DAY_MS;
      const report = domain.retention.purgeDue();
      expect(report.sessions).toHaveLength(1);
      expect(report.sessions[0].counts).toMatchObject({ rosterEntries: 1, invitations: 3, members: 3, guests: 2, authorLinks: 1, panelistLists: 1, joinCode: 1 });
      expect(report.walTruncated).toBe(true);
      expect(fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0).toBe(0);

      // Real deletion: not one canary left in the bytes of the file or its WAL.
      expect(canariesIn(rawBytes(file))).toEqual([]);
      for (const table of ["roster_entries", "invitations", "notices"]) expect(count(`SELECT COUNT(*) AS n FROM ${table} WHERE session_id = ?`, s.sessionId)).toBe(0);
      expect(count("SELECT COUNT(*) AS n FROM users WHERE id IN (?, ?)", ...s.guests)).toBe(0);
      expect(count("SELECT COUNT(*) AS n FROM auth_sessions WHERE user_id IN (?, ?)", ...s.guests)).toBe(0);
      // The staff membership stays; the account participant's membership goes; accounts stay.
      expect(sql.prepare("SELECT user_id, role FROM session_members WHERE session_id = ?").all(s.sessionId)).toEqual([{ user_id: s.moderator.userId, role: "moderator" }]);
      expect(count("SELECT COUNT(*) AS n FROM users WHERE id = ?", s.member.userId)).toBe(1);

      // What must survive survives, without authorship.
      expect(sql.prepare("SELECT * FROM publications WHERE session_id = ?").all(s.sessionId)).toEqual(publicationBefore);
      expect(sql.prepare("SELECT id, text FROM notes WHERE session_id = ? ORDER BY id").all(s.sessionId)).toEqual(notesBefore);
      expect(count("SELECT COUNT(*) AS n FROM notes WHERE session_id = ? AND (author_user_id IS NOT NULL OR author_tag IS NOT NULL)", s.sessionId)).toBe(0);
      expect(count("SELECT COUNT(*) AS n FROM recommendations WHERE id = ?", s.recId)).toBe(1);
      expect((sql.prepare("SELECT status FROM dialogue_sessions WHERE id = ?").get(s.sessionId) as { status: string }).status).toBe("published");
      expect(domain.summaries.published(null, s.sessionId).publication.markdown).toContain("insécurité");

      // One audit entry, counts only, no canary; a second run finds nothing and writes nothing.
      const entries = sql.prepare("SELECT * FROM audit_log WHERE action = 'retention.purged'").all() as { session_id: string; actor_user_id: string | null; details: string }[];
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ session_id: s.sessionId, actor_user_id: null });
      expect(Object.values(JSON.parse(entries[0].details) as Record<string, unknown>).every((v) => typeof v === "number")).toBe(true);
      expect(canariesIn(Buffer.from(JSON.stringify(sql.prepare("SELECT * FROM audit_log").all()), "utf8"))).toEqual([]);
      expect(domain.retention.purgeDue()).toEqual({ sessions: [], orphanGuests: 0, walTruncated: null });
      expect(count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'retention.purged'")).toBe(1);
      // The organiser sees the purge in the programme's audit log.
      expect(domain.programmes.auditLog(s.organiser, s.programmeId, { action: "retention" }).entries.some((e) => e.action === "retention.purged" && e.sessionId === s.sessionId)).toBe(true);
    } finally {
      database.close();
    }
  });

  it("counts a session that never ran from its scheduled date, and leaves live and ended sessions alone", async () => {
    const file = path.join(dir, "parley.sqlite");
    const clock = { t: Date.UTC(2026, 2, 2, 9, 0) };
    const { database, domain } = open(file, clock);
    try {
      const { actor: organiser } = await signedInAccount(domain, "organiser@example.org");
      const { id: programmeId } = domain.programmes.create(organiser, { name: "Programme" });
      domain.programmes.updateSettings(organiser, programmeId, { name: "Programme", quorumPercent: 50, consensusPercent: 80, broadSupportPermille: 667, retentionDays: 1 });
      const levelId = domain.programmes.taxonomy(programmeId).levels[0].id;
      const make = (title: string, startsAt: number | null) =>
        domain.sessions.create(organiser, programmeId, { title, kind: "roundtable", levelId, languages: ["fr"], timeZone: "UTC", attributionMode: "chatham_house", noteVisibility: "participants", startsAt }).id;
      const past = make("Jamais tenue", clock.t - 3 * DAY_MS);
      const undated = make("Sans date", null);
      const live = make("En direct", clock.t - 3 * DAY_MS);
      for (const id of [past, undated, live]) domain.roster.add(organiser, id, { name: CANARIES.rosterName, role: "participant", category: "ngo" });
      domain.live.addItem(organiser, live, { title: "Point", plannedMinutes: 5 });
      domain.live.openRoom(organiser, live);
      clock.t += 2 * DAY_MS;
      const report = domain.retention.purgeDue();
      expect(report.sessions.map((x) => x.sessionId)).toEqual([past]);
      const left = database.sqlite.prepare("SELECT session_id FROM roster_entries").all() as { session_id: string }[];
      expect(left.map((r) => r.session_id).sort()).toEqual([undated, live].sort());
    } finally {
      database.close();
    }
  });

  it("deletes guest identities left in no session once they are an hour old", async () => {
    const file = path.join(dir, "parley.sqlite");
    const clock = { t: Date.UTC(2026, 2, 2, 9, 0) };
    const { database, domain } = open(file, clock);
    try {
      const { actor: organiser } = await signedInAccount(domain, "organiser@example.org");
      const { id: programmeId } = domain.programmes.create(organiser, { name: "Programme" });
      const levelId = domain.programmes.taxonomy(programmeId).levels[0].id;
      const sessionId = domain.sessions.create(organiser, programmeId, { title: "T", kind: "roundtable", levelId, languages: ["fr"], timeZone: "UTC", attributionMode: "chatham_house", noteVisibility: "participants" }).id;
      const code = domain.sessions.rotateJoinCode(organiser, sessionId);
      const removed = await domain.sessions.joinByCode(null, { code, displayName: CANARIES.guestName });
      const kept = await domain.sessions.joinByCode(null, { code, displayName: "Still here" });
      domain.sessions.removeMember(organiser, sessionId, removed.userId);
      expect(domain.retention.purgeDue().orphanGuests).toBe(0);
      clock.t += 61 * 60_000;
      expect(domain.retention.purgeDue().orphanGuests).toBe(1);
      expect(domain.accounts.getUser(removed.userId)).toBeFalsy();
      expect(domain.accounts.getUser(kept.userId)).toBeTruthy();
      const entry = database.sqlite.prepare("SELECT details FROM audit_log WHERE action = 'retention.guests_purged'").get() as { details: string };
      expect(JSON.parse(entry.details)).toEqual({ guests: 1 });
      database.sqlite.pragma("wal_checkpoint(TRUNCATE)");
      expect(canariesIn(rawBytes(file))).toEqual([]);
    } finally {
      database.close();
    }
  });
});

describe("two processes purging at once", () => {
  /** Runs tests/support/purge-child.ts: one purge in its own process, started at `startAt`. */
  function purgeInChild(file: string, startAt: number): Promise<{ sessions: { sessionId: string }[] }> {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "tests/support/purge-child.ts")], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", DATABASE_PATH: file, PURGE_START_AT: String(startAt) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    return new Promise((resolve, reject) => {
      child.once("exit", (code) => {
        if (code !== 0) return reject(new Error(`the purge child exited with ${code}: ${err}`));
        resolve(JSON.parse(out.trim().split("\n").pop()!));
      });
    });
  }

  it("each session is purged once and audited once, whichever process gets there first", async () => {
    const file = path.join(dir, "parley.sqlite");
    // Everything happened three days ago, under a one-day retention: the children's real clock finds it due.
    const clock = { t: Date.now() - 3 * DAY_MS };
    const { database, domain } = open(file, clock);
    const sessions: string[] = [];
    try {
      const { actor: organiser } = await signedInAccount(domain, "organiser@example.org");
      const { id: programmeId } = domain.programmes.create(organiser, { name: "Programme" });
      domain.programmes.updateSettings(organiser, programmeId, { name: "Programme", quorumPercent: 50, consensusPercent: 80, broadSupportPermille: 667, retentionDays: 1 });
      const levelId = domain.programmes.taxonomy(programmeId).levels[0].id;
      for (let i = 0; i < 24; i++) {
        const id = domain.sessions.create(organiser, programmeId, { title: `S${i}`, kind: "roundtable", levelId, languages: ["fr"], timeZone: "UTC", attributionMode: "chatham_house", noteVisibility: "participants" }).id;
        for (let r = 0; r < 5; r++) domain.roster.add(organiser, id, { name: `${CANARIES.rosterName} ${i}-${r}`, role: "participant", category: "ngo" });
        domain.invitations.create(organiser, id, { role: "participant", count: 3 });
        const code = domain.sessions.rotateJoinCode(organiser, id);
        for (let g = 0; g < 3; g++) await domain.sessions.joinByCode(null, { code, displayName: `${CANARIES.guestName} ${i}-${g}` });
        domain.live.addItem(organiser, id, { title: "Point", plannedMinutes: 5 });
        domain.live.openRoom(organiser, id);
        await domain.live.endRoom(organiser, id);
        domain.sessions.setStatus(organiser, id, "finalised", { confirmed: true });
        sessions.push(id);
      }
    } finally {
      database.close();
    }

    const startAt = Date.now() + 4_000;
    const [a, b] = await Promise.all([purgeInChild(file, startAt), purgeInChild(file, startAt)]);
    const purged = [...a.sessions, ...b.sessions].map((s) => s.sessionId);
    expect(purged.sort()).toEqual([...sessions].sort());

    const check = openDatabase(file);
    try {
      const rows = check.sqlite.prepare("SELECT session_id FROM audit_log WHERE action = 'retention.purged'").all() as { session_id: string }[];
      expect(rows.map((r) => r.session_id).sort()).toEqual([...sessions].sort());
      for (const table of ["roster_entries", "invitations"]) expect((check.sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n).toBe(0);
      expect((check.sqlite.prepare("SELECT COUNT(*) AS n FROM users WHERE is_guest = 1").get() as { n: number }).n).toBe(0);
      check.sqlite.pragma("wal_checkpoint(TRUNCATE)");
      expect(canariesIn(rawBytes(file))).toEqual([]);
    } finally {
      check.close();
    }
  });
});
