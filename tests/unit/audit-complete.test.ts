/**
 * The audit log is complete for administrative actions (issue 10, part 4): a whole programme's life
 * (settings, roles, rosters, invitations, join codes, agenda, moderation, votes, review, overrides,
 * publication, exports, an import elsewhere, finalisation, removals, the retention purge) and each of
 * these writes its entry; no entry holds identifying text (canary names, organisations, note and
 * comment text, override reasons, guest names); every action recorded is in the audit vocabulary
 * (app/models/audit.ts) with an English and a French label; the organisers' page pages and filters.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ALL_AUDIT_ACTIONS, AUDIT_GROUPS } from "../../app/models/audit";
import en from "../../app/locales/en/programmes";
import fr from "../../app/locales/fr/programmes";
import { DAY, domainError, makeHarness, programmeWithSession, signedInAccount, type Harness } from "./helpers";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CANARIES = ["Theodora Vexlington", "Vexlington", "Institut Quillomar", "IQLM", "Haut-commissaire Brambleton", "Ondrakistan", "Cassiopée Wrenfold", "les puits de Quorvath", "Zephyrine a dit vrai", "accord écrit de Mme Vexlington"];

let h: Harness;
beforeEach(() => {
  h = makeHarness();
});
afterEach(() => h.close());

const rows = (harness: Harness) => harness.database.sqlite.prepare("SELECT * FROM audit_log").all() as { action: string; details: string | null; programme_id: string | null }[];

function noCanary(harness: Harness) {
  const text = JSON.stringify(rows(harness)).toLowerCase();
  for (const canary of CANARIES) expect(text, canary).not.toContain(canary.toLowerCase());
}

describe("the audit log, complete", () => {
  it("records every administrative action, and never identifying text", async () => {
    const { domain, clock } = h;
    const { organiser, programmeId, sessionId } = await programmeWithSession(domain, { attributionMode: "chatham_house" });
    const settings = { name: "National dialogue", description: "", quorumPercent: 50, consensusPercent: 80, broadSupportPermille: 667, retentionDays: 30 };
    domain.programmes.updateSettings(organiser, programmeId, settings);

    // Programme roles: added, changed, removed.
    const { userId: staffId } = domain.programmes.addMember(organiser, programmeId, { email: "staff@example.org", displayName: CANARIES[6], role: "member" });
    domain.programmes.addMember(organiser, programmeId, { email: "staff@example.org", displayName: CANARIES[6], role: "staff" });
    const { userId: leaverId } = domain.programmes.addMember(organiser, programmeId, { email: "leaver@example.org", role: "member" });
    domain.programmes.removeMember(organiser, programmeId, leaverId);

    // Roster and invitations.
    const entry = domain.roster.add(organiser, sessionId, { name: CANARIES[0], shortForms: CANARIES[1], organisation: CANARIES[2], acronyms: CANARIES[3], title: CANARIES[4], country: CANARIES[5], role: "panelist", category: "diplomat" });
    domain.roster.update(organiser, sessionId, entry.id, { name: CANARIES[0], organisation: CANARIES[2], title: CANARIES[4], role: "participant", category: "diplomat" });
    const spare = domain.roster.add(organiser, sessionId, { name: `${CANARIES[0]} II`, role: "observer", category: "other" });
    domain.roster.remove(organiser, sessionId, spare.id);
    const [invitation, unused] = domain.invitations.create(organiser, sessionId, { role: "participant", count: 2 });
    domain.invitations.revoke(organiser, sessionId, unused.id);

    // People: a moderator, a rapporteur, guests by invitation and by code; role changes and removals.
    const { actor: moderator } = await signedInAccount(domain, "moderator@example.org", "Mod");
    domain.sessions.putMember(sessionId, moderator.userId, "moderator");
    const { actor: rapporteur } = await signedInAccount(domain, "rapporteur@example.org");
    domain.sessions.putMember(sessionId, rapporteur.userId, "participant");
    domain.sessions.changeMemberRole(organiser, sessionId, rapporteur.userId, "rapporteur");
    const invited = await domain.invitations.accept(null, invitation.token, { displayName: CANARIES[6] });
    const code = domain.sessions.rotateJoinCode(organiser, sessionId);
    const guest = await domain.sessions.joinByCode(null, { code, displayName: CANARIES[6] });
    const leaving = await domain.sessions.joinByCode(null, { code, displayName: `${CANARIES[6]} bis` });
    domain.sessions.removeMember(organiser, sessionId, leaving.userId);
    const guestActor = domain.accounts.validateSessionToken(guest.token!.token)!.actor;
    const invitedActor = domain.accounts.validateSessionToken(invited.token!.token)!.actor;

    // Agenda, live room, moderation.
    const first = domain.live.addItem(organiser, sessionId, { title: "Opening", plannedMinutes: 10 }).id;
    const second = domain.live.addItem(organiser, sessionId, { title: "Water", plannedMinutes: 10 }).id;
    const third = domain.live.addItem(organiser, sessionId, { title: "Spare", plannedMinutes: 10 }).id;
    domain.live.updateItem(organiser, sessionId, second, { title: "Water and wells", plannedMinutes: 15 });
    domain.live.reorder(organiser, sessionId, [third, second, first]);
    domain.live.removeItem(organiser, sessionId, third);
    domain.sessions.setStatus(organiser, sessionId, "scheduled");
    domain.live.openRoom(moderator, sessionId);
    await domain.live.command(moderator, sessionId, second, { command: "start" });
    const note = async (actor: typeof guestActor, text: string, n: number) => (await domain.notes.submit(actor, sessionId, { clientId: n.toString(16).padStart(32, "0"), itemId: second, kind: "point", themeIds: [], text })).note.id;
    const a = await note(guestActor, `Il faut protéger ${CANARIES[7]}.`, 1);
    const b = await note(invitedActor, `${CANARIES[8]} sur la sécurité.`, 2);
    const held = await note(guestActor, `Le représentant de ${CANARIES[2]} a parlé.`, 3);
    domain.notes.curate(rapporteur, sessionId, a, { action: "hide" });
    domain.notes.curate(rapporteur, sessionId, a, { action: "show" });
    domain.notes.curatorEdit(rapporteur, sessionId, held, { text: "Un participant a parlé.", kind: "point", themeIds: [] });
    domain.notes.merge(rapporteur, sessionId, { targetId: a, noteIds: [b] });

    // Recommendations and votes.
    const rec = domain.recommendations.create(rapporteur, sessionId, { text: `Réparer ${CANARIES[7]}.` });
    domain.recommendations.update(rapporteur, sessionId, rec.id, { text: "Réparer les puits." });
    await domain.recommendations.openVote(moderator, sessionId, rec.id);
    domain.recommendations.takePosition(guestActor, sessionId, rec.id, { option: "agree" });
    domain.recommendations.recordHands(moderator, sessionId, rec.id, { headcount: 12, counts: { agree: 10 } });
    domain.recommendations.closeVote(moderator, sessionId, rec.id);
    domain.recommendations.decide(moderator, sessionId, rec.id, { status: "adopted" });
    await domain.live.endRoom(moderator, sessionId);

    // Review, override, finalisation, publication, exports.
    domain.summaries.generate(organiser, sessionId, { language: "fr" });
    const text = `# Table ronde\n\nLes participants ont parlé de l'eau.\n\n${CANARIES[0]} a insisté sur les puits.\n`;
    const { version } = domain.summaries.save(rapporteur, sessionId, { markdown: text, version: 1 });
    domain.summaries.settings(organiser, sessionId, { visibility: "programme" });
    domain.summaries.circulate(organiser, sessionId, { deadline: clock.t + 3 * DAY });
    const comment = domain.summaries.comment(guestActor, sessionId, { kind: "objection", text: `${CANARIES[8]} : retirez le nom.` });
    domain.summaries.resolveComment(organiser, sessionId, comment.id, true);
    expect(await domainError(() => domain.sessions.setStatus(organiser, sessionId, "finalised"))).toMatchObject({ messageKey: "confirmation_required" });
    domain.sessions.setStatus(organiser, sessionId, "finalised", { confirmed: true });
    const w = domain.summaries.workspace(organiser, sessionId);
    for (const f of w.findings) domain.summaries.override(organiser, sessionId, { key: f.key, reason: `Avec l'${CANARIES[9]}.` });
    domain.summaries.approve(organiser, sessionId, { version: domain.summaries.workspace(organiser, sessionId).summary!.version });
    expect(version).toBeGreaterThan(1);
    await domain.summaries.publish(organiser, sessionId, {});
    const doc = domain.exports.session(organiser, sessionId, 1);
    domain.exports.recordDownload(organiser, sessionId, 1, "md");
    // A reader's download is not audited (only staff exports are).
    const { actor: member } = await signedInAccount(domain, "member@example.org");
    domain.programmes.addMember(organiser, programmeId, { email: "member@example.org", role: "member" });
    const exportsBefore = rows(h).filter((r) => r.action === "summary.exported").length;
    domain.exports.recordDownload(member, sessionId, 1, "html");
    expect(rows(h).filter((r) => r.action === "summary.exported").length).toBe(exportsBefore);

    domain.sessions.disableJoinCode(organiser, sessionId);
    domain.programmes.issueResetLink(organiser, programmeId, staffId);

    // The import, on another instance.
    const other = makeHarness();
    try {
      const { actor: otherOrganiser } = await signedInAccount(other.domain, "organiser@elsewhere.example.org");
      const { id: otherProgramme } = other.domain.programmes.create(otherOrganiser, { name: "Elsewhere" });
      other.domain.imports.importSession(otherOrganiser, JSON.stringify(doc), { programmeId: otherProgramme, parentSessionId: null });
      expect(rows(other).map((r) => r.action)).toContain("summary.imported");
      noCanary(other);
    } finally {
      other.close();
    }

    // Retention: the purge.
    clock.advance(31 * DAY);
    expect(domain.retention.purgeDue().sessions).toHaveLength(1);

    const actions = new Set(rows(h).map((r) => r.action));
    for (const expected of [
      "programme.settings_changed",
      "programme.member_added",
      "programme.member_role_changed",
      "programme.member_removed",
      "programme.reset_link_issued",
      "roster.entry_added",
      "roster.entry_changed",
      "roster.entry_removed",
      "invitation.created",
      "invitation.revoked",
      "session.member_role_changed",
      "session.member_removed",
      "session.joined_by_code",
      "session.joined_by_invitation",
      "session.join_code_rotated",
      "session.join_code_disabled",
      "session.status_changed",
      "agenda.item_added",
      "agenda.item_changed",
      "agenda.item_removed",
      "agenda.reordered",
      "note.hidden",
      "note.shown",
      "note.curated",
      "note.merged",
      "recommendation.created",
      "recommendation.changed",
      "recommendation.decided",
      "vote.opened",
      "vote.hands_recorded",
      "vote.closed",
      "summary.generated",
      "summary.visibility_changed",
      "summary.circulated",
      "summary.comment_resolved",
      "summary.finding_overridden",
      "summary.approved",
      "summary.published",
      "summary.exported",
      "retention.purged",
    ]) {
      expect(actions, expected).toContain(expected);
    }
    // Finalisation is recorded as such, and the export twice (JSON and Markdown) with the file kind.
    const all = rows(h);
    expect(all.some((r) => r.action === "session.status_changed" && JSON.parse(r.details!).to === "finalised")).toBe(true);
    expect(all.filter((r) => r.action === "summary.exported").map((r) => JSON.parse(r.details!).file).sort()).toEqual(["json", "md"]);
    // Every action is in the vocabulary, and nothing identifying reached the log.
    for (const action of actions) expect(ALL_AUDIT_ACTIONS, action).toContain(action);
    // The canaries did reach the database elsewhere (the search would find them if the log copied them).
    expect(JSON.stringify(h.database.sqlite.prepare("SELECT markdown FROM publications").all())).toContain(CANARIES[0]);
    noCanary(h);
  });

  it("every action the domain records is in the vocabulary, with an English and a French label", () => {
    const recorded = new Set<string>();
    for (const dir of ["app/models"]) {
      for (const file of fs.readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith(".server.ts"))) {
        const source = fs.readFileSync(path.join(ROOT, dir, file), "utf8");
        for (const m of source.matchAll(/action: [^,}]*/g)) for (const lit of m[0].matchAll(/"([a-z_]+\.[a-z_]+)"/g)) recorded.add(lit[1]);
        // Actions built from a kind: programme.${kind}_added / _removed for themes and addressees.
        if (source.includes("`programme.${kind}_added`")) for (const k of ["theme", "addressee"]) for (const v of ["added", "removed"]) recorded.add(`programme.${k}_${v}`);
      }
    }
    expect(recorded.size).toBeGreaterThan(40);
    for (const action of recorded) expect(ALL_AUDIT_ACTIONS, action).toContain(action);
    type Labels = { audit: { actions: Record<string, Record<string, string>>; groups: Record<string, string> } };
    for (const catalogue of [en, fr] as unknown as Labels[]) {
      for (const action of ALL_AUDIT_ACTIONS) {
        const [group, verb] = action.split(".");
        expect(catalogue.audit.actions[group]?.[verb], action).toBeTruthy();
      }
      for (const group of AUDIT_GROUPS) expect(catalogue.audit.groups[group], group).toBeTruthy();
    }
  });

  it("pages a programme's log and filters it by group or action, refusing a malformed filter", async () => {
    const { organiser, programmeId, sessionId } = await programmeWithSession(h.domain);
    for (let i = 0; i < 60; i++) h.domain.roster.add(organiser, sessionId, { name: `Person ${i}`, role: "participant", category: "other" });
    h.domain.sessions.rotateJoinCode(organiser, sessionId);
    const all = h.domain.programmes.auditLog(organiser, programmeId);
    expect(all).toMatchObject({ page: 1, pages: 2, total: 63, action: null });
    expect(all.entries).toHaveLength(50);
    const second = h.domain.programmes.auditLog(organiser, programmeId, { page: "2" });
    expect(second.entries).toHaveLength(13);
    expect(new Set([...all.entries, ...second.entries].map((e) => e.id)).size).toBe(63);
    // Newest first.
    expect(all.entries[0].at).toBeGreaterThanOrEqual(second.entries[second.entries.length - 1].at);
    expect(h.domain.programmes.auditLog(organiser, programmeId, { action: "roster" }).total).toBe(60);
    expect(h.domain.programmes.auditLog(organiser, programmeId, { action: "session.join_code_rotated" }).total).toBe(1);
    expect(h.domain.programmes.auditLog(organiser, programmeId, { action: "session" }).total).toBe(2);
    // A page past the last shows the last.
    expect(h.domain.programmes.auditLog(organiser, programmeId, { action: "session", page: 9 })).toMatchObject({ page: 1, pages: 1 });
    expect((await domainError(() => h.domain.programmes.auditLog(organiser, programmeId, { action: "roster'; DROP TABLE audit_log" }))).fields).toEqual({ action: ["choice_invalid"] });
    expect((await domainError(() => h.domain.programmes.auditLog(organiser, programmeId, { page: "0" }))).fields).toEqual({ page: ["out_of_range"] });
    expect((await domainError(() => h.domain.programmes.auditLog(organiser, programmeId, { page: "deux" }))).fields).toEqual({ page: ["number_invalid"] });
    // Organisers only.
    const { actor: staff } = await signedInAccount(h.domain, "staff@example.org");
    h.domain.programmes.addMember(organiser, programmeId, { email: "staff@example.org", role: "staff" });
    expect((await domainError(() => h.domain.programmes.auditLog(staff, programmeId))).code).toBe("forbidden");
  });
});
