/**
 * A whole closed-door session run through the real server, with every byte that reached a participant,
 * an observer or the public recorded: used by the leak-canary and unlinkability tests.
 *
 * People act over HTTP (real cookies, Remix data requests and forms) and real socket.io clients: the
 * organiser sets the roster (canary names, organisations, titles, missions; hidden from the room), the
 * moderator runs the live room, participants (guests who joined with the code and account holders, all
 * with canary display names) raise hands, write notes (clean ones, and identifying ones that the
 * guard holds and the rapporteur rewords or clears), take positions, read and comment on the
 * circulated summary; the organiser generates, edits, circulates, approves and publishes it after
 * finalisation; everyone downloads the exports. Only test set-up that no participant would see goes
 * through the domain (the programme and the session record).
 *
 * `recordings` holds, per person, every HTTP response body, every socket event and every command's
 * acknowledgement they received; `artefacts` every exported file. To include a new exported artefact
 * (a signed field bundle, say), add one entry to ARTEFACTS below: both tests search it.
 */
import { createHmac } from "node:crypto";
import fs from "node:fs";
import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../app/realtime/events";
import { connected, TestClient, waitFor, type TestServer } from "./server";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What the tests search for. Each value is unique to this file. */
export const CANARY = {
  // The roster (organisers only): two participants and a panelist.
  rosterName: "Zqxcanary Ouologuem",
  rosterShort: "Ouologuem",
  rosterOrg: "Canaryorg-7731",
  rosterAcronym: "QXCNRY",
  rosterTitle: "Canarytitle Plenipotentiary",
  rosterMission: "Canarystan",
  secondName: "Wyvcanary Kéïta-Ndiaye",
  secondOrg: "Canaryorg-8842 Trust",
  secondTitle: "Canarytitle Rapporteuse",
  panelistName: "Vexcanary Dembélé",
  panelistOrg: "Panelcanary-4402 Institute",
  panelistTitle: "Canarytitle Professor",
  panelistMission: "Canaryland",
} as const;

/** The people, each with a canary display name (and account email where they have one). */
export const PEOPLE = {
  organiser: { name: "Orgcanary Sidibé", email: "orgcanary.sidibe@canary.test" },
  moderator: { name: "Modcanary Touré", email: "modcanary.toure@canary.test" },
  rapporteur: { name: "Rapcanary Diallo", email: "rapcanary.diallo@canary.test" },
  observer: { name: "Obscanary Cissé", email: "obscanary.cisse@canary.test" },
  member: { name: "Partcanary Coulibaly", email: "partcanary.coulibaly@canary.test" },
  guestA: { name: "Gstacanary Maïga", email: null },
  guestB: { name: "Gstbcanary Bathily", email: null },
} as const;
export type PersonKey = keyof typeof PEOPLE;
/** Whose recordings are searched: those who may never see the roster or anyone's name. */
export const ROOM: PersonKey[] = ["observer", "member", "guestA", "guestB"];

export type Recording = { who: PersonKey | "public"; what: string; body: string };

/** A TestClient that records every response body it receives. */
export class RecordingClient extends TestClient {
  constructor(
    baseUrl: string,
    readonly who: Recording["who"],
    readonly sink: Recording[],
  ) {
    super(baseUrl);
  }
  private async keep(what: string, res: Response) {
    this.sink.push({ who: this.who, what: `${what} -> ${res.status}`, body: `${[...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n")}\n\n${await res.clone().text()}` });
    return res;
  }
  override async get(pathname: string, init: RequestInit = {}) {
    return this.keep(`GET ${pathname}`, await super.get(pathname, init));
  }
  override async post(pathname: string, fields: Record<string, string | string[]> = {}, headers?: Record<string, string>) {
    return this.keep(`POST ${pathname}`, await super.post(pathname, fields, headers));
  }
  /** A socket whose every received event and acknowledgement is recorded. */
  recordedSocket(): ClientSocket & { cmd: (event: keyof ClientToServerEvents, payload: unknown) => Promise<{ ok: boolean; data?: unknown; error?: string }> } {
    const socket = this.socket() as ReturnType<RecordingClient["recordedSocket"]>;
    socket.onAny((event: string, ...args: unknown[]) => this.sink.push({ who: this.who, what: `event ${event}`, body: JSON.stringify(args) }));
    socket.cmd = async (event, payload) => {
      const ack = (await (socket.timeout(10_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<{ ok: boolean; data?: unknown; error?: string }> }).emitWithAck(event, payload));
      this.sink.push({ who: this.who, what: `ack ${event}`, body: JSON.stringify(ack) });
      return ack;
    };
    return socket;
  }
}

export type HeldSession = Awaited<ReturnType<typeof holdSession>>;

/** An exported artefact, fetched after publication. Add one line here for each new kind of export. */
type Artefact = { name: string; fetch: (ctx: { visitor: RecordingClient; organiser: RecordingClient; sessionId: string; number: number }) => Promise<Response> };
export const ARTEFACTS: Artefact[] = [
  { name: "Markdown download (public)", fetch: ({ visitor, sessionId, number }) => visitor.get(`/summaries/${sessionId}/${number}/export?format=md`) },
  { name: "print HTML download (public)", fetch: ({ visitor, sessionId, number }) => visitor.get(`/summaries/${sessionId}/${number}/export?format=html`) },
  { name: "JSON export (public)", fetch: ({ visitor, sessionId, number }) => visitor.get(`/summaries/${sessionId}/${number}/export?format=json`) },
  { name: "JSON export (organiser, summary.export)", fetch: ({ organiser, sessionId, number }) => organiser.get(`/summaries/${sessionId}/${number}/export?format=json`) },
  // The signed field bundle (issue 8): what a laptop sends home, the same export signed by the instance's key.
  { name: "signed field bundle (organiser, summary.export)", fetch: ({ organiser, sessionId }) => organiser.post(`/field-bundle/${sessionId}`, {}) },
];

const ok = <T = unknown>(ack: { ok: boolean; data?: unknown; error?: string }, what: string): T => {
  if (!ack.ok) throw new Error(`${what} refused: ${JSON.stringify(ack)}`);
  return ack.data as T;
};

let seq = 0;
const clientId = () => createHmac("sha256", "held-session").update(`${++seq}:${Math.random()}`).digest("hex").slice(0, 32);

/** Follows a Remix data request and returns its JSON (throws on a refusal). */
async function data<T>(client: TestClient, path: string, routeId: string): Promise<T> {
  const res = await client.get(`${path}?_data=${encodeURIComponent(routeId)}`);
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

async function form(client: TestClient, path: string, fields: Record<string, string | string[]>, routeId?: string) {
  const res = await client.post(routeId ? `${path}?_data=${encodeURIComponent(routeId)}` : path, fields);
  if (res.status >= 400) throw new Error(`POST ${path} ${JSON.stringify(fields).slice(0, 120)} answered ${res.status}: ${(await res.text()).slice(0, 400)}`);
  return res;
}

export async function holdSession(server: TestServer, options: { listPanelists: boolean }) {
  const recordings: Recording[] = [];
  const artefacts: { name: string; body: Buffer }[] = [];
  const sockets: ClientSocket[] = [];
  const client = (who: Recording["who"]) => new RecordingClient(server.url, who, recordings);
  const db = server.database.sqlite;

  // ---- Accounts and the session record (set-up nobody in the room sees) ----
  const ids = {} as Record<PersonKey, string>;
  for (const key of ["organiser", "moderator", "rapporteur", "observer", "member"] as const) ids[key] = await server.createAccount(PEOPLE[key].email, undefined, PEOPLE[key].name);
  const organiserActor = server.actorFor(ids.organiser);
  const { id: programmeId } = server.domain.programmes.create(organiserActor, { name: "Dialogue on the protection of civilians" });
  const levelId = server.domain.programmes.taxonomy(programmeId).levels[0].id;
  const themeId = server.domain.programmes.addTheme(organiserActor, programmeId, { labelEn: "Security", labelFr: "Sécurité" }).id;
  const { id: sessionId } = server.domain.sessions.create(organiserActor, programmeId, {
    title: "Roundtable on threats to civilians",
    kind: "roundtable",
    levelId,
    languages: ["en"],
    timeZone: "Africa/Bamako",
    attributionMode: "chatham_house",
    noteVisibility: "participants",
    rosterVisibleToRoom: false,
  });
  for (const key of ["moderator", "rapporteur", "observer", "member"] as const) server.domain.sessions.putMember(sessionId, ids[key], key === "member" ? "participant" : key);

  const organiser = client("organiser");
  await organiser.signIn(PEOPLE.organiser.email);
  const S = `/sessions/${sessionId}`;

  // ---- The roster, over HTTP, as the organiser types it ----
  const rosterRows = [
    { name: CANARY.rosterName, shortForms: CANARY.rosterShort, organisation: CANARY.rosterOrg, acronyms: CANARY.rosterAcronym, title: CANARY.rosterTitle, country: CANARY.rosterMission, role: "participant", category: "diplomat" },
    { name: CANARY.secondName, shortForms: "", organisation: CANARY.secondOrg, acronyms: "", title: CANARY.secondTitle, country: "", role: "participant", category: "ngo" },
    { name: CANARY.panelistName, shortForms: "", organisation: CANARY.panelistOrg, acronyms: "", title: CANARY.panelistTitle, country: CANARY.panelistMission, role: "panelist", category: "academic" },
  ];
  for (const row of rosterRows) await form(organiser, `${S}/roster`, { intent: "add", ...row });
  for (const title of ["Threats and drivers", "Protection responses"]) await form(organiser, `${S}/agenda`, { intent: "add", title, plannedMinutes: "30", description: "", panelists: "", attributionMode: "" });
  await form(organiser, S, { intent: "status", to: "scheduled" });
  const code = server.domain.sessions.rotateJoinCode(organiserActor, sessionId);
  const itemIds = (db.prepare("SELECT id FROM agenda_items WHERE session_id = ? ORDER BY position").all(sessionId) as { id: string }[]).map((r) => r.id);

  // ---- People arrive ----
  const people = {} as Record<PersonKey, RecordingClient>;
  people.organiser = organiser;
  for (const key of ["moderator", "rapporteur"] as const) {
    people[key] = client(key);
    await people[key].signIn(PEOPLE[key].email);
  }
  for (const key of ["observer", "member"] as const) {
    people[key] = client(key);
    await people[key].get("/sign-in");
    await people[key].signIn(PEOPLE[key].email);
  }
  // One guest joins with the code; the other with a personal invitation tied to a roster entry.
  const secondEntry = (db.prepare("SELECT id FROM roster_entries WHERE session_id = ? AND role = 'participant' ORDER BY name DESC LIMIT 1").get(sessionId) as { id: string }).id;
  const [{ token }] = server.domain.invitations.create(organiserActor, sessionId, { role: "participant", rosterEntryId: secondEntry });
  for (const key of ["guestA", "guestB"] as const) {
    people[key] = client(key);
    const path = key === "guestA" ? "/join" : `/invite/${token}`;
    await people[key].get(path);
    const res = await people[key].post(path, key === "guestA" ? { code, displayName: PEOPLE[key].name } : { displayName: PEOPLE[key].name });
    if (res.status !== 302) throw new Error(`${path} answered ${res.status}`);
    await people[key].get(res.headers.get("location")!);
    ids[key] = server.domain.accounts.validateSessionToken(people[key].cookies.get("parley_session"))!.actor.userId;
  }
  const socketOf = {} as Record<PersonKey, ReturnType<RecordingClient["recordedSocket"]>>;
  for (const key of ["moderator", "rapporteur", "observer", "member", "guestA", "guestB"] as const) {
    const s = people[key].recordedSocket();
    sockets.push(s);
    await connected(s);
    socketOf[key] = s;
  }
  const mod = socketOf.moderator;
  ok(await mod.cmd("live:open", { sessionId }), "live:open");
  for (const key of ["moderator", "rapporteur", "observer", "member", "guestA", "guestB"] as const) ok(await socketOf[key].cmd("session:enter", { sessionId }), `session:enter (${key})`);
  ok(await mod.cmd("agenda:command", { sessionId, itemId: itemIds[0], command: "start" }), "start");
  for (const key of ROOM) await people[key].get(`${S}/live`);
  for (const key of ["moderator", "rapporteur"] as const) for (const path of [`${S}/live`, `${S}/capture`, S]) await people[key].get(path);

  // ---- The speaker queue: hands raised, the floor given ----
  const entryA = ok<{ entryId: string }>(await socketOf.guestA.cmd("queue:raise", { sessionId, kind: "new" }), "raise").entryId;
  ok(await socketOf.member.cmd("queue:raise", { sessionId, kind: "reply" }), "raise");
  ok(await mod.cmd("queue:floor", { sessionId, entryId: entryA }), "floor");
  ok(await mod.cmd("queue:endTurn", { sessionId }), "end turn");
  // The moderator's view with the hand still up (names, for staff), and the room's (a length).
  for (const key of ["moderator", "rapporteur", "guestB"] as const) ok(await socketOf[key].cmd("session:enter", { sessionId }), "queue snapshot");
  for (const key of ["moderator", "rapporteur"] as const) await people[key].get(`${S}/live`);

  // ---- Notes: clean ones, and identifying ones the guard holds ----
  const own: Record<PersonKey, string[]> = { organiser: [], moderator: [], rapporteur: [], observer: [], member: [], guestA: [], guestB: [] };
  const noteIds: { id: string; author: PersonKey }[] = [];
  const write = async (who: PersonKey, text: string, item = itemIds[0]) => {
    own[who].push(text);
    const receipt = ok<{ note: { id: string }; outcome: string }>(await socketOf[who].cmd("notes:submit", { sessionId, clientId: clientId(), itemId: item, kind: "point", themeIds: [themeId], text }), "note");
    noteIds.push({ id: receipt.note.id, author: who });
    return receipt;
  };
  const clean = await write("guestA", "Armed groups now tax the roads between the market towns.");
  // One outbox flush: a burst from one device.
  await Promise.all(["Schools closed in three communes.", "Farmers cannot reach their fields.", "Women travel in groups to the wells."].map((t) => write("guestB", t)));
  await write("member", "Early warning committees worked where the mayor backed them.");
  await write("guestA", `${CANARY.rosterName} of ${CANARY.rosterOrg} warned that the convoys were attacked.`);
  await write("member", `The ${CANARY.rosterTitle} from ${CANARY.rosterMission} said the army withdrew.`);
  await write("guestB", `As ${CANARY.rosterAcronym} said, the militias recruit children.`);
  // An identifying check while typing (the guard's answer to a participant).
  own.guestB.push(`According to ${CANARY.secondName}, the roads are mined.`);
  ok(await socketOf.guestB.cmd("notes:check", { sessionId, text: `According to ${CANARY.secondName}, the roads are mined.` }), "check");
  // A note from the page that works without JavaScript.
  const page = await people.member.get(`${S}/notes`);
  const pageClientId = /name="clientId" value="([0-9a-f]{32})"/.exec(await page.text())?.[1];
  if (!pageClientId) throw new Error("the notes page has no client id");
  const plainText = `${CANARY.secondOrg} staff were threatened, said ${CANARY.secondName}.`;
  own.member.push(plainText);
  const plain = await people.member.post(`${S}/notes`, { intent: "note", clientId: pageClientId, itemId: itemIds[0], kind: "concern", text: plainText });
  if (plain.status !== 302) throw new Error(`the plain notes form answered ${plain.status}`);
  await people.member.get(plain.headers.get("location")!);
  noteIds.push({ id: (db.prepare("SELECT id FROM notes WHERE client_id = ?").get(pageClientId) as { id: string }).id, author: "member" });

  // The rapporteur rewords the held notes (the identifying words are not kept anywhere) and edits one.
  const rap = socketOf.rapporteur;
  const held = (db.prepare("SELECT id FROM notes WHERE session_id = ? AND status = 'flagged'").all(sessionId) as { id: string }[]).map((r) => r.id);
  if (held.length < 4) throw new Error(`expected the four identifying notes to be held, found ${held.length}`);
  for (const id of held) ok(await rap.cmd("notes:curatorEdit", { sessionId, noteId: id, kind: "point", text: "A participant reported attacks and threats against civilians." }), "reword");
  ok(await rap.cmd("notes:curate", { sessionId, noteId: clean.note.id, action: "highlight" }), "highlight");

  // ---- A recommendation put to the room: positions taken ----
  const recId = ok<{ id: string }>(await rap.cmd("recs:create", { sessionId, text: "Protect the roads to the weekly markets", itemId: itemIds[0] }), "recs:create").id;
  ok(await mod.cmd("votes:open", { sessionId, recommendationId: recId }), "votes:open");
  for (const [key, option] of [["member", "agree"], ["guestA", "agree"], ["guestB", "disagree"]] as const) ok(await socketOf[key].cmd("positions:take", { sessionId, recommendationId: recId, option }), "position");
  ok(await socketOf.guestB.cmd("positions:take", { sessionId, recommendationId: recId, option: "agree" }), "position changed");
  ok(await mod.cmd("votes:close", { sessionId, recommendationId: recId }), "votes:close");
  ok(await mod.cmd("recs:decide", { sessionId, recommendationId: recId, status: "adopted" }), "recs:decide");
  ok(await mod.cmd("agenda:command", { sessionId, itemId: itemIds[1], command: "start" }), "second item");
  await write("guestA", "Community radios should broadcast alerts.", itemIds[1]);
  ok(await mod.cmd("live:end", { sessionId }), "live:end");

  // ---- The summary: generated, edited, circulated, commented on ----
  const SUMMARY = "routes/sessions.$sessionId.summary";
  await form(organiser, `${S}/summary`, { intent: "generate", language: "en", ...(options.listPanelists ? { listPanelists: "on" } : {}) }, SUMMARY);
  type Workspace = { summary: { markdown: string; version: number }; findings: { key: string; overridden: boolean }[] };
  let ws = await data<Workspace>(organiser, `${S}/summary`, SUMMARY);
  const edited = `${ws.summary.markdown}\n\nParticipants stressed that the roads must be protected before the rainy season.\n`;
  await form(organiser, `${S}/summary`, { intent: "save", markdown: edited, version: String(ws.summary.version) }, SUMMARY);
  await form(organiser, `${S}/summary`, { intent: "circulate", deadline: "2099-01-01T12:00", timeZone: "Africa/Bamako" }, SUMMARY);
  const comments: { text: string; author: PersonKey }[] = [
    { text: "The second paragraph is too vague about the roads.", author: "guestA" },
    { text: "Please mention the rainy season earlier.", author: "member" },
    { text: "I object to the wording on the markets.", author: "guestA" },
  ];
  for (const key of ROOM) {
    await people[key].get(S);
    await people[key].get(`${S}/review`);
    await people[key].get("/");
  }
  for (const c of comments) {
    own[c.author].push(c.text);
    const res = await people[c.author].post(`${S}/review`, { intent: "comment", kind: c.text.startsWith("I object") ? "objection" : "comment", text: c.text });
    if (res.status !== 302) throw new Error(`comment answered ${res.status}`);
    await people[c.author].get(res.headers.get("location")!);
  }

  // The secrets, kept by the test before finalisation and publication destroy them.
  const secrets = {
    session: (db.prepare("SELECT secret FROM session_secrets WHERE session_id = ?").get(sessionId) as { secret: string }).secret,
    review: (db.prepare("SELECT s.secret FROM summary_secrets s JOIN summaries m ON m.id = s.summary_id WHERE m.session_id = ?").get(sessionId) as { secret: string }).secret,
  };
  const rowsBefore = {
    notes: db.prepare("SELECT id, author_tag, client_id, created_at FROM notes WHERE session_id = ?").all(sessionId) as { id: string; author_tag: string; client_id: string; created_at: number }[],
    positions: db.prepare("SELECT p.* FROM positions p JOIN votes v ON v.id = p.vote_id JOIN recommendations r ON r.id = v.recommendation_id WHERE r.session_id = ?").all(sessionId) as Record<string, unknown>[],
    comments: db.prepare("SELECT c.* FROM summary_comments c JOIN summaries m ON m.id = c.summary_id WHERE m.session_id = ?").all(sessionId) as Record<string, unknown>[],
  };

  // ---- Finalisation, approval, publication ----
  await form(organiser, S, { intent: "status", to: "finalised", confirm: "on" });
  ws = await data<Workspace>(organiser, `${S}/summary`, SUMMARY);
  for (const f of ws.findings.filter((x) => !x.overridden)) await form(organiser, `${S}/summary`, { intent: "override", key: f.key, reason: "Checked by the organiser: listed by choice." }, SUMMARY);
  ws = await data<Workspace>(organiser, `${S}/summary`, SUMMARY);
  await form(organiser, `${S}/summary`, { intent: "approve", version: String(ws.summary.version) }, SUMMARY);
  await form(organiser, `${S}/summary`, { intent: "publish", changeNote: "" }, SUMMARY);
  const number = (db.prepare("SELECT max(number) AS n FROM publications WHERE session_id = ?").get(sessionId) as { n: number }).n;
  const published = (db.prepare("SELECT markdown FROM publications WHERE session_id = ? AND number = ?").get(sessionId, number) as { markdown: string }).markdown;

  // ---- What everyone reads afterwards, and the exports ----
  const visitor = client("public");
  for (const path of ["/", `/summaries/${sessionId}`, `/summaries/${sessionId}/${number}`]) await visitor.get(path);
  for (const key of ROOM) for (const path of ["/", S, `${S}/live`, `${S}/notes`, `${S}/review`, `/summaries/${sessionId}`]) await people[key].get(path);
  for (const key of ROOM) {
    const s = socketOf[key];
    ok(await s.cmd("session:enter", { sessionId }), "late snapshot");
  }
  for (const a of ARTEFACTS) {
    const res = await a.fetch({ visitor, organiser, sessionId, number });
    if (res.status !== 200) throw new Error(`${a.name} answered ${res.status}`);
    artefacts.push({ name: a.name, body: Buffer.from(await res.arrayBuffer()) });
  }
  for (const s of sockets) s.disconnect();

  // The database and its WAL, once the WAL truncation (retried in the background) is done.
  const file = `${server.dir}/test.sqlite`;
  await waitFor(() => !fs.existsSync(`${file}-wal`) || fs.statSync(`${file}-wal`).size === 0 || server.domain.notes.truncateWal(), { what: "the WAL truncated", timeoutMs: 15_000 });
  const wal = fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0);
  const disk = { db: fs.readFileSync(file), wal };

  return { sessionId, programmeId, itemIds, ids, people, own, noteIds, recId, comments, secrets, rowsBefore, recordings, artefacts, disk, published, number, file };
}
