/**
 * Summaries in the domain (app/models/summaries.server.ts), on a real (in-memory) database: the
 * version check between two editors, the guard over the whole text with overrides recorded without
 * the text, review comments that cannot be linked to their authors after publication, immutable
 * numbered publications and their visibility.
 */
import { createHmac } from "node:crypto";
import { auditLog, publications, summaryComments, summarySecrets } from "../../db/schema";
import type { SignedInActor } from "../../app/models/actor";
import { DAY, domainError, makeHarness, programmeWithSession, signedInAccount, type Harness } from "./helpers";

let h: Harness;
beforeEach(() => {
  h = makeHarness();
});
afterEach(() => h.close());

const CANARY = "Zebulon Quartermaine";

async function endedSession(overrides: Record<string, unknown> = {}) {
  const s = await programmeWithSession(h.domain, overrides);
  const { domain } = h;
  const member = async (email: string, role: string) => {
    const { actor } = await signedInAccount(domain, email, email.split("@")[0]);
    domain.sessions.putMember(s.sessionId, actor.userId, role as never);
    return actor;
  };
  const rapporteur = await member("rapporteur@example.org", "rapporteur");
  const participants: SignedInActor[] = [];
  for (let i = 0; i < 4; i++) participants.push(await member(`p${i}@example.org`, "participant"));
  const observer = await member("observer@example.org", "observer");
  domain.roster.add(s.organiser, s.sessionId, { name: CANARY, shortForms: "Quartermaine", organisation: "Institute of Canary Studies", acronyms: "ICS", title: "Director", country: "", role: "panelist", category: "academic" });
  domain.live.addItem(s.organiser, s.sessionId, { title: "Trends and risks", plannedMinutes: 30 });
  domain.sessions.setStatus(s.organiser, s.sessionId, "scheduled");
  domain.live.openRoom(s.organiser, s.sessionId);
  await domain.live.endRoom(s.organiser, s.sessionId);
  return { ...s, rapporteur, participants, observer };
}

describe("drafting", () => {
  it("waits for the room to end, then generates a draft in the chosen language", async () => {
    const s = await programmeWithSession(h.domain);
    expect((await domainError(() => h.domain.summaries.generate(s.organiser, s.sessionId, { language: "en" }))).messageKey).toBe("summary_session_not_ended");
    const e = await endedSession({ title: "Second roundtable" });
    expect(h.domain.summaries.generate(e.rapporteur, e.sessionId, { language: "fr" })).toEqual({ version: 1 });
    const w = h.domain.summaries.workspace(e.rapporteur, e.sessionId);
    expect(w.summary!.language).toBe("fr");
    expect(w.summary!.markdown).toContain("Second roundtable");
    expect(w.canPublish).toBe(false);
    // Participants and observers have no workspace.
    for (const a of [e.participants[0], e.observer]) expect((await domainError(() => h.domain.summaries.workspace(a, e.sessionId))).code).toBe("forbidden");
  });

  it("never lets two editors overwrite each other silently: the stale save is a conflict with the other text", async () => {
    const e = await endedSession();
    h.domain.summaries.generate(e.organiser, e.sessionId, { language: "en" });
    expect(h.domain.summaries.save(e.rapporteur, e.sessionId, { markdown: "# Rapporteur's text", version: 1 })).toEqual({ version: 2 });
    const err = await domainError(() => h.domain.summaries.save(e.organiser, e.sessionId, { markdown: "# Organiser's text", version: 1 }));
    expect(err.code).toBe("conflict");
    expect(err.messageKey).toBe("summary_conflict");
    expect((err as unknown as { current: { markdown: string; version: number } }).current).toEqual({ markdown: "# Rapporteur's text", version: 2 });
    expect(h.domain.summaries.workspace(e.organiser, e.sessionId).summary!.markdown).toBe("# Rapporteur's text");
    // Saving again on the current version is a deliberate choice, and works.
    expect(h.domain.summaries.save(e.organiser, e.sessionId, { markdown: "# Organiser's text", version: 2 })).toEqual({ version: 3 });
    // Regenerating also names the version it replaces.
    expect((await domainError(() => h.domain.summaries.generate(e.organiser, e.sessionId, { language: "en", version: 2 }))).messageKey).toBe("summary_conflict");
  });

  it("refuses bad input and keeps what was saved", async () => {
    const e = await endedSession();
    h.domain.summaries.generate(e.organiser, e.sessionId, { language: "en" });
    const before = h.domain.summaries.workspace(e.organiser, e.sessionId).summary!.markdown;
    for (const input of [{ markdown: 42, version: 1 }, { markdown: "x".repeat(200_001), version: 1 }, { markdown: "ok", version: "abc" }, { markdown: "ok", version: 0 }, null]) {
      expect((await domainError(() => h.domain.summaries.save(e.organiser, e.sessionId, input))).code).toBe("invalid");
    }
    expect((await domainError(() => h.domain.summaries.generate(e.organiser, e.sessionId, { language: "de" }))).code).toBe("invalid");
    expect(h.domain.summaries.workspace(e.organiser, e.sessionId).summary!.markdown).toBe(before);
  });
});

describe("the guard on the whole text, and publishing", () => {
  it("blocks publishing while a finding is open; an override needs a reason, and the audit log never holds the words", async () => {
    const e = await endedSession();
    h.domain.summaries.generate(e.organiser, e.sessionId, { language: "en" });
    const text = `# Note\n\nParticipants agreed on the need for dialogue.\n\n${CANARY} stressed that water points must be protected.\n`;
    h.domain.summaries.save(e.rapporteur, e.sessionId, { markdown: text, version: 1 });
    h.domain.sessions.setStatus(e.organiser, e.sessionId, "finalised", { confirmed: true });
    let w = h.domain.summaries.workspace(e.organiser, e.sessionId);
    expect(w.openFindings).toBeGreaterThanOrEqual(1);
    h.domain.summaries.approve(e.organiser, e.sessionId, { version: w.summary!.version });
    expect((await domainError(() => h.domain.summaries.publish(e.organiser, e.sessionId, {}))).messageKey).toBe("summary_findings_open");
    // The rapporteur may not override; an organiser must give a reason.
    const key = w.findings[0].key;
    expect((await domainError(() => h.domain.summaries.override(e.rapporteur, e.sessionId, { key, reason: "Named with consent of the person" }))).code).toBe("forbidden");
    expect((await domainError(() => h.domain.summaries.override(e.organiser, e.sessionId, { key, reason: "ok" }))).messageKey).toBe("invalid_input");
    for (const f of w.findings) h.domain.summaries.override(e.organiser, e.sessionId, { key: f.key, reason: "The panelist agreed in writing to be named." });
    w = h.domain.summaries.workspace(e.organiser, e.sessionId);
    expect(w.openFindings).toBe(0);
    expect(await h.domain.summaries.publish(e.organiser, e.sessionId, {})).toEqual({ number: 1 });

    const audit = h.database.db.select().from(auditLog).all();
    const overrides = audit.filter((a) => a.action === "summary.finding_overridden");
    expect(overrides.length).toBe(w.findings.length);
    const serialised = JSON.stringify(audit);
    expect(serialised).not.toContain("Quartermaine");
    expect(serialised).not.toContain("agreed in writing");
  });

  it("publishes only a finalised session's approved text; versions are numbered, immutable, and a correction needs a change note", async () => {
    const e = await endedSession();
    h.domain.summaries.generate(e.organiser, e.sessionId, { language: "en" });
    h.domain.summaries.save(e.organiser, e.sessionId, { markdown: "# Note\n\nParticipants agreed.", version: 1 });
    h.domain.summaries.approve(e.organiser, e.sessionId, { version: 2 });
    expect((await domainError(() => h.domain.summaries.publish(e.organiser, e.sessionId, {}))).messageKey).toBe("summary_not_finalised");
    h.domain.sessions.setStatus(e.organiser, e.sessionId, "finalised", { confirmed: true });
    expect((await domainError(() => h.domain.summaries.publish(e.rapporteur, e.sessionId, {}))).code).toBe("forbidden");
    expect(await h.domain.summaries.publish(e.organiser, e.sessionId, {})).toEqual({ number: 1 });
    expect(h.domain.sessions.summary(e.sessionId)?.status).toBe("published");

    // Immutable: the database itself refuses a change.
    expect(() => h.database.sqlite.prepare("UPDATE publications SET markdown = 'changed'").run()).toThrow(/immutable/);

    // Back to draft after publishing; a correction needs approval again and a change note.
    h.domain.summaries.save(e.organiser, e.sessionId, { markdown: "# Note\n\nParticipants broadly agreed.", version: 2 });
    expect((await domainError(() => h.domain.summaries.publish(e.organiser, e.sessionId, {}))).messageKey).toBe("summary_not_approved");
    h.domain.summaries.approve(e.organiser, e.sessionId, { version: 3 });
    expect((await domainError(() => h.domain.summaries.publish(e.organiser, e.sessionId, {}))).messageKey).toBe("change_note_required");
    h.clock.advance(DAY);
    expect(await h.domain.summaries.publish(e.organiser, e.sessionId, { changeNote: "The level of agreement was corrected." })).toEqual({ number: 2 });

    const read = h.domain.summaries.published(null, e.sessionId);
    expect(read.publication.number).toBe(2);
    expect(read.publication.markdown).toContain("broadly agreed");
    expect(read.history.map((v) => [v.number, v.changeNote])).toEqual([
      [1, ""],
      [2, "The level of agreement was corrected."],
    ]);
    expect(h.domain.summaries.published(null, e.sessionId, 1).publication.markdown).toContain("Participants agreed.");
    expect(h.database.db.select().from(publications).all().length).toBe(2);
  });
});

describe("review by participants", () => {
  it("takes comments and objections until the deadline, shows staff the text only, and unlinks them at publication", async () => {
    const e = await endedSession();
    h.domain.summaries.generate(e.organiser, e.sessionId, { language: "en" });
    expect((await domainError(() => h.domain.summaries.comment(e.participants[0], e.sessionId, { kind: "comment", text: "Too early" }))).messageKey).toBe("review_not_open");
    expect((await domainError(() => h.domain.summaries.circulate(e.organiser, e.sessionId, { deadline: h.clock.t - 1 }))).messageKey).toBe("deadline_past");
    h.domain.summaries.circulate(e.organiser, e.sessionId, { deadline: h.clock.t + 3 * DAY });

    // Account holders among the members got a notice.
    expect(h.domain.summaries.myNotices(e.participants[0]).map((n) => n.kind)).toEqual(["summary_circulated"]);

    const ids: string[] = [];
    for (const [i, p] of e.participants.entries()) ids.push(h.domain.summaries.comment(p, e.sessionId, { kind: i === 0 ? "objection" : "comment", text: `Comment number ${i}` }).id);
    // Observers read but do not comment; bad input changes nothing.
    expect(h.domain.summaries.review(e.observer, e.sessionId).summary).not.toBeNull();
    expect((await domainError(() => h.domain.summaries.comment(e.observer, e.sessionId, { kind: "comment", text: "x" }))).code).toBe("forbidden");
    expect((await domainError(() => h.domain.summaries.comment(e.participants[0], e.sessionId, { kind: "shout", text: "x" }))).code).toBe("invalid");
    expect((await domainError(() => h.domain.summaries.comment(e.participants[0], e.sessionId, { kind: "comment", text: "   " }))).code).toBe("invalid");

    // Each participant sees only their own; staff see all, with no name.
    const mine = h.domain.summaries.review(e.participants[1], e.sessionId).comments;
    expect(mine.map((c) => c.text)).toEqual(["Comment number 1"]);
    const staff = h.domain.summaries.workspace(e.organiser, e.sessionId).comments;
    expect(staff.length).toBe(4);
    expect(staff.every((c) => c.authorName === null && !c.mine)).toBe(true);
    expect(staff.filter((c) => c.kind === "objection").length).toBe(1);

    // Only the author withdraws a comment.
    expect((await domainError(() => h.domain.summaries.withdrawComment(e.participants[2], e.sessionId, ids[3]))).code).toBe("not_found");
    h.domain.summaries.withdrawComment(e.participants[3], e.sessionId, ids[3]);

    // After the deadline, nothing more.
    h.clock.advance(4 * DAY);
    expect((await domainError(() => h.domain.summaries.comment(e.participants[0], e.sessionId, { kind: "comment", text: "Late" }))).messageKey).toBe("review_closed");

    // Publication destroys the review secret and nulls the tags in one transaction.
    const secret = Buffer.from(h.database.db.select().from(summarySecrets).get()!.secret, "hex");
    h.domain.sessions.setStatus(e.organiser, e.sessionId, "finalised", { confirmed: true });
    const w = h.domain.summaries.workspace(e.organiser, e.sessionId);
    for (const f of w.findings) h.domain.summaries.override(e.organiser, e.sessionId, { key: f.key, reason: "Checked by the organiser." });
    h.domain.summaries.approve(e.organiser, e.sessionId, { version: w.summary!.version });
    await h.domain.summaries.publish(e.organiser, e.sessionId, {});
    expect(h.database.db.select().from(summarySecrets).all()).toEqual([]);
    const rows = h.database.db.select().from(summaryComments).all();
    expect(rows.length).toBe(3);
    // With a copy of the destroyed secret, no stored value links any participant to any comment.
    const stored = rows.flatMap((r) => [r.authorTag, r.authorUserId, r.id]).filter((v): v is string => !!v);
    for (const p of [...e.participants, e.observer, e.organiser]) {
      for (const r of rows) {
        const tag = createHmac("sha256", secret).update(`${p.userId}|${r.id}`).digest("hex");
        expect(stored).not.toContain(tag);
        expect(stored).not.toContain(p.userId);
      }
    }
    expect(h.domain.summaries.review(e.participants[0], e.sessionId).comments).toEqual([]);
  });
});

describe("who may read a publication", () => {
  it("follows the visibility: public for anyone, programme for its members, participants for the session's members", async () => {
    const e = await endedSession();
    const { actor: outsider } = await signedInAccount(h.domain, "outsider@example.org");
    const { actor: member } = await signedInAccount(h.domain, "member@example.org");
    h.domain.programmes.addMember(e.organiser, e.programmeId, { email: "member@example.org", role: "member" });
    h.domain.summaries.generate(e.organiser, e.sessionId, { language: "en" });
    h.domain.summaries.save(e.organiser, e.sessionId, { markdown: "# Note\n\nParticipants agreed.", version: 1 });
    h.domain.sessions.setStatus(e.organiser, e.sessionId, "finalised", { confirmed: true });

    const publishAs = async (visibility: string, version: number, note: string) => {
      h.domain.summaries.settings(e.organiser, e.sessionId, { visibility });
      h.domain.summaries.approve(e.organiser, e.sessionId, { version });
      return h.domain.summaries.publish(e.organiser, e.sessionId, { changeNote: note });
    };
    await publishAs("participants", 2, "");
    expect((await domainError(() => h.domain.summaries.published(null, e.sessionId))).code).toBe("unauthenticated");
    expect((await domainError(() => h.domain.summaries.published(outsider, e.sessionId))).code).toBe("not_found");
    expect((await domainError(() => h.domain.summaries.published(member, e.sessionId))).code).toBe("not_found");
    expect(h.domain.summaries.published(e.participants[0], e.sessionId).publication.number).toBe(1);
    expect(h.domain.summaries.list(null)).toEqual([]);
    expect(h.domain.summaries.list(e.observer).map((p) => p.sessionId)).toEqual([e.sessionId]);

    await publishAs("programme", 2, "Shared with the programme.");
    expect(h.domain.summaries.published(member, e.sessionId).publication.number).toBe(2);
    expect((await domainError(() => h.domain.summaries.published(outsider, e.sessionId))).code).toBe("not_found");
    // The member's history hides the version they may not read.
    expect(h.domain.summaries.published(member, e.sessionId).history.map((v) => v.number)).toEqual([2]);

    await publishAs("public", 2, "Made public.");
    expect(h.domain.summaries.published(null, e.sessionId).publication.number).toBe(3);
    expect(h.domain.summaries.list(null).map((p) => [p.sessionId, p.number])).toEqual([[e.sessionId, 3]]);
    expect(h.domain.summaries.list(outsider, { programmeId: e.programmeId }).length).toBe(1);
    expect((await domainError(() => h.domain.summaries.published(null, e.sessionId, 1))).code).toBe("unauthenticated");
    // A version that does not exist gets the same answer as a restricted one: nothing tells them apart.
    expect((await domainError(() => h.domain.summaries.published(null, e.sessionId, 99))).code).toBe("unauthenticated");
    expect((await domainError(() => h.domain.summaries.published(outsider, e.sessionId, 99))).code).toBe("not_found");
  });
});
