/**
 * Child entry for tests that need the real server in a process of its own (to SIGKILL it, or to read
 * its memory from /proc): server.ts's startServer on loopback, on the database named by
 * DATABASE_PATH. With PARLEY_TEST_FIXTURE (JSON, see FixtureSpec) it first builds a live session: an
 * organiser, one started agenda item and one not started, and people with a sign-in session each (the
 * cookie a browser would hold). Reports { url, port, fixture } over IPC; exits when the parent goes
 * away. Answers "memory" messages with process.memoryUsage() after a full garbage collection. Errors
 * are logged to stderr (LOG_LEVEL=error), so a test can tell an unexpected failure from
 * an expected refusal. Started by tests/support/child.ts.
 */
import { startServer } from "../../server";
import type { SignedInActor } from "../../app/models/actor";
import type { SessionRole } from "../../app/models/permissions";

export type FixtureSpec = { participants?: number; roles?: SessionRole[] };
export type Person = { userId: string; role: SessionRole; cookie: string };
export type Fixture = {
  sessionId: string;
  programmeId: string;
  itemId: string;
  pendingItemId: string;
  themeId: string;
  joinCode: string;
  organiser: Person;
  participants: Person[];
  /** One person per role asked for in `roles`. */
  members: Person[];
};

process.on("disconnect", () => process.exit(0));

const passthrough = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(BUSY_|FIELD_MODE$|FINALISE_)/.test(k)));
const server = await startServer({
  env: {
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    DATABASE_PATH: process.env.DATABASE_PATH,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
    ...passthrough,
  },
});

let fixture: Fixture | null = null;
if (process.env.PARLEY_TEST_FIXTURE) {
  const spec = JSON.parse(process.env.PARLEY_TEST_FIXTURE) as FixtureSpec;
  const { domain, database } = server;
  const { userId: organiserId } = domain.accounts.findOrCreateAccount("organiser@child.example.org", "Organiser");
  const organiser: SignedInActor = { userId: organiserId, authSessionId: "child", isGuest: false, isAdmin: false, displayName: "Organiser", email: "organiser@child.example.org" };
  const { id: programmeId } = domain.programmes.create(organiser, { name: "Child programme" });
  const levelId = domain.programmes.taxonomy(programmeId).levels[0].id;
  const theme = domain.programmes.addTheme(organiser, programmeId, { labelEn: "Security", labelFr: "Sécurité" });
  const { id: sessionId } = domain.sessions.create(organiser, programmeId, {
    title: "Child roundtable",
    kind: "roundtable",
    levelId,
    languages: ["en", "fr"],
    timeZone: "Africa/Bamako",
    attributionMode: "chatham_house",
    noteVisibility: "participants",
  });
  const itemId = domain.live.addItem(organiser, sessionId, { title: "Opening round", plannedMinutes: 60 }).id;
  const pendingItemId = domain.live.addItem(organiser, sessionId, { title: "Second round", plannedMinutes: 30 }).id;
  domain.live.openRoom(organiser, sessionId);
  await domain.live.command(organiser, sessionId, itemId, { command: "start" });
  const joinCode = domain.sessions.rotateJoinCode(organiser, sessionId);

  const made: { userId: string; role: SessionRole; token: Promise<{ token: string }> }[] = [];
  database.sqlite.transaction(() => {
    for (let i = 0; i < (spec.participants ?? 0); i++) {
      const { userId } = domain.accounts.findOrCreateAccount(`participant-${i}@child.example.org`, `Participant ${i}`);
      domain.sessions.putMember(sessionId, userId, "participant");
      made.push({ userId, role: "participant", token: domain.accounts.createSession(userId) });
    }
    for (const role of spec.roles ?? []) {
      const { userId } = domain.accounts.findOrCreateAccount(`${role}@child.example.org`, `The ${role}`);
      domain.sessions.putMember(sessionId, userId, role);
      made.push({ userId, role, token: domain.accounts.createSession(userId) });
    }
  })();
  const people = await Promise.all(made.map(async (m) => ({ userId: m.userId, role: m.role, cookie: `parley_session=${(await m.token).token}` })));
  const organiserCookie = `parley_session=${(await domain.accounts.createSession(organiserId)).token}`;
  fixture = {
    sessionId,
    programmeId,
    itemId,
    pendingItemId,
    themeId: theme.id,
    joinCode,
    organiser: { userId: organiserId, role: "organiser", cookie: organiserCookie },
    participants: people.slice(0, spec.participants ?? 0),
    members: people.slice(spec.participants ?? 0),
  };
}

// "memory": collect garbage (the child runs with --expose-gc) and report what is left.
process.on("message", (m: { type?: string }) => {
  if (m?.type !== "memory") return;
  (globalThis as { gc?: () => void }).gc?.();
  process.send?.({ type: "memory", usage: process.memoryUsage() });
});

process.send?.({ type: "ready", url: server.url, port: server.port, fixture });
