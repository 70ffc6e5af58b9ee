import { DAY, makeHarness, programmeWithSession, signedInAccount, validSessionInput, type Harness } from "./helpers";

const CANARY = "Zanzibar Quixote-Canary";

let h: Harness;
beforeEach(() => {
  h = makeHarness();
});
afterEach(() => h.close());

function auditRows() {
  return h.database.sqlite.prepare("SELECT * FROM audit_log").all() as Record<string, unknown>[];
}

describe("the audit log", () => {
  it("never stores identifying text", async () => {
    const { organiser, programmeId, levelId, sessionId } = await programmeWithSession(h.domain);

    // Roster changes with a canary name, organisation and short forms.
    const { id: entryId } = h.domain.roster.add(organiser, sessionId, {
      name: CANARY,
      shortForms: "Zanzibar, Quixote-Canary",
      organisation: "Canary Institute",
      acronyms: "ZQC",
      title: "Canary Envoy",
      country: "Canaryland",
      role: "panelist",
      category: "diplomat",
    });
    h.domain.roster.update(organiser, sessionId, entryId, { name: `${CANARY} Jr`, organisation: "Canary Institute", role: "participant", category: "academic" });

    // Session creation and editing with identifying text in its fields.
    const { id: canarySession } = h.domain.sessions.create(
      organiser,
      programmeId,
      validSessionInput(levelId, { title: `Meeting with ${CANARY}`, description: `Hosted by ${CANARY}`, coHosts: CANARY }),
    );
    h.domain.sessions.update(organiser, canarySession, validSessionInput(levelId, { title: `Again ${CANARY}`, coHosts: CANARY }));

    // People joining and being removed, with canary display names and emails.
    h.domain.programmes.addMember(organiser, programmeId, { email: "zanzibar.canary@example.org", displayName: CANARY, role: "staff" });
    const { actor: member } = await signedInAccount(h.domain, "quixote.canary@example.org", CANARY);
    h.domain.sessions.putMember(sessionId, member.userId, "participant");
    h.domain.sessions.changeMemberRole(organiser, sessionId, member.userId, "observer");
    h.domain.sessions.removeMember(organiser, sessionId, member.userId);

    const code = h.domain.sessions.rotateJoinCode(organiser, sessionId);
    const guest = await h.domain.sessions.joinByCode(null, { code, displayName: CANARY });
    h.domain.sessions.removeMember(organiser, sessionId, guest.userId);
    const [invitation] = h.domain.invitations.create(organiser, sessionId, { role: "participant", rosterEntryId: entryId });
    await h.domain.invitations.accept(null, invitation.token, { displayName: CANARY });
    h.domain.roster.remove(organiser, sessionId, entryId);
    h.clock.advance(DAY);

    const rows = auditRows();
    const actions = rows.map((r) => r.action);
    for (const expected of [
      "roster.entry_added",
      "roster.entry_changed",
      "roster.entry_removed",
      "session.created",
      "session.updated",
      "programme.member_added",
      "session.member_role_changed",
      "session.member_removed",
      "session.joined_by_code",
      "session.joined_by_invitation",
      "invitation.created",
    ]) {
      expect(actions).toContain(expected);
    }
    // The canary did reach the database (so the search below would find it if the audit copied it).
    const elsewhere = JSON.stringify(h.database.sqlite.prepare("SELECT * FROM users").all()) + JSON.stringify(h.database.sqlite.prepare("SELECT * FROM dialogue_sessions").all());
    expect(elsewhere.toLowerCase()).toContain("canary");
    const text = JSON.stringify(rows).toLowerCase();
    for (const fragment of ["zanzibar", "quixote", "canary", "zqc"]) expect(text).not.toContain(fragment);
    // Nor do the join code or any sign-in token appear.
    expect(text).not.toContain(code.toLowerCase());
    expect(text).not.toContain(guest.token!.token);
  });
});
