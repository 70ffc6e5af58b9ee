/**
 * Accounts, guests and sign-in sessions (Lucia's design on @oslojs: hashed tokens, sliding expiry,
 * sign out of one or every device), passwords (argon2id) and one-time onboarding/reset links.
 */
import { hash, verify } from "@node-rs/argon2";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { prepared } from "./prepared.server";
import type { Db } from "../../db/database.server";
import { accountTokens, authSessions, users } from "../../db/schema";
import type { Actor, SignedInActor } from "./actor";
import type { Audit } from "./audit.server";
import { DomainError } from "./errors";
import type { DomainEventBus } from "./events";
import { generateToken, hashToken, newId } from "./tokens.server";
import { setPasswordSchema, signInSchema, signUpSchema } from "./validation";
import { parseOrThrow } from "./parse";

const DAY = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME = 30 * DAY;
/** When less than this remains, a used session is extended (sliding expiry). */
export const SESSION_REFRESH_WINDOW = 15 * DAY;
export const ACCOUNT_TOKEN_LIFETIME = 3 * DAY;

// argon2id (the library's default algorithm) with OWASP's minimum-memory profile.
const ARGON = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
let dummyHash: Promise<string> | null = null;

export type ValidatedSession = { actor: SignedInActor; expiresAt: number; refreshed: boolean };

export function createAccounts(deps: { db: Db; now: () => number; audit: Audit; events: DomainEventBus; allowSignup: boolean }) {
  const { db, now, audit, events } = deps;

  function hashPassword(password: string) {
    return hash(password, ARGON);
  }

  async function createSession(userId: string): Promise<{ token: string; expiresAt: number }> {
    const token = generateToken();
    const expiresAt = now() + SESSION_LIFETIME;
    db.insert(authSessions).values({ id: hashToken(token), userId, expiresAt }).run();
    return { token, expiresAt };
  }

  function validateSessionToken(token: string | null | undefined): ValidatedSession | null {
    if (!token || token.length > 64) return null;
    const id = hashToken(token);
    const row = db
      .select({
        expiresAt: authSessions.expiresAt,
        userId: users.id,
        isGuest: users.isGuest,
        isAdmin: users.isAdmin,
        displayName: users.displayName,
        email: users.email,
      })
      .from(authSessions)
      .innerJoin(users, eq(users.id, authSessions.userId))
      .where(eq(authSessions.id, id))
      .get();
    if (!row) return null;
    const t = now();
    if (t >= row.expiresAt) {
      db.delete(authSessions).where(eq(authSessions.id, id)).run();
      return null;
    }
    let expiresAt = row.expiresAt;
    let refreshed = false;
    if (expiresAt - t < SESSION_REFRESH_WINDOW) {
      expiresAt = t + SESSION_LIFETIME;
      db.update(authSessions).set({ expiresAt }).where(eq(authSessions.id, id)).run();
      refreshed = true;
    }
    const { expiresAt: _e, ...user } = row;
    return { actor: { ...user, authSessionId: id }, expiresAt, refreshed };
  }

  function invalidateSession(authSessionId: string) {
    const row = db.select({ userId: authSessions.userId }).from(authSessions).where(eq(authSessions.id, authSessionId)).get();
    db.delete(authSessions).where(eq(authSessions.id, authSessionId)).run();
    if (row) events.emit("auth.sessionsEnded", { userId: row.userId, authSessionIds: [authSessionId] });
  }

  function invalidateAllSessions(userId: string) {
    db.delete(authSessions).where(eq(authSessions.userId, userId)).run();
    events.emit("auth.sessionsEnded", { userId, authSessionIds: "all" });
  }

  async function signIn(input: unknown): Promise<{ token: string; expiresAt: number; userId: string }> {
    const { email, password } = parseOrThrow(signInSchema, input);
    const user = db.select({ id: users.id, passwordHash: users.passwordHash }).from(users).where(eq(users.email, email)).get();
    if (!user || !user.passwordHash) {
      // Spend the same time as a real check, so response times do not reveal which emails exist.
      dummyHash ??= hashPassword("not-a-real-password-0");
      await verify(await dummyHash, password).catch(() => false);
      throw new DomainError("unauthenticated", "bad_credentials");
    }
    const ok = await verify(user.passwordHash, password).catch(() => false);
    if (!ok) throw new DomainError("unauthenticated", "bad_credentials");
    const session = await createSession(user.id);
    return { ...session, userId: user.id };
  }

  async function signUp(input: unknown): Promise<{ token: string; expiresAt: number; userId: string }> {
    if (!deps.allowSignup) throw new DomainError("forbidden", "signup_closed");
    const data = parseOrThrow(signUpSchema, input);
    const existing = db.select({ id: users.id }).from(users).where(eq(users.email, data.email)).get();
    if (existing) throw new DomainError("conflict", "email_taken", { email: ["email_taken"] });
    const userId = newId();
    db.insert(users)
      .values({ id: userId, email: data.email, passwordHash: await hashPassword(data.password), displayName: data.displayName, createdAt: now() })
      .run();
    audit.record({ action: "account.signup", actorUserId: userId, targetId: userId });
    const session = await createSession(userId);
    return { ...session, userId };
  }

  function createGuest(displayName: string | null): string {
    const userId = newId();
    db.insert(users).values({ id: userId, displayName, isGuest: true, createdAt: now() }).run();
    return userId;
  }

  /** Creates an account without a password (or finds it), for onboarding by an organiser. */
  function findOrCreateAccount(email: string, displayName: string | null): { userId: string; created: boolean } {
    const existing = db.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
    if (existing) return { userId: existing.id, created: false };
    const userId = newId();
    db.insert(users).values({ id: userId, email, displayName, createdAt: now() }).run();
    return { userId, created: true };
  }

  function findByEmail(email: string): string | null {
    return db.select({ id: users.id }).from(users).where(eq(users.email, email)).get()?.id ?? null;
  }

  /** Issues a one-time link token; earlier unused tokens of the same purpose stop working. */
  function issueAccountToken(actor: SignedInActor | null, userId: string, purpose: "onboarding" | "reset"): string {
    const token = generateToken();
    const t = now();
    db.update(accountTokens)
      .set({ usedAt: t })
      .where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)))
      .run();
    db.insert(accountTokens)
      .values({ id: newId(), tokenHash: hashToken(token), userId, purpose, expiresAt: t + ACCOUNT_TOKEN_LIFETIME, createdBy: actor?.userId ?? null, createdAt: t })
      .run();
    // Links issued by an organiser are audited by the programme action; those from the command line here.
    if (!actor) audit.record({ action: purpose === "reset" ? "account.reset_link_issued" : "account.onboarding_link_issued", actorUserId: null, targetId: userId, details: { via: "cli" } });
    return token;
  }

  function inspectAccountToken(token: string) {
    if (!token || token.length > 64) throw new DomainError("not_found", "link_invalid");
    const row = db
      .select({ id: accountTokens.id, userId: accountTokens.userId, purpose: accountTokens.purpose, expiresAt: accountTokens.expiresAt, usedAt: accountTokens.usedAt, email: users.email })
      .from(accountTokens)
      .innerJoin(users, eq(users.id, accountTokens.userId))
      .where(eq(accountTokens.tokenHash, hashToken(token)))
      .get();
    if (!row) throw new DomainError("not_found", "link_invalid");
    if (row.usedAt) throw new DomainError("gone", "link_used");
    if (now() >= row.expiresAt) throw new DomainError("gone", "link_expired");
    return row;
  }

  /** Consumes a one-time link: sets the password, ends every other session, signs in. */
  async function useAccountToken(token: string, input: unknown) {
    const row = inspectAccountToken(token);
    const { password } = parseOrThrow(setPasswordSchema, input);
    const passwordHash = await hashPassword(password);
    const consumed = db.transaction((tx) => {
      const res = tx
        .update(accountTokens)
        .set({ usedAt: now() })
        .where(and(eq(accountTokens.id, row.id), isNull(accountTokens.usedAt)))
        .run();
      if (res.changes !== 1) return false;
      tx.update(users).set({ passwordHash }).where(eq(users.id, row.userId)).run();
      return true;
    });
    if (!consumed) throw new DomainError("gone", "link_used");
    invalidateAllSessions(row.userId);
    audit.record({ action: row.purpose === "reset" ? "account.password_reset" : "account.onboarded", actorUserId: row.userId, targetId: row.userId });
    const session = await createSession(row.userId);
    return { ...session, userId: row.userId };
  }

  // Read on every socket command (the actor is re-read so that a signed-out session stops at once).
  const userQuery = prepared(() =>
    db
      .select({ id: users.id, email: users.email, displayName: users.displayName, isGuest: users.isGuest, isAdmin: users.isAdmin, hasPassword: users.passwordHash })
      .from(users)
      .where(eq(users.id, sql.placeholder("userId")))
      .prepare(),
  );
  function getUser(userId: string) {
    return userQuery().get({ userId });
  }

  /** Returns the identities behind a list of device tokens (for "switch participant"). */
  function describeDeviceTokens(tokens: string[]) {
    if (tokens.length === 0) return [];
    const ids = tokens.map(hashToken);
    const rows = db
      .select({ authSessionId: authSessions.id, userId: users.id, displayName: users.displayName, isGuest: users.isGuest, email: users.email, expiresAt: authSessions.expiresAt })
      .from(authSessions)
      .innerJoin(users, eq(users.id, authSessions.userId))
      .where(inArray(authSessions.id, ids))
      .all();
    const t = now();
    return tokens
      .map((token) => ({ token, row: rows.find((r) => r.authSessionId === hashToken(token)) }))
      .filter((x): x is { token: string; row: (typeof rows)[number] } => !!x.row && x.row.expiresAt > t);
  }

  /** Makes one of this device's identities the active one; returns the token, or null if unknown. */
  function pickDeviceIdentity(tokens: string[], authSessionId: string) {
    return describeDeviceTokens(tokens).find((x) => x.row.authSessionId === authSessionId) ?? null;
  }

  function setLocale(actor: Actor, locale: "en" | "fr") {
    if (!actor) return;
    db.update(users).set({ locale }).where(eq(users.id, actor.userId)).run();
  }

  return {
    hashPassword,
    createSession,
    validateSessionToken,
    invalidateSession,
    invalidateAllSessions,
    signIn,
    signUp,
    createGuest,
    findOrCreateAccount,
    findByEmail,
    issueAccountToken,
    inspectAccountToken,
    useAccountToken,
    getUser,
    describeDeviceTokens,
    pickDeviceIdentity,
    setLocale,
  };
}
export type Accounts = ReturnType<typeof createAccounts>;
