/**
 * Recommendations in the domain, on a real in-memory database: drafting from proposal notes with
 * their sources, references checked against the programme's lists, the lifecycle of rounds, the
 * session's scale and numbers switch, eligibility from presence, and who may do what.
 */
import { newClientId } from "../../app/models/notes";
import { domainError, makeHarness, programmeWithSession, signedInAccount, type Harness } from "./helpers";

let h: Harness;
afterEach(() => h?.close());

async function setup() {
  h = makeHarness();
  const ctx = await programmeWithSession(h.domain);
  const people: Record<string, Awaited<ReturnType<typeof signedInAccount>>["actor"]> = {};
  for (const [name, role] of [["moderator", "moderator"], ["rapporteur", "rapporteur"], ["amina", "participant"], ["observer", "observer"]] as const) {
    const { actor } = await signedInAccount(h.domain, `${name}@example.org`, name);
    h.domain.sessions.putMember(ctx.sessionId, actor.userId, role);
    people[name] = actor;
  }
  const item = h.domain.live.addItem(ctx.organiser, ctx.sessionId, { title: "Recommandations", plannedMinutes: 30 }).id;
  h.domain.live.openRoom(people.moderator, ctx.sessionId);
  await h.domain.live.command(people.moderator, ctx.sessionId, item, { command: "start" });
  const addressee = h.domain.programmes.addAddressee(ctx.organiser, ctx.programmeId, { labelEn: "Government", labelFr: "Gouvernement" }).id;
  return { ...ctx, people, item, addressee };
}

describe("drafting", () => {
  it("drafts from a proposal note, keeping it as a source, with the programme's addressee", async () => {
    const s = await setup();
    const note = await h.domain.notes.submit(s.people.amina, s.sessionId, { clientId: newClientId(), itemId: s.item, kind: "proposal", text: "Créer des comités d'alerte dans chaque commune." });
    const { id } = h.domain.recommendations.create(s.people.rapporteur, s.sessionId, { text: "Créer des comités d'alerte dans chaque commune", addresseeId: s.addressee, horizon: "immediate", itemId: s.item, sourceNoteIds: [note.note.id] });
    const [view] = h.domain.recommendations.list(s.people.rapporteur, s.sessionId, "staff").recommendations;
    expect(view).toMatchObject({ id, status: "draft", addresseeId: s.addressee, horizon: "immediate", sourceNoteIds: [note.note.id], vote: null });
    // A draft is not shown to the room.
    expect(h.domain.recommendations.list(s.people.amina, s.sessionId, "room").recommendations).toEqual([]);
  });

  it("refuses references outside the programme or the session, and people without the right", async () => {
    const s = await setup();
    const missing = "00000000-0000-4000-8000-000000000000";
    expect((await domainError(() => h.domain.recommendations.create(s.people.rapporteur, s.sessionId, { text: "x", addresseeId: missing }))).fields).toEqual({ addresseeId: ["choice_invalid"] });
    expect((await domainError(() => h.domain.recommendations.create(s.people.rapporteur, s.sessionId, { text: "x", sourceNoteIds: [missing] }))).fields).toEqual({ sourceNoteIds: ["note_not_found"] });
    expect((await domainError(() => h.domain.recommendations.create(s.people.rapporteur, s.sessionId, { text: "  " }))).fields).toEqual({ text: ["required"] });
    expect((await domainError(() => h.domain.recommendations.create(s.people.rapporteur, s.sessionId, { text: "x", horizon: "someday" }))).fields).toEqual({ horizon: ["choice_invalid"] });
    expect((await domainError(() => h.domain.recommendations.create(s.people.rapporteur, s.sessionId, { text: "x", themeId: "not-an-id" }))).fields).toEqual({ themeId: ["choice_invalid"] });
    expect((await domainError(() => h.domain.recommendations.create(s.people.rapporteur, s.sessionId, { text: "x", itemId: 42 }))).fields).toEqual({ itemId: ["choice_invalid"] });
    expect((await domainError(() => h.domain.recommendations.create(s.people.amina, s.sessionId, { text: "x" }))).code).toBe("forbidden");
    const { id } = h.domain.recommendations.create(s.people.rapporteur, s.sessionId, { text: "Texte" });
    // Rapporteurs draft; only moderators and organisers run votes.
    expect((await domainError(() => h.domain.recommendations.openVote(s.people.rapporteur, s.sessionId, id))).code).toBe("forbidden");
    expect((await domainError(() => h.domain.recommendations.takePosition(s.people.observer, s.sessionId, id, { option: "agree" }))).code).toBe("forbidden");
    expect(h.database.sqlite.prepare("SELECT COUNT(*) AS n FROM recommendations").get()).toEqual({ n: 1 });
  });
});

describe("rounds", () => {
  it("counts the participants and panelists present when a vote opens", async () => {
    const s = await setup();
    h.domain.recommendations.setPresenceSource(() => ({ participant: 7, panelist: 2, observer: 5, moderator: 1 }));
    const { id } = h.domain.recommendations.create(s.people.moderator, s.sessionId, { text: "Texte" });
    await h.domain.recommendations.openVote(s.people.moderator, s.sessionId, id);
    h.domain.recommendations.takePosition(s.people.amina, s.sessionId, id, { option: "agree" });
    const [view] = h.domain.recommendations.list(s.people.moderator, s.sessionId, "staff").recommendations;
    expect(view.vote!.result!.counts).toMatchObject({ taken: 1, eligible: 9, quorumReached: false });
    expect(view.vote!.result!.level).toBe("no_quorum");
  });

  it("decides only after close; reopening starts a new round on the same wording", async () => {
    const s = await setup();
    const { id } = h.domain.recommendations.create(s.people.moderator, s.sessionId, { text: "Texte" });
    expect((await domainError(() => h.domain.recommendations.decide(s.people.moderator, s.sessionId, id, { status: "adopted" }))).messageKey).toBe("vote_not_closed");
    await h.domain.recommendations.openVote(s.people.moderator, s.sessionId, id);
    expect((await domainError(() => h.domain.recommendations.openVote(s.people.moderator, s.sessionId, id))).messageKey).toBe("vote_not_openable");
    expect((await domainError(() => h.domain.recommendations.declare(s.people.moderator, s.sessionId, id, { level: "consensus" }))).messageKey).toBe("vote_open");
    h.domain.recommendations.closeVote(s.people.moderator, s.sessionId, id);
    await h.domain.recommendations.openVote(s.people.moderator, s.sessionId, id);
    const [view] = h.domain.recommendations.list(s.people.moderator, s.sessionId, "staff").recommendations;
    expect(view).toMatchObject({ round: 2, status: "open" });
    expect(view.earlier).toHaveLength(1);
    h.domain.recommendations.closeVote(s.people.moderator, s.sessionId, id);
    h.domain.recommendations.decide(s.people.moderator, s.sessionId, id, { status: "not_adopted" });
    expect(h.domain.recommendations.list(s.people.moderator, s.sessionId, "staff").recommendations[0].status).toBe("not_adopted");
  });

  it("ending the room closes open rounds with their results", async () => {
    const s = await setup();
    const { id } = h.domain.recommendations.create(s.people.moderator, s.sessionId, { text: "Texte" });
    await h.domain.recommendations.openVote(s.people.moderator, s.sessionId, id);
    h.domain.recommendations.takePosition(s.people.amina, s.sessionId, id, { option: "disagree" });
    await h.domain.live.endRoom(s.people.moderator, s.sessionId);
    const [view] = h.domain.recommendations.list(s.people.moderator, s.sessionId, "staff").recommendations;
    expect(view.status).toBe("closed");
    expect(view.vote!.open).toBe(false);
    expect(view.vote!.result!.counts).toMatchObject({ taken: 1, oppose: 1 });
  });
});

describe("the session's scale and numbers", () => {
  it("changes the scale between votes, not during one; the numbers switch hides counts from the room only", async () => {
    const s = await setup();
    h.domain.recommendations.setVoting(s.organiser, s.sessionId, { scale: "fist_of_five", showNumbers: false });
    const { id } = h.domain.recommendations.create(s.people.moderator, s.sessionId, { text: "Texte" });
    await h.domain.recommendations.openVote(s.people.moderator, s.sessionId, id);
    expect((await domainError(() => h.domain.recommendations.takePosition(s.people.amina, s.sessionId, id, { option: "agree" }))).fields).toEqual({ option: ["choice_invalid"] });
    h.domain.recommendations.takePosition(s.people.amina, s.sessionId, id, { option: "four" });
    expect((await domainError(() => h.domain.recommendations.setVoting(s.organiser, s.sessionId, { scale: "consent", showNumbers: true }))).messageKey).toBe("vote_open");
    expect((await domainError(() => h.domain.recommendations.setVoting(s.people.moderator, s.sessionId, { scale: "consent", showNumbers: true }))).code).toBe("forbidden");
    const room = h.domain.recommendations.list(s.people.amina, s.sessionId, "room");
    expect(room.scale).toBe("fist_of_five");
    expect(room.mine).toEqual({ [id]: "four" });
    const staff = h.domain.recommendations.list(s.people.moderator, s.sessionId, "staff").recommendations[0];
    expect(staff.vote!.result!.counts).toMatchObject({ taken: 1, support: 1 });
    expect(room.recommendations[0].vote!.result!.counts).toBeNull();
  });
});
