import {
  PROGRAMME_ACTIONS,
  programmeRoleCan,
  SESSION_ACTIONS,
  sessionActionsFor,
  sessionRoleCan,
  standingFrom,
  type ProgrammeAction,
  type ProgrammeRole,
  type SessionAction,
  type SessionRole,
  type SessionStanding,
} from "../../app/models/permissions";
import { domainError, makeHarness, programmeWithSession, signedInAccount, type Harness } from "./helpers";

const STANDINGS: SessionStanding[] = ["organiser", "moderator", "rapporteur", "panelist", "participant", "observer", "programme_staff"];
const SESSION_ROLES: SessionRole[] = ["organiser", "moderator", "rapporteur", "panelist", "participant", "observer"];
const PROGRAMME_ROLES: ProgrammeRole[] = ["organiser", "staff", "member"];

// The expected role table, written out independently of permissions.ts (SPEC section 1 and 7).
// Columns: organiser, moderator, rapporteur, panelist, participant, observer, programme_staff.
const EXPECTED_SESSION: Record<SessionAction, string> = {
  "session.view": "1111111",
  "session.configure": "1000000",
  "session.lifecycle": "1000000",
  "session.roster.view": "1000000",
  "session.roster.manage": "1000000",
  "session.members.view": "1000000",
  "session.members.manage": "1000000",
  "session.invitations.manage": "1000000",
  "session.joinCode.view": "1100000",
  "session.joinCode.rotate": "1000000",
  "session.room.join": "1111110",
  "agenda.edit": "1100000",
  "live.control": "1100000",
  "queue.raise": "0001100",
  "queue.manage": "1100000",
  "queue.names": "1110000",
  "presence.exact": "1110000",
  "projector.view": "1100000",
  "notes.write": "1111100",
  "notes.curate": "1110000",
  "recommendations.draft": "1110000",
  "recommendations.consolidate": "1010001",
  "votes.run": "1100000",
  "positions.take": "0001100",
  "summary.export": "1000001",
  "summary.draft": "1010000",
  "summary.publish": "1000000",
  "summary.review": "1111110",
  "summary.comment": "0001100",
};
// Columns: organiser, staff, member.
const EXPECTED_PROGRAMME: Record<ProgrammeAction, string> = {
  "programme.view": "111",
  "programme.configure": "100",
  "programme.members.manage": "100",
  "programme.sessions.create": "100",
  "programme.sessions.list": "110",
  "programme.audit.view": "100",
  "programme.sessions.import": "100",
  "programme.coverage.view": "111",
  "programme.field.kits": "100",
  "programme.field.keys": "100",
};

describe("session role table", () => {
  it("lists exactly the expected actions", () => {
    expect(Object.keys(SESSION_ACTIONS).sort()).toEqual(Object.keys(EXPECTED_SESSION).sort());
  });

  for (const action of Object.keys(EXPECTED_SESSION) as SessionAction[]) {
    for (const [i, standing] of STANDINGS.entries()) {
      const expected = EXPECTED_SESSION[action][i] === "1";
      it(`${standing} ${expected ? "may" : "may not"} ${action}`, () => {
        expect(sessionRoleCan(standing, action)).toBe(expected);
        // The session's settings only ever widen roster visibility, never anything else.
        if (action !== "session.roster.view") {
          expect(sessionRoleCan(standing, action, { rosterVisibleToRoom: true, attributionMode: "on_the_record" })).toBe(expected);
        }
      });
    }
  }

  it("gives nothing to a person without standing", () => {
    for (const action of Object.keys(SESSION_ACTIONS) as SessionAction[]) {
      expect(sessionRoleCan(null, action)).toBe(false);
      expect(sessionRoleCan(null, action, { rosterVisibleToRoom: true, attributionMode: "chatham_house" })).toBe(false);
    }
    expect(sessionActionsFor(null)).toEqual([]);
  });

  it("sessionActionsFor lists what each standing may do", () => {
    for (const [i, standing] of STANDINGS.entries()) {
      const expected = (Object.keys(EXPECTED_SESSION) as SessionAction[]).filter((a) => EXPECTED_SESSION[a][i] === "1");
      expect(sessionActionsFor(standing).sort()).toEqual(expected.sort());
    }
  });
});

describe("roster visibility", () => {
  it("is for organisers only unless the session shows it to the room", () => {
    for (const mode of ["chatham_house", "anonymous", "on_the_record"]) {
      for (const standing of STANDINGS) {
        expect(sessionRoleCan(standing, "session.roster.view", { rosterVisibleToRoom: false, attributionMode: mode })).toBe(standing === "organiser");
      }
    }
  });

  it("is visible to the room when the session says so, but never to programme staff", () => {
    for (const mode of ["chatham_house", "on_the_record"]) {
      for (const standing of STANDINGS) {
        const can = sessionRoleCan(standing, "session.roster.view", { rosterVisibleToRoom: true, attributionMode: mode });
        expect(can, `${standing} in ${mode}`).toBe(standing !== "programme_staff");
      }
    }
  });

  it("stays organisers-only in anonymous mode even when the session shows it to the room", () => {
    for (const standing of STANDINGS) {
      expect(sessionRoleCan(standing, "session.roster.view", { rosterVisibleToRoom: true, attributionMode: "anonymous" })).toBe(standing === "organiser");
    }
  });

  it("does not let the room manage the roster", () => {
    for (const standing of STANDINGS) {
      expect(sessionRoleCan(standing, "session.roster.manage", { rosterVisibleToRoom: true, attributionMode: "on_the_record" })).toBe(standing === "organiser");
    }
    expect(sessionActionsFor("participant", { rosterVisibleToRoom: true, attributionMode: "chatham_house" })).toContain("session.roster.view");
    expect(sessionActionsFor("participant", { rosterVisibleToRoom: true, attributionMode: "anonymous" })).not.toContain("session.roster.view");
  });
});

describe("programme role table", () => {
  it("lists exactly the expected actions", () => {
    expect(Object.keys(PROGRAMME_ACTIONS).sort()).toEqual(Object.keys(EXPECTED_PROGRAMME).sort());
  });

  for (const action of Object.keys(EXPECTED_PROGRAMME) as ProgrammeAction[]) {
    for (const [i, role] of PROGRAMME_ROLES.entries()) {
      const expected = EXPECTED_PROGRAMME[action][i] === "1";
      it(`programme ${role} ${expected ? "may" : "may not"} ${action}`, () => {
        expect(programmeRoleCan(role, action)).toBe(expected);
      });
    }
  }

  it("gives nothing to a non-member", () => {
    for (const action of Object.keys(PROGRAMME_ACTIONS) as ProgrammeAction[]) expect(programmeRoleCan(null, action)).toBe(false);
  });
});

describe("standingFrom", () => {
  it("makes a programme organiser the organiser of every session, whatever their session role", () => {
    expect(standingFrom(null, "organiser")).toBe("organiser");
    for (const role of SESSION_ROLES) expect(standingFrom(role, "organiser")).toBe("organiser");
  });

  it("uses the session role when there is one and the person is not a programme organiser", () => {
    for (const role of SESSION_ROLES) {
      expect(standingFrom(role, null)).toBe(role);
      expect(standingFrom(role, "staff")).toBe(role);
      expect(standingFrom(role, "member")).toBe(role);
    }
  });

  it("turns programme staff without a session role into programme_staff", () => {
    expect(standingFrom(null, "staff")).toBe("programme_staff");
  });

  it("gives programme members and strangers no standing", () => {
    expect(standingFrom(null, "member")).toBeNull();
    expect(standingFrom(null, null)).toBeNull();
  });
});

describe("enforcement through the domain", () => {
  let h: Harness;
  beforeEach(() => {
    h = makeHarness();
  });
  afterEach(() => h.close());

  it("answers not found, not forbidden, for a session the person has no standing in", async () => {
    const { sessionId } = await programmeWithSession(h.domain);
    const { actor: stranger } = await signedInAccount(h.domain, "stranger@example.org");
    for (const action of ["session.view", "session.configure", "session.roster.view"] as SessionAction[]) {
      const err = await domainError(() => h.domain.access.requireSession(stranger, sessionId, action));
      expect(err.code).toBe("not_found");
      expect(err.messageKey).toBe("session_not_found");
    }
    const missing = await domainError(() => h.domain.access.requireSession(stranger, "00000000-0000-4000-8000-000000000000", "session.view"));
    expect(missing.code).toBe("not_found");
    expect(missing.messageKey).toBe("session_not_found");
  });

  it("answers forbidden to a member who lacks the right, and requires sign-in", async () => {
    const { organiser, sessionId } = await programmeWithSession(h.domain);
    const { actor: observer } = await signedInAccount(h.domain, "observer@example.org");
    h.domain.sessions.putMember(sessionId, observer.userId, "observer");
    expect(h.domain.access.requireSession(observer, sessionId, "session.view").standing).toBe("observer");
    const err = await domainError(() => h.domain.access.requireSession(observer, sessionId, "session.configure"));
    expect(err.code).toBe("forbidden");
    const anon = await domainError(() => h.domain.access.requireSession(null, sessionId, "session.view"));
    expect(anon.code).toBe("unauthenticated");
    expect(h.domain.access.requireSession(organiser, sessionId, "session.configure").standing).toBe("organiser");
  });

  it("answers not found for a programme the person is not a member of, forbidden for a member who lacks the right", async () => {
    const { organiser, programmeId } = await programmeWithSession(h.domain);
    const { actor: stranger } = await signedInAccount(h.domain, "stranger@example.org");
    const hidden = await domainError(() => h.domain.programmes.get(stranger, programmeId));
    expect(hidden.code).toBe("not_found");
    expect(hidden.messageKey).toBe("programme_not_found");
    h.domain.programmes.addMember(organiser, programmeId, { email: "member@example.org", role: "member" });
    const { actor: member } = await signedInAccount(h.domain, "member@example.org");
    expect(h.domain.programmes.get(member, programmeId).role).toBe("member");
    const refused = await domainError(() => h.domain.sessions.listForProgramme(member, programmeId));
    expect(refused.code).toBe("forbidden");
  });

  it("lets programme staff view a session below them without joining its room or seeing its roster", async () => {
    const { organiser, programmeId, sessionId } = await programmeWithSession(h.domain, { rosterVisibleToRoom: true });
    h.domain.programmes.addMember(organiser, programmeId, { email: "staff@example.org", role: "staff" });
    const { actor: staff } = await signedInAccount(h.domain, "staff@example.org");
    const view = h.domain.sessions.get(staff, sessionId);
    expect(view.standing).toBe("programme_staff");
    expect(view.can).not.toContain("session.room.join");
    expect(view.can).not.toContain("session.roster.view");
    expect(view.session.joinCode).toBeNull();
    expect((await domainError(() => h.domain.roster.list(staff, sessionId))).code).toBe("forbidden");
  });
});
