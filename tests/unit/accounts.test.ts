import { eq } from "drizzle-orm";
import { accountTokens, authSessions, users } from "../../db/schema";
import { ACCOUNT_TOKEN_LIFETIME, SESSION_LIFETIME, SESSION_REFRESH_WINDOW } from "../../app/models/accounts.server";
import type { DomainEvents } from "../../app/models/events";
import { hashToken } from "../../app/models/tokens.server";
import { DAY, domainError, makeHarness, type Harness } from "./helpers";

const PASSWORD = "correct horse battery";

let h: Harness;
beforeEach(() => {
  h = makeHarness();
});
afterEach(() => h.close());

function endedEvents() {
  const seen: DomainEvents["auth.sessionsEnded"][0][] = [];
  h.domain.events.on("auth.sessionsEnded", (e) => seen.push(e));
  return seen;
}

/** An account with a password, set through a real onboarding link. */
async function accountWithPassword(email = "ama@example.org") {
  const { userId } = h.domain.accounts.findOrCreateAccount(email, "Ama");
  const link = h.domain.accounts.issueAccountToken(null, userId, "onboarding");
  await h.domain.accounts.useAccountToken(link, { password: PASSWORD, confirm: PASSWORD });
  return userId;
}

describe("sign-in sessions", () => {
  it("validate after creation", async () => {
    const { userId } = h.domain.accounts.findOrCreateAccount("ama@example.org", "Ama");
    const { token, expiresAt } = await h.domain.accounts.createSession(userId);
    expect(expiresAt).toBe(h.clock.t + SESSION_LIFETIME);
    expect(SESSION_LIFETIME).toBe(30 * DAY);
    const validated = h.domain.accounts.validateSessionToken(token);
    expect(validated).not.toBeNull();
    expect(validated!.actor).toMatchObject({ userId, email: "ama@example.org", displayName: "Ama", isGuest: false, authSessionId: hashToken(token) });
    expect(validated!.refreshed).toBe(false);
    expect(validated!.expiresAt).toBe(expiresAt);
  });

  it("store only the token's hash", async () => {
    const { userId } = h.domain.accounts.findOrCreateAccount("ama@example.org", null);
    const { token } = await h.domain.accounts.createSession(userId);
    const rows = h.database.sqlite.prepare("SELECT * FROM auth_sessions").all() as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0].id).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("refuse unknown, empty and oversized tokens", async () => {
    expect(h.domain.accounts.validateSessionToken(null)).toBeNull();
    expect(h.domain.accounts.validateSessionToken("")).toBeNull();
    expect(h.domain.accounts.validateSessionToken("a".repeat(32))).toBeNull();
    expect(h.domain.accounts.validateSessionToken("a".repeat(65))).toBeNull();
    // The hash of a token is not a token.
    const { userId } = h.domain.accounts.findOrCreateAccount("ama@example.org", null);
    const { token } = await h.domain.accounts.createSession(userId);
    expect(h.domain.accounts.validateSessionToken(hashToken(token))).toBeNull();
  });

  it("expire, and expiry deletes the row", async () => {
    const { userId } = h.domain.accounts.findOrCreateAccount("ama@example.org", null);
    const { token } = await h.domain.accounts.createSession(userId);
    h.clock.advance(SESSION_LIFETIME);
    expect(h.domain.accounts.validateSessionToken(token)).toBeNull();
    expect(h.database.db.select().from(authSessions).where(eq(authSessions.id, hashToken(token))).all()).toEqual([]);
  });

  it("slide: refreshed only when less than 15 days remain", async () => {
    expect(SESSION_REFRESH_WINDOW).toBe(15 * DAY);
    const { userId } = h.domain.accounts.findOrCreateAccount("ama@example.org", null);
    const { token, expiresAt } = await h.domain.accounts.createSession(userId);

    h.clock.advance(15 * DAY); // exactly 15 days remain
    const notYet = h.domain.accounts.validateSessionToken(token)!;
    expect(notYet.refreshed).toBe(false);
    expect(notYet.expiresAt).toBe(expiresAt);

    h.clock.advance(1); // less than 15 days remain
    const refreshed = h.domain.accounts.validateSessionToken(token)!;
    expect(refreshed.refreshed).toBe(true);
    expect(refreshed.expiresAt).toBe(h.clock.t + SESSION_LIFETIME);
    const row = h.database.db.select().from(authSessions).where(eq(authSessions.id, hashToken(token))).get();
    expect(row!.expiresAt).toBe(h.clock.t + SESSION_LIFETIME);

    // Past the original expiry, the refreshed session still works.
    h.clock.advance(20 * DAY);
    expect(h.domain.accounts.validateSessionToken(token)).not.toBeNull();
  });

  it("invalidateSession ends one session and says so", async () => {
    const seen = endedEvents();
    const { userId } = h.domain.accounts.findOrCreateAccount("ama@example.org", null);
    const phone = await h.domain.accounts.createSession(userId);
    const laptop = await h.domain.accounts.createSession(userId);
    h.domain.accounts.invalidateSession(hashToken(phone.token));
    expect(h.domain.accounts.validateSessionToken(phone.token)).toBeNull();
    expect(h.domain.accounts.validateSessionToken(laptop.token)).not.toBeNull();
    expect(seen).toEqual([{ userId, authSessionIds: [hashToken(phone.token)] }]);
  });

  it("invalidateAllSessions signs out everywhere and says so", async () => {
    const seen = endedEvents();
    const { userId } = h.domain.accounts.findOrCreateAccount("ama@example.org", null);
    const { userId: otherId } = h.domain.accounts.findOrCreateAccount("other@example.org", null);
    const phone = await h.domain.accounts.createSession(userId);
    const laptop = await h.domain.accounts.createSession(userId);
    const other = await h.domain.accounts.createSession(otherId);
    h.domain.accounts.invalidateAllSessions(userId);
    expect(h.domain.accounts.validateSessionToken(phone.token)).toBeNull();
    expect(h.domain.accounts.validateSessionToken(laptop.token)).toBeNull();
    expect(h.domain.accounts.validateSessionToken(other.token)).not.toBeNull();
    expect(seen).toEqual([{ userId, authSessionIds: "all" }]);
  });
});

describe("passwords and sign-in", () => {
  it("hashes passwords with argon2id", async () => {
    const userId = await accountWithPassword();
    const row = h.database.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).get();
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row!.passwordHash).not.toContain(PASSWORD);
    expect(await h.domain.accounts.hashPassword("0123456789")).toMatch(/^\$argon2id\$/);
  });

  it("signs in with the right password", async () => {
    const userId = await accountWithPassword();
    const result = await h.domain.accounts.signIn({ email: " AMA@example.org ", password: PASSWORD });
    expect(result.userId).toBe(userId);
    expect(h.domain.accounts.validateSessionToken(result.token)!.actor.userId).toBe(userId);
  });

  it("gives the same answer for a wrong password and an unknown email", async () => {
    await accountWithPassword();
    const wrong = await domainError(() => h.domain.accounts.signIn({ email: "ama@example.org", password: "wrong password!" }));
    const unknown = await domainError(() => h.domain.accounts.signIn({ email: "nobody@example.org", password: PASSWORD }));
    for (const err of [wrong, unknown]) {
      expect(err.code).toBe("unauthenticated");
      expect(err.messageKey).toBe("bad_credentials");
      expect(err.fields).toBeUndefined();
    }
  });

  it("refuses an account that has no password yet", async () => {
    h.domain.accounts.findOrCreateAccount("new@example.org", null);
    const err = await domainError(() => h.domain.accounts.signIn({ email: "new@example.org", password: "anything at all" }));
    expect(err.messageKey).toBe("bad_credentials");
  });

  it("reports missing fields", async () => {
    const err = await domainError(() => h.domain.accounts.signIn({ email: "", password: "" }));
    expect(err.code).toBe("invalid");
    expect(err.fields?.email?.[0]).toBe("required");
    expect(err.fields?.password).toEqual(["required"]);
  });

  it("open sign-up is off unless configured", async () => {
    const err = await domainError(() => h.domain.accounts.signUp({ email: "x@example.org", password: PASSWORD }));
    expect(err.code).toBe("forbidden");
    expect(err.messageKey).toBe("signup_closed");
  });
});

describe("onboarding and reset links", () => {
  it("are stored as hashes and inspected without being consumed", () => {
    const { userId } = h.domain.accounts.findOrCreateAccount("ama@example.org", null);
    const token = h.domain.accounts.issueAccountToken(null, userId, "onboarding");
    expect(JSON.stringify(h.database.sqlite.prepare("SELECT * FROM account_tokens").all())).not.toContain(token);
    expect(h.domain.accounts.inspectAccountToken(token)).toMatchObject({ userId, purpose: "onboarding", email: "ama@example.org", usedAt: null });
    expect(h.domain.accounts.inspectAccountToken(token).usedAt).toBeNull();
  });

  it("are single use", async () => {
    const { userId } = h.domain.accounts.findOrCreateAccount("ama@example.org", null);
    const token = h.domain.accounts.issueAccountToken(null, userId, "onboarding");
    const first = await h.domain.accounts.useAccountToken(token, { password: PASSWORD, confirm: PASSWORD });
    expect(first.userId).toBe(userId);
    expect(h.domain.accounts.validateSessionToken(first.token)!.actor.userId).toBe(userId);
    const again = await domainError(() => h.domain.accounts.useAccountToken(token, { password: "another password", confirm: "another password" }));
    expect(again.code).toBe("gone");
    expect(again.messageKey).toBe("link_used");
    // The second attempt did not change the password.
    await expect(h.domain.accounts.signIn({ email: "ama@example.org", password: PASSWORD })).resolves.toMatchObject({ userId });
  });

  it("expire after three days", async () => {
    expect(ACCOUNT_TOKEN_LIFETIME).toBe(3 * DAY);
    const { userId } = h.domain.accounts.findOrCreateAccount("ama@example.org", null);
    const token = h.domain.accounts.issueAccountToken(null, userId, "reset");
    h.clock.advance(3 * DAY - 1);
    expect(h.domain.accounts.inspectAccountToken(token).purpose).toBe("reset");
    h.clock.advance(1);
    const err = await domainError(() => h.domain.accounts.useAccountToken(token, { password: PASSWORD, confirm: PASSWORD }));
    expect(err.code).toBe("gone");
    expect(err.messageKey).toBe("link_expired");
  });

  it("a new link voids the earlier unused one of the same purpose", async () => {
    const { userId } = h.domain.accounts.findOrCreateAccount("ama@example.org", null);
    const onboarding = h.domain.accounts.issueAccountToken(null, userId, "onboarding");
    const first = h.domain.accounts.issueAccountToken(null, userId, "reset");
    const second = h.domain.accounts.issueAccountToken(null, userId, "reset");
    expect((await domainError(() => h.domain.accounts.inspectAccountToken(first))).messageKey).toBe("link_used");
    expect(h.domain.accounts.inspectAccountToken(second).purpose).toBe("reset");
    expect(h.domain.accounts.inspectAccountToken(onboarding).purpose).toBe("onboarding");
  });

  it("an unknown link is invalid", async () => {
    for (const t of ["", "x".repeat(65), "abcdefghijklmnopqrstuvwxyz234567"]) {
      const err = await domainError(() => h.domain.accounts.inspectAccountToken(t));
      expect(err.code).toBe("not_found");
      expect(err.messageKey).toBe("link_invalid");
    }
  });

  it("a bad password leaves the link usable", async () => {
    const { userId } = h.domain.accounts.findOrCreateAccount("ama@example.org", null);
    const token = h.domain.accounts.issueAccountToken(null, userId, "onboarding");
    const err = await domainError(() => h.domain.accounts.useAccountToken(token, { password: "short", confirm: "short" }));
    expect(err.code).toBe("invalid");
    expect(err.fields).toEqual({ password: ["password_too_short"] });
    const row = h.database.db.select({ usedAt: accountTokens.usedAt }).from(accountTokens).where(eq(accountTokens.tokenHash, hashToken(token))).get();
    expect(row!.usedAt).toBeNull();
    await expect(h.domain.accounts.useAccountToken(token, { password: PASSWORD, confirm: PASSWORD })).resolves.toMatchObject({ userId });
  });

  it("using a reset link ends every other session", async () => {
    const userId = await accountWithPassword();
    const stolen = await h.domain.accounts.signIn({ email: "ama@example.org", password: PASSWORD });
    const seen = endedEvents();
    const reset = h.domain.accounts.issueAccountToken(null, userId, "reset");
    const fresh = await h.domain.accounts.useAccountToken(reset, { password: "a brand new password", confirm: "a brand new password" });
    expect(h.domain.accounts.validateSessionToken(stolen.token)).toBeNull();
    expect(h.domain.accounts.validateSessionToken(fresh.token)!.actor.userId).toBe(userId);
    expect(seen).toEqual([{ userId, authSessionIds: "all" }]);
    expect((await domainError(() => h.domain.accounts.signIn({ email: "ama@example.org", password: PASSWORD }))).messageKey).toBe("bad_credentials");
  });
});
