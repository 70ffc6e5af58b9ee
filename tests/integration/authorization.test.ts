/**
 * The authorisation table: every route and socket event x every kind of person (signed out, each
 * programme role, each session role, a guest, and someone from another programme). Expectations come
 * from the role table in app/models/permissions.ts (itself unit-tested and documented in
 * docs/permissions.md); this suite proves the adapters enforce it. Later issues add their rows here.
 *
 * Requests use Remix's data requests (?_data=<route id>) so that each answer is JSON and the reason
 * for a refusal is visible: 404 "not found" when the person has no standing at all (existence is not
 * revealed), 403 "forbidden" when they have a standing without the right, a redirect to sign-in when
 * signed out.
 */
import { randomBytes } from "node:crypto";
import { PROGRAMME_ACTIONS, sessionRoleCan, standingFrom, type ProgrammeAction, type ProgrammeRole, type SessionAction, type SessionRole } from "../../app/models/permissions";
import type { ClientToServerEvents } from "../../app/realtime/events";
import { connected, startTestServer, userIdOf, type TestClient, type TestServer } from "../support/server";

const randomHex = () => randomBytes(16).toString("hex");

type Persona =
  | "signedOut"
  | "programmeOrganiser"
  | "programmeStaff"
  | "programmeMember"
  | "moderator"
  | "rapporteur"
  | "panelist"
  | "participant"
  | "observer"
  | "guest"
  | "outsider";

const PERSONAS: Persona[] = ["signedOut", "programmeOrganiser", "programmeStaff", "programmeMember", "moderator", "rapporteur", "panelist", "participant", "observer", "guest", "outsider"];

const programmeRoleOf: Partial<Record<Persona, ProgrammeRole>> = { programmeOrganiser: "organiser", programmeStaff: "staff", programmeMember: "member" };
const sessionRoleOf: Partial<Record<Persona, SessionRole>> = { moderator: "moderator", rapporteur: "rapporteur", panelist: "panelist", participant: "participant", observer: "observer", guest: "participant" };

type Expectation = "allowed" | "sign-in" | "not-found" | "forbidden";

function expectProgramme(persona: Persona, action: ProgrammeAction): Expectation {
  if (persona === "signedOut") return "sign-in";
  const role = programmeRoleOf[persona];
  if (!role) return "not-found";
  return (PROGRAMME_ACTIONS[action] as readonly string[]).includes(role) ? "allowed" : "forbidden";
}

function expectSession(persona: Persona, action: SessionAction): Expectation {
  if (persona === "signedOut") return "sign-in";
  const standing = standingFrom(sessionRoleOf[persona] ?? null, programmeRoleOf[persona] ?? null);
  if (!standing) return "not-found";
  return sessionRoleCan(standing, action, { rosterVisibleToRoom: false, attributionMode: "chatham_house" }) ? "allowed" : "forbidden";
}

let server: TestServer;
const clients = new Map<Persona, TestClient>();
let programmeId = "";
let sessionId = "";
let levelId = "";

beforeAll(async () => {
  server = await startTestServer();
  const ids: Partial<Record<Persona, string>> = {};
  for (const p of PERSONAS) if (p !== "signedOut" && p !== "guest") ids[p] = await server.createAccount(`${p.toLowerCase()}@authz.test`);
  const organiser = server.actorFor(ids.programmeOrganiser!);
  programmeId = server.domain.programmes.create(organiser, { name: "Authorisation programme" }).id;
  server.domain.programmes.addMember(organiser, programmeId, { email: "programmestaff@authz.test", role: "staff" });
  server.domain.programmes.addMember(organiser, programmeId, { email: "programmemember@authz.test", role: "member" });
  levelId = server.domain.programmes.taxonomy(programmeId).levels[0].id;
  sessionId = server.domain.sessions.create(organiser, programmeId, sessionFields()).id;
  for (const [p, role] of Object.entries(sessionRoleOf) as [Persona, SessionRole][]) if (ids[p]) server.domain.sessions.putMember(sessionId, ids[p]!, role);
  // Someone who organises another programme and takes part in another session.
  const outsider = server.actorFor(ids.outsider!);
  const other = server.domain.programmes.create(outsider, { name: "Another programme" }).id;
  server.domain.sessions.create(outsider, other, { ...sessionFields(), levelId: server.domain.programmes.taxonomy(other).levels[0].id });

  for (const p of PERSONAS) {
    const client = server.client();
    if (p === "guest") {
      const code = server.domain.sessions.rotateJoinCode(organiser, sessionId);
      const res = await client.post("/join", { code, displayName: "Guest" });
      expect(res.status).toBe(302);
    } else if (p !== "signedOut") {
      await client.signIn(`${p.toLowerCase()}@authz.test`);
    }
    clients.set(p, client);
  }
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

function sessionFields() {
  return {
    title: "Authorisation session",
    kind: "roundtable",
    levelId,
    languages: ["en"],
    timeZone: "Africa/Bamako",
    attributionMode: "chatham_house",
    noteVisibility: "participants",
  };
}

function sessionFormFields(): Record<string, string | string[]> {
  return { title: "Authorisation session", kind: "roundtable", levelId, languages: ["en"], timeZone: "Africa/Bamako", attributionMode: "chatham_house", noteVisibility: "participants", startsAt: "", endsAt: "", description: "", coHosts: "", localityId: "", parentSessionId: "" };
}

type Row = {
  name: string;
  method: "GET" | "POST";
  routeId: string;
  path: () => string;
  body?: () => Record<string, string | string[]>;
  expect: (p: Persona) => Expectation;
};

const ROWS: Row[] = [
  { name: "programme overview", method: "GET", routeId: "routes/programmes.$programmeId._index", path: () => `/programmes/${programmeId}`, expect: (p) => expectProgramme(p, "programme.view") },
  { name: "programme settings page", method: "GET", routeId: "routes/programmes.$programmeId.settings", path: () => `/programmes/${programmeId}/settings`, expect: (p) => expectProgramme(p, "programme.configure") },
  { name: "add a theme", method: "POST", routeId: "routes/programmes.$programmeId.settings", path: () => `/programmes/${programmeId}/settings`, body: () => ({ intent: "addTheme", labelEn: "Theme", labelFr: "Thème" }), expect: (p) => expectProgramme(p, "programme.configure") },
  { name: "programme members page", method: "GET", routeId: "routes/programmes.$programmeId.members", path: () => `/programmes/${programmeId}/members`, expect: (p) => expectProgramme(p, "programme.members.manage") },
  { name: "add a programme member", method: "POST", routeId: "routes/programmes.$programmeId.members", path: () => `/programmes/${programmeId}/members`, body: () => ({ intent: "addMember", email: "added@authz.test", role: "member", displayName: "" }), expect: (p) => expectProgramme(p, "programme.members.manage") },
  { name: "programme audit log", method: "GET", routeId: "routes/programmes.$programmeId.audit", path: () => `/programmes/${programmeId}/audit`, expect: (p) => expectProgramme(p, "programme.audit.view") },
  { name: "new session page", method: "GET", routeId: "routes/programmes.$programmeId.sessions.new", path: () => `/programmes/${programmeId}/sessions/new`, expect: (p) => expectProgramme(p, "programme.sessions.create") },
  { name: "create a session", method: "POST", routeId: "routes/programmes.$programmeId.sessions.new", path: () => `/programmes/${programmeId}/sessions/new`, body: sessionFormFields, expect: (p) => expectProgramme(p, "programme.sessions.create") },
  { name: "session page", method: "GET", routeId: "routes/sessions.$sessionId._index", path: () => `/sessions/${sessionId}`, expect: (p) => expectSession(p, "session.view") },
  { name: "change session status", method: "POST", routeId: "routes/sessions.$sessionId._index", path: () => `/sessions/${sessionId}`, body: () => ({ intent: "status", to: "finalised" }), expect: (p) => expectSession(p, "session.lifecycle") },
  { name: "edit session page", method: "GET", routeId: "routes/sessions.$sessionId.edit", path: () => `/sessions/${sessionId}/edit`, expect: (p) => expectSession(p, "session.configure") },
  { name: "edit a session", method: "POST", routeId: "routes/sessions.$sessionId.edit", path: () => `/sessions/${sessionId}/edit`, body: sessionFormFields, expect: (p) => expectSession(p, "session.configure") },
  { name: "set the scale for positions", method: "POST", routeId: "routes/sessions.$sessionId.edit", path: () => `/sessions/${sessionId}/edit`, body: () => ({ intent: "voting", scale: "kaner", showNumbers: "on" }), expect: (p) => expectSession(p, "session.configure") },
  { name: "people page", method: "GET", routeId: "routes/sessions.$sessionId.people", path: () => `/sessions/${sessionId}/people`, expect: (p) => expectSession(p, "session.members.view") },
  { name: "rotate the join code", method: "POST", routeId: "routes/sessions.$sessionId.people", path: () => `/sessions/${sessionId}/people`, body: () => ({ intent: "rotateCode" }), expect: (p) => expectSession(p, "session.joinCode.rotate") },
  { name: "create invitations", method: "POST", routeId: "routes/sessions.$sessionId.people", path: () => `/sessions/${sessionId}/people`, body: () => ({ intent: "createInvitations", role: "participant", count: "1", rosterEntryId: "" }), expect: (p) => expectSession(p, "session.invitations.manage") },
  { name: "remove a member", method: "POST", routeId: "routes/sessions.$sessionId.people", path: () => `/sessions/${sessionId}/people`, body: () => ({ intent: "removeMember", userId: "00000000-0000-4000-8000-000000000000" }), expect: (p) => expectSession(p, "session.members.manage") },
  { name: "roster page", method: "GET", routeId: "routes/sessions.$sessionId.roster", path: () => `/sessions/${sessionId}/roster`, expect: (p) => expectSession(p, "session.roster.view") },
  { name: "add a roster entry", method: "POST", routeId: "routes/sessions.$sessionId.roster", path: () => `/sessions/${sessionId}/roster`, body: () => ({ intent: "add", name: "Someone", role: "participant", category: "academic", shortForms: "", organisation: "", acronyms: "", title: "", country: "" }), expect: (p) => expectSession(p, "session.roster.manage") },
  { name: "agenda page", method: "GET", routeId: "routes/sessions.$sessionId.agenda", path: () => `/sessions/${sessionId}/agenda`, expect: (p) => expectSession(p, "session.view") },
  { name: "add an agenda item", method: "POST", routeId: "routes/sessions.$sessionId.agenda", path: () => `/sessions/${sessionId}/agenda`, body: () => ({ intent: "add", title: "Item", plannedMinutes: "10", description: "", panelists: "", attributionMode: "" }), expect: (p) => expectSession(p, "agenda.edit") },
  { name: "live room page", method: "GET", routeId: "routes/sessions.$sessionId.live", path: () => `/sessions/${sessionId}/live`, expect: (p) => expectSession(p, "session.room.join") },
  { name: "rapporteur mode (capture) page", method: "GET", routeId: "routes/sessions.$sessionId.capture", path: () => `/sessions/${sessionId}/capture`, expect: (p) => expectSession(p, "session.room.join") },
  { name: "projector page", method: "GET", routeId: "routes/sessions.$sessionId.projector", path: () => `/sessions/${sessionId}/projector`, expect: (p) => expectSession(p, "projector.view") },
  { name: "simple notes page", method: "GET", routeId: "routes/sessions.$sessionId.notes", path: () => `/sessions/${sessionId}/notes`, expect: (p) => expectSession(p, "session.room.join") },
  {
    name: "write a note on the simple notes page",
    method: "POST",
    routeId: "routes/sessions.$sessionId.notes",
    path: () => `/sessions/${sessionId}/notes`,
    // The draft session's room is not open: an allowed writer gets session_not_live (409), after the check.
    body: () => ({ intent: "note", clientId: "0123456789abcdef0123456789abcdef", itemId: "00000000-0000-4000-8000-000000000000", kind: "point", text: "A note." }),
    expect: (p) => expectSession(p, "notes.write"),
  },
  {
    name: "create a programme",
    method: "POST",
    routeId: "routes/programmes.new",
    path: () => "/programmes/new",
    body: () => ({ name: "Another dialogue", description: "" }),
    // Any account holder may start a programme; a guest identity may not.
    expect: (p) => (p === "signedOut" ? "sign-in" : p === "guest" ? "forbidden" : "allowed"),
  },
  { name: "coverage dashboard", method: "GET", routeId: "routes/programmes.$programmeId.coverage", path: () => `/programmes/${programmeId}/coverage`, expect: (p) => expectProgramme(p, "programme.coverage.view") },
  { name: "coverage CSV export", method: "GET", routeId: "routes/programmes.$programmeId.coverage[.]csv", path: () => `/programmes/${programmeId}/coverage.csv`, expect: (p) => expectProgramme(p, "programme.coverage.view") },
];

async function outcome(client: TestClient, row: Row): Promise<Expectation | string> {
  const url = `${row.path()}?_data=${encodeURIComponent(row.routeId)}`;
  const res = row.method === "GET" ? await client.get(url) : await client.post(url, row.body?.() ?? {});
  const text = await res.text();
  if (res.status >= 500) return `server error ${res.status}: ${text.slice(0, 200)}`;
  const redirect = res.headers.get("x-remix-redirect") ?? res.headers.get("location");
  if (redirect?.startsWith("/sign-in")) return "sign-in";
  let body: { messageKey?: string; formError?: string } = {};
  try {
    body = JSON.parse(text);
  } catch {
    /* redirects and empty answers have no JSON body */
  }
  const key = body.messageKey ?? body.formError;
  if (res.status === 404 && (key === "session_not_found" || key === "programme_not_found")) return "not-found";
  if (res.status === 403) return "forbidden";
  // "not_found" names the target of the action (a member, an entry): the permission check passed.
  if (res.status === 404 && key === "not_found") return "allowed";
  if (res.status === 401 || res.status === 403 || res.status === 404) return `unexpected ${res.status} ${key ?? ""}`;
  return "allowed";
}

describe("authorisation table: routes", () => {
  for (const row of ROWS) {
    it(`${row.method} ${row.name}`, async () => {
      const results: Record<string, string> = {};
      const wanted: Record<string, string> = {};
      for (const persona of PERSONAS) {
        results[persona] = await outcome(clients.get(persona)!, row);
        wanted[persona] = row.expect(persona);
      }
      expect(results).toEqual(wanted);
    });
  }

  it("a programme or session that does not exist answers not found, like one without standing", async () => {
    const organiser = clients.get("programmeOrganiser")!;
    const missing = "00000000-0000-4000-8000-000000000000";
    expect(await outcome(organiser, { ...ROWS[0], path: () => `/programmes/${missing}` })).toBe("not-found");
    expect(await outcome(organiser, { ...ROWS[8], path: () => `/sessions/${missing}` })).toBe("not-found");
  });
});

describe("authorisation table: socket events", () => {
  it("session:enter is allowed exactly to those who may join the room", async () => {
    const results: Record<string, string> = {};
    const wanted: Record<string, string> = {};
    for (const persona of PERSONAS) {
      const socket = clients.get(persona)!.socket();
      wanted[persona] = persona === "signedOut" ? "refused" : expectSession(persona, "session.room.join");
      try {
        await connected(socket);
        const ack = await socket.timeout(5000).emitWithAck("session:enter", { sessionId });
        results[persona] = ack.ok ? "allowed" : ack.error === "session_not_found" ? "not-found" : ack.error === "forbidden" ? "forbidden" : ack.error;
        if (ack.ok) expect(ack.data.role).toBe(standingFrom(sessionRoleOf[persona] ?? null, programmeRoleOf[persona] ?? null));
      } catch {
        results[persona] = "refused";
      } finally {
        socket.disconnect();
      }
    }
    expect(results).toEqual(wanted);
  });

  // The live room's commands run against a live session of their own, with a running item, so that
  // what the allowed personas do changes nothing the other rows rely on. A domain refusal that comes
  // after the permission check (session_not_live, no_current_item, entry_not_found, already_in_queue...)
  // proves the check passed: it counts as allowed.
  let liveSessionId = "";
  let runningItemId = "";
  const AFTER_THE_CHECK = ["session_not_live", "session_ended", "no_current_item", "item_not_found", "entry_not_found", "already_in_queue", "not_in_queue", "item_not_pending", "item_finished", "order_invalid", "transition_invalid", "note_not_found", "recommendation_not_found"];
  const MISSING_ENTRY = "00000000-0000-4000-8000-000000000000";

  beforeAll(async () => {
    const organiser = server.actorFor(userIdOf(server, clients.get("programmeOrganiser")!)!);
    liveSessionId = server.domain.sessions.create(organiser, programmeId, { ...sessionFields(), title: "Live authorisation session" }).id;
    for (const [p, role] of Object.entries(sessionRoleOf) as [Persona, SessionRole][]) server.domain.sessions.putMember(liveSessionId, userIdOf(server, clients.get(p)!)!, role);
    runningItemId = server.domain.live.addItem(organiser, liveSessionId, { title: "Running", plannedMinutes: 30 }).id;
    server.domain.live.addItem(organiser, liveSessionId, { title: "Next", plannedMinutes: 30 });
    server.domain.live.openRoom(organiser, liveSessionId);
    await server.domain.live.command(organiser, liveSessionId, runningItemId, { command: "start" });
  });

  const pendingIds = () =>
    (server.database.sqlite.prepare("SELECT id FROM agenda_items WHERE session_id = ? AND state = 'pending' ORDER BY position").all(liveSessionId) as { id: string }[]).map((i) => i.id);

  const SOCKET_ROWS: { event: keyof ClientToServerEvents; payload: () => Record<string, unknown>; action: SessionAction }[] = [
    { event: "live:open", payload: () => ({ sessionId: liveSessionId }), action: "live.control" },
    { event: "agenda:command", payload: () => ({ sessionId: liveSessionId, itemId: runningItemId, command: "extend", extendByMs: 1000 }), action: "live.control" },
    { event: "agenda:reorder", payload: () => ({ sessionId: liveSessionId, order: pendingIds() }), action: "agenda.edit" },
    { event: "agenda:add", payload: () => ({ sessionId: liveSessionId, title: "Added live", plannedMinutes: 5 }), action: "agenda.edit" },
    { event: "queue:raise", payload: () => ({ sessionId: liveSessionId, kind: "new" }), action: "queue.raise" },
    { event: "queue:lower", payload: () => ({ sessionId: liveSessionId }), action: "queue.raise" },
    { event: "queue:remove", payload: () => ({ sessionId: liveSessionId, entryId: MISSING_ENTRY }), action: "queue.manage" },
    { event: "queue:floor", payload: () => ({ sessionId: liveSessionId, entryId: MISSING_ENTRY }), action: "queue.manage" },
    { event: "queue:endTurn", payload: () => ({ sessionId: liveSessionId }), action: "queue.manage" },
    { event: "notes:submit", payload: () => ({ sessionId: liveSessionId, clientId: randomHex(), itemId: runningItemId, kind: "point", text: "A point made in the room." }), action: "notes.write" },
    { event: "notes:check", payload: () => ({ sessionId: liveSessionId, text: "The representative of the delegation said so." }), action: "notes.write" },
    { event: "notes:edit", payload: () => ({ sessionId: liveSessionId, noteId: MISSING_ENTRY, text: "Changed.", kind: "point" }), action: "notes.write" },
    { event: "notes:withdraw", payload: () => ({ sessionId: liveSessionId, noteId: MISSING_ENTRY }), action: "notes.write" },
    { event: "notes:curate", payload: () => ({ sessionId: liveSessionId, noteId: MISSING_ENTRY, action: "hide" }), action: "notes.curate" },
    { event: "notes:curatorEdit", payload: () => ({ sessionId: liveSessionId, noteId: MISSING_ENTRY, text: "Changed.", kind: "point" }), action: "notes.curate" },
    { event: "recs:create", payload: () => ({ sessionId: liveSessionId, text: "A recommendation drafted in the room" }), action: "recommendations.draft" },
    { event: "recs:update", payload: () => ({ sessionId: liveSessionId, recommendationId: MISSING_ENTRY, text: "Changed" }), action: "recommendations.draft" },
    { event: "recs:revise", payload: () => ({ sessionId: liveSessionId, recommendationId: MISSING_ENTRY, text: "Changed", reason: "Because" }), action: "recommendations.draft" },
    { event: "recs:decide", payload: () => ({ sessionId: liveSessionId, recommendationId: MISSING_ENTRY, status: "adopted" }), action: "votes.run" },
    { event: "votes:open", payload: () => ({ sessionId: liveSessionId, recommendationId: MISSING_ENTRY }), action: "votes.run" },
    { event: "votes:close", payload: () => ({ sessionId: liveSessionId, recommendationId: MISSING_ENTRY }), action: "votes.run" },
    { event: "votes:hands", payload: () => ({ sessionId: liveSessionId, recommendationId: MISSING_ENTRY, headcount: 10, counts: { agree: 5 } }), action: "votes.run" },
    { event: "votes:declare", payload: () => ({ sessionId: liveSessionId, recommendationId: MISSING_ENTRY, level: "consensus" }), action: "votes.run" },
    { event: "positions:take", payload: () => ({ sessionId: liveSessionId, recommendationId: MISSING_ENTRY, option: "agree" }), action: "positions.take" },
    { event: "notes:merge", payload: () => ({ sessionId: liveSessionId, targetId: MISSING_ENTRY, noteIds: ["00000000-0000-4000-8000-000000000001"] }), action: "notes.curate" },
  ];

  for (const row of SOCKET_ROWS) {
    it(`${row.event} follows ${row.action}`, async () => {
      const results: Record<string, string> = {};
      const wanted: Record<string, string> = {};
      for (const persona of PERSONAS) {
        const socket = clients.get(persona)!.socket();
        wanted[persona] = persona === "signedOut" ? "refused" : expectSession(persona, row.action);
        try {
          await connected(socket);
        } catch {
          results[persona] = "refused";
          socket.disconnect();
          continue;
        }
        try {
          // Each row's payload is typed by its event; the table holds them all, so emit untyped.
          const timed = socket.timeout(5000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<{ ok: boolean; error?: string }> };
          const ack = await timed.emitWithAck(row.event, row.payload());
          results[persona] = ack.ok
            ? "allowed"
            : ack.error === "session_not_found"
              ? "not-found"
              : ack.error === "forbidden"
                ? "forbidden"
                : AFTER_THE_CHECK.includes(ack.error ?? "")
                  ? "allowed"
                  : `unexpected ${ack.error}`;
        } finally {
          socket.disconnect();
        }
      }
      expect(results).toEqual(wanted);
    });
  }
});
