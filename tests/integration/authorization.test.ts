/**
 * The authorisation table: every route and socket event x every kind of person (signed out, each
 * programme role, each session role, a guest, and someone from another programme). Expectations come
 * from the role table in app/models/permissions.ts (itself unit-tested and documented in
 * docs/permissions.md); this suite proves the adapters enforce it. Two tests fail when a route module
 * of app/routes (its loader or its action) or a socket event the server registers has no row here, so
 * every new route and event must be added.
 *
 * Requests use Remix's data requests (?_data=<route id>) so that each answer is JSON and the reason
 * for a refusal is visible: 404 "not found" when the person has no standing at all (existence is not
 * revealed), 403 "forbidden" when they have a standing without the right, a redirect to sign-in when
 * signed out.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { PROGRAMME_ACTIONS, publicationReadable, sessionRoleCan, standingFrom, type ProgrammeAction, type ProgrammeRole, type SessionAction, type SessionRole } from "../../app/models/permissions";
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
  | "sessionOrganiser"
  | "outsider";

const PERSONAS: Persona[] = ["signedOut", "programmeOrganiser", "programmeStaff", "programmeMember", "sessionOrganiser", "moderator", "rapporteur", "panelist", "participant", "observer", "guest", "outsider"];

const programmeRoleOf: Partial<Record<Persona, ProgrammeRole>> = { programmeOrganiser: "organiser", programmeStaff: "staff", programmeMember: "member" };
const sessionRoleOf: Partial<Record<Persona, SessionRole>> = { sessionOrganiser: "organiser", moderator: "moderator", rapporteur: "rapporteur", panelist: "panelist", participant: "participant", observer: "observer", guest: "participant" };

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
let publishedSessionId = "";
let invitationToken = "";
let onboardingToken = "";
let tracedRecommendationId = "";

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

  // A session whose summary was published for its participants: the reading pages and downloads.
  publishedSessionId = server.domain.sessions.create(organiser, programmeId, { ...sessionFields(), title: "Published authorisation session" }).id;
  for (const [p, role] of Object.entries(sessionRoleOf) as [Persona, SessionRole][]) server.domain.sessions.putMember(publishedSessionId, userIdOf(server, clients.get(p)!)!, role);
  server.domain.live.addItem(organiser, publishedSessionId, { title: "Only item", plannedMinutes: 10 });
  tracedRecommendationId = server.domain.recommendations.create(organiser, publishedSessionId, { text: "A recommendation to trace" }).id;
  server.domain.sessions.setStatus(organiser, publishedSessionId, "scheduled");
  server.domain.live.openRoom(organiser, publishedSessionId);
  await server.domain.live.endRoom(organiser, publishedSessionId);
  server.domain.summaries.generate(organiser, publishedSessionId, { language: "en" });
  server.domain.sessions.setStatus(organiser, publishedSessionId, "finalised", { confirmed: true });
  for (const f of server.domain.summaries.workspace(organiser, publishedSessionId).findings) server.domain.summaries.override(organiser, publishedSessionId, { key: f.key, reason: "Checked: names nobody." });
  server.domain.summaries.settings(organiser, publishedSessionId, { visibility: "participants" });
  server.domain.summaries.approve(organiser, publishedSessionId, { version: server.domain.summaries.workspace(organiser, publishedSessionId).summary!.version });
  await server.domain.summaries.publish(organiser, publishedSessionId, {});
  [{ token: invitationToken }] = server.domain.invitations.create(organiser, sessionId, { role: "participant" });
  onboardingToken = server.domain.programmes.addMember(organiser, programmeId, { email: "onboarded@authz.test", role: "member" }).onboardingToken!;
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
  /** Posted as multipart/form-data with this file in the "file" field (uploads). */
  file?: string;
  /** Tried on a fresh client of each persona (for actions that would end the shared client's sign-in). */
  fresh?: boolean;
  expect: Rule;
};

/** An expectation with the rule it follows, as docs/permissions.md states it. */
type Rule = ((p: Persona) => Expectation) & { rule: string };
const rule = (text: string, expectation: (p: Persona) => Expectation): Rule => Object.assign(expectation, { rule: text });
const bySession = (action: SessionAction) => rule(`\`${action}\``, (p) => expectSession(p, action));
const byProgramme = (action: ProgrammeAction) => rule(`\`${action}\``, (p) => expectProgramme(p, action));
/** Pages and forms open to everyone, signed in or not (the domain decides what each person gets). */
const open = rule("anyone", () => "allowed");
/** Pages for signed-in people only. */
const signedIn = rule("anyone signed in", (p) => (p === "signedOut" ? "sign-in" : "allowed"));
const accountHolders = rule("account holders (not guests)", (p) => (p === "signedOut" ? "sign-in" : p === "guest" ? "forbidden" : "allowed"));
const nobodyWhileClosed = rule("nobody while sign-up is closed (`ALLOW_SIGNUP`)", () => "forbidden");
const publicationReaders = (number: string) => rule("readers of the version (`publicationReadable`)", (p) => expectPublication(p, number));
/** Who may see a session's recommendations on a trace (linking.mayTrace): its members, the programme's organisers and staff, and readers of its latest version. */
const tracers = rule("who may see the session's recommendations (`mayTrace`)", (p) => {
  if (p === "signedOut") return "sign-in";
  const sessionRole = sessionRoleOf[p] ?? null;
  const programmeRole = programmeRoleOf[p] ?? null;
  if (sessionRole || programmeRole === "organiser" || programmeRole === "staff") return "allowed";
  return publicationReadable("participants", { sessionRole, programmeRole }) ? "allowed" : "not-found";
});

/** Who may read the published version of a summary published for its participants (permissions.ts). */
function expectPublication(p: Persona, number: string): Expectation {
  if (p === "signedOut") return "sign-in";
  const roles = { sessionRole: sessionRoleOf[p] ?? null, programmeRole: programmeRoleOf[p] ?? null };
  // Anyone signed in who may not read it is told it is not found, as for a version that does not exist.
  return number === "1" && publicationReadable("participants", roles) ? "allowed" : "not-found";
}

const ROWS: Row[] = [
  { name: "programme overview", method: "GET", routeId: "routes/programmes.$programmeId._index", path: () => `/programmes/${programmeId}`, expect: byProgramme("programme.view") },
  { name: "programme settings page", method: "GET", routeId: "routes/programmes.$programmeId.settings", path: () => `/programmes/${programmeId}/settings`, expect: byProgramme("programme.configure") },
  { name: "add a theme", method: "POST", routeId: "routes/programmes.$programmeId.settings", path: () => `/programmes/${programmeId}/settings`, body: () => ({ intent: "addTheme", labelEn: "Theme", labelFr: "Thème" }), expect: byProgramme("programme.configure") },
  { name: "programme members page", method: "GET", routeId: "routes/programmes.$programmeId.members", path: () => `/programmes/${programmeId}/members`, expect: byProgramme("programme.members.manage") },
  { name: "add a programme member", method: "POST", routeId: "routes/programmes.$programmeId.members", path: () => `/programmes/${programmeId}/members`, body: () => ({ intent: "addMember", email: "added@authz.test", role: "member", displayName: "" }), expect: byProgramme("programme.members.manage") },
  { name: "programme audit log", method: "GET", routeId: "routes/programmes.$programmeId.audit", path: () => `/programmes/${programmeId}/audit`, expect: byProgramme("programme.audit.view") },
  { name: "new session page", method: "GET", routeId: "routes/programmes.$programmeId.sessions.new", path: () => `/programmes/${programmeId}/sessions/new`, expect: byProgramme("programme.sessions.create") },
  { name: "create a session", method: "POST", routeId: "routes/programmes.$programmeId.sessions.new", path: () => `/programmes/${programmeId}/sessions/new`, body: sessionFormFields, expect: byProgramme("programme.sessions.create") },
  { name: "session page", method: "GET", routeId: "routes/sessions.$sessionId._index", path: () => `/sessions/${sessionId}`, expect: bySession("session.view") },
  { name: "change session status", method: "POST", routeId: "routes/sessions.$sessionId._index", path: () => `/sessions/${sessionId}`, body: () => ({ intent: "status", to: "finalised" }), expect: bySession("session.lifecycle") },
  { name: "edit session page", method: "GET", routeId: "routes/sessions.$sessionId.edit", path: () => `/sessions/${sessionId}/edit`, expect: bySession("session.configure") },
  { name: "edit a session", method: "POST", routeId: "routes/sessions.$sessionId.edit", path: () => `/sessions/${sessionId}/edit`, body: sessionFormFields, expect: bySession("session.configure") },
  { name: "set the scale for positions", method: "POST", routeId: "routes/sessions.$sessionId.edit", path: () => `/sessions/${sessionId}/edit`, body: () => ({ intent: "voting", scale: "kaner", showNumbers: "on" }), expect: bySession("session.configure") },
  { name: "people page", method: "GET", routeId: "routes/sessions.$sessionId.people", path: () => `/sessions/${sessionId}/people`, expect: bySession("session.members.view") },
  { name: "rotate the join code", method: "POST", routeId: "routes/sessions.$sessionId.people", path: () => `/sessions/${sessionId}/people`, body: () => ({ intent: "rotateCode" }), expect: bySession("session.joinCode.rotate") },
  { name: "create invitations", method: "POST", routeId: "routes/sessions.$sessionId.people", path: () => `/sessions/${sessionId}/people`, body: () => ({ intent: "createInvitations", role: "participant", count: "1", rosterEntryId: "" }), expect: bySession("session.invitations.manage") },
  { name: "remove a member", method: "POST", routeId: "routes/sessions.$sessionId.people", path: () => `/sessions/${sessionId}/people`, body: () => ({ intent: "removeMember", userId: "00000000-0000-4000-8000-000000000000" }), expect: bySession("session.members.manage") },
  { name: "roster page", method: "GET", routeId: "routes/sessions.$sessionId.roster", path: () => `/sessions/${sessionId}/roster`, expect: bySession("session.roster.view") },
  { name: "add a roster entry", method: "POST", routeId: "routes/sessions.$sessionId.roster", path: () => `/sessions/${sessionId}/roster`, body: () => ({ intent: "add", name: "Someone", role: "participant", category: "academic", shortForms: "", organisation: "", acronyms: "", title: "", country: "" }), expect: bySession("session.roster.manage") },
  { name: "consolidation workspace", method: "GET", routeId: "routes/sessions.$sessionId.consolidate", path: () => `/sessions/${sessionId}/consolidate`, expect: bySession("recommendations.consolidate") },
  // Nothing selected: those allowed get "select at least one" (400), the others are refused first.
  { name: "merge in the consolidation workspace", method: "POST", routeId: "routes/sessions.$sessionId.consolidate", path: () => `/sessions/${sessionId}/consolidate`, body: () => ({ intent: "merge", mergeText: "A merged recommendation" }), expect: bySession("recommendations.consolidate") },
  { name: "agenda page", method: "GET", routeId: "routes/sessions.$sessionId.agenda", path: () => `/sessions/${sessionId}/agenda`, expect: bySession("session.view") },
  { name: "add an agenda item", method: "POST", routeId: "routes/sessions.$sessionId.agenda", path: () => `/sessions/${sessionId}/agenda`, body: () => ({ intent: "add", title: "Item", plannedMinutes: "10", description: "", panelists: "", attributionMode: "" }), expect: bySession("agenda.edit") },
  { name: "live room page", method: "GET", routeId: "routes/sessions.$sessionId.live", path: () => `/sessions/${sessionId}/live`, expect: bySession("session.room.join") },
  { name: "rapporteur mode (capture) page", method: "GET", routeId: "routes/sessions.$sessionId.capture", path: () => `/sessions/${sessionId}/capture`, expect: bySession("session.room.join") },
  { name: "projector page", method: "GET", routeId: "routes/sessions.$sessionId.projector", path: () => `/sessions/${sessionId}/projector`, expect: bySession("projector.view") },
  { name: "simple notes page", method: "GET", routeId: "routes/sessions.$sessionId.notes", path: () => `/sessions/${sessionId}/notes`, expect: bySession("session.room.join") },
  {
    name: "write a note on the simple notes page",
    method: "POST",
    routeId: "routes/sessions.$sessionId.notes",
    path: () => `/sessions/${sessionId}/notes`,
    // The draft session's room is not open: an allowed writer gets session_not_live (409), after the check.
    body: () => ({ intent: "note", clientId: "0123456789abcdef0123456789abcdef", itemId: "00000000-0000-4000-8000-000000000000", kind: "point", text: "A note." }),
    expect: bySession("notes.write"),
  },
  // ---- Summaries: the staff workspace, the review by participants, the reading pages and downloads ----
  { name: "summary workspace", method: "GET", routeId: "routes/sessions.$sessionId.summary", path: () => `/sessions/${sessionId}/summary`, expect: bySession("summary.draft") },
  { name: "save the summary draft", method: "POST", routeId: "routes/sessions.$sessionId.summary", path: () => `/sessions/${sessionId}/summary`, body: () => ({ intent: "save", markdown: "# Draft", version: "1" }), expect: bySession("summary.draft") },
  { name: "generate the summary draft", method: "POST", routeId: "routes/sessions.$sessionId.summary", path: () => `/sessions/${sessionId}/summary`, body: () => ({ intent: "generate", language: "xx" }), expect: bySession("summary.draft") },
  { name: "mark a review comment dealt with", method: "POST", routeId: "routes/sessions.$sessionId.summary", path: () => `/sessions/${sessionId}/summary`, body: () => ({ intent: "resolve", commentId: "00000000-0000-4000-8000-000000000000", resolved: "1" }), expect: bySession("summary.draft") },
  ...(["override", "visibility", "circulate", "approve", "publish"] as const).map(
    (intent): Row => ({
      name: `summary: ${intent}`,
      method: "POST",
      routeId: "routes/sessions.$sessionId.summary",
      path: () => `/sessions/${sessionId}/summary`,
      // Fields that the domain refuses after the permission check (nothing changes for anyone).
      body: () => ({ intent, key: "0".repeat(64), reason: "A reason long enough.", visibility: "nowhere", deadline: "2000-01-01T00:00", timeZone: "UTC", version: "99", changeNote: "" }),
      expect: bySession("summary.publish"),
    }),
  ),
  { name: "review page", method: "GET", routeId: "routes/sessions.$sessionId.review", path: () => `/sessions/${sessionId}/review`, expect: bySession("summary.review") },
  { name: "comment on the circulated draft", method: "POST", routeId: "routes/sessions.$sessionId.review", path: () => `/sessions/${sessionId}/review`, body: () => ({ intent: "comment", kind: "comment", text: "A comment." }), expect: bySession("summary.comment") },
  { name: "withdraw one's comment", method: "POST", routeId: "routes/sessions.$sessionId.review", path: () => `/sessions/${sessionId}/review`, body: () => ({ intent: "withdraw", commentId: "00000000-0000-4000-8000-000000000000" }), expect: bySession("summary.comment") },
  { name: "published summary (latest)", method: "GET", routeId: "routes/summaries.$sessionId.($number)", path: () => `/summaries/${publishedSessionId}`, expect: publicationReaders("1") },
  { name: "published summary (a version that does not exist)", method: "GET", routeId: "routes/summaries.$sessionId.($number)", path: () => `/summaries/${publishedSessionId}/7`, expect: publicationReaders("7") },
  { name: "download a published version", method: "GET", routeId: "routes/summaries.$sessionId.$number.export", path: () => `/summaries/${publishedSessionId}/1/export?format=md`, expect: publicationReaders("1") },
  // ---- Field instances (docs/field.md) ----
  { name: "programme field page", method: "GET", routeId: "routes/programmes.$programmeId.field", path: () => `/programmes/${programmeId}/field`, expect: byProgramme("programme.field.keys") },
  // A fingerprint that is not one: refused after the permission check.
  { name: "register a laptop key", method: "POST", routeId: "routes/programmes.$programmeId.field", path: () => `/programmes/${programmeId}/field`, body: () => ({ intent: "register", fingerprint: "not a fingerprint", label: "Laptop" }), expect: byProgramme("programme.field.keys") },
  { name: "field kit address (sends back to the field page)", method: "GET", routeId: "routes/programmes.$programmeId.field-kit", path: () => `/programmes/${programmeId}/field-kit`, expect: open },
  { name: "export a field kit", method: "POST", routeId: "routes/programmes.$programmeId.field-kit", path: () => `/programmes/${programmeId}/field-kit`, body: () => ({ sessionId: "00000000-0000-4000-8000-000000000000" }), expect: byProgramme("programme.field.kits") },
  { name: "field laptop page", method: "GET", routeId: "routes/field", path: () => "/field", expect: accountHolders },
  { name: "import a field kit on the laptop", method: "POST", routeId: "routes/field", path: () => "/field", file: "this is not a kit", expect: accountHolders },
  { name: "bundle address (sends back to the laptop page)", method: "GET", routeId: "routes/field-bundle.$sessionId", path: () => `/field-bundle/${sessionId}`, expect: open },
  // The session is not published: refused after the permission check.
  { name: "export a signed bundle", method: "POST", routeId: "routes/field-bundle.$sessionId", path: () => `/field-bundle/${sessionId}`, body: () => ({}), expect: bySession("summary.export") },
  { name: "import page", method: "GET", routeId: "routes/programmes.$programmeId.import", path: () => `/programmes/${programmeId}/import`, expect: byProgramme("programme.sessions.import") },
  { name: "import a session export", method: "POST", routeId: "routes/programmes.$programmeId.import", path: () => `/programmes/${programmeId}/import`, file: "this is not an export", expect: byProgramme("programme.sessions.import") },
  // ---- Pages and forms open to everyone: what they do depends on who asks, not on a role ----
  { name: "home page", method: "GET", routeId: "routes/_index", path: () => "/", expect: open },
  { name: "dismiss an in-app notice", method: "POST", routeId: "routes/_index", path: () => "/?index", body: () => ({ noticeId: "00000000-0000-4000-8000-000000000000" }), expect: signedIn },
  { name: "join page", method: "GET", routeId: "routes/join", path: () => "/join", expect: open },
  { name: "join with a code", method: "POST", routeId: "routes/join", path: () => "/join", body: () => ({ code: "ZZZZ-ZZZZ", displayName: "" }), expect: open },
  { name: "invitation page", method: "GET", routeId: "routes/invite.$token", path: () => `/invite/${invitationToken}`, expect: open },
  { name: "accept an invitation that is not valid", method: "POST", routeId: "routes/invite.$token", path: () => `/invite/${"A".repeat(32)}`, body: () => ({ displayName: "" }), expect: open },
  { name: "onboarding page", method: "GET", routeId: "routes/onboard.$token", path: () => `/onboard/${onboardingToken}`, expect: open },
  { name: "onboarding with a link that is not valid", method: "POST", routeId: "routes/onboard.$token", path: () => `/onboard/${"A".repeat(32)}`, body: () => ({ password: "correct horse battery staple", confirm: "correct horse battery staple" }), expect: open },
  { name: "language (GET sends home)", method: "GET", routeId: "routes/language", path: () => "/language", expect: open },
  { name: "choose a language", method: "POST", routeId: "routes/language", path: () => "/language", body: () => ({ lang: "en", returnTo: "/" }), expect: open },
  { name: "sign-in page", method: "GET", routeId: "routes/sign-in", path: () => "/sign-in", expect: open },
  { name: "sign in with a wrong password", method: "POST", routeId: "routes/sign-in", path: () => "/sign-in", body: () => ({ email: "nobody@authz.test", password: "wrong password", returnTo: "/" }), expect: open },
  { name: "sign-up page", method: "GET", routeId: "routes/sign-up", path: () => "/sign-up", expect: open },
  // Open sign-up is a setting, off here (ALLOW_SIGNUP): refused to everyone alike.
  { name: "sign up (closed here)", method: "POST", routeId: "routes/sign-up", path: () => "/sign-up", body: () => ({ email: "new@authz.test", password: "correct horse battery staple", displayName: "" }), expect: nobodyWhileClosed },
  // Signed out, the sign-out page and form send home.
  { name: "sign-out page", method: "GET", routeId: "routes/sign-out", path: () => "/sign-out", expect: open },
  { name: "sign out", method: "POST", routeId: "routes/sign-out", path: () => "/sign-out", body: () => ({}), fresh: true, expect: open },
  { name: "switch participant page", method: "GET", routeId: "routes/switch", path: () => "/switch", expect: open },
  { name: "switch to an identity this device does not hold", method: "POST", routeId: "routes/switch", path: () => "/switch", body: () => ({ userId: "00000000-0000-4000-8000-000000000000" }), expect: open },
  // The empty form is shown to anyone signed in (it holds nothing); creating refuses a guest (below).
  { name: "new programme page", method: "GET", routeId: "routes/programmes.new", path: () => "/programmes/new", expect: signedIn },
  {
    name: "create a programme",
    method: "POST",
    routeId: "routes/programmes.new",
    path: () => "/programmes/new",
    body: () => ({ name: "Another dialogue", description: "" }),
    // Any account holder may start a programme; a guest identity may not.
    expect: accountHolders,
  },
  // ---- Traceability and coverage ----
  { name: "coverage dashboard", method: "GET", routeId: "routes/programmes.$programmeId.coverage", path: () => `/programmes/${programmeId}/coverage`, expect: byProgramme("programme.coverage.view") },
  { name: "coverage CSV export", method: "GET", routeId: "routes/programmes.$programmeId.coverage[.]csv", path: () => `/programmes/${programmeId}/coverage.csv`, expect: byProgramme("programme.coverage.view") },
  { name: "trace of a recommendation", method: "GET", routeId: "routes/recommendations.$recommendationId.trace", path: () => `/recommendations/${tracedRecommendationId}/trace`, expect: tracers },
];

const AFTER_THE_CHECK_404 = ["not_found", "summary_not_found", "comment_not_found", "notice_not_found", "invitation_invalid", "token_invalid", "link_invalid"];

async function outcome(client: TestClient, row: Row): Promise<Expectation | string> {
  const target = row.path();
  const url = `${target}${target.includes("?") ? "&" : "?"}_data=${encodeURIComponent(row.routeId)}`;
  const res = row.method === "GET" ? await client.get(url) : row.file !== undefined ? await upload(client, url, row.file) : await client.post(url, row.body?.() ?? {});
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
  const key = body?.messageKey ?? body?.formError;
  if (res.status === 404 && (key === "session_not_found" || key === "programme_not_found" || key === "publication_not_found" || key === "recommendation_not_found")) return "not-found";
  if (res.status === 403) return "forbidden";
  // The sign-in form is open to all: wrong credentials are the domain's answer, not a refusal of the person.
  if (res.status === 401 && key === "bad_credentials") return "allowed";
  // These name the target of the action (a member, an entry, a comment, a link): the permission check passed.
  if (res.status === 404 && AFTER_THE_CHECK_404.includes(key ?? "")) return "allowed";
  if (res.status === 401 || res.status === 403 || res.status === 404) return `unexpected ${res.status} ${key ?? ""}`;
  return "allowed";
}

/** A new client signed in as the persona (a guest joins again with the code: a new guest identity). */
async function freshClient(persona: Persona): Promise<TestClient> {
  const client = server.client();
  if (persona === "guest") {
    // The code may have been rotated by a row above: take the current one.
    const code = server.domain.sessions.rotateJoinCode(server.actorFor(userIdOf(server, clients.get("programmeOrganiser")!)!), sessionId);
    expect((await client.post("/join", { code, displayName: "Guest" })).status).toBe(302);
  }
  else if (persona !== "signedOut") await client.signIn(`${persona.toLowerCase()}@authz.test`);
  return client;
}

function upload(client: TestClient, url: string, text: string) {
  const form = new FormData();
  form.append("file", new Blob([text], { type: "application/json" }), "export.json");
  return fetch(client.baseUrl + url, { method: "POST", body: form, redirect: "manual", headers: { cookie: client.cookieHeader, origin: client.baseUrl } });
}

describe("authorisation table: routes", () => {
  for (const row of ROWS) {
    it(`${row.method} ${row.name}`, async () => {
      const results: Record<string, string> = {};
      const wanted: Record<string, string> = {};
      for (const persona of PERSONAS) {
        results[persona] = await outcome(row.fresh ? await freshClient(persona) : clients.get(persona)!, row);
        wanted[persona] = row.expect(persona);
      }
      expect(results).toEqual(wanted);
    });
  }

  it("covers every route module: each loader (GET) and each action (POST) in app/routes has a row", async () => {
    const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
    const files = fs.readdirSync(path.resolve("app/routes")).map((f) => `routes/${f.replace(/\.tsx?$/, "")}`);
    expect(Object.keys(build.routes).filter((id) => id.startsWith("routes/")).sort()).toEqual([...files].sort());
    const missing: string[] = [];
    for (const id of files) {
      const module = build.routes[id].module as { loader?: unknown; action?: unknown };
      if (module.loader && !ROWS.some((r) => r.routeId === id && r.method === "GET")) missing.push(`GET ${id}`);
      if (module.action && !ROWS.some((r) => r.routeId === id && r.method === "POST")) missing.push(`POST ${id}`);
    }
    expect(missing, "routes missing from the authorisation table").toEqual([]);
    for (const r of ROWS) expect(files, r.name).toContain(r.routeId);
  });

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

  const SOCKET_ROWS: { event: keyof ClientToServerEvents; payload: () => Record<string, unknown>; action: SessionAction | null }[] = [
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
    // Leaving a room one is not in changes nothing: allowed to anyone signed in, whatever their standing.
    { event: "session:leave", payload: () => ({ sessionId: liveSessionId }), action: null },
    // Last: ending the room (the rows above need it live).
    { event: "live:end", payload: () => ({ sessionId: liveSessionId }), action: "live.control" },
  ];

  it("is the table of docs/permissions.md (section \"Routes and socket events\"), row for row", () => {
    const doc = fs.readFileSync(path.resolve("docs/permissions.md"), "utf8");
    const section = doc.split(/^## /m).find((part) => part.startsWith("Routes and socket events"));
    expect(section, "docs/permissions.md has a section \"Routes and socket events\"").toBeDefined();
    const documented = section!
      .split("\n")
      .filter((l) => /^\| `/.test(l))
      .map((l) => l.split("|").slice(1, -1).map((c) => c.trim()).join(" | "));
    const tested = [
      ...ROWS.map((r) => `\`${r.routeId}\` | ${r.method} | ${r.expect.rule}`),
      "`session:enter` | socket | `session.room.join`",
      ...SOCKET_ROWS.map((r) => `\`${r.event}\` | socket | ${r.action ? `\`${r.action}\`` : "anyone signed in"}`),
    ];
    expect([...new Set(documented)].sort(), "docs/permissions.md vs this test's rows").toEqual([...new Set(tested)].sort());
  });

  it("covers every socket event the server registers", async () => {
    const socket = clients.get("participant")!.socket();
    await connected(socket);
    try {
      const registered = server.io.of("/").sockets.get(socket.id!)!.eventNames().map(String);
      const inTable = new Set(["session:enter", ...SOCKET_ROWS.map((r) => r.event)]);
      expect(registered.filter((e) => !["disconnect", "disconnecting", "error"].includes(e) && !inTable.has(e as keyof ClientToServerEvents)), "events missing from the authorisation table").toEqual([]);
      expect(registered.length).toBeGreaterThan(20);
    } finally {
      socket.disconnect();
    }
  });

  for (const row of SOCKET_ROWS) {
    it(`${row.event} follows ${row.action ?? "no role (anyone signed in)"}`, async () => {
      const results: Record<string, string> = {};
      const wanted: Record<string, string> = {};
      for (const persona of PERSONAS) {
        const socket = clients.get(persona)!.socket();
        wanted[persona] = persona === "signedOut" ? "refused" : row.action ? expectSession(persona, row.action) : "allowed";
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
