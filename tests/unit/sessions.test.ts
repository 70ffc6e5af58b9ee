import { SESSION_STATUSES } from "../../db/schema";
import type { DomainEvents } from "../../app/models/events";
import { canTransition, TRANSITIONS, type SessionStatus } from "../../app/models/sessions.server";
import { domainError, makeHarness, programmeWithSession, signedInAccount, validSessionInput, type Harness } from "./helpers";

let h: Harness;
let ctx: Awaited<ReturnType<typeof programmeWithSession>>;
beforeEach(async () => {
  h = makeHarness();
  ctx = await programmeWithSession(h.domain);
});
afterEach(() => h.close());

function memberEvents() {
  const seen: DomainEvents["session.memberChanged"][0][] = [];
  h.domain.events.on("session.memberChanged", (e) => seen.push(e));
  return seen;
}
function endedEvents() {
  const seen: DomainEvents["auth.sessionsEnded"][0][] = [];
  h.domain.events.on("auth.sessionsEnded", (e) => seen.push(e));
  return seen;
}

describe("join codes", () => {
  it("let a guest join with the code as people type it", async () => {
    const code = h.domain.sessions.rotateJoinCode(ctx.organiser, ctx.sessionId);
    const typed = `${code.slice(0, 4).toLowerCase()}-${code.slice(4).toLowerCase()}`;
    const joined = await h.domain.sessions.joinByCode(null, { code: typed, displayName: "" });
    expect(joined.sessionId).toBe(ctx.sessionId);
    expect(joined.token).not.toBeNull();
    const guest = h.domain.accounts.validateSessionToken(joined.token!.token)!.actor;
    expect(guest.isGuest).toBe(true);
    expect(guest.displayName).toBeNull();
    expect(h.domain.access.sessionRole(joined.userId, ctx.sessionId)).toBe("participant");
  });

  it("let an account holder join with their account", async () => {
    const code = h.domain.sessions.rotateJoinCode(ctx.organiser, ctx.sessionId);
    const { actor } = await signedInAccount(h.domain, "someone@example.org");
    const joined = await h.domain.sessions.joinByCode(actor, { code });
    expect(joined.userId).toBe(actor.userId);
    expect(joined.token).toBeNull();
  });

  it("give a shared phone's second guest a separate identity", async () => {
    const code = h.domain.sessions.rotateJoinCode(ctx.organiser, ctx.sessionId);
    const first = await h.domain.sessions.joinByCode(null, { code, displayName: "Awa" });
    const firstActor = h.domain.accounts.validateSessionToken(first.token!.token)!.actor;
    const second = await h.domain.sessions.joinByCode(firstActor, { code, displayName: "Moussa" });
    expect(second.userId).not.toBe(first.userId);
    expect(second.token).not.toBeNull();
  });

  it("report malformed and unknown codes as field errors", async () => {
    h.domain.sessions.rotateJoinCode(ctx.organiser, ctx.sessionId);
    for (const code of ["", "abc", "ABCDEFG1", "ABCD-EFGH-J"]) {
      const err = await domainError(() => h.domain.sessions.joinByCode(null, { code }));
      expect(err.code).toBe("invalid");
      expect(err.fields).toEqual({ code: ["join_code_invalid"] });
    }
    const unknown = await domainError(() => h.domain.sessions.joinByCode(null, { code: "ZZZZ-ZZZZ" }));
    expect(unknown.code).toBe("invalid");
    expect(unknown.fields).toEqual({ code: ["join_code_unknown"] });
    const missing = await domainError(() => h.domain.sessions.joinByCode(null, {}));
    expect(missing.fields).toEqual({ code: ["required"] });
  });

  it("stop working once rotated", async () => {
    const old = h.domain.sessions.rotateJoinCode(ctx.organiser, ctx.sessionId);
    const rotated: string[] = [];
    h.domain.events.on("session.joinCodeRotated", (e) => rotated.push(e.sessionId));
    const fresh = h.domain.sessions.rotateJoinCode(ctx.organiser, ctx.sessionId);
    expect(fresh).not.toBe(old);
    expect(rotated).toEqual([ctx.sessionId]);
    const err = await domainError(() => h.domain.sessions.joinByCode(null, { code: old }));
    expect(err.fields).toEqual({ code: ["join_code_unknown"] });
    await expect(h.domain.sessions.joinByCode(null, { code: fresh })).resolves.toMatchObject({ sessionId: ctx.sessionId });
  });

  it("stop working once disabled", async () => {
    const code = h.domain.sessions.rotateJoinCode(ctx.organiser, ctx.sessionId);
    h.domain.sessions.disableJoinCode(ctx.organiser, ctx.sessionId);
    expect((await domainError(() => h.domain.sessions.joinByCode(null, { code }))).fields).toEqual({ code: ["join_code_unknown"] });
  });

  it("are shown to organisers and moderators, not to participants", async () => {
    const code = h.domain.sessions.rotateJoinCode(ctx.organiser, ctx.sessionId);
    const { actor: moderator } = await signedInAccount(h.domain, "moderator@example.org");
    const { actor: participant } = await signedInAccount(h.domain, "participant@example.org");
    h.domain.sessions.putMember(ctx.sessionId, moderator.userId, "moderator");
    h.domain.sessions.putMember(ctx.sessionId, participant.userId, "participant");
    expect(h.domain.sessions.get(ctx.organiser, ctx.sessionId).session.joinCode).toBe(code);
    expect(h.domain.sessions.get(moderator, ctx.sessionId).session.joinCode).toBe(code);
    expect(h.domain.sessions.get(participant, ctx.sessionId).session.joinCode).toBeNull();
    expect((await domainError(() => h.domain.sessions.rotateJoinCode(moderator, ctx.sessionId))).code).toBe("forbidden");
  });
});

describe("members", () => {
  it("removing a guest with no other session ends their sign-in sessions", async () => {
    const code = h.domain.sessions.rotateJoinCode(ctx.organiser, ctx.sessionId);
    const guest = await h.domain.sessions.joinByCode(null, { code });
    const changed = memberEvents();
    const ended = endedEvents();
    h.domain.sessions.removeMember(ctx.organiser, ctx.sessionId, guest.userId);
    expect(changed).toEqual([{ sessionId: ctx.sessionId, userId: guest.userId, role: null }]);
    expect(ended).toEqual([{ userId: guest.userId, authSessionIds: "all" }]);
    expect(h.domain.accounts.validateSessionToken(guest.token!.token)).toBeNull();
    expect(h.domain.access.sessionRole(guest.userId, ctx.sessionId)).toBeNull();
  });

  it("removing a guest who belongs to another session keeps them signed in", async () => {
    const code = h.domain.sessions.rotateJoinCode(ctx.organiser, ctx.sessionId);
    const guest = await h.domain.sessions.joinByCode(null, { code });
    const { id: otherSession } = h.domain.sessions.create(ctx.organiser, ctx.programmeId, {
      title: "Second roundtable",
      kind: "roundtable",
      levelId: ctx.levelId,
      languages: ["fr"],
      timeZone: "Africa/Bamako",
      attributionMode: "chatham_house",
      noteVisibility: "participants",
    });
    h.domain.sessions.putMember(otherSession, guest.userId, "participant");
    const ended = endedEvents();
    const changed = memberEvents();
    h.domain.sessions.removeMember(ctx.organiser, ctx.sessionId, guest.userId);
    expect(changed).toEqual([{ sessionId: ctx.sessionId, userId: guest.userId, role: null }]);
    expect(ended).toEqual([]);
    expect(h.domain.accounts.validateSessionToken(guest.token!.token)).not.toBeNull();
  });

  it("removing an account holder keeps their account signed in", async () => {
    const { actor, token } = await signedInAccount(h.domain, "someone@example.org");
    h.domain.sessions.putMember(ctx.sessionId, actor.userId, "participant");
    const ended = endedEvents();
    const changed = memberEvents();
    h.domain.sessions.removeMember(ctx.organiser, ctx.sessionId, actor.userId);
    expect(changed).toEqual([{ sessionId: ctx.sessionId, userId: actor.userId, role: null }]);
    expect(ended).toEqual([]);
    expect(h.domain.accounts.validateSessionToken(token)).not.toBeNull();
    expect((await domainError(() => h.domain.sessions.get(actor, ctx.sessionId))).code).toBe("not_found");
  });

  it("removing someone who is not a member is not found", async () => {
    const { actor } = await signedInAccount(h.domain, "someone@example.org");
    expect((await domainError(() => h.domain.sessions.removeMember(ctx.organiser, ctx.sessionId, actor.userId))).code).toBe("not_found");
  });

  it("a role change emits session.memberChanged with the new role", async () => {
    const { actor } = await signedInAccount(h.domain, "someone@example.org");
    h.domain.sessions.putMember(ctx.sessionId, actor.userId, "participant");
    const changed = memberEvents();
    h.domain.sessions.changeMemberRole(ctx.organiser, ctx.sessionId, actor.userId, "observer");
    expect(changed).toEqual([{ sessionId: ctx.sessionId, userId: actor.userId, role: "observer" }]);
    expect(h.domain.access.sessionRole(actor.userId, ctx.sessionId)).toBe("observer");
    const bad = await domainError(() => h.domain.sessions.changeMemberRole(ctx.organiser, ctx.sessionId, actor.userId, "king"));
    expect(bad.fields).toEqual({ role: ["choice_invalid"] });
  });
});

describe("parent sessions", () => {
  it("refuse a parent that would make a cycle, and one from another programme", async () => {
    const input = (overrides: Record<string, unknown>) => ({
      title: "Cercle dialogue",
      kind: "local_dialogue",
      levelId: ctx.levelId,
      languages: ["fr"],
      timeZone: "Africa/Bamako",
      attributionMode: "chatham_house",
      noteVisibility: "participants",
      ...overrides,
    });
    const { id: child } = h.domain.sessions.create(ctx.organiser, ctx.programmeId, input({ parentSessionId: ctx.sessionId }));
    const { id: grandchild } = h.domain.sessions.create(ctx.organiser, ctx.programmeId, input({ parentSessionId: child }));
    const self = await domainError(() => h.domain.sessions.update(ctx.organiser, ctx.sessionId, input({ parentSessionId: ctx.sessionId })));
    expect(self.fields).toEqual({ parentSessionId: ["parent_cycle"] });
    const loop = await domainError(() => h.domain.sessions.update(ctx.organiser, ctx.sessionId, input({ parentSessionId: grandchild })));
    expect(loop.fields).toEqual({ parentSessionId: ["parent_cycle"] });

    const { id: otherProgramme } = h.domain.programmes.create(ctx.organiser, { name: "Other" });
    const otherLevel = h.domain.programmes.get(ctx.organiser, otherProgramme).levels[0].id;
    const foreign = await domainError(() => h.domain.sessions.create(ctx.organiser, otherProgramme, input({ levelId: otherLevel, parentSessionId: ctx.sessionId })));
    expect(foreign.fields).toEqual({ parentSessionId: ["choice_invalid"] });
    const wrongLevel = await domainError(() => h.domain.sessions.create(ctx.organiser, otherProgramme, input({ levelId: ctx.levelId })));
    expect(wrongLevel.fields).toEqual({ levelId: ["choice_invalid"] });
  });
});

describe("lifecycle", () => {
  // Written out from SPEC section 2: draft -> scheduled -> live -> ended -> finalised -> published -> archived.
  const ALLOWED = new Set([
    "draft>scheduled",
    "draft>live",
    "scheduled>draft",
    "scheduled>live",
    "live>ended",
    "ended>finalised",
    "published>archived",
  ]);

  for (const from of SESSION_STATUSES) {
    for (const to of SESSION_STATUSES) {
      const expected = ALLOWED.has(`${from}>${to}`);
      it(`${from} -> ${to} is ${expected ? "allowed" : "refused"}`, () => {
        expect(canTransition(from, to)).toBe(expected);
      });
    }
  }

  it("never goes back from ended or finalised", () => {
    for (const from of ["ended", "finalised", "published", "archived", "purged"] as SessionStatus[]) {
      for (const to of ["draft", "scheduled", "live"] as SessionStatus[]) expect(TRANSITIONS[from]).not.toContain(to);
    }
  });

  it("refuses a transition the table does not allow", async () => {
    const err = await domainError(() => h.domain.sessions.setStatus(ctx.organiser, ctx.sessionId, "ended"));
    expect(err.code).toBe("conflict");
    expect(err.messageKey).toBe("transition_invalid");
    expect(h.domain.sessions.get(ctx.organiser, ctx.sessionId).session.status).toBe("draft");
  });

  it("refuses to finalise without confirmation, and records the time when confirmed", async () => {
    const updated: string[] = [];
    h.domain.events.on("session.updated", (e) => updated.push(e.sessionId));
    h.domain.sessions.setStatus(ctx.organiser, ctx.sessionId, "live");
    h.clock.advance(60_000);
    h.domain.sessions.setStatus(ctx.organiser, ctx.sessionId, "ended");
    const endedAt = h.clock.t;
    const err = await domainError(() => h.domain.sessions.setStatus(ctx.organiser, ctx.sessionId, "finalised"));
    expect(err.code).toBe("invalid");
    expect(err.messageKey).toBe("confirmation_required");
    expect(err.fields).toEqual({ confirm: ["confirmation_required"] });
    expect(h.domain.sessions.get(ctx.organiser, ctx.sessionId).session.status).toBe("ended");
    h.clock.advance(60_000);
    h.domain.sessions.setStatus(ctx.organiser, ctx.sessionId, "finalised", { confirmed: true });
    const { session } = h.domain.sessions.get(ctx.organiser, ctx.sessionId);
    expect(session).toMatchObject({ status: "finalised", endedAt, finalisedAt: h.clock.t });
    expect(updated).toEqual([ctx.sessionId, ctx.sessionId, ctx.sessionId]);
  });

  it("is the organiser's to change", async () => {
    const { actor: moderator } = await signedInAccount(h.domain, "moderator@example.org");
    h.domain.sessions.putMember(ctx.sessionId, moderator.userId, "moderator");
    expect((await domainError(() => h.domain.sessions.setStatus(moderator, ctx.sessionId, "live"))).code).toBe("forbidden");
  });

  it("keeps the attribution mode while the room is live, other details may change", async () => {
    const levelId = h.domain.programmes.get(ctx.organiser, ctx.programmeId).levels[0].id;
    h.domain.sessions.setStatus(ctx.organiser, ctx.sessionId, "live");
    const err = await domainError(() => h.domain.sessions.update(ctx.organiser, ctx.sessionId, validSessionInput(levelId, { attributionMode: "on_the_record" })));
    expect(err).toMatchObject({ code: "conflict", messageKey: "mode_locked", fields: { attributionMode: ["mode_locked"] } });
    h.domain.sessions.update(ctx.organiser, ctx.sessionId, validSessionInput(levelId, { title: "Renamed while live" }));
    expect(h.domain.sessions.get(ctx.organiser, ctx.sessionId).session).toMatchObject({ title: "Renamed while live", attributionMode: "chatham_house" });
  });

  it("locks editing once ended", async () => {
    h.domain.sessions.setStatus(ctx.organiser, ctx.sessionId, "live");
    h.domain.sessions.setStatus(ctx.organiser, ctx.sessionId, "ended");
    const err = await domainError(() => h.domain.sessions.update(ctx.organiser, ctx.sessionId, {}));
    expect(err.messageKey).toBe("session_locked");
  });
});

describe("the home page's list of sessions", () => {
  it("lists every session a person is listed in, and only the twelve programme sessions that most need them, counting the rest", async () => {
    const { actor: staff } = await signedInAccount(h.domain, "staff@example.org");
    h.domain.programmes.addMember(ctx.organiser, ctx.programmeId, { email: "staff@example.org", role: "staff" });
    const day = 24 * 3600_000;
    const now = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) {
      const startsAt = now + (i - 8) * day;
      ids.push(h.domain.sessions.create(ctx.organiser, ctx.programmeId, validSessionInput(ctx.levelId, { title: `Commune ${i}`, startsAt, endsAt: startsAt + 3600_000 })).id);
    }
    // One is live, one is ended: they come first.
    h.domain.sessions.setStatus(ctx.organiser, ids[0], "scheduled");
    h.domain.sessions.setStatus(ctx.organiser, ids[0], "live");
    h.domain.sessions.setStatus(ctx.organiser, ids[1], "scheduled");
    h.domain.sessions.setStatus(ctx.organiser, ids[1], "live");
    h.domain.sessions.setStatus(ctx.organiser, ids[1], "ended");

    // The staff member is listed in none: 17 sessions of the programme, twelve shown.
    const home = h.domain.sessions.listForUser(staff);
    expect(home.sessions).toHaveLength(12);
    expect(home.moreViaProgramme).toBe(17 - 12);
    expect(home.sessions.slice(0, 2).map((s) => s.id)).toEqual([ids[0], ids[1]]);
    // Then those still to come or in draft, nearest start first.
    const rest = home.sessions.slice(2).map((s) => Math.abs((s.startsAt ?? 0) - now));
    expect(rest).toEqual([...rest].sort((a, b) => a - b));

    // Listed in one far in the past: it is shown as well, whatever the limit.
    const far = ids[15];
    const code = h.domain.sessions.rotateJoinCode(ctx.organiser, far);
    await h.domain.sessions.joinByCode(staff, { code, displayName: "" });
    const after = h.domain.sessions.listForUser(staff, { viaProgrammeLimit: 2 });
    expect(after.sessions.map((s) => s.id)).toContain(far);
    expect(after.sessions).toHaveLength(3);
    expect(after.moreViaProgramme).toBe(16 - 2);
  });
});
