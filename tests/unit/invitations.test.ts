import { eq } from "drizzle-orm";
import { invitations, users } from "../../db/schema";
import { DAY, domainError, makeHarness, programmeWithSession, signedInAccount, type Harness } from "./helpers";

let h: Harness;
let ctx: Awaited<ReturnType<typeof programmeWithSession>>;
beforeEach(async () => {
  h = makeHarness();
  ctx = await programmeWithSession(h.domain);
});
afterEach(() => h.close());

function invite(role = "participant") {
  const [created] = h.domain.invitations.create(ctx.organiser, ctx.sessionId, { role });
  return created;
}

describe("invitation links", () => {
  it("are stored only as hashes, and several can be made at once", () => {
    const many = h.domain.invitations.create(ctx.organiser, ctx.sessionId, { role: "participant", count: "3" });
    expect(many).toHaveLength(3);
    expect(new Set(many.map((m) => m.token)).size).toBe(3);
    const stored = JSON.stringify(h.database.sqlite.prepare("SELECT * FROM invitations").all());
    for (const { token } of many) expect(stored).not.toContain(token);
    expect(h.domain.invitations.list(ctx.organiser, ctx.sessionId).map((i) => i.state)).toEqual(["pending", "pending", "pending"]);
  });

  it("validate what the organiser asks for", async () => {
    const bad = await domainError(() => h.domain.invitations.create(ctx.organiser, ctx.sessionId, { role: "king", count: "0" }));
    expect(bad.fields).toEqual({ role: ["choice_invalid"], count: ["out_of_range"] });
  });

  it("are inspected (GET) without being consumed", () => {
    const { token } = invite();
    for (let i = 0; i < 3; i++) {
      const seen = h.domain.invitations.inspect(token);
      expect(seen.state).toBe("pending");
      expect(seen.role).toBe("participant");
      expect(seen.session.id).toBe(ctx.sessionId);
    }
    const row = h.database.db.select({ usedAt: invitations.usedAt }).from(invitations).get();
    expect(row!.usedAt).toBeNull();
  });

  it("admit a guest once: a guest user and a sign-in token", async () => {
    const { token } = invite();
    const joined = await h.domain.invitations.accept(null, token, { displayName: "Awa" });
    expect(joined.sessionId).toBe(ctx.sessionId);
    expect(joined.token).not.toBeNull();
    const guest = h.domain.accounts.validateSessionToken(joined.token!.token)!.actor;
    expect(guest).toMatchObject({ userId: joined.userId, isGuest: true, displayName: "Awa", email: null });
    expect(h.domain.access.sessionRole(joined.userId, ctx.sessionId)).toBe("participant");
    expect(h.domain.invitations.inspect(token).state).toBe("used");

    const again = await domainError(() => h.domain.invitations.accept(null, token, {}));
    expect(again.code).toBe("gone");
    expect(again.messageKey).toBe("invitation_used");
    expect(h.database.db.select().from(users).where(eq(users.isGuest, true)).all()).toHaveLength(1);
  });

  it("let an account holder join with their own account", async () => {
    const { token } = invite("rapporteur");
    const { actor } = await signedInAccount(h.domain, "rapporteur@example.org");
    const joined = await h.domain.invitations.accept(actor, token, {});
    expect(joined.userId).toBe(actor.userId);
    expect(joined.token).toBeNull();
    expect(h.domain.access.sessionRole(actor.userId, ctx.sessionId)).toBe("rapporteur");
    expect(h.database.db.select().from(users).where(eq(users.isGuest, true)).all()).toHaveLength(0);
  });

  it("that were revoked give invitation_revoked", async () => {
    const { id, token } = invite();
    h.domain.invitations.revoke(ctx.organiser, ctx.sessionId, id);
    expect(h.domain.invitations.inspect(token).state).toBe("revoked");
    const err = await domainError(() => h.domain.invitations.accept(null, token, {}));
    expect(err.code).toBe("gone");
    expect(err.messageKey).toBe("invitation_revoked");
    const twice = await domainError(() => h.domain.invitations.revoke(ctx.organiser, ctx.sessionId, id));
    expect(twice.messageKey).toBe("invitation_not_pending");
  });

  it("expire after the configured seven days", async () => {
    const { token } = invite();
    h.clock.advance(7 * DAY - 1);
    expect(h.domain.invitations.inspect(token).state).toBe("pending");
    h.clock.advance(1);
    expect(h.domain.invitations.inspect(token).state).toBe("expired");
    const err = await domainError(() => h.domain.invitations.accept(null, token, {}));
    expect(err.code).toBe("gone");
    expect(err.messageKey).toBe("invitation_expired");
  });

  it("that do not exist give invitation_invalid", async () => {
    for (const t of ["", "x".repeat(65), "abcdefghijklmnopqrstuvwxyz234567"]) {
      const err = await domainError(() => h.domain.invitations.inspect(t));
      expect(err.code).toBe("not_found");
      expect(err.messageKey).toBe("invitation_invalid");
    }
  });

  it("cannot be used for a closed session", async () => {
    const { token } = invite();
    h.domain.sessions.setStatus(ctx.organiser, ctx.sessionId, "live");
    h.domain.sessions.setStatus(ctx.organiser, ctx.sessionId, "ended");
    h.domain.sessions.setStatus(ctx.organiser, ctx.sessionId, "finalised", { confirmed: true });
    const err = await domainError(() => h.domain.invitations.accept(null, token, {}));
    expect(err.code).toBe("gone");
    expect(err.messageKey).toBe("session_closed");
    expect(h.domain.invitations.inspect(token).state).toBe("pending");
  });

  it("are managed by the session's organiser only", async () => {
    const { actor: moderator } = await signedInAccount(h.domain, "moderator@example.org");
    h.domain.sessions.putMember(ctx.sessionId, moderator.userId, "moderator");
    expect((await domainError(() => h.domain.invitations.create(moderator, ctx.sessionId, { role: "participant" }))).code).toBe("forbidden");
    const { actor: stranger } = await signedInAccount(h.domain, "stranger@example.org");
    expect((await domainError(() => h.domain.invitations.list(stranger, ctx.sessionId))).code).toBe("not_found");
  });
});
