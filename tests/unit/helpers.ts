/**
 * Shared set-up for unit tests that need the domain: a real SQLite database in memory, the real
 * domain, and a controllable clock (the domain's own injected `now`).
 */
import { openDatabase } from "../../db/database.server";
import type { SignedInActor } from "../../app/models/actor";
import { createDomain, type Domain } from "../../app/models/domain.server";
import { isDomainError, type DomainError } from "../../app/models/errors";

export const DAY = 24 * 60 * 60 * 1000;
export const START = Date.UTC(2026, 0, 15, 9, 0, 0);

export type Harness = {
  domain: Domain;
  database: ReturnType<typeof openDatabase>;
  clock: { t: number; advance(ms: number): void };
  close(): void;
};

export function makeHarness(): Harness {
  const database = openDatabase(":memory:");
  const clock = {
    t: START,
    advance(ms: number) {
      this.t += ms;
    },
  };
  const domain = createDomain(database.db, { allowSignup: false, invitationTtlDays: 7, now: () => clock.t });
  return { domain, database, clock, close: () => database.close() };
}

/** An account holder (no password) signed in through a real sign-in session. */
export async function signedInAccount(domain: Domain, email: string, displayName: string | null = null): Promise<{ actor: SignedInActor; token: string }> {
  const { userId } = domain.accounts.findOrCreateAccount(email, displayName);
  const { token } = await domain.accounts.createSession(userId);
  const validated = domain.accounts.validateSessionToken(token);
  if (!validated) throw new Error("session did not validate");
  return { actor: validated.actor, token };
}

export function actorFromToken(domain: Domain, token: string): SignedInActor {
  const validated = domain.accounts.validateSessionToken(token);
  if (!validated) throw new Error("token did not validate");
  return validated.actor;
}

export function validSessionInput(levelId: string, overrides: Record<string, unknown> = {}) {
  return {
    title: "Roundtable on local governance",
    description: "",
    coHosts: "",
    kind: "roundtable",
    levelId,
    localityId: "",
    parentSessionId: "",
    languages: ["fr", "en"],
    startsAt: Date.UTC(2026, 1, 3, 9, 0),
    endsAt: Date.UTC(2026, 1, 3, 12, 0),
    timeZone: "Africa/Bamako",
    attributionMode: "chatham_house",
    noteVisibility: "participants",
    rosterVisibleToRoom: false,
    ...overrides,
  };
}

/** A programme with its organiser and one draft session. */
export async function programmeWithSession(domain: Domain, sessionOverrides: Record<string, unknown> = {}) {
  const { actor: organiser } = await signedInAccount(domain, "organiser@example.org");
  const { id: programmeId } = domain.programmes.create(organiser, { name: "National dialogue" });
  const levelId = domain.programmes.get(organiser, programmeId).levels[0].id;
  const { id: sessionId } = domain.sessions.create(organiser, programmeId, validSessionInput(levelId, sessionOverrides));
  return { organiser, programmeId, levelId, sessionId };
}

/** Runs fn and returns the DomainError it throws (fails the test when it throws nothing or something else). */
export async function domainError(fn: () => unknown): Promise<DomainError> {
  try {
    await fn();
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
  throw new Error("expected a DomainError, but nothing was thrown");
}
