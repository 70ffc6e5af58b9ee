/**
 * Recommendations and positions over real sockets: twenty participants take positions and the tally
 * is exact; a changed position replaces the earlier one; observers and closed rounds refuse; hands
 * combine with device positions as docs/consensus.md says; the room sees aggregates only, with
 * small-count protection and a hidden tally until close; a revision starts a new round; finalisation
 * leaves no voter tag.
 */
import fs from "node:fs";
import type { Socket } from "socket.io-client";
import type { RecommendationView } from "../../app/models/recommendations.server";
import type { Ack, ClientToServerEvents, RecommendationsChange, RoomSnapshot, ServerToClientEvents } from "../../app/realtime/events";
import { connected, createSessionFixture, recordEvents, signedInMember, startTestServer, waitFor, type TestClient, type TestServer } from "../support/server";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let server: TestServer;
const open: ClientSocket[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
afterAll(async () => {
  await server?.stop();
});

async function inRoom(client: TestClient, sessionId: string) {
  const socket = client.socket();
  open.push(socket);
  const recs = recordEvents(socket, "recs:batch");
  await connected(socket);
  const ack = await socket.emitWithAck("session:enter", { sessionId });
  if (!ack.ok) throw new Error(`session:enter refused: ${ack.error}`);
  return { socket, recs, snapshot: ack.data as RoomSnapshot };
}

function ok<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`refused: ${ack.error} ${JSON.stringify(ack.fields ?? {})}`);
  return ack.data;
}

async function room(participants: number) {
  const fixture = await createSessionFixture(server);
  const { sessionId, organiser } = fixture;
  const moderator = await signedInMember(server, sessionId, "moderator", "Mariam");
  const observer = await signedInMember(server, sessionId, "observer", "Ibrahim");
  const people = [];
  for (let i = 0; i < participants; i++) people.push(await signedInMember(server, sessionId, "participant", `P${i}`));
  const item = server.domain.live.addItem(organiser, sessionId, { title: "Recommandations", plannedMinutes: 30 }).id;
  server.domain.live.openRoom(moderator.actor, sessionId);
  await server.domain.live.command(moderator.actor, sessionId, item, { command: "start" });
  return { ...fixture, moderator, observer, people, item };
}

const latest = (rec: { seen: RecommendationsChange[] }, id: string): RecommendationView | undefined =>
  [...rec.seen]
    .reverse()
    .flatMap((c) => c.upsert)
    .find((r) => r.id === id);

describe("positions", () => {
  it("twenty participants take positions; the tally is exact, a change replaces, observers and closed rounds refuse", async () => {
    const r = await room(20);
    const mod = await inRoom(r.moderator.client, r.sessionId);
    const obs = await inRoom(r.observer.client, r.sessionId);
    const sockets = [];
    for (const p of r.people) sockets.push(await inRoom(p.client, r.sessionId));

    const { id } = ok(await mod.socket.emitWithAck("recs:create", { sessionId: r.sessionId, text: "The State should deploy mixed patrols on the main roads", horizon: "immediate", itemId: r.item }));
    // A draft is for the moderation team only.
    expect(await sockets[0].socket.emitWithAck("positions:take", { sessionId: r.sessionId, recommendationId: id, option: "agree" })).toEqual({ ok: false, error: "recommendation_not_found" });
    ok(await mod.socket.emitWithAck("votes:open", { sessionId: r.sessionId, recommendationId: id }));

    // 15 agree, 3 abstain, 2 disagree; then one who disagreed agrees after all.
    const options = [...Array(15).fill("agree"), ...Array(3).fill("abstain"), ...Array(2).fill("disagree")];
    const acks = await Promise.all(sockets.map((s, i) => s.socket.emitWithAck("positions:take", { sessionId: r.sessionId, recommendationId: id, option: options[i] })));
    expect(acks.every((a) => a.ok)).toBe(true);
    expect(ok(await sockets[19].socket.emitWithAck("positions:take", { sessionId: r.sessionId, recommendationId: id, option: "agree" }))).toEqual({ option: "agree" });

    // Refusals change nothing.
    expect(await obs.socket.emitWithAck("positions:take", { sessionId: r.sessionId, recommendationId: id, option: "agree" })).toEqual({ ok: false, error: "forbidden" });
    expect(await sockets[0].socket.emitWithAck("positions:take", { sessionId: r.sessionId, recommendationId: id, option: "maybe" })).toMatchObject({ ok: false, fields: { option: ["choice_invalid"] } });
    expect(await sockets[0].socket.emitWithAck("positions:take", { sessionId: r.sessionId, recommendationId: "00000000-0000-4000-8000-000000000000", option: "agree" })).toEqual({ ok: false, error: "recommendation_not_found" });
    expect(await sockets[0].socket.emitWithAck("votes:close", { sessionId: r.sessionId, recommendationId: id })).toEqual({ ok: false, error: "forbidden" });

    const staffView = await mod.recs.until((c) => c.upsert.some((v) => v.id === id && v.vote?.result?.counts?.support === 16), { what: "twenty positions, one changed" });
    const v = staffView.upsert.find((x) => x.id === id)!;
    expect(v.vote!.result!.counts).toMatchObject({ taken: 20, eligible: 20, support: 16, neutral: 3, oppose: 1, block: 0, sharePercent: 80 });
    expect(v.vote!.result!.level).toBe("broad_support"); // 80 % with one opposed: not consensus
    expect(server.database.sqlite.prepare("SELECT COUNT(*) AS n FROM positions").get()).toEqual({ n: 20 });

    ok(await mod.socket.emitWithAck("votes:close", { sessionId: r.sessionId, recommendationId: id }));
    expect(await sockets[0].socket.emitWithAck("positions:take", { sessionId: r.sessionId, recommendationId: id, option: "disagree" })).toEqual({ ok: false, error: "vote_closed" });
    const closed = await obs.recs.until((c) => c.upsert.some((x) => x.id === id && x.status === "closed"), { what: "closed, for the observer" });
    const seen = closed.upsert.find((x) => x.id === id)!;
    // 20 counted: the room sees the numbers, and the wording in both languages; never who.
    expect(seen.vote!.result).toMatchObject({ level: "broad_support", counts: { taken: 20, support: 16 } });
    expect(seen.vote!.result!.wording.en).toContain("16 of 20");
    expect(seen.vote!.result!.wording.fr).toContain("16");
    const dump = JSON.stringify(obs.recs.seen);
    for (const p of r.people) expect(dump).not.toContain(p.userId);

    ok(await mod.socket.emitWithAck("recs:decide", { sessionId: r.sessionId, recommendationId: id, status: "adopted" }));
    await obs.recs.until((c) => c.upsert.some((x) => x.id === id && x.status === "adopted"), { what: "adopted" });
  });

  it("small rooms: the room sees the level in words and no counts; a hidden tally shows nothing until close", async () => {
    const r = await room(4);
    const mod = await inRoom(r.moderator.client, r.sessionId);
    const obs = await inRoom(r.observer.client, r.sessionId);
    const ps = [];
    for (const p of r.people) ps.push(await inRoom(p.client, r.sessionId));
    const { id } = ok(await mod.socket.emitWithAck("recs:create", { sessionId: r.sessionId, text: "Les radios communautaires doivent être protégées" }));
    ok(await mod.socket.emitWithAck("votes:open", { sessionId: r.sessionId, recommendationId: id, hiddenTally: true }));
    for (const p of ps) ok(await p.socket.emitWithAck("positions:take", { sessionId: r.sessionId, recommendationId: id, option: "agree" }));
    const staff = await mod.recs.until((c) => c.upsert.some((x) => x.id === id && x.vote?.result?.counts?.taken === 4));
    expect(staff.upsert.find((x) => x.id === id)!.vote!.result!.level).toBe("unanimous");
    await obs.recs.until((c) => c.upsert.some((x) => x.id === id));
    expect(latest(obs.recs, id)!.vote!.result).toBeNull();
    // One's own position comes back in the snapshot, to oneself only.
    const again = await inRoom(r.people[0].client, r.sessionId);
    expect(again.snapshot.recommendations.mine).toEqual({ [id]: "agree" });
    const observerAgain = await inRoom(r.observer.client, r.sessionId);
    expect(observerAgain.snapshot.recommendations.mine).toEqual({});

    ok(await mod.socket.emitWithAck("votes:close", { sessionId: r.sessionId, recommendationId: id }));
    const closed = await obs.recs.until((c) => c.upsert.some((x) => x.id === id && x.status === "closed"));
    const result = closed.upsert.find((x) => x.id === id)!.vote!.result!;
    expect(result.level).toBe("unanimous");
    expect(result.counts).toBeNull();
    expect(result.wording.en).not.toMatch(/\d/);
    expect(result.wording.fr).not.toMatch(/\d/);
  });

  it("show of hands combines with device positions; counts above the headcount are refused and change nothing", async () => {
    const r = await room(3);
    const mod = await inRoom(r.moderator.client, r.sessionId);
    const ps = [];
    for (const p of r.people) ps.push(await inRoom(p.client, r.sessionId));
    const { id } = ok(await mod.socket.emitWithAck("recs:create", { sessionId: r.sessionId, text: "Un mécanisme d'alerte précoce dans chaque commune" }));
    ok(await mod.socket.emitWithAck("votes:open", { sessionId: r.sessionId, recommendationId: id }));
    for (const p of ps) ok(await p.socket.emitWithAck("positions:take", { sessionId: r.sessionId, recommendationId: id, option: "agree" }));
    expect(await mod.socket.emitWithAck("votes:hands", { sessionId: r.sessionId, recommendationId: id, headcount: 30, counts: { agree: 25, disagree: 6 } })).toMatchObject({ ok: false, error: "hands_above_headcount" });
    expect(await mod.socket.emitWithAck("votes:hands", { sessionId: r.sessionId, recommendationId: id, headcount: 30, counts: { agree: -1 } })).toMatchObject({ ok: false });
    expect(await mod.socket.emitWithAck("votes:hands", { sessionId: r.sessionId, recommendationId: id, headcount: 30, counts: { maybe: 2 } })).toMatchObject({ ok: false, error: "choice_invalid" });
    ok(await mod.socket.emitWithAck("votes:hands", { sessionId: r.sessionId, recommendationId: id, headcount: 30, counts: { agree: 24, abstain: 4, disagree: 2 } }));
    ok(await mod.socket.emitWithAck("votes:close", { sessionId: r.sessionId, recommendationId: id }));
    const closed = await mod.recs.until((c) => c.upsert.some((x) => x.id === id && x.status === "closed"));
    const result = closed.upsert.find((x) => x.id === id)!.vote!.result!;
    // 3 devices + 30 hands: 27 of 33 support (82 %), 2 oppose: no consensus with an opposition, broad support.
    expect(result.counts).toMatchObject({ taken: 33, eligible: 33, support: 27, neutral: 4, oppose: 2 });
    expect(result.handsIncluded).toBe(true);
    expect(result.level).toBe("broad_support");
  });

  it("a revision of an open recommendation starts a new round; the earlier round keeps its result", async () => {
    const r = await room(2);
    const mod = await inRoom(r.moderator.client, r.sessionId);
    const ps = [];
    for (const p of r.people) ps.push(await inRoom(p.client, r.sessionId));
    const { id } = ok(await mod.socket.emitWithAck("recs:create", { sessionId: r.sessionId, text: "Première formulation" }));
    ok(await mod.socket.emitWithAck("votes:open", { sessionId: r.sessionId, recommendationId: id }));
    ok(await ps[0].socket.emitWithAck("positions:take", { sessionId: r.sessionId, recommendationId: id, option: "disagree" }));
    expect(await mod.socket.emitWithAck("recs:revise", { sessionId: r.sessionId, recommendationId: id, text: "Seconde formulation", reason: "" })).toMatchObject({ ok: false, fields: { reason: ["required"] } });
    ok(await mod.socket.emitWithAck("recs:revise", { sessionId: r.sessionId, recommendationId: id, text: "Seconde formulation", reason: "Objection entendue" }));
    ok(await ps[0].socket.emitWithAck("positions:take", { sessionId: r.sessionId, recommendationId: id, option: "agree" }));
    const view = await mod.recs.until((c) => c.upsert.some((x) => x.id === id && x.round === 2 && x.vote?.result?.counts?.support === 1));
    const rec = view.upsert.find((x) => x.id === id)!;
    expect(rec.text).toBe("Seconde formulation");
    expect(rec.revisions.map((x) => [x.round, x.text, x.reason])).toEqual([
      [1, "Première formulation", ""],
      [2, "Seconde formulation", "Objection entendue"],
    ]);
    expect(rec.earlier).toHaveLength(1);
    expect(rec.earlier[0].result!.counts).toMatchObject({ taken: 1, oppose: 1 });
    // The earlier round is worded on the text it was on.
    expect(rec.earlier[0].result!.wording.fr).toContain("Première formulation");
    expect(rec.vote!.result!.wording.fr).toContain("Seconde formulation");
    // Editing outside a revision is refused once positions were asked for.
    expect(await mod.socket.emitWithAck("recs:update", { sessionId: r.sessionId, recommendationId: id, text: "En douce" })).toEqual({ ok: false, error: "recommendation_not_draft" });
  });

  it("declares the sense of the room without a vote, marked as declared and without counts", async () => {
    const r = await room(1);
    const mod = await inRoom(r.moderator.client, r.sessionId);
    const { id } = ok(await mod.socket.emitWithAck("recs:create", { sessionId: r.sessionId, text: "Le dialogue doit se poursuivre au niveau des cercles" }));
    expect(await mod.socket.emitWithAck("votes:declare", { sessionId: r.sessionId, recommendationId: id, level: "unanimous" })).toMatchObject({ ok: false, fields: { level: ["choice_invalid"] } });
    ok(await mod.socket.emitWithAck("votes:declare", { sessionId: r.sessionId, recommendationId: id, level: "consensus" }));
    const view = await mod.recs.until((c) => c.upsert.some((x) => x.id === id && x.vote?.result?.declared));
    const result = view.upsert.find((x) => x.id === id)!.vote!.result!;
    expect(result).toMatchObject({ level: "consensus", declared: true, counts: null });
    expect(result.wording.fr).toContain("sans vote");
  });

  it("after finalisation no position can be tied to anyone", async () => {
    const r = await room(3);
    const mod = await inRoom(r.moderator.client, r.sessionId);
    const ps = [];
    for (const p of r.people) ps.push(await inRoom(p.client, r.sessionId));
    const { id } = ok(await mod.socket.emitWithAck("recs:create", { sessionId: r.sessionId, text: "Protéger les marchés hebdomadaires" }));
    ok(await mod.socket.emitWithAck("votes:open", { sessionId: r.sessionId, recommendationId: id }));
    for (const p of ps) ok(await p.socket.emitWithAck("positions:take", { sessionId: r.sessionId, recommendationId: id, option: "agree" }));
    const tagsOfThisSession = () =>
      (server.database.sqlite.prepare("SELECT p.voter_tag FROM positions p JOIN votes v ON v.id = p.vote_id JOIN recommendations r ON r.id = v.recommendation_id WHERE r.session_id = ?").all(r.sessionId) as { voter_tag: string | null }[]).map((x) => x.voter_tag);
    const tags = tagsOfThisSession().filter((t): t is string => !!t);
    expect(tags).toHaveLength(3);
    await server.domain.live.endRoom(r.moderator.actor, r.sessionId);
    const result = server.domain.sessions.setStatus(r.organiser, r.sessionId, "finalised", { confirmed: true });
    await waitFor(() => result.walTruncated === true || server.domain.notes.truncateWal(), { what: "the WAL truncated" });
    const file = fs.readFileSync(`${server.dir}/test.sqlite`).toString("latin1");
    const wal = fs.existsSync(`${server.dir}/test.sqlite-wal`) ? fs.readFileSync(`${server.dir}/test.sqlite-wal`).toString("latin1") : "";
    for (const t of tags) expect({ inFile: file.includes(t), inWal: wal.includes(t) }).toEqual({ inFile: false, inWal: false });
    expect(tagsOfThisSession()).toEqual([null, null, null]);
    // The round closed when the room ended, with its result kept.
    const row = server.database.sqlite.prepare("SELECT v.result FROM votes v JOIN recommendations r ON r.id = v.recommendation_id WHERE r.id = ?").get(id) as { result: string };
    expect(JSON.parse(row.result)).toMatchObject({ level: "unanimous", taken: 3 });
  });
});

describe("the session's scale, from the edit page", () => {
  it("an organiser sets the scale and the numbers switch; a bad scale is refused with the field named", async () => {
    const f = await createSessionFixture(server);
    const client = server.client();
    await client.signIn(f.email);
    const bad = await client.post(`/sessions/${f.sessionId}/edit?_data=routes%2Fsessions.%24sessionId.edit`, { intent: "voting", scale: "thumbs", showNumbers: "on" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, fields: { scale: ["choice_invalid"] }, intent: "voting" });
    const good = await client.post(`/sessions/${f.sessionId}/edit?_data=routes%2Fsessions.%24sessionId.edit`, { intent: "voting", scale: "consent" });
    expect(good.status).toBe(200);
    expect(server.database.sqlite.prepare("SELECT scale, show_numbers AS n FROM dialogue_sessions WHERE id = ?").get(f.sessionId)).toEqual({ scale: "consent", n: 0 });
  });
});
